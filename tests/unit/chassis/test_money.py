"""Money parsing and formatting: exact, two decimals, never floats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chassis.money import AmountError, format_cents, parse_cents, to_decimal


@pytest.mark.parametrize("text, cents", [
    ("1250.00", 125_000), ("1250", 125_000), ("12.5", 1_250), ("0.01", 1), (" 7.10 ", 710),
    (3, 300), (Decimal("2.35"), 235),
])
def test_parses_exact_cents(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize("bad", ["1.001", "abc", "", "NaN", "Infinity", "1e400", 1.5, True,
                                 "0", "-1.00", "100000000000.01"])
def test_refuses_what_is_not_a_positive_two_decimal_amount(bad: object) -> None:
    with pytest.raises(AmountError):
        parse_cents(bad)  # type: ignore[arg-type]


def test_zero_and_negative_when_allowed() -> None:
    assert parse_cents("0", allow_zero=True) == 0
    assert parse_cents("-3.50", allow_negative=True) == -350


@pytest.mark.parametrize("cents, text", [(0, "0.00"), (5, "0.05"), (-5, "-0.05"),
                                         (125_050, "1250.50"), (-100, "-1.00")])
def test_formats_like_the_api(cents: int, text: str) -> None:
    assert format_cents(cents) == text
    assert to_decimal(cents) == Decimal(text)
