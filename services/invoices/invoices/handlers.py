"""The invoices' use cases (HTTP) and reactions (bus), over a unit of work.

Each use case opens the unit of work, loads the invoice *locked* (``SELECT ... FOR UPDATE``), lets
the edge's ``check`` judge the actor against it, calls the domain, writes the invoice back and
stages what the change announces (``invoices.events``) and asks (``ledger.commands``), then
commits: the state change, its events and its commands in one transaction. The bus reactions run
inside the worker's unit of work (one per batch) and never commit themselves. Imports the domain
and the contracts, never Flask or kombu.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from chassis.audit import record_audit
from chassis.auth import Identity
from chassis.messages import InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.money import format_cents, parse_cents, to_decimal
from contracts import gateway as gw
from contracts import invoices as ev
from contracts import ledger as lg
from invoices.db import SOURCE, UnitOfWork, audit_entries
from invoices.domain import ids
from invoices.domain.errors import (
    InvalidTransition,
    InvoiceNotFound,
    UnknownMember,
    UnknownNetwork,
)
from invoices.domain.federation import CrossNetwork, Link, cross_network, ensure_linked
from invoices.domain.fees import FeeTerms
from invoices.domain.model import (
    Address,
    Change,
    Commission,
    Invoice,
    Kind,
    LedgerCommand,
    MoveUnits,
    NetworkTerms,
    Party,
    PlaceHold,
    PostHold,
    StartSaga,
    Status,
    VoidHold,
)
from invoices.domain.money import Line, parse_quantity, parse_vat_rate

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")

Check = Callable[[Invoice], None]


def local_date(moment: datetime) -> date:
    """The French calendar date of an instant: invoices are dated in Paris time."""
    return moment.astimezone(PARIS).date()


def _allow_all(_invoice: Invoice) -> None:
    return None


# --- drafting ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """What the HTTP edge parsed from a draft (amounts in cents, texts trimmed)."""

    seller_member_id: UUID
    buyer_member_id: UUID
    lines: tuple[dict[str, Any], ...]
    payment_mode: int
    delivery_date: date
    listing_id: UUID | None = None
    buyer_reference: str = ""
    note: str = ""
    vat_exemption_reason: str = ""
    seller_address: Mapping[str, Any] | None = None
    buyer_address: Mapping[str, Any] | None = None
    created_by: str = ""
    invoice_id: UUID = field(default_factory=uuid4)


def _party(uow: UnitOfWork, member_id: UUID, role: str) -> Party:
    party = uow.members.get(member_id)
    if party is None:
        raise UnknownMember(
            f"no member {member_id} in the directory",
            field=f"{role}_member_id",
            unknown_id=str(member_id),
        )
    return party


def _terms(uow: UnitOfWork, network: str) -> NetworkTerms:
    terms = uow.networks.get(network)
    if terms is None:
        raise UnknownNetwork(f"the settings of network {network!r} have not arrived yet")
    return terms


def _lines(raw_lines: tuple[dict[str, Any], ...]) -> list[Line]:
    lines = []
    for index, raw in enumerate(raw_lines):
        where = f"lines.{index}"
        lines.append(
            Line.of(
                description=raw["description"],
                quantity=parse_quantity(raw["quantity"], f"{where}.quantity"),
                unit_price=int(raw["unit_price"]),
                vat_rate=parse_vat_rate(raw["vat_rate"], f"{where}.vat_rate"),
            )
        )
    return lines


def create_draft(uow: UnitOfWork, request: DraftRequest, *, tenant: str, now: datetime) -> Invoice:
    """A seller of ``tenant`` drafts an invoice to any member of its network."""
    with uow:
        seller = _party(uow, request.seller_member_id, "seller")
        if seller.tenant != tenant:
            raise UnknownMember(
                f"no member {request.seller_member_id} in this tenant", field="seller_member_id"
            )
        buyer = _party(uow, request.buyer_member_id, "buyer")
        network = uow.members.network_of(seller.member_id)
        assert network is not None
        buyer_network = uow.members.network_of(buyer.member_id)
        assert buyer_network is not None
        other_side = None
        if buyer_network != network:
            other_side = _buyer_side(uow, network, buyer_network, buyer.member_id)
        if request.seller_address is not None:
            seller = Party(
                **{
                    **_fields(seller),
                    "address": Address.parse(dict(request.seller_address), "seller_address"),
                }
            )
        if request.buyer_address is not None:
            buyer = Party(
                **{
                    **_fields(buyer),
                    "address": Address.parse(dict(request.buyer_address), "buyer_address"),
                }
            )
        invoice = Invoice.draft(
            id=request.invoice_id,
            terms=_terms(uow, network),
            seller=seller,
            buyer=buyer,
            lines=_lines(request.lines),
            payment_mode=request.payment_mode,
            delivery_date=request.delivery_date,
            now=now,
            listing_id=request.listing_id,
            buyer_reference=request.buyer_reference,
            note=request.note,
            vat_exemption_reason=request.vat_exemption_reason,
            cross_network=other_side,
        )
        uow.invoices.add(invoice, created_by=request.created_by)
        uow.commit()
    return invoice


def _buyer_side(
    uow: UnitOfWork, seller_network: str, buyer_network: str, buyer: UUID
) -> Callable[[int], CrossNetwork]:
    """The buyer's side of a cross-network invoice at the link's current rate, or the refusal
    of an unknown buyer when the two networks are not linked by an active link."""
    link = ensure_linked(
        uow.links.between(seller_network, buyer_network), seller_network, buyer_network, buyer
    )
    terms = _terms(uow, buyer_network)
    return _side_at(link, seller_network, terms)


def _side_at(link: Link, seller_network: str, terms: NetworkTerms) -> Callable[[int], CrossNetwork]:
    def side(unit_part: int) -> CrossNetwork:
        return cross_network(
            link,
            seller_network=seller_network,
            buyer_network=terms.slug,
            buyer_unit=(terms.unit_code, terms.unit_name, terms.unit_symbol),
            unit_part=unit_part,
            buyer_commission_rate=terms.commission_rate,
            buyer_commission_charged_in=terms.commission_charged_in,
        )

    return side


def _fields(party: Party) -> dict[str, Any]:
    return {name: getattr(party, name) for name in Party.__slots__}


# --- transitions ---------------------------------------------------------------------------------


def _locked(uow: UnitOfWork, invoice_id: UUID, check: Check) -> Invoice:
    invoice = uow.invoices.get(invoice_id, for_update=True)
    if invoice is None:
        raise InvoiceNotFound(f"no invoice {invoice_id}")
    check(invoice)
    return invoice


def _local_year(moment: datetime) -> int:
    return local_date(moment).year


def issue(
    uow: UnitOfWork, invoice_id: UUID, *, now: Callable[[], datetime], check: Check = _allow_all
) -> tuple[Invoice, Change]:
    """Number the draft (gap-free, chronological, per seller and year) and freeze it."""
    with uow:
        invoice = _locked(uow, invoice_id, check)
        terms = _terms(uow, invoice.network)
        if invoice.is_draft:
            seller = _party(uow, invoice.seller.member_id, "seller")
            buyer = _party(uow, invoice.buyer.member_id, "buyer")
            # A refusal below rolls the whole transaction back, the number included.
            sequence, year, moment = uow.counters.next(
                invoice.seller.member_id, "F", now, _local_year
            )
            number = ids.invoice_number("F", year, sequence)
        else:  # a replay, or the seller resubmitting a refused hold
            seller, buyer, moment, number = invoice.seller, invoice.buyer, now(), ""
        other_side = None
        if invoice.is_draft and invoice.federation is not None:
            other_side = _buyer_side(
                uow, invoice.network, invoice.federation.buyer_network, buyer.member_id
            )
        change = invoice.issue(
            number=number,
            issue_date=local_date(moment),
            now=moment,
            seller=seller,
            buyer=buyer,
            terms=terms,
            cross_network=other_side,
        )
        if not change.replayed:
            uow.invoices.save(invoice)
            _stage(uow, invoice, change, moment)
            uow.commit()
    return invoice, change


def accept(
    uow: UnitOfWork, invoice_id: UUID, *, now: datetime, check: Check = _allow_all
) -> tuple[Invoice, Change]:
    return _transition(uow, invoice_id, check, lambda inv: inv.accept(now), now)


def dispute(
    uow: UnitOfWork, invoice_id: UUID, reason: str, *, now: datetime, check: Check = _allow_all
) -> tuple[Invoice, Change]:
    return _transition(uow, invoice_id, check, lambda inv: inv.dispute(reason, now), now)


def validate(
    uow: UnitOfWork,
    invoice_id: UUID,
    *,
    by: str,
    now: datetime,
    check: Check = _allow_all,
    actor: Identity | None = None,
) -> tuple[Invoice, Change]:
    """Validate; ``actor`` (the staff user) is recorded in the audit log with the change."""
    return _transition(
        uow, invoice_id, check, lambda inv: inv.validate(by, now), now, audit=(actor, "validated")
    )


def reject(
    uow: UnitOfWork,
    invoice_id: UUID,
    reason: str,
    *,
    now: datetime,
    check: Check = _allow_all,
    actor: Identity | None = None,
) -> tuple[Invoice, Change]:
    """Reject with a reason; ``actor`` is recorded in the audit log with the change."""
    return _transition(
        uow, invoice_id, check, lambda inv: inv.reject(reason, now), now, audit=(actor, "rejected")
    )


def record_euro_payment(
    uow: UnitOfWork,
    invoice_id: UUID,
    *,
    paid: bool,
    paid_on: date | None,
    now: datetime,
    check: Check = _allow_all,
) -> Invoice:
    with uow:
        invoice = _locked(uow, invoice_id, check)
        invoice.record_euro_payment(paid, paid_on or local_date(now))
        uow.invoices.save(invoice)
        uow.commit()
    return invoice


def _transition(
    uow: UnitOfWork,
    invoice_id: UUID,
    check: Check,
    act: Callable[[Invoice], Change],
    now: datetime,
    *,
    audit: tuple[Identity | None, str] | None = None,
) -> tuple[Invoice, Change]:
    with uow:
        invoice = _locked(uow, invoice_id, check)
        change = act(invoice)
        if not change.replayed:
            uow.invoices.save(invoice)
            _stage(uow, invoice, change, now)
            if audit is not None and audit[0] is not None:
                _audit(uow, audit[0], f"invoice_{audit[1]}", invoice, now)
            uow.commit()
    return invoice, change


def _audit(uow: UnitOfWork, actor: Identity, action: str, invoice: Invoice, now: datetime) -> None:
    """An audit entry of a staff action on an invoice, in the transaction of the change."""
    details: dict[str, Any] = {
        "number": invoice.number or "",
        "seller_member_id": invoice.seller.member_id,
        "buyer_member_id": invoice.buyer.member_id,
        "unit_part": format_cents(invoice.parts.unit_part),
        "status": invoice.status.value,
    }
    if invoice.rejection_reason and action == "invoice_rejected":
        details["reason"] = invoice.rejection_reason
    record_audit(
        uow.session,
        audit_entries,
        actor,
        action=action,
        target_type="invoice",
        target_id=invoice.id,
        network=invoice.network,
        tenant=invoice.seller.tenant,
        at=now,
        **details,
    )


def cancel(
    uow: UnitOfWork,
    invoice_id: UUID,
    reason: str,
    *,
    now: Callable[[], datetime],
    check: Check = _allow_all,
) -> tuple[Invoice, Invoice | None, Change]:
    """Cancel a draft, or an issued invoice by its credit note (which reverses a settlement)."""
    with uow:
        invoice = _locked(uow, invoice_id, check)
        was_settled = invoice.status is Status.SETTLED
        moment = now()
        change = invoice.cancel(reason, moment)
        note: Invoice | None = None
        if change.replayed:
            if invoice.credit_note_id is not None:
                note = uow.invoices.get(invoice.credit_note_id)
            return invoice, note, change
        if "credit_note_issued" in change.events:
            sequence, year, moment = uow.counters.next(
                invoice.seller.member_id, "A", now, _local_year
            )
            note = invoice.credit_note(
                number=ids.invoice_number("A", year, sequence),
                issue_date=local_date(moment),
                now=moment,
            )
            if was_settled:
                change.commands += invoice.reverse(note).commands
            uow.invoices.add(note)
        uow.invoices.save(invoice)
        _stage(uow, invoice, change, moment, note=note)
        uow.commit()
    return invoice, note, change


def bulk_validate(
    uow_factory: Callable[[], UnitOfWork],
    invoice_ids: list[UUID],
    *,
    by: str,
    now: Callable[[], datetime],
    check: Check,
    actor: Identity | None = None,
) -> list[tuple[UUID, Invoice | None, Exception | None]]:
    """Validate several invoices, each in its own transaction: one refusal stops no other."""
    results: list[tuple[UUID, Invoice | None, Exception | None]] = []
    for invoice_id in dict.fromkeys(invoice_ids):
        try:
            invoice, _change = validate(
                uow_factory(), invoice_id, by=by, now=now(), check=check, actor=actor
            )
        except Exception as exc:  # reported per invoice; the caller maps it to a code
            results.append((invoice_id, None, exc))
        else:
            results.append((invoice_id, invoice, None))
    return results


# --- staging what a change announces and asks ----------------------------------------------------


def _amount(cents: int) -> Decimal:
    return to_decimal(cents)


def hold_message(
    uow: UnitOfWork, command: LedgerCommand, owner: UUID, purpose: str, now: datetime
) -> object | None:
    """The ledger command of a hold's step (place, post, void), None for any other command.

    Placing a hold links its transfer to ``owner`` (an invoice, a payment) under ``purpose``, in
    this transaction, so that the ledger's answers find their way back to it."""
    if isinstance(command, PlaceHold):
        uow.sagas.link(command.transfer_id, owner, purpose, now)
        return lg.HoldTransfer(
            transfer_id=command.transfer_id,
            payer=command.payer,
            payee=command.payee,
            amount=_amount(command.amount),
            reference=command.reference,
        )
    if isinstance(command, PostHold):
        return lg.PostTransfer(transfer_id=command.transfer_id)
    if isinstance(command, VoidHold):
        return lg.VoidTransfer(transfer_id=command.transfer_id, reason=command.reason)
    return None


