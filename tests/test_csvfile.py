"""kita.csvfile: the one CSV reader of the start data and the uploads."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kita import csvfile
from kita.errors import DataError


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_decode_reads_what_spreadsheet_programs_write(encoding):
    text = "Name;Ort\nKita „Süd“;Wöllstein\n"
    assert csvfile.decode(text.encode(encoding), "x.csv") == text


@pytest.mark.parametrize("header,sep", [("id;name;plz", ";"), ("id,name,plz", ","), ("id\tname\tplz", "\t"),
                                        ("\n\nid;name", ";")])
def test_the_header_decides_the_separator(header, sep):
    assert csvfile.separator(header + "\n1,2;3\n") == sep


def test_rows_keep_the_files_line_numbers_and_refuse_a_huge_cell():
    text = 'a;b\n\n1;"zwei\nZeilen"\n3;4\n'
    assert [(line, row) for line, row in csvfile.rows(text, ";") if not csvfile.blank(row)] == [
        (1, ["a", "b"]), (4, ["1", "zwei\nZeilen"]), (5, ["3", "4"])]
    with pytest.raises(csvfile.CsvError) as error:
        list(csvfile.rows("a;b\n1;" + "x" * (csvfile.FIELD_LIMIT + 1) + "\n", ";"))
    assert error.value.field_too_long
    assert csvfile.extra_cells(["1", "2", "x"], ["a", "b"]) and not csvfile.extra_cells(["1", "2", " "], ["a", "b"])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_rows_or_a_german_message(data):
    try:
        text = csvfile.decode(data, "x.csv")
    except DataError as exc:
        assert "Zeichenkodierung" in str(exc)
        return
    try:
        for line, row in csvfile.rows(text, csvfile.separator(text)):
            assert line >= 1 and all(isinstance(cell, str) for cell in row)
    except csvfile.CsvError as exc:
        assert exc.line >= 0
