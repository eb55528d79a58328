"""Numbers typed by coordinators: read with Babel in the UI language, echoed back in the same format."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kita.errors import DataError
from kita.numbers import NumberInputError, format_input, parse_number, parse_numbers
from reports import overview


@pytest.mark.parametrize("text, value", [
    ("1,5", 1.5), ("0,25", 0.25), ("1.000", 1000), ("1.000,5", 1000.5), ("3", 3), (" 3,25 ", 3.25), ("0", 0),
])
def test_german_numbers(text, value):
    assert parse_number(text, "de") == value


@pytest.mark.parametrize("text, value", [("1.5", 1.5), ("1,000", 1000), ("0.25", 0.25)])
def test_english_numbers(text, value):
    assert parse_number(text, "en") == value


def test_a_german_point_is_not_silently_a_thousands_separator():
    # "1.5" in German is no number: before, "1,5" became 15 without a word
    with pytest.raises(NumberInputError) as error:
        parse_number("1.5", "de", "Neue VZÄ")
    message = str(error.value)
    assert message.startswith("Neue VZÄ:") and "„1,5“" in message


@pytest.mark.parametrize("text", ["", "drei", "1,5,5", "1..0", "nan", "inf"])
def test_bad_input_gets_a_german_message(text):
    with pytest.raises(NumberInputError, match="Zahl"):
        parse_number(text, "de")


@pytest.mark.parametrize("text", ["", "three", "1.5.5", "nan", "1,5,5,"])
def test_bad_input_is_said_in_the_readers_language(text):
    """The error is a catalogue Message: German as text, English where the page speaks English, no German left."""
    from kita.i18n import say

    with pytest.raises(NumberInputError) as error:
        parse_number(text, "en", "New FTE")
    english = say(error.value.message, "en")
    assert english.startswith("New FTE:") and "number" in english
    assert not any(word in english for word in ("Zahl", "bitte", "oder", "Meinten", "„"))
    assert "Zahl" in str(error.value)  # logs and the command line read German


def test_a_suggestion_is_said_in_the_readers_language():
    from kita.i18n import say

    with pytest.raises(NumberInputError) as error:
        parse_number("1.5", "de", "Neue VZÄ")
    assert "Did you mean “1,5”" in say(error.value.message, "en") and "Meinten Sie „1,5“" in str(error.value)


def test_class_bounds_error_has_no_german_in_english():
    with pytest.raises(DataError) as error:
        overview.parse_bins("400; abc", "en")
    assert "is not a number" in str(error.value) and "keine" not in str(error.value)


@pytest.mark.parametrize("value, digits, lang, text", [
    (1.5, 2, "de", "1,5"), (1000, 0, "de", "1.000"), (0.25, 2, "de", "0,25"), (3.0, 2, "de", "3"),
    (1000.5, 1, "en", "1,000.5"),
])
def test_echo_in_the_same_format(value, digits, lang, text):
    assert format_input(value, digits, lang) == text
    assert parse_number(format_input(value, digits, lang), lang) == value


def test_fixed_class_bounds_with_thousands():
    assert parse_numbers("400; 600; 1.000") == [400, 600, 1000]
    assert overview.parse_bins("400; 600; 1.000") == [400, 600, 1000]
    assert overview.parse_bins("0,5; 1,5") == [0.5, 1.5]
    assert overview.parse_bins("400; 600; 1,000", "en") == [400, 600, 1000]
    assert overview.format_bins([400, 600, 1000], 0) == "400; 600; 1.000"
    with pytest.raises(DataError, match="keine Zahlen"):
        overview.parse_bins("400; 1.5")


@pytest.mark.parametrize("text,count,value", [
    ("0,5", False, 0.5), ("0.5", False, 0.5), (" 1,25 ", False, 1.25), ("0.194", False, 0.194),
    ("1.234", True, 1234), ("12.345.678", True, 12345678), ("120", True, 120), ("7,0", True, 7.0),
    ("49,8123", False, 49.8123),
])
def test_cells_read_as_german_and_english_spreadsheets_write_them(text, count, value):
    from kita.numbers import parse_cell

    assert parse_cell(text, count=count) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "eins", "1,2,3", "1.234,5x", "1.5,2"])
def test_a_cell_that_is_no_number_is_refused(text):
    from kita.numbers import parse_cell

    with pytest.raises(ValueError):
        parse_cell(text, count=True)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["de", "en", "tr", "ar", "uk"]))
def test_any_typed_text_is_a_finite_number_or_a_message_in_every_language(typed, lang):
    """Whatever is typed into a number field: a finite float, or a NumberInputError said in each UI language
    (never a traceback, never another exception type)."""
    from kita.i18n import say

    try:
        value = parse_number(typed, lang, "Wert")
    except NumberInputError as error:
        for language in ("de", "en"):
            said = say(error.message, language)
            assert said.startswith("Wert: ") and len(said) > len("Wert: ") + 10
        assert "Zahl" not in say(error.message, "en")
    else:
        assert math.isfinite(value)
