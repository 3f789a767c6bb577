"""The money rules of an invoice (DESIGN.md §4): per-line half-up rounding, totals, VAT
breakdown, the unit and euro parts for each payment mode and VAT setting, the commission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoices.domain.errors import (
    InvalidAmount,
    InvalidInvoice,
    InvalidQuantity,
    InvalidVatRate,
    PaymentModeNotAllowed,
)
from invoices.domain.money import (
    VAT_RATES,
    Line,
    commission_of,
    ensure_payment_mode,
    format_euros_fr,
    parse_quantity,
    parse_vat_rate,
    parts_of,
    round_cents,
    totals_of,
)


def line(quantity: str, price: int, rate: str) -> Line:
    return Line.of("x", parse_quantity(quantity), price, parse_vat_rate(rate))


class TestRounding:
    def test_half_a_cent_rounds_up(self) -> None:
        assert round_cents(Decimal("0.5")) == 1
        assert round_cents(Decimal("1.49")) == 1
        assert round_cents(Decimal("2.5")) == 3  # half-up, not banker's rounding

    def test_a_line_is_rounded_before_its_vat(self) -> None:
        flyers = line("2.5", 3333, "5.5")  # 83.325 -> 83.33; VAT 4.58315 -> 4.58
        assert (flyers.total_excl_vat, flyers.vat) == (8333, 458)
        assert line("3", 1, "20").vat == 1  # 0.03 x 20 % = 0.006 -> 0.01
        assert line("1", 5, "10").vat == 1  # 0.005 -> 0.01 (half-up)

    def test_totals_are_sums_of_rounded_lines_with_a_breakdown_per_rate(self) -> None:
        totals = totals_of(
            [line("1", 45000, "20"), line("2.5", 3333, "5.5"), line("1", 1000, "20")]
        )
        assert (totals.total_excl_vat, totals.total_vat, totals.total_incl_vat) == (
            54333,
            9658,
            63991,
        )
        assert [(g.rate, g.base, g.vat) for g in totals.breakdown] == [
            (Decimal("20"), 46000, 9200),
            (Decimal("5.5"), 8333, 458),
        ]

    @given(
        st.lists(
            st.tuples(st.integers(1, 5000), st.integers(0, 10**7), st.sampled_from(VAT_RATES)),
            min_size=1,
            max_size=100,
        )
    )
    def test_per_rate_vat_stays_within_en16931_tolerance(
        self, raw: list[tuple[int, int, Decimal]]
    ) -> None:
        lines = [Line.of("x", Decimal(q) / 1000, p, r) for q, p, r in raw]
        if sum(li.total_excl_vat for li in lines) <= 0:
            return
        totals = totals_of(lines)
        assert totals.total_incl_vat == totals.total_excl_vat + totals.total_vat
        for group in totals.breakdown:
            exact = Decimal(group.base) * group.rate / 100
            assert abs(group.vat - exact) <= 50  # half a cent per line, 100 lines: 0.50


class TestParts:
    @pytest.mark.parametrize(
        "mode, settlement, unit, euro",
        [
            (100, "unit", 62791, 0),  # everything in the unit
            (50, "unit", 31396, 31395),  # half of 627.91 = 313.955 -> 313.96
            (100, "euro", 53333, 9458),  # the unit pays excl. VAT, the VAT is paid in euros
            (50, "euro", 26667, 36124),  # half of 533.33 = 266.665 -> 266.67
        ],
    )
    def test_unit_and_euro_parts(self, mode: int, settlement: str, unit: int, euro: int) -> None:
        totals = totals_of([line("1", 45000, "20"), line("2.5", 3333, "5.5")])
        parts = parts_of(totals, mode, settlement)
        assert (parts.unit_part, parts.euro_part) == (unit, euro)
        assert parts.unit_part + parts.euro_part == totals.total_incl_vat

    def test_only_the_networks_modes_are_allowed(self) -> None:
        assert ensure_payment_mode(50, (100, 50)) == 50
        with pytest.raises(PaymentModeNotAllowed):
            ensure_payment_mode(50, (100,))
        with pytest.raises(PaymentModeNotAllowed):
            ensure_payment_mode(30, (100, 50, 30))

    def test_commission_is_rounded_half_up(self) -> None:
        assert commission_of(53333, Decimal("5")) == 2667  # 26.6665
        assert commission_of(10, Decimal("5")) == 1  # 0.005 -> 0.01
        with pytest.raises(InvalidInvoice):
            commission_of(100, Decimal("101"))


class TestParsing:
    @pytest.mark.parametrize(
        "raw, rate",
        [("20", "20"), ("20.0", "20"), ("5.50", "5.5"), ("2.1", "2.1"), ("0", "0"), (10, "10")],
    )
    def test_french_rates_only(self, raw: object, rate: str) -> None:
        assert parse_vat_rate(raw) == Decimal(rate)

    @pytest.mark.parametrize(
        "raw", ["19.6", "7", "-5", "abc", 5.5, True, None, "1e1", "2E1", "1_0", "２０", "+20"]
    )
    def test_other_rates_are_refused(self, raw: object) -> None:
        with pytest.raises(InvalidVatRate):
            parse_vat_rate(raw)

    def test_quantities_are_positive_decimals_with_three_decimals_at_most(self) -> None:
        assert parse_quantity("1.500") == Decimal("1.5")
        assert str(parse_quantity("100")) == "100"
        for bad in ("0", "-1", "1.2345", "x", 1.5, "1e10", "1e3", "1E2", "1_000", "１", "+1", ".5"):
            with pytest.raises(InvalidQuantity):
                parse_quantity(bad)

    def test_an_invoice_has_lines_and_a_positive_total(self) -> None:
        with pytest.raises(InvalidInvoice):
            totals_of([])
        with pytest.raises(InvalidAmount):
            totals_of([line("1", 0, "20")])
        with pytest.raises(InvalidInvoice):
            totals_of([line("1", 100, "20")] * 101)

    def test_french_amounts(self) -> None:
        assert format_euros_fr(125000) == "1\u202f250,00"
        assert format_euros_fr(5) == "0,05"
