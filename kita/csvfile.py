"""CSV files as spreadsheet programs save them, read one way for the start data (geo.layers) and for uploads
(datastore.uploads): the encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252), the separator
(``;`` of a German Excel, ``,``, tab) and the rows, with the file's own line numbers. Problems are raised as
:class:`CsvError` with what the caller needs for its German message – never a parser's English text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kita.errors import DataError
from kita.i18n import Message

SEPARATORS = (";", ",", "\t")


class CsvError(Exception):
    """A CSV the reader cannot split into rows: ``line`` (as in the file), ``field_too_long`` when a cell is
    longer than :data:`FIELD_LIMIT`."""

    def __init__(self, line: int, field_too_long: bool):
        super().__init__(f"line {line}")
        self.line, self.field_too_long = line, field_too_long


FIELD_LIMIT = csv.field_size_limit()


def decode(content: bytes, source: str | Message) -> str:
    """The text of a CSV file: UTF-16 with BOM ("Unicode-Text"), UTF-8 with or without BOM ("CSV UTF-8"), else
    Windows-1252 ("CSV (Trennzeichen-getrennt)" of a German Excel); the BOM is not part of the text."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-Text"
        try:
            return content.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DataError(Message("file_unknown_encoding", quelle=source)) from exc


def separator(text: str) -> str:
    """The separator of the first non-empty line (the header): the most frequent of ``;``, ``,`` and tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(SEPARATORS, key=first.count)


def rows(text: str, sep: str) -> Iterator[tuple[int, list[str]]]:
    """(line number in the file, cells) of every row, empty ones too (see :func:`blank`); CsvError where the
    text cannot be split (e.g. a cell longer than the field limit)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise CsvError(reader.line_num, "field larger than field limit" in str(exc)) from exc


def blank(row: list[str]) -> bool:
    """True for a row without content (an empty line, or separators only)."""
    return not any(cell.strip() for cell in row)


def extra_cells(row: list[str], header: list[str]) -> bool:
    """True when ``row`` has filled cells beyond the header's columns (empty trailing cells are fine)."""
    return len(row) > len(header) and any(cell.strip() for cell in row[len(header):])
