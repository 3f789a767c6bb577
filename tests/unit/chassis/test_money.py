"""Money parsing and formatting: exact, two decimals, never floats; the API's one spelling."""

from __future__ import annotations

from decimal import Decimal

import pytest
from marshmallow import ValidationError

from chassis.money import AmountError, convert, format_cents, parse_cents, to_decimal
from chassis.schemas import Amount


@pytest.mark.parametrize(
    "text, cents",
    [
        ("1250.00", 125_000),
        ("1250", 125_000),
        ("12.5", 1_250),
        ("0.01", 1),
        (" 7.10 ", 710),
        (3, 300),
        (Decimal("2.35"), 235),
    ],
)
def test_parses_exact_cents(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    "bad",
    ["1.001", "abc", "", "NaN", "Infinity", "1e400", 1.5, True, "0", "-1.00", "100000000000.01"],
)
def test_refuses_what_is_not_a_positive_two_decimal_amount(bad: object) -> None:
    with pytest.raises(AmountError):
        parse_cents(bad)  # type: ignore[arg-type]


def test_zero_and_negative_when_allowed() -> None:
    assert parse_cents("0", allow_zero=True) == 0
    assert parse_cents("-3.50", allow_negative=True) == -350


@pytest.mark.parametrize(
    "cents, text", [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (125_050, "1250.50"), (-100, "-1.00")]
)
def test_formats_like_the_api(cents: int, text: str) -> None:
    assert format_cents(cents) == text
    assert to_decimal(cents) == Decimal(text)


@pytest.mark.parametrize(
    "text",
    [
        "1e3",
        "1E2",
        "1.2e1",
        "1_000",
        "12.500",
        "1.005",
        "+5",
        ".5",
        "5.",
        "١٢",
        "１２",
        "0x10",
        "1,50",
        "12.5\n0",
    ],
)
def test_the_api_reads_amounts_in_one_spelling_only(text: str) -> None:
    """Decimal reads "1e3" as 1000 and "1_000" too; the API's amounts are digits, two decimals."""
    with pytest.raises(ValidationError):
        Amount().deserialize(text)
    assert Amount().deserialize(" 1250.50 ") == 125_050


@pytest.mark.parametrize(
    ("cents", "rate", "a_to_b", "expected"),
    [
        (15_000, "2", True, 30_000),
        (30_000, "2", False, 15_000),
        (1, "0.5", True, 1),  # 0.5 of a cent: half away from zero
        (3, "0.5", True, 2),  # 1.5 cents -> 2
        (1, "3", False, 0),  # a third of a cent rounds to nothing
        (10_000, "0.33333333", False, 30_000),
    ],
)
def test_a_links_rate_converts_to_the_cent_half_away_from_zero(
    cents: int, rate: str, a_to_b: bool, expected: int
) -> None:
    assert convert(cents, Decimal(rate), a_to_b=a_to_b) == expected