def _stage(
    uow: UnitOfWork, invoice: Invoice, change: Change, now: datetime, *, note: Invoice | None = None
) -> None:
    """Put the change's ledger commands and events in the outbox (this transaction)."""
    tenant = invoice.seller.tenant
    for command in change.commands:
        if isinstance(command, StartSaga):
            _start_saga(uow, invoice, command, now)
            continue
        message = hold_message(uow, command, invoice.id, "hold", now)
        network, command_tenant = invoice.network, tenant
        if message is None:
            assert isinstance(command, MoveUnits)
            owner = note.id if note is not None and command.kind == "reversal" else invoice.id
            uow.sagas.link(
                command.transfer_id, owner, "reversal" if command.kind == "reversal" else "fee", now
            )
            message = lg.Transfer(
                transfer_id=command.transfer_id,
                payer=command.payer,
                payee=command.payee,
                amount=_amount(command.amount),
                reference=command.reference,
                kind=command.kind,  # type: ignore[arg-type]
                reverses=command.reverses,
            )
            if command.network is not None:  # the buyer network's commission, in its books
                network, command_tenant = command.network, invoice.buyer.tenant
        uow.send(message, network=network, tenant=command_tenant, subject=str(invoice.id))
    for name in change.events:
        event = _event(name, invoice, note)
        if event is None:
            continue
        buyer_network = invoice.federation.buyer_network if invoice.federation else invoice.network
        emit_to_sides(
            uow,
            event,
            subject=invoice.id,
            sides=((invoice.network, invoice.seller.tenant), (buyer_network, invoice.buyer.tenant)),
        )


