"""Payments without an invoice between two linked networks: the amount in the writer's unit and
the other side converted at the rate frozen at creation, no hold before validation, the ledger's
saga started with both frozen amounts, and its end settling or refusing the payment."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from invoices.domain import ids
from invoices.domain.errors import DirectPaymentsOff, InvalidInvoice, InvalidTransition
from invoices.domain.federation import Link, OtherNetwork, other_network
from invoices.domain.model import Party, StartSaga
from invoices.domain.payments import Payment, PaymentKind, PaymentStatus
from tests.unit.invoices.test_payments import NOW

#: 1 ACT (troc-actif, network_a) = 2 GRN (agri-echange, network_b).
LINK = Link(uuid.uuid4(), "troc-actif", "agri-echange", Decimal("2"))
FARMER = Party(uuid.uuid4(), "agri-beauce", "EARL de la Plaine", "52345671000011")
DESIGNER = Party(uuid.uuid4(), "pie", "Atelier Lumière Design", "81234567100015")
GRN = ("GRN", "Grain", "G")
ACT = ("ACT", "Actif", "Ⓐ")


def side(own: str, other: str, unit: tuple[str, str, str], link: Link = LINK):
    def make(amount: int) -> OtherNetwork:
        return other_network(link, own_network=own, other_network=other, unit=unit, amount=amount)

    return make


def direct(
    amount: int = 10_000, threshold: int = 0, partner_setting: str = "both"
) -> tuple[Payment, list[object]]:
    """A Troc Actif member pays an Agri-échange member ``amount`` ACT cents."""
    payment, change = Payment.new(
        id=uuid.uuid4(),
        kind=PaymentKind.DIRECT,
        network="troc-actif",
        direct_payments="both",
        payer=DESIGNER,
        payee=FARMER,
        amount=amount,
        description="Location d'une moissonneuse",
        unit_code="ACT",
        validation_threshold=threshold,
        now=NOW,
        other_network=side("troc-actif", "agri-echange", GRN),
        partner_direct_payments=partner_setting,
    )
    return payment, [*change.events, *change.commands]


def request(amount: int = 30_000) -> Payment:
    """An Agri-échange member asks a Troc Actif member for ``amount`` GRN cents."""
    payment, change = Payment.new(
        id=uuid.uuid4(),
        kind=PaymentKind.REQUEST,
        network="agri-echange",
        direct_payments="both",
        payer=DESIGNER,
        payee=FARMER,
        amount=amount,
        description="Paille, 2 tonnes",
        unit_code="GRN",
        validation_threshold=0,
        now=NOW,
        other_network=side("agri-echange", "troc-actif", ACT),
        partner_direct_payments="request",
    )
    assert change.events == ["requested"] and not change.commands
    return payment


class TestBothSides:
    def test_a_direct_payment_is_in_the_payers_unit_and_shows_the_payees(self) -> None:
        payment, facts = direct(10_000)
        assert payment.federation is not None
        assert (payment.payer_network, payment.payee_network) == ("troc-actif", "agri-echange")
        assert (payment.payer_amount, payment.payee_amount) == (10_000, 20_000)
        assert (payment.federation.exchange_rate, payment.federation.unit) == (Decimal(2), "GRN")
        # Nothing is held at creation: it awaits the payee's animators at once.
        assert facts == ["awaiting_validation"]
        assert payment.status is PaymentStatus.AWAITING_VALIDATION
        assert payment.transfer_id == ids.federated_transfer_id(payment.id, 1)

    def test_a_request_is_in_the_payees_unit_and_shows_the_payers(self) -> None:
        payment = request(30_000)
        assert payment.federation is not None
        assert (payment.payer_network, payment.payee_network) == ("troc-actif", "agri-echange")
        assert (payment.payer_amount, payment.payee_amount) == (15_000, 30_000)
        assert payment.federation.exchange_rate == Decimal("0.5")
        assert OtherNetwork.from_dict(payment.federation.as_dict()) == payment.federation

    def test_the_rate_is_frozen_at_creation(self) -> None:
        payment = request(30_000)
        assert payment.federation is not None
        frozen = payment.federation
        payment.accept(NOW)
        change = payment.validate("animator@agri", NOW)
        [saga] = change.commands
        assert isinstance(saga, StartSaga)
        assert (saga.rate, saga.amount, saga.converted_amount) == (Decimal(2), 15_000, 30_000)
        assert payment.federation == frozen

    def test_both_networks_must_allow_the_kind(self) -> None:
        with pytest.raises(DirectPaymentsOff, match="partner network 'agri-echange'"):
            direct(partner_setting="request")
        with pytest.raises(DirectPaymentsOff, match="partner network"):
            direct(partner_setting="off")

    def test_an_amount_that_converts_to_nothing_is_refused(self) -> None:
        tiny = Link(LINK.id, "troc-actif", "agri-echange", Decimal("0.1"))
        with pytest.raises(InvalidInvoice, match="rounds to zero") as refused:
            Payment.new(
                id=uuid.uuid4(),
                kind=PaymentKind.DIRECT,
                network="troc-actif",
                direct_payments="both",
                payer=DESIGNER,
                payee=FARMER,
                amount=4,
                description="x",
                unit_code="ACT",
                validation_threshold=0,
                now=NOW,
                other_network=side("troc-actif", "agri-echange", GRN, tiny),
                partner_direct_payments="both",
            )
        assert refused.value.field == "amount"


class TestSettlement:
    def test_validation_starts_the_saga_with_the_frozen_amounts(self) -> None:
        payment, _ = direct(10_000)
        change = payment.validate("animator@agri", NOW)
        assert payment.status is PaymentStatus.VALIDATED
        assert change.commands == [
            StartSaga(
                saga_id=ids.federated_transfer_id(payment.id, 1),
                link_id=LINK.id,
                payer_network="troc-actif",
                payer=DESIGNER.member_id,
                payee=FARMER.member_id,
                amount=10_000,
                rate=Decimal(2),
                converted_amount=20_000,
                reference="Paiement : Location d'une moissonneuse",
            )
        ]
        assert payment.validate("animator@agri", NOW).replayed

    def test_below_the_payees_threshold_the_saga_starts_at_once(self) -> None:
        # 40.00 ACT is 80.00 GRN: the payee network's threshold is in GRN.
        waived, facts = direct(4_000, threshold=10_000)
        assert waived.status is PaymentStatus.VALIDATED and waived.validated_by is None
        assert [type(f) for f in facts] == [StartSaga]
        above, facts = direct(5_000, threshold=10_000)
        assert above.status is PaymentStatus.AWAITING_VALIDATION and facts == [
            "awaiting_validation"
        ]

    def test_posted_settles_once(self) -> None:
        payment, _ = direct()
        payment.validate("a", NOW)
        saga = payment.transfer_id
        assert saga is not None
        assert payment.on_federated_completed(saga, "posted", "", "", NOW).events == ["settled"]
        assert payment.status is PaymentStatus.SETTLED
        assert payment.on_federated_completed(saga, "posted", "", "", NOW).replayed

    @pytest.mark.parametrize("outcome", ["voided", "refused"])
    def test_a_direct_payment_the_saga_did_not_post_ends_refused(self, outcome: str) -> None:
        payment, _ = direct()
        payment.validate("a", NOW)
        saga = payment.transfer_id
        assert saga is not None
        change = payment.on_federated_completed(saga, outcome, "clearing_limit", "too far", NOW)
        assert change.events == ["hold_refused"] and not change.commands
        assert payment.status is PaymentStatus.REFUSED and payment.closed_at == NOW
        assert payment.refusal is not None
        assert (payment.refusal.code, payment.refusal.reason) == ("clearing_limit", "too far")
        # The other side's copy, and a stale saga id, change nothing.
        assert payment.on_federated_completed(saga, outcome, "x", "y", NOW).replayed
        assert payment.on_federated_completed(uuid.uuid4(), "posted", "", "", NOW).replayed
        assert payment.status is PaymentStatus.REFUSED

    def test_a_request_the_saga_did_not_post_goes_back_to_the_payer(self) -> None:
        payment = request()
        payment.accept(NOW)
        assert payment.accept(NOW).replayed
        payment.validate("a", NOW)
        saga = payment.transfer_id
        assert saga is not None
        payment.on_federated_completed(saga, "refused", "insufficient_credit", "no credit", NOW)
        assert payment.status is PaymentStatus.REQUESTED
        assert payment.refusal is not None and payment.refusal.code == "insufficient_credit"
        # The payer accepts again: a new attempt, a new saga id, the same frozen amounts.
        payment.accept(NOW)
        assert payment.transfer_id == ids.federated_transfer_id(payment.id, 2)
        assert payment.refusal is None
        [saga_again] = payment.validate("a", NOW).commands
        assert isinstance(saga_again, StartSaga) and saga_again.amount == 15_000

    def test_validate_before_acceptance_and_reject_void_nothing(self) -> None:
        asked = request()
        with pytest.raises(InvalidTransition):
            asked.validate("a", NOW)
        payment, _ = direct()
        change = payment.reject("doublon", NOW)
        assert change.events == ["rejected"] and change.commands == []
        assert payment.status is PaymentStatus.REJECTED
        accepted = request()
        accepted.accept(NOW)
        assert accepted.reject("doublon", NOW).commands == []

    def test_a_hold_answer_never_reaches_a_saga(self) -> None:
        payment, _ = direct()
        saga = payment.transfer_id
        assert saga is not None
        assert payment.on_hold_refused(uuid.uuid4(), "x", "y", NOW).replayed
        assert payment.on_federated_completed(saga, "refused", "", "", NOW).replayed  # not yet
        assert payment.status is PaymentStatus.AWAITING_VALIDATION
