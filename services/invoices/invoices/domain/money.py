"""The money of an invoice (DESIGN.md §4): lines, totals, VAT breakdown, unit and euro parts.

Standard library only. Amounts are integer cents of euros; the unit part is the same number of
cents of the network's unit (1 unit = 1 EUR in every network so far; the conversion is the
network's business, never hard-coded here). Rounding is half-up to the cent, per line:

- line total excl. VAT = quantity × unit price, rounded;
- line VAT = line total excl. VAT × rate / 100, rounded;
- invoice totals = sums of the rounded line amounts, so the PDF, the XML and the API agree to
  the cent (EN 16931 BR-CO-10 exactly; BR-CO-17 within its tolerance, guaranteed by
  :data:`MAX_LINES`).

The unit part is the payment mode's share of the amount incl. VAT (VAT settled in the unit) or of
the amount excl. VAT (VAT settled in euros), rounded; the euro part is the rest of the amount
incl. VAT, paid outside the platform.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from chassis.money import format_rate
from invoices.domain.errors import (
    InvalidAmount,
    InvalidInvoice,
    InvalidQuantity,
    InvalidVatRate,
    PaymentModeNotAllowed,
)

#: The French VAT rates (percent): standard, intermediate, reduced, special; 0 for exemptions.
VAT_RATES: tuple[Decimal, ...] = (
    Decimal("0"),
    Decimal("2.1"),
    Decimal("5.5"),
    Decimal("10"),
    Decimal("20"),
)
PAYMENT_MODES: tuple[int, ...] = (100, 50)
VAT_SETTLEMENTS: tuple[str, ...] = ("unit", "euro")
#: Lines per invoice. Each rounded line VAT is off by at most half a cent, so 100 lines keep the
#: per-rate VAT within 0.50 EUR of rate × base: EN 16931 (BR-CO-17) tolerates 1.00.
MAX_LINES = 100
MAX_QUANTITY = Decimal("1000000")
QUANTITY_DECIMALS = 3
#: 10^11 cents: a billion euros, far inside BIGINT even times the quantity bound.
MAX_UNIT_PRICE = 10**11
MAX_TOTAL = 10**13

_ONE = Decimal(1)
#: How the API writes quantities and rates: ASCII digits and a decimal point. ``Decimal`` alone
#: would also read "1e3", "1_000" or "١٢" as numbers.
_DECIMAL_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")


def _spelled_as_digits(value: object) -> bool:
    return not isinstance(value, str) or _DECIMAL_TEXT.fullmatch(value.strip()) is not None


def round_cents(value: Decimal) -> int:
    """A decimal number of cents rounded half-up to a whole cent."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def parse_quantity(value: object, field: str = "quantity") -> Decimal:
    """A positive decimal quantity with at most three decimals (``"2"``, ``"1.5"``, ``"0.125"``)."""
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise InvalidQuantity('give the quantity as a decimal string, e.g. "1.5"', field=field)
    if not _spelled_as_digits(value):
        raise InvalidQuantity(f'write the quantity with digits, e.g. "1.5": {value!r}', field=field)
    try:
        quantity = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidQuantity(f"not a decimal quantity: {value!r}", field=field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise InvalidQuantity("the quantity must be positive", field=field)
    if quantity > MAX_QUANTITY:
        raise InvalidQuantity(f"the quantity must not exceed {MAX_QUANTITY}", field=field)
    exponent = quantity.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > QUANTITY_DECIMALS:
        raise InvalidQuantity(f"at most {QUANTITY_DECIMALS} decimals", field=field)
    return quantity.quantize(_ONE) if quantity == quantity.to_integral() else quantity.normalize()


def parse_vat_rate(value: object, field: str = "vat_rate") -> Decimal:
    """One of the French rates, as a canonical decimal (``"20.0"`` -> ``Decimal("20")``)."""
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise InvalidVatRate('give the VAT rate as a decimal string, e.g. "5.5"', field=field)
    if not _spelled_as_digits(value):
        raise InvalidVatRate(f'write the VAT rate with digits, e.g. "5.5": {value!r}', field=field)
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidVatRate(f"not a VAT rate: {value!r}", field=field) from None
    for known in VAT_RATES:
        if rate == known:
            return known
    allowed = ", ".join(format_rate(r) for r in VAT_RATES)
    raise InvalidVatRate(f"the VAT rate must be one of {allowed} (percent)", field=field)


def format_quantity(quantity: Decimal) -> str:
    """``Decimal("1.500")`` -> ``"1.5"``; ``Decimal("100")`` -> ``"100"``."""
    return format(quantity.normalize(), "f")


@dataclass(frozen=True, slots=True)
class Line:
    """One invoice line, with its rounded amounts."""

    description: str
    quantity: Decimal
    unit_price: int  # cents, excl. VAT
    vat_rate: Decimal
    total_excl_vat: int
    vat: int

    @classmethod
    def of(cls, description: str, quantity: Decimal, unit_price: int, vat_rate: Decimal) -> Line:
        if unit_price < 0 or unit_price > MAX_UNIT_PRICE:
            raise InvalidAmount(
                "the unit price must be between 0.00 and 1,000,000,000.00", field="unit_price"
            )
        net = round_cents(quantity * unit_price)
        vat = round_cents(Decimal(net) * vat_rate / 100)
        return cls(description, quantity, unit_price, vat_rate, net, vat)


@dataclass(frozen=True, slots=True)
class VatGroup:
    """The VAT breakdown of one rate (EN 16931 BG-23)."""

    rate: Decimal
    base: int
    vat: int


@dataclass(frozen=True, slots=True)
class Totals:
    total_excl_vat: int
    total_vat: int
    total_incl_vat: int
    breakdown: tuple[VatGroup, ...]


def totals_of(lines: Sequence[Line]) -> Totals:
    """Sum the rounded line amounts; the breakdown goes from the highest rate down."""
    if not lines:
        raise InvalidInvoice("an invoice needs at least one line", field="lines")
    if len(lines) > MAX_LINES:
        raise InvalidInvoice(f"an invoice has at most {MAX_LINES} lines", field="lines")
    groups: dict[Decimal, list[int]] = {}
    for line in lines:
        base_vat = groups.setdefault(line.vat_rate, [0, 0])
        base_vat[0] += line.total_excl_vat
        base_vat[1] += line.vat
    excl = sum(line.total_excl_vat for line in lines)
    vat = sum(line.vat for line in lines)
    if excl <= 0:
        raise InvalidAmount("the invoice total must be positive", field="lines")
    if excl + vat > MAX_TOTAL:
        raise InvalidAmount("the invoice total is too large", field="lines")
    breakdown = tuple(
        VatGroup(rate, base, tax) for rate, (base, tax) in sorted(groups.items(), reverse=True)
    )
    return Totals(excl, vat, excl + vat, breakdown)


@dataclass(frozen=True, slots=True)
class Parts:
    """Who pays what: the unit part moves on the ledger, the euro part is paid outside."""

    unit_part: int
    euro_part: int


def ensure_payment_mode(mode: int, allowed: Iterable[int]) -> int:
    allowed = tuple(allowed)
    if isinstance(mode, bool) or mode not in PAYMENT_MODES or mode not in allowed:
        modes = " or ".join(str(m) for m in allowed) or "none"
        raise PaymentModeNotAllowed(
            f"the network allows payment modes {modes} (percent)", field="payment_mode"
        )
    return mode


def parts_of(totals: Totals, payment_mode: int, vat_settlement: str) -> Parts:
    """The unit part (the mode's share of TTC, or of HT when VAT is settled in euros)."""
    if payment_mode not in PAYMENT_MODES:
        raise PaymentModeNotAllowed("the payment mode must be 100 or 50", field="payment_mode")
    if vat_settlement not in VAT_SETTLEMENTS:
        raise InvalidInvoice(f"unknown VAT settlement {vat_settlement!r}")
    base = totals.total_incl_vat if vat_settlement == "unit" else totals.total_excl_vat
    unit = round_cents(Decimal(base) * payment_mode / 100)
    return Parts(unit_part=unit, euro_part=totals.total_incl_vat - unit)


def commission_of(base: int, rate: Decimal) -> int:
    """The network's commission on ``base`` cents at ``rate`` percent, rounded half-up."""
    if rate < 0 or rate > 100:
        raise InvalidInvoice("a commission rate is between 0 and 100 percent")
    return round_cents(Decimal(base) * rate / 100)


def format_cents(cents: int) -> str:
    """125000 -> ``"1250.00"`` (the API's way)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def format_euros_fr(cents: int) -> str:
    """125000 -> ``"1 250,00"`` with narrow no-break spaces (how a French document writes it)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{frac:02d}"
