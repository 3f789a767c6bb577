"""The invoice's states: each transition only from its statuses, idempotent replays, the
ledger's answers, credit notes; and the deterministic ids the saga relies on."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from invoices.domain import ids
from invoices.domain.errors import InvalidTransition, MissingMention, SameParty
from invoices.domain.model import (
    Address,
    Invoice,
    MoveUnits,
    NetworkTerms,
    Party,
    PlaceHold,
    PostHold,
    Status,
    VoidHold,
)
from invoices.domain.money import Line

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
TERMS = NetworkTerms(
    slug="troc-actif",
    name="Troc Actif",
    unit_code="ACT",
    unit_name="Actif",
    unit_symbol="Ⓐ",
    payment_modes=(100, 50),
    vat_settlement="unit",
    commission_rate=Decimal("5"),
    commission_charged_in="unit",
    hold_expiry_days=30,
    buyer_acceptance_required=True,
)
HERE = Address("12 rue de la Roquette", "75011", "Paris")


def party(tenant: str = "pie", vat: str | None = "FR12812345671") -> Party:
    return Party(uuid.uuid4(), tenant, "Atelier", "81234567100015", vat, HERE)


def draft(terms: NetworkTerms = TERMS, **kwargs: object) -> Invoice:
    seller, buyer = party(), party("fa-mgp")
    return Invoice.draft(
        id=uuid.uuid4(),
        terms=terms,
        seller=seller,
        buyer=buyer,
        lines=[Line.of("Logo", Decimal(1), 45000, Decimal(20))],
        payment_mode=100,
        delivery_date=date(2026, 11, 20),
        now=NOW,
        **kwargs,
    )  # type: ignore[arg-type]


def issued(terms: NetworkTerms = TERMS) -> Invoice:
    invoice = draft(terms)
    invoice.issue(
        number="F2026-000001",
        issue_date=date(2026, 11, 26),
        now=NOW,
        seller=invoice.seller,
        buyer=invoice.buyer,
        terms=terms,
    )
    return invoice


class TestIssue:
    def test_issue_numbers_and_freezes(self) -> None:
        invoice = issued()
        assert (invoice.status, invoice.number) == (Status.ISSUED, "F2026-000001")
        again = invoice.issue(
            number="F2026-000002",
            issue_date=date(2026, 11, 27),
            now=NOW,
            seller=invoice.seller,
            buyer=invoice.buyer,
            terms=TERMS,
        )
        assert again.replayed and invoice.number == "F2026-000001"

    def test_without_acceptance_issuing_asks_for_the_hold(self) -> None:
        terms = replace(TERMS, buyer_acceptance_required=False)
        invoice = draft(terms)
        change = invoice.issue(
            number="F2026-000001",
            issue_date=date(2026, 11, 26),
            now=NOW,
            seller=invoice.seller,
            buyer=invoice.buyer,
            terms=terms,
        )
        assert change.events == ["issued", "accepted"]
        [hold] = change.commands
        assert isinstance(hold, PlaceHold) and hold.amount == 54000
        assert hold.transfer_id == ids.hold_transfer_id(invoice.id, 1)

    def test_mandatory_mentions(self) -> None:
        invoice = draft()
        invoice.seller = replace(invoice.seller, address=None)  # the directory had none
        with pytest.raises(MissingMention):
            invoice.issue(
                number="F2026-000001",
                issue_date=date(2026, 11, 26),
                now=NOW,
                seller=replace(invoice.seller, address=None),
                buyer=invoice.buyer,
                terms=TERMS,
            )

    def test_a_seller_cannot_invoice_itself(self) -> None:
        seller = party()
        with pytest.raises(SameParty):
            Invoice.draft(
                id=uuid.uuid4(),
                terms=TERMS,
                seller=seller,
                buyer=seller,
                lines=[Line.of("x", Decimal(1), 100, Decimal(0))],
                payment_mode=100,
                delivery_date=date(2026, 11, 1),
                now=NOW,
            )


class TestSaga:
    def test_the_happy_path(self) -> None:
        invoice = issued()
        [hold] = invoice.accept(NOW).commands
        assert isinstance(hold, PlaceHold)
        assert invoice.accept(NOW).replayed
        with pytest.raises(InvalidTransition):
            invoice.validate("animator", NOW)
        assert invoice.on_hold_confirmed(
            hold.transfer_id, NOW + timedelta(days=30), NOW
        ).events == ["awaiting_validation"]
        assert invoice.on_hold_confirmed(hold.transfer_id, NOW, NOW).replayed
        [post] = invoice.validate("animator", NOW).commands
        assert post == PostHold(hold.transfer_id)
        assert invoice.validate("animator", NOW).replayed
        with pytest.raises(InvalidTransition):
            invoice.dispute("too late", NOW)
        assert invoice.on_posted(hold.transfer_id, NOW).events == ["settled"]
        assert invoice.on_posted(hold.transfer_id, NOW).replayed
        commission = invoice.commission()
        assert commission is not None and commission.amount == 2250  # 5 % of 450.00

    def test_refusal_then_a_new_attempt(self) -> None:
        invoice = issued()
        first = invoice.accept(NOW).commands[0]
        assert isinstance(first, PlaceHold)
        assert invoice.on_hold_refused(
            first.transfer_id, "insufficient_credit", "no", NOW
        ).events == ["hold_refused"]
        assert invoice.status is Status.ISSUED and invoice.refusal is not None
        second = invoice.accept(NOW).commands[0]
        assert isinstance(second, PlaceHold) and second.transfer_id != first.transfer_id
        # The first attempt's hold confirmed late is released.
        [void] = invoice.on_hold_confirmed(first.transfer_id, NOW, NOW).commands
        assert void == VoidHold(first.transfer_id, "the invoice no longer needs it")

    def test_expiry_and_voids_at_the_ledger(self) -> None:
        invoice = issued()
        hold = invoice.accept(NOW).commands[0]
        assert isinstance(hold, PlaceHold)
        invoice.on_hold_confirmed(hold.transfer_id, NOW, NOW)
        assert invoice.on_hold_voided(hold.transfer_id, "expired", NOW).events == ["expired"]
        other = issued()
        hold = other.accept(NOW).commands[0]
        assert isinstance(hold, PlaceHold)
        assert other.on_hold_voided(hold.transfer_id, "by hand", NOW).events == ["rejected"]

    def test_dispute_and_reject_release_the_hold(self) -> None:
        invoice = issued()
        hold = invoice.accept(NOW).commands[0]
        assert isinstance(hold, PlaceHold)
        change = invoice.dispute("pas livré", NOW)
        assert change.commands == [VoidHold(hold.transfer_id, "disputed by the buyer: pas livré")]
        assert invoice.dispute("again", NOW).replayed
        fresh = issued()
        assert fresh.reject("doublon", NOW).commands == []  # no hold yet: nothing to void

    def test_credit_note_of_a_settled_invoice_pays_the_unit_part_back(self) -> None:
        invoice = issued()
        hold = invoice.accept(NOW).commands[0]
        assert isinstance(hold, PlaceHold)
        invoice.on_hold_confirmed(hold.transfer_id, NOW, NOW)
        invoice.validate("a", NOW)
        with pytest.raises(InvalidTransition):
            invoice.cancel("posting", NOW)
        invoice.on_posted(hold.transfer_id, NOW)
        change = invoice.cancel("erreur", NOW)
        assert change.events == ["credit_note_issued", "cancelled"]
        note = invoice.credit_note(number="A2026-000001", issue_date=date(2026, 11, 27), now=NOW)
        assert note.id == ids.credit_note_id(invoice.id)
        [reversal] = invoice.reverse(note).commands
        assert isinstance(reversal, MoveUnits)
        assert (reversal.payer, reversal.payee, reversal.amount, reversal.kind) == (
            invoice.seller.member_id,
            invoice.buyer.member_id,
            54000,
            "reversal",
        )
        assert invoice.reverse(note).replayed
        assert invoice.cancel("again", NOW).replayed


def test_the_fee_account_rule_is_the_ledgers() -> None:
    from ledger.domain import fees_account_id

    assert ids.fees_account_id("troc-actif") == fees_account_id("troc-actif")


def test_numbers() -> None:
    assert ids.invoice_number("F", 2026, 42) == "F2026-000042"
    assert ids.invoice_number("A", 2027, 1234567) == "A2027-1234567"
