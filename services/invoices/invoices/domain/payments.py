"""Payments without an invoice: a payment request by the payee, or a direct payment by the payer.

Standard library only. Both ride the invoice's settlement saga (the same ledger commands and
answers, :class:`~invoices.domain.model.Change`): the payer's amount is held, the payee's
animators validate (or reject), the ledger posts. A network may waive the validation below an
amount it sets (``direct_payments_validation_threshold``): the hold is then posted as soon as the
ledger confirms it.

States: a request starts ``requested`` (the payer accepts or declines); a direct payment starts
``accepted``. ``accepted`` means the hold is asked of the ledger; then ``awaiting_validation ->
validated -> settled``, with the side exits ``declined``, ``rejected``, ``expired`` and, for a
direct payment whose hold the ledger refused, ``refused`` (a refused request goes back to
``requested`` with the reason, so the payer may accept again later).

Between two networks linked by an active federation link (``federation``, see
:class:`~invoices.domain.federation.OtherNetwork`), a payment works as a cross-network invoice
does. Its amount is in the unit of the member who writes it (a request in the payee's unit, as
an invoice is in its seller's; a direct payment in the payer's, what leaves its account), and it
shows the other side converted at the link's rate frozen at creation. Nothing is held before
validation: accepted (a direct payment at once), it awaits the validation of the payee's
tenant; validated (or at once below the payee network's threshold), it asks the ledger's saga
to hold and post both networks' sides with the two frozen amounts (``StartSaga``). The saga's
end settles it; voided or refused, it is refused as a refused hold is (a request goes back to
``requested`` with the reason, a direct payment ends ``refused``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from invoices.domain import ids
from invoices.domain.errors import DirectPaymentsOff, InvalidInvoice, InvalidTransition, SameParty
from invoices.domain.federation import OtherNetwork
from invoices.domain.model import (
    Change,
    Party,
    PlaceHold,
    PostHold,
    Refusal,
    StartSaga,
    VoidHold,
    require_status,
)


class PaymentKind(StrEnum):
    REQUEST = "request"
    DIRECT = "direct"


class PaymentStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    AWAITING_VALIDATION = "awaiting_validation"
    VALIDATED = "validated"
    SETTLED = "settled"
    DECLINED = "declined"
    REJECTED = "rejected"
    REFUSED = "refused"
    EXPIRED = "expired"


_HOLDING = frozenset(
    {PaymentStatus.ACCEPTED, PaymentStatus.AWAITING_VALIDATION, PaymentStatus.VALIDATED}
)

#: Who may use which kind of payment, per the network's ``direct_payments`` setting.
ALLOWED = {
    "off": frozenset(),
    "request": frozenset({PaymentKind.REQUEST}),
    "both": frozenset({PaymentKind.REQUEST, PaymentKind.DIRECT}),
}

DESCRIPTION_MAX = 200


def ensure_allowed(setting: str, kind: PaymentKind, network: str | None = None) -> None:
    """Refuse a kind of payment the network (this one, or the named partner) does not allow."""
    if kind not in ALLOWED.get(setting, frozenset()):
        what = "payment requests" if kind is PaymentKind.REQUEST else "direct payments"
        which = "this network" if network is None else f"the partner network {network!r}"
        raise DirectPaymentsOff(
            f"{which} does not allow {what} without an invoice (direct_payments: {setting})"
        )


def clean_description(raw: str) -> str:
    text = " ".join(raw.split())
    if not text:
        raise InvalidInvoice("describe what is paid", field="description")
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInvoice(f"{DESCRIPTION_MAX} characters at most", field="description")
    return text


@dataclass
class Payment:
    """A payment without an invoice and where it stands in the settlement saga."""

    id: UUID
    kind: PaymentKind
    #: The network of the member who writes it (the payee of a request, the payer of a direct
    #: payment): ``amount`` is in its unit, ``unit_code``.
    network: str
    payer: Party
    payee: Party
    amount: int
    description: str
    unit_code: str
    #: Below this amount (cents of the payee's unit) the payee's network waives the validation;
    #: 0: every payment is validated.
    validation_threshold: int
    created_at: datetime
    created_by: str = ""
    idempotency_key: str | None = None
    status: PaymentStatus = PaymentStatus.REQUESTED
    attempt: int = 0
    transfer_id: UUID | None = None
    hold_expires_at: datetime | None = None
    refusal: Refusal | None = None
    decline_reason: str = ""
    rejection_reason: str = ""
    accepted_at: datetime | None = None
    awaiting_since: datetime | None = None
    validated_at: datetime | None = None
    validated_by: str | None = None
    settled_at: datetime | None = None
    closed_at: datetime | None = None
    #: The other side when payer and payee are members of two linked networks, else None.
    federation: OtherNetwork | None = None
    version: int = 0

    # -- creation --------------------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        *,
        id: UUID,
        kind: PaymentKind,
        network: str,
        direct_payments: str,
        payer: Party,
        payee: Party,
        amount: int,
        description: str,
        unit_code: str,
        validation_threshold: int,
        now: datetime,
        created_by: str = "",
        idempotency_key: str | None = None,
        other_network: Callable[[int], OtherNetwork] | None = None,
        partner_direct_payments: str | None = None,
    ) -> tuple[Payment, Change]:
        """A request (waits for the payer) or a direct payment (its hold is asked at once).

        ``other_network`` gives the counterpart's side of an amount when the counterpart is a
        member of a linked network (at the link's rate of now, frozen from then on), whose
        ``partner_direct_payments`` setting must allow the kind as well as this network's."""
        ensure_allowed(direct_payments, kind)
        counterpart = "payer_member_id" if kind is PaymentKind.REQUEST else "payee_member_id"
        if payer.member_id == payee.member_id:
            raise SameParty("a member cannot pay itself", field=counterpart)
        payer.ensure_active("payer")
        payee.ensure_active("payee")
        if amount <= 0:
            raise InvalidInvoice("the amount must be positive", field="amount")
        federation = None
        if other_network is not None:
            federation = other_network(amount)
            ensure_allowed(partner_direct_payments or "off", kind, federation.network)
            if federation.converted_amount <= 0:
                raise InvalidInvoice(
                    f"the amount converted to {federation.unit} rounds to zero: pay more",
                    field="amount",
                )
        payment = cls(
            id=id,
            kind=kind,
            network=network,
            payer=payer,
            payee=payee,
            amount=amount,
            description=clean_description(description),
            unit_code=unit_code,
            validation_threshold=validation_threshold,
            created_at=now,
            created_by=created_by,
            idempotency_key=idempotency_key,
            federation=federation,
        )
        if kind is PaymentKind.REQUEST:
            return payment, Change(events=["requested"])
        return payment, payment._hold(now)

    @property
    def validation_waived(self) -> bool:
        return self.validation_threshold > 0 and self.payee_amount < self.validation_threshold

    @property
    def payer_network(self) -> str:
        if self.federation is not None and self.kind is PaymentKind.REQUEST:
            return self.federation.network
        return self.network

    @property
    def payee_network(self) -> str:
        if self.federation is not None and self.kind is PaymentKind.DIRECT:
            return self.federation.network
        return self.network

    @property
    def payer_amount(self) -> int:
        """What the payer pays, in cents of its network's unit."""
        if self.federation is not None and self.kind is PaymentKind.REQUEST:
            return self.federation.converted_amount
        return self.amount

    @property
    def payee_amount(self) -> int:
        """What the payee receives, in cents of its network's unit."""
        if self.federation is not None and self.kind is PaymentKind.DIRECT:
            return self.federation.converted_amount
        return self.amount

    @property
    def reference(self) -> str:
        """How the ledger's statements (both members') name the payment."""
        label = "Demande de paiement" if self.kind is PaymentKind.REQUEST else "Paiement"
        return f"{label} : {self.description}"[:200]

    # -- the payer -------------------------------------------------------------------------------
    def accept(self, now: datetime) -> Change:
        """The payer agrees to a request: the ledger is asked to hold the amount. Accepting
        again (while held, or once settled) changes nothing."""
        if self.status in (*_HOLDING, PaymentStatus.SETTLED):
            return Change(replayed=True)
        self._require(PaymentStatus.REQUESTED, action="accept")
        return self._hold(now)

    def decline(self, reason: str, now: datetime) -> Change:
        if self.status is PaymentStatus.DECLINED:
            return Change(replayed=True)
        self._require(PaymentStatus.REQUESTED, action="decline")
        self.status = PaymentStatus.DECLINED
        self.decline_reason = reason[:300]
        self.closed_at = now
        return Change(events=["declined"])

    def _hold(self, now: datetime) -> Change:
        if self.federation is not None:
            return self._await_saga(now)
        self.attempt += 1
        self.transfer_id = ids.hold_transfer_id(self.id, self.attempt)
        self.status = PaymentStatus.ACCEPTED
        self.accepted_at = now
        self.hold_expires_at = None
        return Change(
            commands=[
                PlaceHold(
                    transfer_id=self.transfer_id,
                    payer=self.payer.member_id,
                    payee=self.payee.member_id,
                    amount=self.amount,
                    reference=self.reference,
                )
            ]
        )

    def _await_saga(self, now: datetime) -> Change:
        """Between two networks nothing is held before validation: the ledger's saga holds
        both sides at once when the payee's animators validate. Accepted, it waits for them."""
        self.attempt += 1
        self.transfer_id = ids.federated_transfer_id(self.id, self.attempt)
        self.accepted_at = now
        self.awaiting_since = now
        self.hold_expires_at = None
        self.refusal = None
        if self.validation_waived:
            return self._post(None, now)
        self.status = PaymentStatus.AWAITING_VALIDATION
        return Change(events=["awaiting_validation"])

    # -- the payee's animators -------------------------------------------------------------------
    def validate(self, by: str, now: datetime) -> Change:
        if self.status in (PaymentStatus.VALIDATED, PaymentStatus.SETTLED):
            return Change(replayed=True)
        if self.status is PaymentStatus.ACCEPTED:
            raise InvalidTransition(
                "the ledger has not confirmed the hold yet: validate once it is awaiting validation"
            )
        self._require(PaymentStatus.AWAITING_VALIDATION, action="validate")
        return self._post(by, now)

    def _post(self, by: str | None, now: datetime) -> Change:
        assert self.transfer_id is not None
        self.status = PaymentStatus.VALIDATED
        self.validated_at = now
        self.validated_by = by
        if self.federation is not None:
            return Change(commands=[self._saga_command()])
        return Change(commands=[PostHold(self.transfer_id)])

    def _saga_command(self) -> StartSaga:
        """The ledger's saga between the two networks, with both amounts frozen at creation."""
        assert self.federation is not None and self.transfer_id is not None
        return StartSaga(
            saga_id=self.transfer_id,
            link_id=self.federation.link_id,
            payer_network=self.payer_network,
            payer=self.payer.member_id,
            payee=self.payee.member_id,
            amount=self.payer_amount,
            rate=self.federation.link_rate,
            converted_amount=self.payee_amount,
            reference=self.reference,
        )

    def reject(self, reason: str, now: datetime) -> Change:
        if self.status is PaymentStatus.REJECTED:
            return Change(replayed=True)
        self._require(
            PaymentStatus.REQUESTED,
            PaymentStatus.ACCEPTED,
            PaymentStatus.AWAITING_VALIDATION,
            action="reject",
        )
        change = Change()
        # Between two networks nothing is held before the saga starts (at validation).
        if self.status in _HOLDING and self.transfer_id is not None and self.federation is None:
            change.commands.append(
                VoidHold(self.transfer_id, f"rejected by the animator: {reason}"[:300])
            )
        self.status = PaymentStatus.REJECTED
        self.rejection_reason = reason[:300]
        self.closed_at = now
        change.events.append("rejected")
        return change

    # -- the ledger's answers --------------------------------------------------------------------
    def on_hold_confirmed(self, transfer_id: UUID, expires_at: datetime, now: datetime) -> Change:
        if transfer_id != self.transfer_id or self.status not in (
            *_HOLDING,
            PaymentStatus.SETTLED,
        ):
            # A stale attempt, or a hold the payment gave up meanwhile: release it.
            return Change(commands=[VoidHold(transfer_id, "the payment no longer needs it")])
        if self.status is not PaymentStatus.ACCEPTED:
            return Change(replayed=True)
        self.hold_expires_at = expires_at
        self.awaiting_since = now
        self.refusal = None
        if self.validation_waived:
            return self._post(None, now)
        self.status = PaymentStatus.AWAITING_VALIDATION
        return Change(events=["awaiting_validation"])

    def on_hold_refused(self, transfer_id: UUID, code: str, reason: str, now: datetime) -> Change:
        """A refused hold: a request goes back to the payer, a direct payment ends ``refused``;
        a refused post (the hold expired meanwhile) expires the payment."""
        if transfer_id != self.transfer_id:
            return Change(replayed=True)
        if self.status is PaymentStatus.ACCEPTED:
            self.refusal = Refusal(code, reason, now)
            self.hold_expires_at = None
            if self.kind is PaymentKind.REQUEST:
                self.status = PaymentStatus.REQUESTED
            else:
                self.status = PaymentStatus.REFUSED
                self.closed_at = now
            return Change(events=["hold_refused"])
        if self.status is PaymentStatus.VALIDATED and code in (
            "hold_expired",
            "invalid_transfer_state",
        ):
            self.status = PaymentStatus.EXPIRED
            self.rejection_reason = reason[:300]
            self.closed_at = now
            return Change(events=["rejected"])
        return Change(replayed=True)

    def on_hold_voided(self, transfer_id: UUID, reason: str, now: datetime) -> Change:
        if transfer_id != self.transfer_id or self.status not in _HOLDING:
            return Change(replayed=True)
        self.closed_at = now
        self.status = PaymentStatus.EXPIRED if reason == "expired" else PaymentStatus.REJECTED
        self.rejection_reason = f"the hold was voided at the ledger: {reason}"[:300]
        return Change(events=["rejected"])

    def on_posted(self, transfer_id: UUID, now: datetime) -> Change:
        if transfer_id != self.transfer_id or self.status is PaymentStatus.SETTLED:
            return Change(replayed=True)
        self.status = PaymentStatus.SETTLED
        self.settled_at = now
        return Change(events=["settled"])

    def on_federated_completed(
        self, saga_id: UUID, outcome: str, code: str, reason: str, now: datetime
    ) -> Change:
        """The ledger's saga between the two networks ended: posted -> settled; voided or
        refused -> refused as a refused hold is (a request back to the payer, with the reason;
        a direct payment ``refused``). The other side's copy changes nothing."""
        if self.federation is None or saga_id != self.transfer_id:
            return Change(replayed=True)
        if outcome == "posted":
            return self.on_posted(saga_id, now)
        if self.status is not PaymentStatus.VALIDATED:
            return Change(replayed=True)
        self.refusal = Refusal(code or outcome, reason or outcome, now)
        self.awaiting_since = None
        if self.kind is PaymentKind.REQUEST:
            self.status = PaymentStatus.REQUESTED
        else:
            self.status = PaymentStatus.REFUSED
            self.closed_at = now
        return Change(events=["hold_refused"])

    def _require(self, *statuses: PaymentStatus, action: str) -> None:
        require_status(self.status, statuses, action=action, what="a payment")
