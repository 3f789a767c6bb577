"""Trade between networks, its domain: conversion and rounding, links, the saga's states."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.federation import (
    HOLD_MARGIN,
    AmountTooSmall,
    InvalidConversion,
    InvalidRate,
    InvalidSagaStep,
    Link,
    LinkStatus,
    LinkSuspended,
    NotLinked,
    Saga,
    SagaState,
    Step,
    clearing_account_id,
    conversion_matches,
    convert,
    expected_clearing,
    format_rate,
    mirror_problems,
    parse_rate,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def link(rate: str = "1", **changes: object) -> Link:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "network_a": "troc-actif",
        "network_b": "agri-echange",
        "rate": parse_rate(rate),
        "limit_a": 100_000,
        "limit_b": 50_000,
    }
    values.update(changes)
    return Link(**values)  # type: ignore[arg-type]


def saga(the_link: Link, amount: int = 10_000, payer_network: str = "troc-actif") -> Saga:
    return Saga.start(
        id=uuid.uuid4(),
        link=the_link,
        payer_network=payer_network,
        payer=uuid.uuid4(),
        payee=uuid.uuid4(),
        amount=amount,
        reference="test",
        now=NOW,
        ttl=timedelta(days=30),
    )


class TestConversion:
    def test_one_to_one_keeps_the_amount(self) -> None:
        assert convert(12_345, Decimal(1), a_to_b=True) == 12_345
        assert convert(12_345, Decimal(1), a_to_b=False) == 12_345

    def test_rounds_to_the_nearest_cent_halves_away_from_zero(self) -> None:
        # 1.25 units of a at 0.5 -> 0.625 of b -> 0.63 (half up)
        assert convert(125, Decimal("0.5"), a_to_b=True) == 63
        # 1.24 at 0.5 -> 0.62 exactly
        assert convert(124, Decimal("0.5"), a_to_b=True) == 62
        # 0.01 at 0.3 -> 0.003 -> 0.00
        assert convert(1, Decimal("0.3"), a_to_b=True) == 0

    def test_from_b_to_a_divides_by_the_rate(self) -> None:
        # 1.00 of b at 3 b per a -> 0.3333 of a -> 0.33
        assert convert(100, Decimal(3), a_to_b=False) == 33
        assert convert(200, Decimal(3), a_to_b=False) == 67

    @given(
        st.integers(min_value=1, max_value=10**12),
        st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(1000), places=4),
    )
    def test_conversion_is_within_half_a_cent_of_the_exact_value(
        self, amount: int, rate: Decimal
    ) -> None:
        assert abs(Decimal(convert(amount, rate, a_to_b=True)) - amount * rate) <= Decimal("0.5")

    def test_rates_are_positive_decimals_with_at_most_eight_places(self) -> None:
        assert parse_rate("1") == Decimal(1)
        assert parse_rate("0.12345678") == Decimal("0.12345678")
        assert format_rate(parse_rate("1.50")) == "1.5"
        assert format_rate(parse_rate("2")) == "2"
        for bad in ("0", "-1", "abc", "0.123456789", "NaN", "Infinity", "10000001"):
            with pytest.raises(InvalidRate):
                parse_rate(bad)


class TestLink:
    def test_clearing_accounts_are_one_per_network_and_partner(self) -> None:
        assert clearing_account_id("a", "b") == clearing_account_id("a", "b")
        assert clearing_account_id("a", "b") != clearing_account_id("b", "a")

    def test_partner_and_limit_of_each_side(self) -> None:
        the_link = link()
        assert the_link.partner_of("troc-actif") == "agri-echange"
        assert the_link.partner_of("agri-echange") == "troc-actif"
        assert the_link.limit_of("agri-echange") == 50_000
        with pytest.raises(NotLinked):
            the_link.partner_of("elsewhere")

    def test_a_suspended_link_starts_no_saga(self) -> None:
        with pytest.raises(LinkSuspended):
            saga(link(status=LinkStatus.SUSPENDED))

    def test_a_saga_whose_converted_amount_rounds_to_zero_is_refused(self) -> None:
        with pytest.raises(AmountTooSmall):
            saga(link("0.3"), amount=1)


class TestSagaStates:
    def test_the_happy_path_holds_both_sides_then_posts_both(self) -> None:
        s = saga(link("0.5"), amount=1_001)
        assert s.converted_amount == 501  # 5.005 -> 5.01
        assert s.next_step is Step.HOLD_PAYER
        s = s.held(Step.HOLD_PAYER, NOW)
        assert (s.state, s.next_step) == (SagaState.PAYER_HELD, Step.HOLD_PAYEE)
        s = s.held(Step.HOLD_PAYEE, NOW)
        assert (s.state, s.next_step) == (SagaState.POSTING, Step.POST_PAYER)
        s = s.posted(Step.POST_PAYER, NOW)
        assert s.next_step is Step.POST_PAYEE
        s = s.posted(Step.POST_PAYEE, NOW)
        assert s.state is SagaState.POSTED and s.terminal and s.next_step is None

    def test_a_refusal_on_the_payer_side_ends_it_with_nothing_held(self) -> None:
        s = saga(link()).refused(Step.HOLD_PAYER, "insufficient_credit", "no credit", NOW)
        assert s.state is SagaState.REFUSED and s.terminal
        assert s.refusal_code == "insufficient_credit"

    def test_a_refusal_on_the_payee_side_voids_both(self) -> None:
        s = saga(link()).held(Step.HOLD_PAYER, NOW)
        s = s.refused(Step.HOLD_PAYEE, "insufficient_credit", "clearing limit", NOW)
        assert (s.state, s.next_step) == (SagaState.VOIDING, Step.VOID_BOTH)
        assert s.voided(NOW).state is SagaState.VOIDED

    def test_the_deadline_voids_an_undecided_saga_only(self) -> None:
        late = NOW + timedelta(days=31)
        started = saga(link())
        assert started.expire(NOW) is started
        assert started.expire(late).state is SagaState.VOIDING
        assert started.expire(late).refusal_code == "expired"
        held = started.held(Step.HOLD_PAYER, NOW)
        assert held.expire(late).state is SagaState.VOIDING
        decided = held.held(Step.HOLD_PAYEE, NOW)
        assert decided.expire(late) is decided

    def test_holds_outlive_the_deadline(self) -> None:
        s = saga(link())
        assert s.hold_expiry == s.deadline + HOLD_MARGIN

    def test_a_step_out_of_turn_is_refused(self) -> None:
        s = saga(link())
        with pytest.raises(InvalidSagaStep):
            s.held(Step.HOLD_PAYEE, NOW)
        with pytest.raises(InvalidSagaStep):
            s.posted(Step.POST_PAYER, NOW)
        with pytest.raises(InvalidSagaStep):
            s.voided(NOW)

    def test_transfer_ids_are_derived_from_the_saga(self) -> None:
        s = saga(link())
        assert s.payer_transfer_id != s.payee_transfer_id
        assert s.payer_transfer_id == uuid.uuid5(s.id, "payer")
        assert s.payer_clearing == clearing_account_id("troc-actif", "agri-echange")
        assert s.payee_clearing == clearing_account_id("agri-echange", "troc-actif")


class TestMirror:
    def test_posted_sagas_both_ways_make_the_expected_clearing_balances(self) -> None:
        the_link = link("2")
        out = saga(the_link, amount=1_000)  # a pays 10.00, b's payee gets 20.00
        back = saga(the_link, amount=500, payer_network="agri-echange")  # b pays 5.00 -> 2.50
        done = [
            s.held(Step.HOLD_PAYER, NOW)
            .held(Step.HOLD_PAYEE, NOW)
            .posted(Step.POST_PAYER, NOW)
            .posted(Step.POST_PAYEE, NOW)
            for s in (out, back)
        ]
        voided = saga(the_link, amount=99_999)
        position = expected_clearing(the_link, [*done, voided])
        assert (position.balance_a, position.balance_b) == (1_000 - 250, 500 - 2_000)
        assert mirror_problems(the_link, done, 750, -1_500) == []
        problems = mirror_problems(the_link, done, 750, -1_499)
        assert len(problems) == 1 and "agri-echange" in problems[0]


def frozen(
    the_link: Link,
    amount: int,
    rate: object,
    converted: int | None,
    payer_network: str = "troc-actif",
) -> Saga:
    return Saga.start(
        id=uuid.uuid4(),
        link=the_link,
        payer_network=payer_network,
        payer=uuid.uuid4(),
        payee=uuid.uuid4(),
        amount=amount,
        reference="invoice",
        now=NOW,
        ttl=timedelta(days=30),
        requested_by="invoices",
        rate=rate,  # type: ignore[arg-type]
        converted_amount=converted,
    )


class TestConversionPredicate:
    def test_the_conversion_of_the_amount_matches(self) -> None:
        # 1.00 of a at 3 b per a is 3.00 of b; b to a: 3.00 of b is 1.00 of a
        assert conversion_matches(100, 300, Decimal(3), a_to_b=True)
        assert conversion_matches(300, 100, Decimal(3), a_to_b=False)

    def test_the_amount_as_the_conversion_back_matches(self) -> None:
        # a seller's invoice fixes 1.00 of b; the payer of a pays 0.33 (1/3 rounded), whose
        # conversion is 0.99: only the conversion back holds, and it is enough
        assert convert(33, Decimal(3), a_to_b=True) == 99
        assert conversion_matches(33, 100, Decimal(3), a_to_b=True)
        assert not conversion_matches(33, 100, Decimal(3), a_to_b=False)

    def test_amounts_off_by_more_than_the_rounding_do_not_match(self) -> None:
        assert not conversion_matches(100, 302, Decimal(3), a_to_b=True)
        assert not conversion_matches(100, 50, Decimal("0.5"), a_to_b=False)
        assert not conversion_matches(100, 101, Decimal(1), a_to_b=True)

    @given(
        amount=st.integers(min_value=1, max_value=10**9),
        rate=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=4),
        a_to_b=st.booleans(),
    )
    def test_each_side_fixing_its_amount_always_matches(
        self, amount: int, rate: Decimal, a_to_b: bool
    ) -> None:
        converted = convert(amount, rate, a_to_b=a_to_b)
        assert conversion_matches(amount, converted, rate, a_to_b=a_to_b)
        back = convert(amount, rate, a_to_b=not a_to_b)  # ``amount`` fixed on the payee side
        assert conversion_matches(back, amount, rate, a_to_b=a_to_b)


class TestFrozenRate:
    def test_the_saga_moves_the_frozen_amounts_not_the_links_rate(self) -> None:
        the_link = link("2")
        started = frozen(the_link, 1_000, Decimal("1.5"), 1_500)
        assert (started.rate, started.amount, started.converted_amount) == (
            Decimal("1.5"),
            1_000,
            1_500,
        )
        assert started.requested_by == "invoices"

    def test_the_payees_amount_fixed_by_an_invoice_is_accepted(self) -> None:
        # from a to b, 1.00 of b fixed costs 0.33 of a (whose conversion is 0.99); from b to a,
        # 1.00 of a fixed costs 3.00 of b
        started = frozen(link("3"), 33, "3", 100)
        assert (started.amount, started.converted_amount) == (33, 100)
        back = frozen(link("3"), 300, "3", 100, payer_network="agri-echange")
        assert (back.amount, back.converted_amount) == (300, 100)

    def test_a_rate_without_its_amount_or_an_amount_without_its_rate_is_refused(self) -> None:
        with pytest.raises(InvalidConversion, match="both"):
            frozen(link(), 1_000, Decimal(1), None)
        with pytest.raises(InvalidConversion, match="both"):
            frozen(link(), 1_000, None, 1_000)

    def test_amounts_that_do_not_go_together_are_refused(self) -> None:
        with pytest.raises(InvalidConversion) as refused:
            frozen(link("3"), 100, Decimal(3), 302)
        assert refused.value.code == "invalid_conversion"

    def test_a_rate_that_is_no_rate_is_refused(self) -> None:
        for bad in ("0", "-1", "abc", "0.123456789"):
            with pytest.raises(InvalidRate):
                frozen(link(), 100, bad, 100)

    def test_amounts_are_positive(self) -> None:
        with pytest.raises(AmountTooSmall):
            frozen(link(), 100, Decimal(1), 0)
        with pytest.raises(AmountTooSmall):
            frozen(link(), 0, Decimal(1), 0)

    def test_a_suspended_link_refuses_a_frozen_rate_too(self) -> None:
        with pytest.raises(LinkSuspended):
            frozen(link(status=LinkStatus.SUSPENDED), 1_000, Decimal(1), 1_000)

    def test_the_mirror_accepts_the_conversion_back_and_flags_a_mismatch(self) -> None:
        the_link = link("3")
        started = frozen(the_link, 33, Decimal(3), 100)
        done = (
            started.held(Step.HOLD_PAYER, NOW)
            .held(Step.HOLD_PAYEE, NOW)
            .posted(Step.POST_PAYER, NOW)
            .posted(Step.POST_PAYEE, NOW)
        )
        assert mirror_problems(the_link, [done], 33, -100) == []
        broken = dataclasses.replace(done, converted_amount=102)
        problems = mirror_problems(the_link, [broken], 33, -102)
        assert len(problems) == 1 and "converted 102" in problems[0]


class TestSettings:
    def test_network_databases_from_json_or_pairs(self) -> None:
        from ledger.settings import parse_network_databases

        url = "postgresql+psycopg://db/troc_ledger_agri"
        assert parse_network_databases("") == {}
        assert parse_network_databases(f'{{"agri-echange": "{url}"}}') == {"agri-echange": url}
        assert parse_network_databases(f"agri-echange={url} x=sqlite:///x.db") == {
            "agri-echange": url,
            "x": "sqlite:///x.db",
        }
        for bad in ("agri-echange", "=url", '{"a": 1}', "[1]"):
            with pytest.raises(ValueError, match="TROC_LEDGER_NETWORK_DATABASES"):
                parse_network_databases(bad)
