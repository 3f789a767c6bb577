"""Use cases and reactions of the money products beside invoices: payments without an invoice
(requests and direct payments) and membership fees.

Payments ride the invoice saga's machinery: the same ledger commands (``hold_transfer``,
``post_transfer``, ``void_transfer``) staged in the outbox with the change, the same
``saga_transfers`` links (purpose ``payment``) routing the ledger's answers back, the same
idempotent reactions. A payment between two linked networks asks, as a cross-network invoice
does, for the ledger's saga (``start_federated_transfer`` with the two amounts frozen at
creation, purpose ``fed_payment``), whose ``federated_transfer_completed`` settles or refuses it.
Membership fees are charged by the worker's ``membership-fees`` loop
(:func:`charge_due_fees`), one transaction per member: the fee's record, its ledger command and
its event commit together, and the record's unique key (member, period) makes a second charge
impossible, whatever restarts or replays happen. A fee in the unit draws on the member's credit
like any transfer (the balance may go below zero, down to the credit limit); the ledger refuses
one beyond the available credit (its invariant), and the animators are then told, as of a fee
in euros unpaid past the grace period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

from chassis.messages import MessageMeta as Meta
from contracts import invoices as ev
from contracts import ledger as lg
from invoices import db
from invoices.db import UnitOfWork
from invoices.domain import fees, ids
from invoices.domain.errors import (
    FeeNotFound,
    IdempotencyConflict,
    InvalidInvoice,
    PaymentNotFound,
    UnknownMember,
)
from invoices.domain.federation import Link, OtherNetwork, ensure_linked
from invoices.domain.federation import other_network as other_network_side
from invoices.domain.fees import FeeStatus, MembershipFee
from invoices.domain.model import Change, NetworkTerms, StartSaga
from invoices.domain.payments import Payment, PaymentKind
from invoices.handlers import (
    _amount,
    _party,
    _terms,
    emit_to_sides,
    hold_message,
    local_date,
    start_saga,
)
from invoices.handlers import (
    on_federated_transfer_completed as _invoice_completed,
)
from invoices.handlers import (
    on_transfer_held as _invoice_held,
)
from invoices.handlers import (
    on_transfer_posted as _invoice_posted,
)
from invoices.handlers import (
    on_transfer_refused as _invoice_refused,
)
from invoices.handlers import (
    on_transfer_voided as _invoice_voided,
)

log = logging.getLogger(__name__)

PaymentCheck = Callable[[Payment], None]

#: The purpose of a saga link (``saga_transfers``) to a payment settled between two networks.
FEDERATED_PAYMENT = "fed_payment"


def _allow_all(_payment: Payment) -> None:
    return None


# --- payments: creation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentOrder:
    """A request (the caller is the payee) or a direct payment (the caller is the payer)."""

    kind: PaymentKind
    caller_member_id: UUID
    counterpart_member_id: UUID
    amount: int
    description: str
    created_by: str = ""
    idempotency_key: str | None = None


def create_payment(
    uow: UnitOfWork, order: PaymentOrder, *, tenant: str, now: datetime
) -> tuple[Payment, Change]:
    """Create a payment request or a direct payment of a member of ``tenant`` to (or from) any
    member of its network, or of a network linked to it by an active link (the amount in the
    caller's unit, the other side converted at the link's rate of now, frozen). A direct
    payment replayed with its ``Idempotency-Key`` returns the first one; the same key with
    another content is a conflict."""
    request = order.kind is PaymentKind.REQUEST
    own_field = "payee_member_id" if request else "payer_member_id"
    other_field = "payer_member_id" if request else "payee_member_id"
    with uow:
        caller = _party(uow, order.caller_member_id, own_field.removesuffix("_member_id"))
        if caller.tenant != tenant:
            raise UnknownMember(
                f"no member {order.caller_member_id} in this tenant", field=own_field
            )
        other = uow.members.get(order.counterpart_member_id)
        network = uow.members.network_of(caller.member_id)
        assert network is not None
        other_network = None if other is None else uow.members.network_of(other.member_id)
        if other is None or other_network is None:
            raise UnknownMember(
                f"no member {order.counterpart_member_id} in this network",
                field=other_field,
                unknown_id=str(order.counterpart_member_id),
            )
        terms = _terms(uow, network)
        payment_id = uuid4()
        if order.idempotency_key is not None:
            payment_id = ids.direct_payment_id(caller.member_id, order.idempotency_key)
            existing = uow.payments.get(payment_id)
            if existing is not None:
                if (
                    existing.payee.member_id,
                    existing.amount,
                    existing.description,
                ) != (other.member_id, order.amount, " ".join(order.description.split())):
                    raise IdempotencyConflict(
                        "this Idempotency-Key was used for another payment",
                        field="Idempotency-Key",
                    )
                return existing, Change(replayed=True)
        partner: NetworkTerms | None = None
        other_side = None
        if other_network != network:
            link = ensure_linked(
                uow.links.between(network, other_network),
                network,
                other_network,
                other.member_id,
                field=other_field,
            )
            partner = _terms(uow, other_network)
            other_side = _other_side(link, network, partner)
        # The payee's network validates: its threshold, compared with what the payee receives.
        payee_terms = partner if partner is not None and not request else terms
        payment, change = Payment.new(
            id=payment_id,
            kind=order.kind,
            network=network,
            direct_payments=terms.direct_payments,
            payer=other if request else caller,
            payee=caller if request else other,
            amount=order.amount,
            description=order.description,
            unit_code=terms.unit_code,
            validation_threshold=payee_terms.direct_payments_threshold,
            now=now,
            created_by=order.created_by,
            idempotency_key=order.idempotency_key,
            other_network=other_side,
            partner_direct_payments=None if partner is None else partner.direct_payments,
        )
        uow.payments.add(payment)
        _stage(uow, payment, change, now)
        uow.commit()
    return payment, change


def _other_side(link: Link, network: str, partner: NetworkTerms) -> Callable[[int], OtherNetwork]:
    def side(amount: int) -> OtherNetwork:
        return other_network_side(
            link,
            own_network=network,
            other_network=partner.slug,
            unit=(partner.unit_code, partner.unit_name, partner.unit_symbol),
            amount=amount,
        )

    return side


# --- payments: transitions -----------------------------------------------------------------------


def _locked(uow: UnitOfWork, payment_id: UUID, check: PaymentCheck) -> Payment:
    payment = uow.payments.get(payment_id, for_update=True)
    if payment is None:
        raise PaymentNotFound(f"no payment {payment_id}")
    check(payment)
    return payment


def transition(
    uow: UnitOfWork,
    payment_id: UUID,
    act: Callable[[Payment], Change],
    *,
    now: datetime,
    check: PaymentCheck = _allow_all,
) -> tuple[Payment, Change]:
    """Lock the payment, let ``check`` judge the actor, apply ``act``, stage what it asks."""
    with uow:
        payment = _locked(uow, payment_id, check)
        change = act(payment)
        if not change.replayed:
            uow.payments.save(payment)
            _stage(uow, payment, change, now)
            uow.commit()
    return payment, change


def accept(
    uow: UnitOfWork, payment_id: UUID, *, now: datetime, check: PaymentCheck
) -> tuple[Payment, Change]:
    return transition(uow, payment_id, lambda p: p.accept(now), now=now, check=check)


def decline(
    uow: UnitOfWork, payment_id: UUID, reason: str, *, now: datetime, check: PaymentCheck
) -> tuple[Payment, Change]:
    return transition(uow, payment_id, lambda p: p.decline(reason, now), now=now, check=check)


def validate(
    uow: UnitOfWork, payment_id: UUID, *, by: str, now: datetime, check: PaymentCheck
) -> tuple[Payment, Change]:
    return transition(uow, payment_id, lambda p: p.validate(by, now), now=now, check=check)


def reject(
    uow: UnitOfWork, payment_id: UUID, reason: str, *, now: datetime, check: PaymentCheck
) -> tuple[Payment, Change]:
    return transition(uow, payment_id, lambda p: p.reject(reason, now), now=now, check=check)


def _stage(uow: UnitOfWork, payment: Payment, change: Change, now: datetime) -> None:
    """The change's ledger commands and events, in the outbox of this transaction."""
    for command in change.commands:
        if isinstance(command, StartSaga):
            _start_saga(uow, payment, command, now)
            continue
        message = hold_message(uow, command, payment.id, "payment", now)
        assert message is not None  # a payment only places, posts and voids holds
        uow.send(
            message, network=payment.network, tenant=payment.payee.tenant, subject=str(payment.id)
        )
    for name in change.events:
        event = _event(name, payment)
        emit_to_sides(
            uow,
            event,
            subject=payment.id,
            sides=(
                (payment.payee_network, payment.payee.tenant),
                (payment.payer_network, payment.payer.tenant),
            ),
        )


