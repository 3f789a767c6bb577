"""CSV cells of members' free text are never formulas in a spreadsheet; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from chassis.spreadsheet import SafeWriter, guard_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "=1",
    ],
)
def test_formula_starts_are_written_as_text(text: str) -> None:
    assert guard_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["-12.50", "+3", "1250.00", "Reliure Saint-Jacques", "", 12, None, "a=b"]
)
def test_numbers_and_plain_text_are_left_as_they_are(value: object) -> None:
    assert guard_cell(value) == value


def test_the_writer_guards_every_cell() -> None:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["reference", "amount"])
    writer.writerows([["=1+1", "-4.00"], ["@x", "4.00"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["reference", "amount"], ["'=1+1", "-4.00"], ["'@x", "4.00"]]
