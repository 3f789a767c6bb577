"""Payments without an invoice: requests and direct payments through the saga's states, the
network's setting, the waived validation, the ledger's answers; membership fees' due dates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from invoices.domain import ids
from invoices.domain.errors import DirectPaymentsOff, InvalidInvoice, InvalidTransition, SameParty
from invoices.domain.fees import FeeStatus, FeeTerms, MembershipFee, due_on, period_due
from invoices.domain.model import Party, PlaceHold, PostHold, VoidHold
from invoices.domain.payments import Payment, PaymentKind, PaymentStatus

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
PAYEE = Party(uuid.uuid4(), "agri-beauce", "EARL de la Plaine", "52345671000011")
PAYER = Party(uuid.uuid4(), "agri-beauce", "GAEC des Trois Chênes", "53456782000012")


def new(
    kind: PaymentKind = PaymentKind.REQUEST,
    amount: int = 12_000,
    threshold: int = 0,
    setting: str = "both",
) -> tuple[Payment, list[object]]:
    payment, change = Payment.new(
        id=uuid.uuid4(),
        kind=kind,
        network="agri-echange",
        direct_payments=setting,
        payer=PAYER,
        payee=PAYEE,
        amount=amount,
        description="  Paille,   2 tonnes ",
        unit_code="GRN",
        validation_threshold=threshold,
        now=NOW,
    )
    return payment, [*change.events, *change.commands]


def test_a_request_waits_for_the_payer_then_holds_once_accepted_twice() -> None:
    payment, facts = new()
    assert payment.status is PaymentStatus.REQUESTED and facts == ["requested"]
    assert payment.description == "Paille, 2 tonnes"
    change = payment.accept(NOW)
    assert payment.status is PaymentStatus.ACCEPTED
    assert change.commands == [
        PlaceHold(
            ids.hold_transfer_id(payment.id, 1),
            PAYER.member_id,
            PAYEE.member_id,
            12_000,
            "Demande de paiement : Paille, 2 tonnes",
        )
    ]
    again = payment.accept(NOW)
    assert again.replayed and not again.commands and payment.attempt == 1


def test_validation_posts_and_the_posting_settles() -> None:
    payment, _ = new()
    payment.accept(NOW)
    assert payment.transfer_id is not None
    with pytest.raises(InvalidTransition):
        payment.validate("animator", NOW)  # the ledger has not confirmed the hold yet
    assert payment.on_hold_confirmed(payment.transfer_id, NOW + timedelta(days=15), NOW).events == [
        "awaiting_validation"
    ]
    assert payment.validate("animator", NOW).commands == [PostHold(payment.transfer_id)]
    assert payment.validate("animator", NOW).replayed
    assert payment.on_posted(payment.transfer_id, NOW).events == ["settled"]
    assert payment.status is PaymentStatus.SETTLED
    assert payment.on_posted(payment.transfer_id, NOW).replayed


def test_below_the_threshold_the_confirmed_hold_is_posted_at_once() -> None:
    payment, _ = new(PaymentKind.DIRECT, amount=4_999, threshold=5_000)
    assert payment.validation_waived and payment.status is PaymentStatus.ACCEPTED
    assert payment.transfer_id is not None
    change = payment.on_hold_confirmed(payment.transfer_id, NOW, NOW)
    assert change.commands == [PostHold(payment.transfer_id)] and not change.events
    assert payment.status is PaymentStatus.VALIDATED and payment.validated_by is None
    at_threshold, _ = new(PaymentKind.DIRECT, amount=5_000, threshold=5_000)
    assert not at_threshold.validation_waived


def test_a_refused_hold_ends_a_direct_payment_and_returns_a_request_to_the_payer() -> None:
    direct, facts = new(PaymentKind.DIRECT)
    assert isinstance(facts[0], PlaceHold)
    assert direct.transfer_id is not None
    assert direct.on_hold_refused(direct.transfer_id, "insufficient_credit", "no", NOW).events == [
        "hold_refused"
    ]
    assert direct.status is PaymentStatus.REFUSED
    assert direct.refusal is not None and direct.refusal.code == "insufficient_credit"
    request, _ = new()
    request.accept(NOW)
    assert request.transfer_id is not None
    request.on_hold_refused(request.transfer_id, "insufficient_credit", "no", NOW)
    assert request.status is PaymentStatus.REQUESTED
    request.accept(NOW)
    assert request.attempt == 2 and request.transfer_id == ids.hold_transfer_id(request.id, 2)


def test_decline_and_reject() -> None:
    declined, _ = new()
    assert declined.decline("trop cher", NOW).events == ["declined"]
    assert declined.decline("trop cher", NOW).replayed
    with pytest.raises(InvalidTransition):
        declined.accept(NOW)
    rejected, _ = new(PaymentKind.DIRECT)
    assert rejected.transfer_id is not None
    change = rejected.reject("doublon", NOW)
    assert change.events == ["rejected"]
    assert change.commands == [VoidHold(rejected.transfer_id, "rejected by the animator: doublon")]
    # the confirmation arriving after the rejection releases the hold
    late = rejected.on_hold_confirmed(rejected.transfer_id, NOW, NOW)
    assert late.commands == [VoidHold(rejected.transfer_id, "the payment no longer needs it")]


def test_the_network_setting_and_the_inputs() -> None:
    with pytest.raises(DirectPaymentsOff):
        new(setting="off")
    with pytest.raises(DirectPaymentsOff):
        new(PaymentKind.DIRECT, setting="request")
    new(PaymentKind.REQUEST, setting="request")
    with pytest.raises(SameParty):
        Payment.new(
            id=uuid.uuid4(),
            kind=PaymentKind.DIRECT,
            network="n",
            direct_payments="both",
            payer=PAYER,
            payee=PAYER,
            amount=1,
            description="x",
            unit_code="GRN",
            validation_threshold=0,
            now=NOW,
        )
    with pytest.raises(InvalidInvoice) as blank:
        Payment.new(
            id=uuid.uuid4(),
            kind=PaymentKind.DIRECT,
            network="n",
            direct_payments="both",
            payer=PAYER,
            payee=PAYEE,
            amount=1,
            description="   ",
            unit_code="GRN",
            validation_threshold=0,
            now=NOW,
        )
    assert blank.value.field == "description"


# --- membership fees ------------------------------------------------------------------------------

UNIT_FEE = FeeTerms(amount=12_000, charged_in="unit", due="admission", grace_days=30)
EURO_FEE = FeeTerms(amount=9_000, charged_in="euro", due="01-31", grace_days=10)


def test_the_due_date_of_a_year() -> None:
    assert due_on(UNIT_FEE, 2026, date(2024, 3, 15)) == date(2026, 3, 15)
    assert due_on(UNIT_FEE, 2023, date(2024, 3, 15)) is None
    assert due_on(UNIT_FEE, 2027, date(2024, 2, 29)) == date(2027, 2, 28)
    assert due_on(EURO_FEE, 2026, date(2020, 6, 1)) == date(2026, 1, 31)
    # admitted after the date: due at admission
    assert due_on(EURO_FEE, 2026, date(2026, 6, 1)) == date(2026, 6, 1)
    assert period_due(UNIT_FEE, date(2024, 3, 15), date(2026, 3, 14)) is None
    assert period_due(UNIT_FEE, date(2024, 3, 15), date(2026, 3, 15)) == ("2026", date(2026, 3, 15))


def test_a_fee_is_named_by_its_member_and_period() -> None:
    member = uuid.uuid4()
    kwargs = {
        "network": "agri-echange",
        "tenant": "agri-beauce",
        "member_id": member,
        "member_name": "EARL",
        "period": "2026",
        "due": date(2026, 1, 31),
        "unit_code": "GRN",
        "now": NOW,
    }
    unit = MembershipFee.charge(terms=UNIT_FEE, **kwargs)  # type: ignore[arg-type]
    again = MembershipFee.charge(terms=UNIT_FEE, **kwargs)  # type: ignore[arg-type]
    assert unit.id == again.id == unit.transfer_id == ids.membership_fee_id(member, "2026")
    assert unit.key == f"fee:{member}:2026" and unit.status == FeeStatus.PENDING
    assert unit.on_transfer(FeeStatus.CHARGED) and not unit.on_transfer(FeeStatus.REFUSED)
    euro = MembershipFee.charge(terms=EURO_FEE, **kwargs)  # type: ignore[arg-type]
    assert euro.status == FeeStatus.DUE and euro.transfer_id is None
    assert not euro.is_overdue(date(2026, 2, 10), 10)
    assert euro.is_overdue(date(2026, 2, 11), 10)
    assert euro.mark_paid("animator", date(2026, 2, 12))
    assert not euro.mark_paid("animator", date(2026, 2, 13))
    assert euro.paid_on == date(2026, 2, 12) and not euro.is_overdue(date(2026, 3, 1), 10)
    with pytest.raises(InvalidTransition):
        unit.mark_paid("animator", date(2026, 2, 12))
