"""Amounts: decimal strings with two decimals outside, integer cents inside. Never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

CENT = Decimal("0.01")
#: Largest amount accepted anywhere (10^13 cents = 100 billion units), well inside BIGINT.
MAX_CENTS = 10**13


class AmountError(ValueError):
    """An amount is not a valid decimal with at most two decimals."""


def parse_cents(
    value: str | int | Decimal, *, allow_zero: bool = False, allow_negative: bool = False
) -> int:
    """Parse ``"1250.00"`` (or ``"1250"``, ``"12.5"``) into 125000 cents, exactly."""
    if isinstance(value, (bool, float)):
        raise AmountError("amount must be a decimal string, not a float")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise AmountError(f"not a decimal amount: {value!r}") from None
    if not amount.is_finite():
        raise AmountError(f"not a decimal amount: {value!r}")
    if abs(amount) * 100 > MAX_CENTS:
        raise AmountError("amount too large")
    if amount != amount.quantize(CENT):
        raise AmountError(f"at most two decimals allowed: {value!r}")
    cents = int(amount * 100)
    if cents == 0 and not allow_zero:
        raise AmountError("amount must be positive")
    if cents < 0 and not allow_negative:
        raise AmountError("amount must be positive")
    if abs(cents) > MAX_CENTS:
        raise AmountError("amount too large")
    return cents


def format_cents(cents: int) -> str:
    """125000 -> ``"1250.00"``; -5 -> ``"-0.05"``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def convert(cents: int, rate: Decimal, *, a_to_b: bool) -> int:
    """Cents of one network's unit as cents of a linked network's, at a link's ``rate`` (units
    of its network *b* for one unit of its network *a*), rounded to the cent half away from zero
    (the commercial rounding of French invoices).

    The one rule of every service (the ledger's sagas, the invoices' frozen amounts, the
    listings' prices in the buyer's unit): the ledger refuses a frozen pair of amounts that this
    conversion does not give.
    """
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(cents) * rate if a_to_b else Decimal(cents) / rate
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_rate(rate: Decimal) -> str:
    """A decimal rate as the API writes it, without exponent or trailing zeros (``"1"``,
    ``"0.5"``, ``"20"``): a link's exchange rate, a commission or VAT rate."""
    return format(rate.normalize(), "f")
