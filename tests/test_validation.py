"""Field validation before any save: required fields, FTE range, dates, e-mail/phone/web format, ids,
length limits, control and bidi characters – a battery of hostile values, each refused with a German
message naming the column, and ordinary German values accepted."""

import pandas as pd
import pytest

from geo.layers import check_rows, unsafe_characters


def kontakt(**values) -> pd.DataFrame:
    row = {"id": "k1", "rolle": "Beratung", "name": "Frau Muster"} | values
    return pd.DataFrame([row])


def position(**values) -> pd.DataFrame:
    row = {"id": "F1", "bezeichnung": "Stelle 1", "vze": "0,5", "gebiet_rs": "073315003", "beginn": "2025-08-01"}
    return pd.DataFrame([row | values])


HOSTILE = [
    ("kontakte", {"name": "Frau\u202eMuster"}, "Name", "Richtungszeichen"),  # right-to-left override
    ("kontakte", {"name": "Frau\u200bMuster"}, "Name", "Steuer"),  # zero-width space
    ("kontakte", {"name": "Frau\x00Muster"}, "Name", "Steuer"),
    ("kontakte", {"name": "Frau\x1bMuster"}, "Name", "Steuer"),  # escape
    ("kontakte", {"name": "Zeile 1\nZeile 2"}, "Name", "Steuer"),
    ("kontakte", {"hinweis": "a\u2028b"}, "Hinweis", "Steuer"),  # line separator
    ("kontakte", {"rolle": "\u2066x\u2069"}, "Rolle", "Steuer"),  # bidi isolate
    ("kontakte", {"name": "x" * 201}, "Name", "zu lang"),
    ("kontakte", {"hinweis": "x" * 1001}, "Hinweis", "zu lang"),
    ("kontakte", {"name": ""}, "Name", "fehlt"),
    ("kontakte", {"name": "   "}, "Name", "fehlt"),
    ("kontakte", {"email": "keine-adresse"}, "E-Mail", "E-Mail"),
    ("kontakte", {"email": "a@b"}, "E-Mail", "E-Mail"),
    ("kontakte", {"email": "<script>@x.de"}, "E-Mail", "E-Mail"),
    ("kontakte", {"email": "a@x.de, b@y.de"}, "E-Mail", "E-Mail"),
    ("kontakte", {"email": "a@x.de\r\nBcc: c@y.de"}, "E-Mail", "Steuer"),
    ("kontakte", {"telefon": "ruf mich an"}, "Telefon", "Telefonnummer"),
    ("kontakte", {"telefon": "=1+1"}, "Telefon", "Telefonnummer"),
    ("kontakte", {"telefon": "+"}, "Telefon", "Telefonnummer"),
    ("kontakte", {"web": "javascript:alert(1)"}, "Web", "Web-Adresse"),
    ("kontakte", {"web": "data:text/html,<b>x</b>"}, "Web", "Web-Adresse"),
    ("kontakte", {"web": "http://evil.example/\"><script>"}, "Web", "Web-Adresse"),
    ("kontakte", {"web": "ftp://x.example"}, "Web", "Web-Adresse"),
    ("kontakte", {"id": "../../etc/passwd"}, "ID", "darf nur"),
    ("kontakte", {"id": "a b"}, "ID", "darf nur"),
    ("kontakte", {"id": "x" * 41}, "ID", "zu lang"),
    ("kontakte", {"demo": "vielleicht"}, "Beispieldaten", "weder ja noch nein"),
    ("fachkraefte", {"vze": "0"}, "VZÄ", "zwischen 0,1 und 1,0"),
    ("fachkraefte", {"vze": "1,5"}, "VZÄ", "zwischen 0,1 und 1,0"),
    ("fachkraefte", {"vze": "-0,5"}, "VZÄ", "zwischen 0,1 und 1,0"),
    ("fachkraefte", {"vze": "nan"}, "VZÄ", "zwischen"),
    ("fachkraefte", {"vze": "1e308"}, "VZÄ", "zwischen"),
    ("fachkraefte", {"vze": "=0,5"}, "VZÄ", "keine Zahl"),
    ("fachkraefte", {"beginn": "2025-02-30"}, "Beginn", "kein Datum"),
    ("fachkraefte", {"beginn": "morgen"}, "Beginn", "kein Datum"),
    ("fachkraefte", {"beginn": "2025-08-01", "ende": "2025-07-31"}, "Ende", "vor Beginn"),
    ("fachkraefte", {"gebiet_rs": "073315004"}, "Gebiet", "keines der 7 Gebiete"),
    ("fachkraefte", {"gebiet_rs": "' OR 1=1 --"}, "Gebiet", "keines der 7 Gebiete"),
    ("fachkraefte", {"kitas": "K1;K2"}, "Kitas", "unbekannte Kita-ID"),
    ("fachkraefte", {"besetzt": "2"}, "besetzt", "weder ja noch nein"),
]


@pytest.mark.parametrize("table,values,column,message", HOSTILE)
def test_hostile_value_is_refused_with_column_named(table, values, column, message):
    frame = (kontakt if table == "kontakte" else position)(**values)
    _, problems = check_rows(table, frame, {"kitas": set(), "gemeinden": set()})
    assert any(p.column == column and message in p.message for p in problems), problems
    assert all(p.row == 2 for p in problems)


@pytest.mark.parametrize("values", [
    {"telefon": "06731 408-0"}, {"telefon": "+49 (0) 6731/408 123"}, {"email": "kita-sozialarbeit@alzey-worms.de"},
    {"web": "https://s.rlp.de/kita-sozialarbeit"}, {"name": "Çağla Öztürk-Müller"}, {"name": "Олена Шевченко"},
    {"hinweis": "Sprechzeiten Mo–Fr 8–12 Uhr; „Eltern-Café“ 1. Mittwoch"},
])
def test_ordinary_german_values_are_accepted(values):
    _, problems = check_rows("kontakte", kontakt(**values))
    assert problems == []


def test_german_dates_and_decimal_comma_are_read():
    rows, problems = check_rows("fachkraefte", position(vze="0,75", beginn="1.8.2025", ende="31.07.2026"))
    assert problems == [] and rows.iloc[0]["vze"] == 0.75 and str(rows.iloc[0]["ende"]) == "2026-07-31"
    assert rows.iloc[0]["besetzt"]  # an empty filled-flag means filled (the seed has no such column)


@pytest.mark.parametrize("children", ["inf", "-inf", "nan", "1e400", "3,5", "-1", "0x10"])
def test_odd_numbers_of_children_are_refused(children):
    row = {"id": "K1", "name": "Kita", "plz": "55232", "ort": "Alzey", "gemeinde_rs": "073310003003",
           "lat": "49.7", "lon": "8.1", "kinder": children}
    _, problems = check_rows("kitas", pd.DataFrame([row]))
    assert [p.column for p in problems] == ["Kinder"]


def test_unsafe_characters_names_the_code_points():
    assert unsafe_characters("a\u202eb\u200bc") == "U+200B, U+202E"
    assert unsafe_characters("Öztürk – „gut“") == ""