def emit_to_sides(
    uow: UnitOfWork, event: object, *, subject: UUID, sides: tuple[tuple[str, str], ...]
) -> None:
    """An event of a trade, told to each side (``(network, tenant)`` pairs): one copy naming
    every tenant when they share a network; between two linked networks, each side's copy in
    its own network's log (the envelope names its tenant's)."""
    networks = {network for network, _tenant in sides}
    if len(networks) == 1:
        uow.emit(
            event,
            network=networks.pop(),
            subject=str(subject),
            tenants=tuple(tenant for _network, tenant in sides),
        )
        return
    for network, tenant in sides:
        uow.emit(event, network=network, subject=str(subject), tenants=(tenant,))


def _start_saga(uow: UnitOfWork, invoice: Invoice, command: StartSaga, now: datetime) -> None:
    """Ask the ledger to settle a cross-network invoice by its saga."""
    start_saga(
        uow,
        command,
        subject=invoice.id,
        kind="federated",
        network=invoice.network,
        tenant=invoice.seller.tenant,
        now=now,
    )


def start_saga(
    uow: UnitOfWork,
    command: StartSaga,
    *,
    subject: UUID,
    kind: str,
    network: str,
    tenant: str,
    now: datetime,
) -> None:
    """Ask the ledger to settle ``subject`` (an invoice or a payment, ``kind``) between two
    networks by its saga (id = the subject's ``transfer_id``), linked to the subject so that
    its ``federated_transfer_completed`` finds it; sent in the name of ``network``'s ``tenant``,
    the side that validated."""
    uow.sagas.link(command.saga_id, subject, kind, now)
    uow.send(
        lg.StartFederatedTransfer(
            saga_id=command.saga_id,
            link_id=command.link_id,
            payer_network=command.payer_network,
            payer=command.payer,
            payee=command.payee,
            amount=_amount(command.amount),
            reference=command.reference,
            rate=command.rate,
            converted_amount=_amount(command.converted_amount),
            requested_by=SOURCE,
        ),
        network=network,
        tenant=tenant,
        subject=str(subject),
    )


