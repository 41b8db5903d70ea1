"""CSV cells a spreadsheet will not run as a formula (issue #12). No Qt.

A name, team, comment or reason typed at a station ends up in CSV exports; Excel, LibreOffice and
Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or line break
before one) as a formula, which can fetch URLs or run commands. Text cells that start with one of
these (after any spaces) get a leading apostrophe, the spreadsheet convention for "this is text";
numbers stay numbers, so a negative score is still -1.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """``value`` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
