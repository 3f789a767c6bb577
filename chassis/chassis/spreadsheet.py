"""CSV cells a spreadsheet opens as text, never as a formula (OWASP "CSV injection").

Statements and exports carry members' free text (a transfer's reference, a company name). A
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice or Google Sheets as a formula (``=HYPERLINK(...)``, ``=cmd|...``). Such a cell is
written with a leading apostrophe, which spreadsheets display as text; plain numbers
(``-12.50``, a negative amount) are left as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Final, Protocol

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


def guard_cell(value: Any) -> Any:
    """``value``, prefixed with ``'`` when it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`guard_cell`."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer: _Writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([guard_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