def _start_saga(uow: UnitOfWork, payment: Payment, command: StartSaga, now: datetime) -> None:
    """Ask the ledger to settle a payment between two networks by its saga."""
    start_saga(
        uow,
        command,
        subject=payment.id,
        kind=FEDERATED_PAYMENT,
        network=payment.payee_network,
        tenant=payment.payee.tenant,
        now=now,
    )


def _event(name: str, payment: Payment) -> object:
    facts = {
        "payment_id": payment.id,
        "kind": payment.kind.value,
        "payer_member_id": payment.payer.member_id,
        "payee_member_id": payment.payee.member_id,
        "amount": _amount(payment.amount),
        "unit": payment.unit_code,
        "description": payment.description,
        "transfer_id": payment.transfer_id,
    }
    cross = payment.federation
    if cross is not None:
        facts["converted_amount"] = _amount(cross.converted_amount)
        facts["converted_unit"] = cross.unit
        facts["exchange_rate"] = cross.exchange_rate
    if name == "requested":
        return ev.PaymentRequested(**facts)
    if name == "declined":
        return ev.PaymentDeclined(**facts)
    if name == "awaiting_validation":
        return ev.PaymentAwaitingValidation(**facts)
    if name == "hold_refused":
        assert payment.refusal is not None
        return ev.PaymentHoldRefused(
            **facts, code=payment.refusal.code, reason=payment.refusal.reason
        )
    if name == "settled":
        return ev.PaymentSettled(**facts)
    if name == "rejected":
        return ev.PaymentRejected(**facts, reason=payment.rejection_reason)
    raise ValueError(f"unknown payment event {name!r}")