def _event(name: str, invoice: Invoice, note: Invoice | None) -> object | None:
    number = invoice.number or ""
    who = {
        "invoice_id": invoice.id,
        "number": number,
        "seller_member_id": invoice.seller.member_id,
        "buyer_member_id": invoice.buyer.member_id,
    }
    transfer_id = invoice.transfer_id
    if name == "issued":
        assert invoice.issue_date is not None
        return ev.InvoiceIssued(
            **who,
            issue_date=invoice.issue_date,
            payment_mode=invoice.payment_mode,
            total_excl_vat=_amount(invoice.totals.total_excl_vat),
            total_vat=_amount(invoice.totals.total_vat),
            total_incl_vat=_amount(invoice.totals.total_incl_vat),
            unit_part=_amount(invoice.parts.unit_part),
            euro_part=_amount(invoice.parts.euro_part),
            unit=invoice.unit_code,
            acceptance_required=invoice.acceptance_required,
        )
    if name == "accepted":
        assert transfer_id is not None
        return ev.InvoiceAccepted(
            **who,
            transfer_id=transfer_id,
            unit_part=_amount(invoice.parts.unit_part),
            unit=invoice.unit_code,
        )
    if name == "hold_refused":
        assert transfer_id is not None and invoice.refusal is not None
        return ev.InvoiceHoldRefused(
            **who, transfer_id=transfer_id, code=invoice.refusal.code, reason=invoice.refusal.reason
        )
    if name == "awaiting_validation":
        assert transfer_id is not None
        return ev.InvoiceAwaitingValidation(
            **who,
            transfer_id=transfer_id,
            unit_part=_amount(invoice.parts.unit_part),
            unit=invoice.unit_code,
            expires_at=invoice.hold_expires_at,
        )
    if name == "validated":
        assert transfer_id is not None
        return ev.InvoiceValidated(**who, transfer_id=transfer_id)
    if name == "settled":
        assert transfer_id is not None and invoice.settled_at is not None
        return ev.InvoiceSettled(
            **who,
            transfer_id=transfer_id,
            unit_part=_amount(invoice.parts.unit_part),
            euro_part=_amount(invoice.parts.euro_part),
            unit=invoice.unit_code,
            settled_at=invoice.settled_at,
        )
    if name == "disputed":
        return ev.InvoiceDisputed(**who, reason=invoice.dispute_reason)
    if name == "rejected":
        return ev.InvoiceRejected(**who, reason=invoice.rejection_reason)
    if name == "expired":
        assert transfer_id is not None
        return ev.InvoiceExpired(**who, transfer_id=transfer_id)
    if name == "cancelled":
        if invoice.credit_note_id is None:
            return None  # a draft: nobody else knew of it
        return ev.InvoiceCancelled(
            **who, reason=invoice.cancel_reason, credit_note_id=invoice.credit_note_id
        )
    if name == "credit_note_issued":
        assert note is not None and note.number is not None and note.issue_date is not None
        return ev.CreditNoteIssued(
            credit_note_id=note.id,
            number=note.number,
            invoice_id=invoice.id,
            invoice_number=number,
            seller_member_id=invoice.seller.member_id,
            buyer_member_id=invoice.buyer.member_id,
            issue_date=note.issue_date,
            total_excl_vat=_amount(note.totals.total_excl_vat),
            total_vat=_amount(note.totals.total_vat),
            total_incl_vat=_amount(note.totals.total_incl_vat),
            unit_part=_amount(note.parts.unit_part),
            unit=note.unit_code,
            reversal_transfer_id=note.reversal_transfer_id,
        )
    if name == "settled_after_cancellation":
        return None
    raise ValueError(f"unknown invoice event {name!r}")


