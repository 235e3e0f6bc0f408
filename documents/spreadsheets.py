"""Text written into spreadsheets (xlsx, csv) by our exports. One home for the rule:
a cell that starts with = + - @ or a tab/carriage return is read by spreadsheet programs as
a formula (CSV/formula injection, OWASP), so such text is written with a leading
apostrophe, the spreadsheets' own mark for "this is text"; importing our own export
takes that mark off again."""
from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def spreadsheet_text_read(value: str) -> str:
    """The text as typed, from a cell written by `spreadsheet_text`."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value