# --- the ledger's answers: invoices first, then payments and fees --------------------------------


def _route(
    uow: UnitOfWork,
    transfer_id: UUID,
    now: datetime,
    payment: Callable[[Payment], Change] | None = None,
    fee: Callable[[MembershipFee], bool] | None = None,
) -> None:
    link = uow.sagas.find([transfer_id]).get(transfer_id)
    if link is None:
        return
    owner, purpose = link
    if purpose == "payment" and payment is not None:
        found = uow.payments.get(owner, for_update=True)
        if found is None:
            return
        change = payment(found)
        if change.replayed and not change.commands:
            return
        if not change.replayed:
            uow.payments.save(found)
        _stage(uow, found, change, now)
    elif purpose == "member_fee" and fee is not None:
        record = uow.fees.get(owner, for_update=True)
        if record is None or not fee(record):
            return
        if record.status == FeeStatus.REFUSED and record.overdue_notified_at is None:
            # Not charged (no credit left, a frozen account): the animators follow it up.
            record.overdue_notified_at = now
            _announce(uow, ev.MembershipFeeOverdue, record)
        uow.fees.save(record)


def on_federated_transfer_completed(
    message: lg.FederatedTransferCompleted, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    """A cross-network saga ended: an invoice's, or a payment's (one copy per side's tenant
    log; the second changes nothing)."""
    _invoice_completed(message, meta, uow, now)
    link = uow.sagas.find([message.saga_id]).get(message.saga_id)
    if link is None or link[1] != FEDERATED_PAYMENT:
        return
    payment = uow.payments.get(link[0], for_update=True)
    if payment is None:
        return
    change = payment.on_federated_completed(
        message.saga_id, message.outcome, message.code or "", message.reason or "", now
    )
    if change.replayed:
        return
    uow.payments.save(payment)
    _stage(uow, payment, change, now)


def on_transfer_held(message: lg.TransferHeld, meta: Meta, uow: UnitOfWork, now: datetime) -> None:
    _invoice_held(message, meta, uow, now)
    _route(
        uow,
        message.transfer_id,
        now,
        payment=lambda p: p.on_hold_confirmed(message.transfer_id, message.expires_at, now),
    )


def on_transfer_posted(
    message: lg.TransferPosted, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    _invoice_posted(message, meta, uow, now)
    _route(
        uow,
        message.transfer_id,
        now,
        payment=lambda p: p.on_posted(message.transfer_id, now),
        fee=lambda f: f.on_transfer(FeeStatus.CHARGED),
    )


def on_transfer_voided(
    message: lg.TransferVoided, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    _invoice_voided(message, meta, uow, now)
    _route(
        uow,
        message.transfer_id,
        now,
        payment=lambda p: p.on_hold_voided(message.transfer_id, message.reason, now),
    )


def on_transfer_refused(
    message: lg.TransferRefused, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    _invoice_refused(message, meta, uow, now)

    def refused_fee(record: MembershipFee) -> bool:
        changed = record.on_transfer(FeeStatus.REFUSED, f"{message.code}: {message.reason}")
        if changed:
            log.warning("membership fee %s refused by the ledger: %s", record.key, message.reason)
        return changed

    _route(
        uow,
        message.transfer_id,
        now,
        payment=lambda p: p.on_hold_refused(message.transfer_id, message.code, message.reason, now),
        fee=refused_fee,
    )


# --- membership fees -----------------------------------------------------------------------------


def charge_due_fees(uow_factory: Callable[[], UnitOfWork], now: Callable[[], datetime]) -> int:
    """One pass of the schedule: charge every active member whose fee of the year is due and
    not charged yet (each in its own transaction), then tell the animators of the fees in
    euros unpaid past the grace period (once). Returns how many fees it charged or reported."""
    done = 0
    with uow_factory() as uow:
        networks = db.fee_networks(uow.session)
    for terms in networks:
        assert terms.membership_fee is not None
        today = local_date(now())
        period = str(today.year)
        with uow_factory() as uow:
            members = db.active_members(uow.session, terms.slug)
            charged = uow.fees.charged_members(terms.slug, period)
        for member_id, tenant, name, admitted_at in members:
            if member_id in charged:
                continue
            due = fees.period_due(terms.membership_fee, local_date(admitted_at), today)
            if due is None:
                continue
            done += _charge(uow_factory(), terms, member_id, tenant, name, due, now())
        done += _report_overdue(uow_factory(), terms.slug, terms.membership_fee, now())
    return done


def _charge(
    uow: UnitOfWork,
    terms: NetworkTerms,
    member_id: UUID,
    tenant: str,
    name: str,
    due: tuple[str, date],
    now: datetime,
) -> int:
    assert terms.membership_fee is not None
    period, due_on = due
    fee = MembershipFee.charge(
        network=terms.slug,
        tenant=tenant,
        member_id=member_id,
        member_name=name,
        period=period,
        due=due_on,
        terms=terms.membership_fee,
        unit_code=terms.unit_code,
        now=now,
    )
    with uow:
        if not uow.fees.add(fee):
            return 0  # charged meanwhile (another worker, or before a restart)
        if fee.transfer_id is not None:
            uow.sagas.link(fee.transfer_id, fee.id, "member_fee", now)
            uow.send(
                lg.Transfer(
                    transfer_id=fee.transfer_id,
                    payer=member_id,
                    payee=ids.fees_account_id(terms.slug),
                    amount=_amount(fee.amount),
                    reference=fee.reference,
                    kind="fee",
                ),
                network=terms.slug,
                tenant=tenant,
                subject=fee.key,
            )
        _announce(uow, ev.MembershipFeeCharged, fee)
        uow.commit()
    return 1


def _report_overdue(uow: UnitOfWork, network: str, terms: fees.FeeTerms, now: datetime) -> int:
    today = local_date(now)
    reported = 0
    with uow:
        for fee in uow.fees.unpaid(network):
            if not fee.is_overdue(today, terms.grace_days):
                continue
            fee.overdue_notified_at = now
            uow.fees.save(fee)
            _announce(uow, ev.MembershipFeeOverdue, fee)
            reported += 1
        if reported:
            uow.commit()
    return reported


def _announce(uow: UnitOfWork, event: Callable[..., object], fee: MembershipFee) -> None:
    """Stage a fee's event for its tenant's animators, in this transaction."""
    uow.emit(event(**_fee_facts(fee)), network=fee.network, tenants=(fee.tenant,), subject=fee.key)


def _fee_facts(fee: MembershipFee) -> dict[str, object]:
    return {
        "fee_id": fee.id,
        "member_id": fee.member_id,
        "period": fee.period,
        "amount": _amount(fee.amount),
        "charged_in": fee.charged_in,
        "unit": fee.unit_code,
        "due_on": fee.due_on,
        "transfer_id": fee.transfer_id,
    }


FeeCheck = Callable[[MembershipFee], None]


def mark_fee_paid(
    uow: UnitOfWork,
    fee_id: UUID,
    *,
    by: str,
    paid_on: date | None,
    now: datetime,
    check: FeeCheck,
) -> tuple[MembershipFee, bool]:
    """An animator records that a fee in euros was paid; recording it again changes nothing."""
    with uow:
        fee = uow.fees.get(fee_id, for_update=True)
        if fee is None:
            raise FeeNotFound(f"no membership fee {fee_id}")
        check(fee)
        day = paid_on or local_date(now)
        if day > local_date(now):
            raise InvalidInvoice("a payment cannot be recorded in the future", field="paid_on")
        changed = fee.mark_paid(by, day)
        if changed:
            uow.fees.save(fee)
            _announce(uow, ev.MembershipFeePaid, fee)
            uow.commit()
    return fee, changed