# --- bus reactions -------------------------------------------------------------------------------


def on_network(
    message: gw.NetworkCreated | gw.NetworkUpdated, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    uow.networks.upsert(
        NetworkTerms(
            slug=message.slug,
            name=message.name,
            unit_code=message.unit.code,
            unit_name=message.unit.name,
            unit_symbol=message.unit.symbol,
            payment_modes=tuple(message.payment_modes),
            vat_settlement=message.vat_settlement,
            commission_rate=message.commission.rate,
            commission_charged_in=message.commission.charged_in,
            hold_expiry_days=message.hold_expiry_days,
            buyer_acceptance_required=message.buyer_acceptance_required,
            membership_fee=_fee_terms(message.membership_fee),
            direct_payments=message.direct_payments,
            direct_payments_threshold=_cents(message.direct_payments_validation_threshold),
        ),
        now,
    )


def _fee_terms(fee: gw.MembershipFee | None) -> FeeTerms | None:
    if fee is None:
        return None
    return FeeTerms(
        amount=_cents(fee.amount), charged_in=fee.charged_in, due=fee.due, grace_days=fee.grace_days
    )


def on_tenant_created(
    message: gw.TenantSettings, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    if not meta.network:
        raise InvalidMessage("the envelope must name the network")
    uow.networks.add_tenant(message.slug, meta.network, message.name)


def on_member(
    message: gw.MemberAdmitted | gw.MemberUpdated, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    network, tenant = meta.home()
    address = message.address
    values: dict[str, Any] = {
        "name": message.name,
        "siret": message.siret,
        "vat_number": message.vat_number,
        "department": message.department,
        "email": message.email,
        "address": None
        if address is None
        else {"street": address.street, "postal_code": address.postal_code, "city": address.city},
    }
    if isinstance(message, gw.MemberAdmitted):
        values["status"] = "active"
    uow.members.upsert(message.member_id, network=network, tenant=tenant, now=now, **values)


def on_member_suspended(
    message: gw.MemberSuspended, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    uow.members.set_status(message.member_id, "suspended", now)


def on_member_reinstated(
    message: gw.MemberReinstated, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    uow.members.set_status(message.member_id, "active", now)


def on_member_left(message: gw.MemberLeft, meta: Meta, uow: UnitOfWork, now: datetime) -> None:
    uow.members.set_status(message.member_id, "left", now)


def on_link_changed(
    message: gw.FederationLinkSettings, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    """Keep the link (an older event after a newer one changes nothing); its drafts follow
    its new rate (an issued invoice keeps the rate frozen at issue)."""
    link = Link(
        id=message.link_id,
        network_a=message.network_a,
        network_b=message.network_b,
        rate=Decimal(message.rate),
        status=message.status,
    )
    if not uow.links.apply(link, meta.time, now):
        return
    for invoice_id in uow.links.drafts_of(link.id):
        invoice = uow.invoices.get(invoice_id, for_update=True)
        if invoice is None or invoice.federation is None or not link.active:
            continue  # a suspended link: the draft keeps its last rate, issue will refuse
        terms = uow.networks.get(invoice.federation.buyer_network)
        if terms is not None and invoice.follow_rate(_side_at(link, invoice.network, terms)):
            uow.invoices.save(invoice)


def on_federated_transfer_completed(
    message: lg.FederatedTransferCompleted, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    """A cross-network saga ended (one copy per side's tenant log; the second changes nothing)."""
    link = uow.sagas.find([message.saga_id]).get(message.saga_id)
    if link is None or link[1] != "federated":
        return  # a saga another service asked for
    invoice = uow.invoices.get(link[0], for_update=True)
    if invoice is None:
        return
    change = invoice.on_federated_completed(
        message.saga_id, message.outcome, message.code or "", message.reason or "", now
    )
    if change.replayed:
        return
    if "settled" in change.events:
        change.extend(_settle(uow, invoice, now))
    uow.invoices.save(invoice)
    _stage(uow, invoice, change, now)


# -- the ledger's facts: the accounts read model, then the saga --


def _cents(amount: Decimal) -> int:
    return parse_cents(amount, allow_zero=True, allow_negative=True)


def _mine(uow: UnitOfWork, account_id: UUID, meta: Meta) -> bool:
    """Whether this copy of a ledger event is the one of ``account_id``'s own tenant."""
    return meta.tenant is not None and uow.accounts.home_of(account_id) == meta.tenant


def on_account_limit(
    message: lg.AccountOpened | lg.CreditLimitChanged, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    if meta.tenant is None or (isinstance(message, lg.AccountOpened) and message.kind != "member"):
        return  # system accounts (a network's fees) are nobody's buyer
    uow.accounts.set_limit(
        message.account_id,
        meta.tenant,
        message.unit,
        _cents(message.credit_limit),
        meta.sequence,
        now,
    )


def on_transfer_held(message: lg.TransferHeld, meta: Meta, uow: UnitOfWork, now: datetime) -> None:
    amount = _cents(message.amount)
    if _mine(uow, message.payer, meta):
        uow.accounts.add_pending(message.payer, meta.tenant or "", debits=amount, now=now)
    if _mine(uow, message.payee, meta):
        uow.accounts.add_pending(message.payee, meta.tenant or "", credits=amount, now=now)
    _saga(
        uow,
        message.transfer_id,
        now,
        hold=lambda inv: inv.on_hold_confirmed(message.transfer_id, message.expires_at, now),
    )


def on_transfer_posted(
    message: lg.TransferPosted, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    amount = _cents(message.amount)
    for account, balance, pending in (
        (message.payer, message.payer_balance, "debits"),
        (message.payee, message.payee_balance, "credits"),
    ):
        if not _mine(uow, account, meta):
            continue
        if balance is not None:
            uow.accounts.set_balance(
                account, meta.tenant or "", _cents(balance), meta.sequence, now
            )
        if message.kind == "hold":  # a posted hold is no longer pending
            uow.accounts.add_pending(account, meta.tenant or "", now=now, **{pending: -amount})
    _saga(
        uow,
        message.transfer_id,
        now,
        hold=lambda inv: inv.on_posted(message.transfer_id, now),
        fee=lambda row: _commission_outcome(row, "charged", ""),
        reversal=lambda note: _reversal_outcome(note, "posted", ""),
    )


def on_transfer_voided(
    message: lg.TransferVoided, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    amount = _cents(message.amount)
    if _mine(uow, message.payer, meta):
        uow.accounts.add_pending(message.payer, meta.tenant or "", debits=-amount, now=now)
    if _mine(uow, message.payee, meta):
        uow.accounts.add_pending(message.payee, meta.tenant or "", credits=-amount, now=now)
    _saga(
        uow,
        message.transfer_id,
        now,
        hold=lambda inv: inv.on_hold_voided(message.transfer_id, message.reason, now),
    )


def on_transfer_refused(
    message: lg.TransferRefused, meta: Meta, uow: UnitOfWork, now: datetime
) -> None:
    _saga(
        uow,
        message.transfer_id,
        now,
        hold=lambda inv: inv.on_hold_refused(
            message.transfer_id, message.code, message.reason, now
        ),
        fee=lambda row: _commission_outcome(row, "refused", message.reason),
        reversal=lambda note: _reversal_outcome(note, "refused", message.reason),
    )


def _commission_outcome(row: Any, status: str, reason: str) -> None:
    if row.status == "pending":
        row.status, row.refusal_reason = status, reason[:300]
        if status == "refused":
            log.warning(
                "commission of invoice %s refused by the ledger: %s", row.invoice_number, reason
            )


def _reversal_outcome(note: Invoice, status: str, reason: str) -> bool:
    if note.reversal_status != "pending":
        return False
    note.reversal_status, note.reversal_reason = status, reason[:300]
    if status == "refused":
        log.warning("reversal of credit note %s refused by the ledger: %s", note.number, reason)
    return True


def _saga(
    uow: UnitOfWork,
    transfer_id: UUID,
    now: datetime,
    *,
    hold: Callable[[Invoice], Change] | None = None,
    fee: Callable[[Any], None] | None = None,
    reversal: Callable[[Invoice], bool] | None = None,
) -> None:
    """Route a ledger fact about one of our transfers to the invoice that asked for it."""
    link = uow.sagas.find([transfer_id]).get(transfer_id)
    if link is None:
        return  # a transfer of someone else: only the read model cared
    invoice_id, purpose = link
    if purpose == "hold" and hold is not None:
        invoice = uow.invoices.get(invoice_id, for_update=True)
        if invoice is None:
            return
        change = hold(invoice)
        if change.replayed and not change.commands:
            return
        note = None
        if "settled" in change.events:
            change.extend(_settle(uow, invoice, now))
        if "settled_after_cancellation" in change.events and invoice.credit_note_id:
            note = uow.invoices.get(invoice.credit_note_id, for_update=True)
            if note is not None:
                change.extend(invoice.reverse(note))
                uow.invoices.save(note)
        if not change.replayed:
            uow.invoices.save(invoice)
        _stage(uow, invoice, change, now, note=note)
    elif purpose == "fee" and fee is not None:
        row = uow.commissions.by_transfer(transfer_id)
        if row is not None:
            fee(row)
    elif purpose == "reversal" and reversal is not None:
        note = uow.invoices.get(invoice_id, for_update=True)
        if note is not None and reversal(note):
            uow.invoices.save(note)


def _settle(uow: UnitOfWork, invoice: Invoice, now: datetime) -> Change:
    """At settlement: the network's commission, paid by the seller (unit transfer or record);
    for a cross-network invoice also the buyer network's, paid by the buyer in its own unit."""
    change = Change()
    if invoice.number is None:
        return change
    commission = invoice.commission()
    if commission is not None:
        change.extend(
            _charge(
                uow,
                invoice,
                commission,
                now,
                side="seller",
                network=invoice.network,
                tenant=invoice.seller.tenant,
                payer=invoice.seller.member_id,
                transfer_id=ids.commission_transfer_id(invoice.id),
                unit=invoice.unit_code,
            )
        )
    buyer_commission = invoice.buyer_commission()
    if buyer_commission is not None and invoice.federation is not None:
        change.extend(
            _charge(
                uow,
                invoice,
                buyer_commission,
                now,
                side="buyer",
                network=invoice.federation.buyer_network,
                tenant=invoice.buyer.tenant,
                payer=invoice.buyer.member_id,
                transfer_id=ids.buyer_commission_transfer_id(invoice.id),
                unit=invoice.federation.buyer_unit,
            )
        )
    return change


def _charge(
    uow: UnitOfWork,
    invoice: Invoice,
    commission: Commission,
    now: datetime,
    *,
    side: str,
    network: str,
    tenant: str,
    payer: UUID,
    transfer_id: UUID,
    unit: str,
) -> Change:
    """Record one network's commission on ``invoice`` (once), and move it when in the unit."""
    assert invoice.number is not None
    change = Change()
    in_unit = commission.charged_in == "unit"
    added = uow.commissions.add(
        invoice_id=invoice.id,
        network=network,
        side=side,
        tenant=tenant,
        seller_member_id=invoice.seller.member_id,
        invoice_number=invoice.number,
        base=commission.base,
        rate=str(commission.rate),
        amount=commission.amount,
        charged_in=commission.charged_in,
        status="pending" if in_unit else "recorded",
        transfer_id=transfer_id if in_unit else None,
        refusal_reason="",
        settled_at=invoice.settled_at or now,
    )
    if not added:
        return change
    if in_unit:
        change.commands.append(
            MoveUnits(
                transfer_id=transfer_id,
                payer=payer,
                payee=ids.fees_account_id(network),
                amount=commission.amount,
                kind="fee",
                reference=f"Commission {commission.rate} % sur la facture {invoice.number}",
                network=None if network == invoice.network else network,
            )
        )
    uow.emit(
        ev.CommissionRecorded(
            invoice_id=invoice.id,
            number=invoice.number,
            seller_member_id=invoice.seller.member_id,
            base=_amount(commission.base),
            rate=commission.rate,
            amount=_amount(commission.amount),
            charged_in=commission.charged_in,  # type: ignore[arg-type]
            transfer_id=transfer_id if in_unit else None,
        ),
        network=network,
        tenants=(tenant,),
        subject=str(invoice.id),
    )
    return change


def ensure_kind(invoice: Invoice, kind: Kind) -> None:
    if invoice.kind is not kind:
        raise InvalidTransition(f"this is a {invoice.kind.value.replace('_', ' ')}")
