"""Persistence of the invoices: tables, row <-> domain mapping, repositories, the unit of work.

The only module of the service that speaks SQL. The handlers see repositories of domain objects
and a unit of work whose ``emit`` and ``send`` stage contract messages in the outbox, in the same
transaction as the change they announce or ask for. Invoices are not ``TenantScoped``: a
cross-tenant invoice belongs to the seller's tenant and is visible (read only) in the buyer's, so
every query names the tenants it may see (``visible_in``).

Numbering: ``invoice_counters`` holds the last number of each seller, series and year. Issuing
locks that row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` takes the
single write lock) in the issuing transaction and increments it, so numbers are gap-free (a
rolled-back issue gives its number back with the rollback) and chronological (the issue date is
read after the lock is held, so a later number never carries an earlier date).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    Engine,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from chassis import context
from chassis.audit import audit_table
from chassis.db import UTCDateTime, make_session_factory, new_metadata, utcnow
from chassis.messages import envelope_for
from chassis.money import format_rate
from chassis.outbox import Outbox, messaging_tables
from chassis.uow import SessionUnitOfWork
from invoices.domain.federation import CrossNetwork, Link, OtherNetwork, newer
from invoices.domain.fees import FeeTerms, MembershipFee
from invoices.domain.model import (
    Invoice,
    Kind,
    NetworkTerms,
    Party,
    Refusal,
    Status,
)
from invoices.domain.money import Line, Parts, format_quantity, totals_of
from invoices.domain.payments import Payment, PaymentKind, PaymentStatus

SOURCE = "invoices"


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


# --- copies of other services' facts -------------------------------------------------------------


class NetworkRow(Base):
    """A network's settings, kept from the gateway's ``network_created``/``network_updated``."""

    __tablename__ = "networks"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_code: Mapped[str] = mapped_column(String(12))
    unit_name: Mapped[str] = mapped_column(String(40))
    unit_symbol: Mapped[str] = mapped_column(String(12))
    payment_modes: Mapped[list[Any]] = mapped_column(JSON)
    vat_settlement: Mapped[str] = mapped_column(String(8))
    commission_rate: Mapped[str] = mapped_column(String(12))
    commission_charged_in: Mapped[str] = mapped_column(String(8))
    hold_expiry_days: Mapped[int] = mapped_column(Integer)
    buyer_acceptance_required: Mapped[bool] = mapped_column(Boolean)
    #: ``{amount (cents), charged_in, due, grace_days}``; NULL: no membership fee.
    membership_fee: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    direct_payments: Mapped[str] = mapped_column(String(8), default="off")
    direct_payments_threshold: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FederationLinkRow(Base):
    """A link between two networks, kept from the gateway's ``federation_link_*`` events.

    ``event_time`` is the envelope time of the event that wrote the row: an older event that
    arrives after a newer one changes nothing.
    """

    __tablename__ = "federation_links"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network_a: Mapped[str] = mapped_column(String(40), index=True)
    network_b: Mapped[str] = mapped_column(String(40), index=True)
    #: Decimal text: units of ``network_b`` for one unit of ``network_a``.
    rate: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    event_time: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TenantRow(Base):
    __tablename__ = "tenants"
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class MemberRow(Base):
    """A member of the directory, kept from the gateway's member events."""

    __tablename__ = "members"
    __table_args__ = (Index("ix_members_tenant", "tenant"),)
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40), index=True)
    tenant: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str] = mapped_column(String(14))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(3), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    #: The gateway's events carry no address yet; kept if a later version of them does.
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="active")
    #: When this service learned of the admission: the anniversary of a membership fee.
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AccountRow(Base):
    """The ledger's accounts as its events describe them: the queue shows what a buyer can pay.

    Balances are absolute values guarded by the per-tenant sequence of the event that set them;
    pending amounts are sums of deltas (commutative: any order of delivery gives the same sum).
    Each account is updated only from its own tenant's copy of an event (a cross-tenant transfer
    is published once per tenant), and the inbox applies each copy once.
    """

    __tablename__ = "accounts"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    unit: Mapped[str] = mapped_column(String(12), default="")
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    balance_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_limit: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pending_debits: Mapped[int] = mapped_column(BigInteger, default=0)
    pending_credits: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- the service's own data ----------------------------------------------------------------------


class InvoiceRow(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        Index("uq_invoices_seller_number", "seller_member_id", "number", unique=True),
        Index("ix_invoices_seller_tenant_status", "seller_tenant", "status", "awaiting_since"),
        Index("ix_invoices_buyer_tenant", "buyer_tenant", "created_at"),
        Index("ix_invoices_seller_created", "seller_member_id", "created_at"),
        Index("ix_invoices_buyer_created", "buyer_member_id", "created_at"),
        Index("ix_invoices_transfer", "transfer_id"),
        Index("ix_invoices_federation_link", "federation_link_id", "status"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    network: Mapped[str] = mapped_column(String(40))
    seller_tenant: Mapped[str] = mapped_column(String(64))
    buyer_tenant: Mapped[str] = mapped_column(String(64))
    seller_member_id: Mapped[UUID] = mapped_column(Uuid)
    buyer_member_id: Mapped[UUID] = mapped_column(Uuid)
    seller: Mapped[dict[str, Any]] = mapped_column(JSON)
    buyer: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(24))
    number: Mapped[str | None] = mapped_column(String(24))
    payment_mode: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[Any]] = mapped_column(JSON)
    delivery_date: Mapped[date] = mapped_column(Date)
    issue_date: Mapped[date | None] = mapped_column(Date)
    total_excl_vat: Mapped[int] = mapped_column(BigInteger)
    total_vat: Mapped[int] = mapped_column(BigInteger)
    total_incl_vat: Mapped[int] = mapped_column(BigInteger)
    unit_part: Mapped[int] = mapped_column(BigInteger)
    euro_part: Mapped[int] = mapped_column(BigInteger)
    vat_settlement: Mapped[str] = mapped_column(String(8))
    unit_code: Mapped[str] = mapped_column(String(12))
    unit_name: Mapped[str] = mapped_column(String(40))
    unit_symbol: Mapped[str] = mapped_column(String(12))
    network_name: Mapped[str] = mapped_column(String(200))
    listing_id: Mapped[UUID | None] = mapped_column(Uuid)
    buyer_reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(1000), default="")
    vat_exemption_reason: Mapped[str] = mapped_column(String(300), default="")
    acceptance_required: Mapped[bool] = mapped_column(Boolean)
    euro_status: Mapped[str] = mapped_column(String(8))
    euro_paid_on: Mapped[date | None] = mapped_column(Date)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    transfer_id: Mapped[UUID | None] = mapped_column(Uuid)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refusal_code: Mapped[str | None] = mapped_column(String(40))
    refusal_reason: Mapped[str | None] = mapped_column(String(300))
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dispute_reason: Mapped[str] = mapped_column(String(500), default="")
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    credited_invoice_id: Mapped[UUID | None] = mapped_column(Uuid)
    credited_invoice_number: Mapped[str | None] = mapped_column(String(24))
    credited_invoice_date: Mapped[date | None] = mapped_column(Date)
    credit_note_id: Mapped[UUID | None] = mapped_column(Uuid)
    reversal_transfer_id: Mapped[UUID | None] = mapped_column(Uuid)
    reversal_status: Mapped[str | None] = mapped_column(String(10))
    reversal_reason: Mapped[str] = mapped_column(String(300), default="")
    commission_rate: Mapped[str] = mapped_column(String(12))
    commission_charged_in: Mapped[str] = mapped_column(String(8))
    #: The buyer's side of a cross-network invoice (``CrossNetwork.as_dict``), else NULL.
    federation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    federation_link_id: Mapped[UUID | None] = mapped_column(Uuid, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    awaiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_by: Mapped[str | None] = mapped_column(String(100))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=0)


class CounterRow(Base):
    """The last number given in a seller's series (``F`` invoices, ``A`` credit notes) and the
    year it belongs to: a new year starts again at 1."""

    __tablename__ = "invoice_counters"
    seller_member_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    series: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)


class SagaTransferRow(Base):
    """Which invoice asked the ledger for which transfer (hold, commission, reversal)."""

    __tablename__ = "saga_transfers"
    transfer_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    invoice_id: Mapped[UUID] = mapped_column(Uuid, index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CommissionRow(Base):
    """A network's commission on a settled invoice, for its operator: one per invoice and
    network (a cross-network invoice has one in the seller's network, paid by the seller, and
    one in the buyer's, paid by the buyer: ``side``)."""

    __tablename__ = "commissions"
    __table_args__ = (Index("ix_commissions_network_settled", "network", "settled_at"),)
    invoice_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Who pays it: ``seller`` (the seller's network, as always) or ``buyer``.
    side: Mapped[str] = mapped_column(String(6), default="seller")
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    seller_member_id: Mapped[UUID] = mapped_column(Uuid)
    invoice_number: Mapped[str] = mapped_column(String(24))
    base: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[str] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(BigInteger)
    charged_in: Mapped[str] = mapped_column(String(8))
    #: ``recorded`` (euros, to bill), ``pending`` / ``charged`` / ``refused`` (unit transfer).
    status: Mapped[str] = mapped_column(String(10))
    transfer_id: Mapped[UUID | None] = mapped_column(Uuid)
    refusal_reason: Mapped[str] = mapped_column(String(300), default="")
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PaymentRow(Base):
    """A payment without an invoice (a request or a direct payment), see ``domain.payments``.

    It belongs to the payee's tenant (whose animators validate it) and is visible, read only
    but for the payer's own actions, in the payer's. Between two linked networks ``network`` is
    the one of the member who wrote it and ``federation`` the other side, frozen at creation."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_payee_tenant", "payee_tenant", "created_at"),
        Index("ix_payments_payer_tenant", "payer_tenant", "created_at"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    network: Mapped[str] = mapped_column(String(40))
    payer_member_id: Mapped[UUID] = mapped_column(Uuid, index=True)
    payee_member_id: Mapped[UUID] = mapped_column(Uuid, index=True)
    payer_tenant: Mapped[str] = mapped_column(String(64))
    payee_tenant: Mapped[str] = mapped_column(String(64))
    payer: Mapped[dict[str, Any]] = mapped_column(JSON)
    payee: Mapped[dict[str, Any]] = mapped_column(JSON)
    amount: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(200))
    unit_code: Mapped[str] = mapped_column(String(12))
    validation_threshold: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(24), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    transfer_id: Mapped[UUID | None] = mapped_column(Uuid)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refusal: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decline_reason: Mapped[str] = mapped_column(String(300), default="")
    rejection_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    awaiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_by: Mapped[str | None] = mapped_column(String(200))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    federation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    federation_link_id: Mapped[UUID | None] = mapped_column(Uuid, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class MembershipFeeRow(Base):
    """A member's membership fee of one period: one row per ``fee:<member>:<period>``."""

    __tablename__ = "membership_fees"
    __table_args__ = (
        UniqueConstraint("member_id", "period", name="uq_membership_fees_member_period"),
        Index("ix_membership_fees_tenant_status", "tenant", "status"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    tenant: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[UUID] = mapped_column(Uuid)
    member_name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    charged_in: Mapped[str] = mapped_column(String(8))
    unit_code: Mapped[str] = mapped_column(String(12))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    transfer_id: Mapped[UUID | None] = mapped_column(Uuid)
    refusal_reason: Mapped[str] = mapped_column(String(300), default="")
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_by: Mapped[str | None] = mapped_column(String(200))
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DocumentRow(Base):
    """The Factur-X PDF of an issued invoice, rendered once: the document is immutable too."""

    __tablename__ = "documents"
    invoice_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


outbox_table, outbox_sequence_table, inbox_table = messaging_tables(Base.metadata)
#: Each event of a tenant lands in the tenant's log (commands to the ledger do not).
OUTBOX = Outbox(outbox_table, f"/{SOURCE}", sequence_events=True)
#: The staff actions the invoices service performed (validations, rejections).
audit_entries = audit_table(Base.metadata)


# --- row <-> domain ------------------------------------------------------------------------------


def terms_of(row: NetworkRow) -> NetworkTerms:
    return NetworkTerms(
        slug=row.slug,
        name=row.name,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        unit_symbol=row.unit_symbol,
        payment_modes=tuple(int(m) for m in row.payment_modes),
        vat_settlement=row.vat_settlement,
        commission_rate=Decimal(row.commission_rate),
        commission_charged_in=row.commission_charged_in,
        hold_expiry_days=row.hold_expiry_days,
        buyer_acceptance_required=row.buyer_acceptance_required,
        membership_fee=FeeTerms(**row.membership_fee) if row.membership_fee else None,
        direct_payments=row.direct_payments or "off",
        direct_payments_threshold=int(row.direct_payments_threshold or 0),
    )


def party_of(row: MemberRow) -> Party:
    from invoices.domain.model import Address

    address = None
    if row.address:
        try:
            address = Address.parse(row.address, "address")
        except Exception:  # a malformed address from upstream is as good as none
            address = None
    return Party(
        member_id=row.id,
        tenant=row.tenant,
        name=row.name,
        siret=row.siret,
        vat_number=row.vat_number or None,
        address=address,
        status=row.status,
    )


def _line_dict(line: Line) -> dict[str, Any]:
    return {
        "description": line.description,
        "quantity": format_quantity(line.quantity),
        "unit_price": line.unit_price,
        "vat_rate": format_rate(line.vat_rate),
        "total_excl_vat": line.total_excl_vat,
        "vat": line.vat,
    }


def _line_of(raw: dict[str, Any]) -> Line:
    return Line(
        description=raw["description"],
        quantity=Decimal(raw["quantity"]),
        unit_price=int(raw["unit_price"]),
        vat_rate=Decimal(raw["vat_rate"]),
        total_excl_vat=int(raw["total_excl_vat"]),
        vat=int(raw["vat"]),
    )


def invoice_of(row: InvoiceRow) -> Invoice:
    lines = tuple(_line_of(raw) for raw in row.lines)
    refusal = None
    if row.refusal_code:
        refusal = Refusal(row.refusal_code, row.refusal_reason or "", row.refused_at or utcnow())
    return Invoice(
        id=row.id,
        network=row.network,
        seller=Party.from_dict(row.seller),
        buyer=Party.from_dict(row.buyer),
        lines=lines,
        payment_mode=row.payment_mode,
        delivery_date=row.delivery_date,
        totals=totals_of(lines),
        parts=Parts(row.unit_part, row.euro_part),
        vat_settlement=row.vat_settlement,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        unit_symbol=row.unit_symbol,
        network_name=row.network_name,
        created_at=row.created_at,
        kind=Kind(row.kind),
        status=Status(row.status),
        number=row.number,
        issue_date=row.issue_date,
        listing_id=row.listing_id,
        buyer_reference=row.buyer_reference,
        note=row.note,
        vat_exemption_reason=row.vat_exemption_reason,
        acceptance_required=row.acceptance_required,
        euro_status=row.euro_status,
        euro_paid_on=row.euro_paid_on,
        attempt=row.attempt,
        transfer_id=row.transfer_id,
        hold_expires_at=row.hold_expires_at,
        refusal=refusal,
        dispute_reason=row.dispute_reason,
        rejection_reason=row.rejection_reason,
        cancel_reason=row.cancel_reason,
        credited_invoice_id=row.credited_invoice_id,
        credited_invoice_number=row.credited_invoice_number,
        credited_invoice_date=row.credited_invoice_date,
        credit_note_id=row.credit_note_id,
        reversal_transfer_id=row.reversal_transfer_id,
        reversal_status=row.reversal_status,
        reversal_reason=row.reversal_reason,
        commission_rate=Decimal(row.commission_rate),
        commission_charged_in=row.commission_charged_in,
        federation=CrossNetwork.from_dict(row.federation),
        issued_at=row.issued_at,
        accepted_at=row.accepted_at,
        awaiting_since=row.awaiting_since,
        validated_at=row.validated_at,
        validated_by=row.validated_by,
        settled_at=row.settled_at,
        closed_at=row.closed_at,
        version=row.version,
    )


def _row_values(invoice: Invoice) -> dict[str, Any]:
    refusal = invoice.refusal
    return {
        "kind": invoice.kind.value,
        "network": invoice.network,
        "seller_tenant": invoice.seller.tenant,
        "buyer_tenant": invoice.buyer.tenant,
        "seller_member_id": invoice.seller.member_id,
        "buyer_member_id": invoice.buyer.member_id,
        "seller": invoice.seller.as_dict(),
        "buyer": invoice.buyer.as_dict(),
        "status": invoice.status.value,
        "number": invoice.number,
        "payment_mode": invoice.payment_mode,
        "lines": [_line_dict(line) for line in invoice.lines],
        "delivery_date": invoice.delivery_date,
        "issue_date": invoice.issue_date,
        "total_excl_vat": invoice.totals.total_excl_vat,
        "total_vat": invoice.totals.total_vat,
        "total_incl_vat": invoice.totals.total_incl_vat,
        "unit_part": invoice.parts.unit_part,
        "euro_part": invoice.parts.euro_part,
        "vat_settlement": invoice.vat_settlement,
        "unit_code": invoice.unit_code,
        "unit_name": invoice.unit_name,
        "unit_symbol": invoice.unit_symbol,
        "network_name": invoice.network_name,
        "listing_id": invoice.listing_id,
        "buyer_reference": invoice.buyer_reference,
        "note": invoice.note,
        "vat_exemption_reason": invoice.vat_exemption_reason,
        "acceptance_required": invoice.acceptance_required,
        "euro_status": invoice.euro_status,
        "euro_paid_on": invoice.euro_paid_on,
        "attempt": invoice.attempt,
        "transfer_id": invoice.transfer_id,
        "hold_expires_at": invoice.hold_expires_at,
        "refusal_code": refusal.code if refusal else None,
        "refusal_reason": refusal.reason if refusal else None,
        "refused_at": refusal.at if refusal else None,
        "dispute_reason": invoice.dispute_reason,
        "rejection_reason": invoice.rejection_reason,
        "cancel_reason": invoice.cancel_reason,
        "credited_invoice_id": invoice.credited_invoice_id,
        "credited_invoice_number": invoice.credited_invoice_number,
        "credited_invoice_date": invoice.credited_invoice_date,
        "credit_note_id": invoice.credit_note_id,
        "reversal_transfer_id": invoice.reversal_transfer_id,
        "reversal_status": invoice.reversal_status,
        "reversal_reason": invoice.reversal_reason,
        "commission_rate": format_rate(invoice.commission_rate),
        "commission_charged_in": invoice.commission_charged_in,
        "federation": invoice.federation.as_dict() if invoice.federation else None,
        "federation_link_id": invoice.federation.link_id if invoice.federation else None,
        "created_at": invoice.created_at,
        "issued_at": invoice.issued_at,
        "accepted_at": invoice.accepted_at,
        "awaiting_since": invoice.awaiting_since,
        "validated_at": invoice.validated_at,
        "validated_by": invoice.validated_by,
        "settled_at": invoice.settled_at,
        "closed_at": invoice.closed_at,
    }


# --- repositories --------------------------------------------------------------------------------


class Networks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, slug: str) -> NetworkTerms | None:
        row = self.session.get(NetworkRow, slug)
        return terms_of(row) if row else None

    def upsert(self, terms: NetworkTerms, now: datetime) -> None:
        row = self.session.get(NetworkRow, terms.slug, with_for_update=True)
        values = {
            "name": terms.name,
            "unit_code": terms.unit_code,
            "unit_name": terms.unit_name,
            "unit_symbol": terms.unit_symbol,
            "payment_modes": list(terms.payment_modes),
            "vat_settlement": terms.vat_settlement,
            "commission_rate": format_rate(terms.commission_rate),
            "commission_charged_in": terms.commission_charged_in,
            "hold_expiry_days": terms.hold_expiry_days,
            "buyer_acceptance_required": terms.buyer_acceptance_required,
            "membership_fee": (
                None
                if terms.membership_fee is None
                else {
                    "amount": terms.membership_fee.amount,
                    "charged_in": terms.membership_fee.charged_in,
                    "due": terms.membership_fee.due,
                    "grace_days": terms.membership_fee.grace_days,
                }
            ),
            "direct_payments": terms.direct_payments,
            "direct_payments_threshold": terms.direct_payments_threshold,
            "updated_at": now,
        }
        if row is None:
            self.session.add(NetworkRow(slug=terms.slug, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)

    def add_tenant(self, slug: str, network: str, name: str) -> None:
        row = self.session.get(TenantRow, slug)
        if row is None:
            self.session.add(TenantRow(slug=slug, network=network, name=name))
        else:
            row.network, row.name = network, name


class Links:
    """The copy of the links between networks."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def apply(self, link: Link, event_time: datetime, now: datetime) -> bool:
        """Keep ``link`` unless an event newer than ``event_time`` wrote it; True if kept."""
        row = self.session.get(FederationLinkRow, link.id, with_for_update=True)
        if row is not None and not newer(row.event_time, event_time):
            return False
        values = {
            "network_a": link.network_a,
            "network_b": link.network_b,
            "rate": format_rate(link.rate),
            "status": link.status,
            "event_time": event_time,
            "updated_at": now,
        }
        if row is None:
            self.session.add(FederationLinkRow(id=link.id, **values))
            self.session.flush()
        else:
            for key, value in values.items():
                setattr(row, key, value)
        return True

    def between(self, one: str, other: str) -> Link | None:
        """The link joining two networks (either way round), active or not."""
        row = (
            self.session.execute(
                select(FederationLinkRow).where(
                    or_(
                        and_(
                            FederationLinkRow.network_a == one, FederationLinkRow.network_b == other
                        ),
                        and_(
                            FederationLinkRow.network_a == other, FederationLinkRow.network_b == one
                        ),
                    )
                )
            )
            .scalars()
            .first()
        )
        return _link_of(row) if row else None

    def drafts_of(self, link_id: UUID) -> list[UUID]:
        """The drafts that follow a link's rate (their rate is not frozen yet)."""
        return list(
            self.session.execute(
                select(InvoiceRow.id).where(
                    InvoiceRow.federation_link_id == link_id,
                    InvoiceRow.status == Status.DRAFT.value,
                )
            ).scalars()
        )


def _link_of(row: FederationLinkRow) -> Link:
    return Link(
        id=row.id,
        network_a=row.network_a,
        network_b=row.network_b,
        rate=Decimal(row.rate),
        status=row.status,
        updated_at=row.event_time,
    )


class Members:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, member_id: UUID) -> Party | None:
        row = self.session.get(MemberRow, member_id)
        return party_of(row) if row else None

    def network_of(self, member_id: UUID) -> str | None:
        row = self.session.get(MemberRow, member_id)
        return row.network if row else None

    def upsert(
        self, member_id: UUID, *, network: str, tenant: str, now: datetime, **values: Any
    ) -> None:
        row = self.session.get(MemberRow, member_id)
        if row is None:
            values.setdefault("status", "active")
            self.session.add(
                MemberRow(
                    id=member_id,
                    network=network,
                    tenant=tenant,
                    admitted_at=now,
                    updated_at=now,
                    **values,
                )
            )
            return
        row.network, row.tenant, row.updated_at = network, tenant, now
        for key, value in values.items():
            if key == "address" and value is None:
                continue  # an event without an address keeps the one known
            setattr(row, key, value)

    def set_status(self, member_id: UUID, status: str, now: datetime) -> bool:
        result = self.session.execute(
            update(MemberRow).where(MemberRow.id == member_id).values(status=status, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class Accounts:
    """The accounts read model (see :class:`AccountRow`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, account_id: UUID, tenant: str, now: datetime) -> AccountRow:
        row = self.session.get(AccountRow, account_id, with_for_update=True)
        if row is None:
            row = AccountRow(
                id=account_id,
                tenant=tenant,
                unit="",
                balance=0,
                balance_seq=0,
                credit_limit=0,
                credit_seq=0,
                pending_debits=0,
                pending_credits=0,
                updated_at=now,
            )
            self.session.add(row)
            self.session.flush()
        return row

    def home_of(self, account_id: UUID) -> str | None:
        """The tenant of a member's account: the account's own, else the member's."""
        row = self.session.get(AccountRow, account_id)
        if row is not None:
            return row.tenant
        member = self.session.get(MemberRow, account_id)
        return member.tenant if member else None

    def set_limit(
        self,
        account_id: UUID,
        tenant: str,
        unit: str,
        credit_limit: int,
        seq: int | None,
        now: datetime,
    ) -> None:
        row = self._row(account_id, tenant, now)
        if seq is None or seq >= row.credit_seq:
            row.credit_limit, row.credit_seq = credit_limit, seq or row.credit_seq
        row.unit = unit or row.unit
        row.updated_at = now

    def set_balance(
        self, account_id: UUID, tenant: str, balance: int, seq: int | None, now: datetime
    ) -> None:
        row = self._row(account_id, tenant, now)
        if seq is None or seq >= row.balance_seq:
            row.balance, row.balance_seq = balance, seq or row.balance_seq
        row.updated_at = now

    def add_pending(
        self, account_id: UUID, tenant: str, *, debits: int = 0, credits: int = 0, now: datetime
    ) -> None:
        row = self._row(account_id, tenant, now)
        row.pending_debits += debits
        row.pending_credits += credits
        row.updated_at = now

    def available(self, account_ids: Iterable[UUID]) -> dict[UUID, int]:
        ids = list(set(account_ids))
        if not ids:
            return {}
        rows = self.session.execute(
            select(
                AccountRow.id,
                AccountRow.balance - AccountRow.pending_debits + AccountRow.credit_limit,
            ).where(AccountRow.id.in_(ids))
        ).all()
        return {row[0]: int(row[1]) for row in rows}


class Invoices:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, invoice_id: UUID, *, for_update: bool = False) -> Invoice | None:
        row = self.session.get(
            InvoiceRow, invoice_id, with_for_update=for_update or None, populate_existing=for_update
        )
        return invoice_of(row) if row else None

    def add(self, invoice: Invoice, created_by: str = "") -> None:
        self.session.add(
            InvoiceRow(
                id=invoice.id,
                created_by=created_by[:100],
                updated_at=utcnow(),
                version=0,
                **_row_values(invoice),
            )
        )
        self.session.flush()

    def save(self, invoice: Invoice) -> None:
        """Write the invoice back (the caller holds its row lock)."""
        values = _row_values(invoice)
        values.pop("created_at")
        self.session.execute(
            update(InvoiceRow)
            .where(InvoiceRow.id == invoice.id)
            .values(**values, updated_at=utcnow(), version=InvoiceRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        invoice.version += 1

    def delete_draft(self, invoice_id: UUID) -> None:
        row = self.session.get(InvoiceRow, invoice_id)
        if row is not None and row.status == Status.DRAFT.value:
            self.session.delete(row)

    def row(self, invoice_id: UUID) -> InvoiceRow | None:
        return self.session.get(InvoiceRow, invoice_id)


class Counters:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next(
        self,
        seller: UUID,
        series: str,
        clock: Callable[[], datetime],
        local_year: Callable[[datetime], int],
    ) -> tuple[int, int, datetime]:
        """The next number of a seller's series, its year, and the instant it was given.

        The counter row is locked first and the clock read after: of two issues of one seller,
        the one numbered first is also dated first (chronological), and the number is taken in
        the caller's transaction (a rollback gives it back: gap-free).
        """
        bind = self.session.get_bind()
        table = CounterRow.__table__
        key = and_(table.c.seller_member_id == seller, table.c.series == series)
        if bind.dialect.name == "postgresql":
            # Creating the row races with a concurrent first issue: ON CONFLICT makes the loser
            # wait for the winner's commit, then both queue on the one row's lock below.
            self.session.execute(
                postgresql.insert(table)
                .values(seller_member_id=seller, series=series, year=0, last=0)
                .on_conflict_do_nothing()
            )
        else:
            self.session.execute(
                insert(table)
                .values(seller_member_id=seller, series=series, year=0, last=0)
                .prefix_with("OR IGNORE")
            )
        year, last = self.session.execute(
            select(table.c.year, table.c.last).where(key).with_for_update()
        ).one()
        moment = clock()
        current = local_year(moment)
        number = 1 if current != year else int(last) + 1
        self.session.execute(update(table).where(key).values(year=current, last=number))
        return number, current, moment


class Sagas:
    """Links between the ledger's transfers and the invoices that asked for them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def link(self, transfer_id: UUID, invoice_id: UUID, purpose: str, now: datetime) -> None:
        if self.session.get(SagaTransferRow, transfer_id) is None:
            self.session.add(
                SagaTransferRow(
                    transfer_id=transfer_id, invoice_id=invoice_id, purpose=purpose, created_at=now
                )
            )
            self.session.flush()

    def find(self, transfer_ids: Iterable[UUID]) -> dict[UUID, tuple[UUID, str]]:
        ids = list(set(transfer_ids))
        if not ids:
            return {}
        rows = self.session.execute(
            select(SagaTransferRow).where(SagaTransferRow.transfer_id.in_(ids))
        ).scalars()
        return {r.transfer_id: (r.invoice_id, r.purpose) for r in rows}


class Commissions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, invoice_id: UUID, network: str | None = None) -> CommissionRow | None:
        """The commission of an invoice in ``network`` (default: the seller's side)."""
        cond = [CommissionRow.invoice_id == invoice_id]
        cond.append(
            CommissionRow.network == network
            if network is not None
            else CommissionRow.side == "seller"
        )
        return self.session.execute(
            select(CommissionRow).where(*cond).with_for_update()
        ).scalar_one_or_none()

    def add(self, **values: Any) -> bool:
        """Record an invoice's commission in a network; False if it has one there already."""
        row = CommissionRow(**values)
        if self.session.get(CommissionRow, (row.invoice_id, row.network)) is not None:
            return False
        self.session.add(row)
        self.session.flush()
        return True

    def by_transfer(self, transfer_id: UUID) -> CommissionRow | None:
        return self.session.execute(
            select(CommissionRow).where(CommissionRow.transfer_id == transfer_id).with_for_update()
        ).scalar_one_or_none()


def payment_of(row: PaymentRow) -> Payment:
    refusal = None
    if row.refusal:
        refusal = Refusal(
            row.refusal["code"], row.refusal["reason"], datetime.fromisoformat(row.refusal["at"])
        )
    return Payment(
        id=row.id,
        kind=PaymentKind(row.kind),
        network=row.network,
        payer=Party.from_dict(row.payer),
        payee=Party.from_dict(row.payee),
        amount=row.amount,
        description=row.description,
        unit_code=row.unit_code,
        validation_threshold=row.validation_threshold,
        created_at=row.created_at,
        created_by=row.created_by,
        idempotency_key=row.idempotency_key,
        status=PaymentStatus(row.status),
        attempt=row.attempt,
        transfer_id=row.transfer_id,
        hold_expires_at=row.hold_expires_at,
        refusal=refusal,
        decline_reason=row.decline_reason,
        rejection_reason=row.rejection_reason,
        accepted_at=row.accepted_at,
        awaiting_since=row.awaiting_since,
        validated_at=row.validated_at,
        validated_by=row.validated_by,
        settled_at=row.settled_at,
        closed_at=row.closed_at,
        federation=OtherNetwork.from_dict(row.federation),
        version=row.version,
    )


def _payment_values(payment: Payment) -> dict[str, Any]:
    refusal = payment.refusal
    return {
        "kind": payment.kind.value,
        "network": payment.network,
        "payer_member_id": payment.payer.member_id,
        "payee_member_id": payment.payee.member_id,
        "payer_tenant": payment.payer.tenant,
        "payee_tenant": payment.payee.tenant,
        "payer": payment.payer.as_dict(),
        "payee": payment.payee.as_dict(),
        "amount": payment.amount,
        "description": payment.description,
        "unit_code": payment.unit_code,
        "validation_threshold": payment.validation_threshold,
        "status": payment.status.value,
        "idempotency_key": payment.idempotency_key,
        "created_by": payment.created_by,
        "attempt": payment.attempt,
        "transfer_id": payment.transfer_id,
        "hold_expires_at": payment.hold_expires_at,
        "refusal": (
            {"code": refusal.code, "reason": refusal.reason, "at": refusal.at.isoformat()}
            if refusal
            else None
        ),
        "decline_reason": payment.decline_reason,
        "rejection_reason": payment.rejection_reason,
        "created_at": payment.created_at,
        "accepted_at": payment.accepted_at,
        "awaiting_since": payment.awaiting_since,
        "validated_at": payment.validated_at,
        "validated_by": payment.validated_by,
        "settled_at": payment.settled_at,
        "closed_at": payment.closed_at,
        "federation": payment.federation.as_dict() if payment.federation else None,
        "federation_link_id": payment.federation.link_id if payment.federation else None,
    }


class Payments:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, payment_id: UUID, *, for_update: bool = False) -> Payment | None:
        row = self.session.get(PaymentRow, payment_id, with_for_update=for_update)
        return payment_of(row) if row else None

    def add(self, payment: Payment) -> bool:
        """Store a new payment; False if one with this id exists (a replayed request)."""
        if self.session.get(PaymentRow, payment.id) is not None:
            return False
        self.session.add(PaymentRow(id=payment.id, version=0, **_payment_values(payment)))
        self.session.flush()
        return True

    def save(self, payment: Payment) -> None:
        row = self.session.get(PaymentRow, payment.id)
        assert row is not None
        for key, value in _payment_values(payment).items():
            setattr(row, key, value)
        row.version = payment.version = payment.version + 1


def list_payments(
    session: Session,
    *,
    tenant: str,
    kind: str,
    member_id: UUID | None,
    statuses: Sequence[str],
    limit: int,
    offset: int,
) -> tuple[list[Payment], int]:
    """The payments of a kind a tenant sees (as payee's or payer's tenant), newest first."""
    cond = and_(
        PaymentRow.kind == kind,
        or_(PaymentRow.payee_tenant == tenant, PaymentRow.payer_tenant == tenant),
    )
    if member_id is not None:
        cond = and_(
            cond,
            or_(PaymentRow.payer_member_id == member_id, PaymentRow.payee_member_id == member_id),
        )
    if statuses:
        cond = and_(cond, PaymentRow.status.in_(list(statuses)))
    total = session.execute(select(func.count()).select_from(PaymentRow).where(cond)).scalar_one()
    rows = session.execute(
        select(PaymentRow)
        .where(cond)
        .order_by(PaymentRow.created_at.desc(), PaymentRow.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return [payment_of(r) for r in rows], int(total)


def fee_of(row: MembershipFeeRow) -> MembershipFee:
    return MembershipFee(
        id=row.id,
        network=row.network,
        tenant=row.tenant,
        member_id=row.member_id,
        member_name=row.member_name,
        period=row.period,
        amount=row.amount,
        charged_in=row.charged_in,
        unit_code=row.unit_code,
        due_on=row.due_on,
        status=row.status,
        created_at=row.created_at,
        transfer_id=row.transfer_id,
        refusal_reason=row.refusal_reason,
        paid_on=row.paid_on,
        paid_by=row.paid_by,
        overdue_notified_at=row.overdue_notified_at,
    )


_FEE_FIELDS = (
    "status",
    "refusal_reason",
    "paid_on",
    "paid_by",
    "overdue_notified_at",
)


class Fees:
    """Membership fees: one row per member and period (the idempotency key)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, fee_id: UUID, *, for_update: bool = False) -> MembershipFee | None:
        row = self.session.get(MembershipFeeRow, fee_id, with_for_update=for_update)
        return fee_of(row) if row else None

    def add(self, fee: MembershipFee) -> bool:
        """Record a fee; False when this member's fee of this period exists already.

        On PostgreSQL ``INSERT ... ON CONFLICT DO NOTHING``: two workers charging at once
        record it once, and only the one that inserted it sends the ledger its transfer."""
        values = {
            "id": fee.id,
            "network": fee.network,
            "tenant": fee.tenant,
            "member_id": fee.member_id,
            "member_name": fee.member_name,
            "period": fee.period,
            "amount": fee.amount,
            "charged_in": fee.charged_in,
            "unit_code": fee.unit_code,
            "due_on": fee.due_on,
            "status": fee.status,
            "transfer_id": fee.transfer_id,
            "refusal_reason": fee.refusal_reason,
            "created_at": fee.created_at,
        }
        if self.session.get_bind().dialect.name == "postgresql":
            inserted = self.session.execute(
                postgresql.insert(MembershipFeeRow)
                .values(**values)
                .on_conflict_do_nothing()
                .returning(MembershipFeeRow.id)
            ).first()
            return inserted is not None
        if self.session.get(MembershipFeeRow, fee.id) is not None:
            return False
        self.session.add(MembershipFeeRow(**values))
        self.session.flush()
        return True

    def save(self, fee: MembershipFee) -> None:
        row = self.session.get(MembershipFeeRow, fee.id)
        assert row is not None
        for name in _FEE_FIELDS:
            setattr(row, name, getattr(fee, name))

    def charged_members(self, network: str, period: str) -> set[UUID]:
        return set(
            self.session.execute(
                select(MembershipFeeRow.member_id).where(
                    MembershipFeeRow.network == network, MembershipFeeRow.period == period
                )
            ).scalars()
        )

    def unpaid(self, network: str) -> list[MembershipFee]:
        rows = self.session.execute(
            select(MembershipFeeRow).where(
                MembershipFeeRow.network == network,
                MembershipFeeRow.status == "due",
                MembershipFeeRow.overdue_notified_at.is_(None),
            )
        ).scalars()
        return [fee_of(r) for r in rows]


def fee_networks(session: Session) -> list[NetworkTerms]:
    """The networks that charge a membership fee."""
    rows = session.execute(
        select(NetworkRow).where(NetworkRow.membership_fee.is_not(None)).order_by(NetworkRow.slug)
    ).scalars()
    return [terms_of(r) for r in rows if r.membership_fee]


def active_members(session: Session, network: str) -> list[tuple[UUID, str, str, datetime]]:
    """``(id, tenant, name, admitted_at)`` of the network's active members."""
    rows = session.execute(
        select(
            MemberRow.id,
            MemberRow.tenant,
            MemberRow.name,
            MemberRow.admitted_at,
            MemberRow.updated_at,
        )
        .where(MemberRow.network == network, MemberRow.status == "active")
        .order_by(MemberRow.id)
    ).all()
    return [(r[0], r[1], r[2], r[3] or r[4]) for r in rows]


def list_fees(
    session: Session,
    *,
    tenant: str,
    statuses: Sequence[str],
    member_id: UUID | None,
    limit: int | None,
    offset: int,
) -> tuple[list[MembershipFee], int]:
    cond = MembershipFeeRow.tenant == tenant
    if statuses:
        cond = and_(cond, MembershipFeeRow.status.in_(list(statuses)))
    if member_id is not None:
        cond = and_(cond, MembershipFeeRow.member_id == member_id)
    total = session.execute(
        select(func.count()).select_from(MembershipFeeRow).where(cond)
    ).scalar_one()
    query = (
        select(MembershipFeeRow)
        .where(cond)
        .order_by(MembershipFeeRow.due_on.desc(), MembershipFeeRow.member_name, MembershipFeeRow.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [fee_of(r) for r in session.execute(query).scalars()], int(total)


# --- queries of the HTTP side --------------------------------------------------------------------


def count_by_status(conn: Connection) -> dict[str, int]:
    """How many invoices are in each status (one GROUP BY, for the ``troc_invoices`` gauge)."""
    row = InvoiceRow.__table__.c
    return {
        status: int(count)
        for status, count in conn.execute(
            select(row.status, func.count()).group_by(row.status)
        ).all()
    }


def network_of_tenant(session: Session, tenant: str) -> str | None:
    """The network of a tenant the service knows (from the gateway's events), else None."""
    row = session.get(TenantRow, tenant)
    return row.network if row else None


def visible_in(tenant: str) -> Any:
    """Invoices a tenant may see: those of its sellers, and those sent to its buyers."""
    return or_(InvoiceRow.seller_tenant == tenant, InvoiceRow.buyer_tenant == tenant)


def of_member(member_id: UUID) -> Any:
    return or_(InvoiceRow.seller_member_id == member_id, InvoiceRow.buyer_member_id == member_id)


def list_invoices(
    session: Session,
    *,
    tenant: str,
    member_id: UUID | None = None,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    role: str | None = None,
    queue: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[InvoiceRow], int]:
    """A page of the invoices ``tenant`` may see, filtered; the queue is oldest first."""
    cond = visible_in(tenant)
    if queue:
        # The animators' queue: only their own sellers' invoices can be validated by them.
        cond = and_(
            InvoiceRow.seller_tenant == tenant,
            InvoiceRow.status == Status.AWAITING_VALIDATION.value,
        )
    if member_id is not None:
        if role == "seller":
            cond = and_(cond, InvoiceRow.seller_member_id == member_id)
        elif role == "buyer":
            cond = and_(
                cond,
                InvoiceRow.buyer_member_id == member_id,
                InvoiceRow.status != Status.DRAFT.value,
            )
        else:
            # A member sees what it sells and what it is sent (never another's drafts).
            cond = and_(
                cond,
                or_(
                    InvoiceRow.seller_member_id == member_id,
                    and_(
                        InvoiceRow.buyer_member_id == member_id,
                        InvoiceRow.status != Status.DRAFT.value,
                    ),
                ),
            )
    if statuses:
        cond = and_(cond, InvoiceRow.status.in_(list(statuses)))
    if kinds:
        cond = and_(cond, InvoiceRow.kind.in_(list(kinds)))
    if since is not None:
        cond = and_(
            cond, func.coalesce(InvoiceRow.issue_date, func.date(InvoiceRow.created_at)) >= since
        )
    if until is not None:
        cond = and_(
            cond, func.coalesce(InvoiceRow.issue_date, func.date(InvoiceRow.created_at)) < until
        )
    total = session.execute(select(func.count()).select_from(InvoiceRow).where(cond)).scalar_one()
    order = (
        (InvoiceRow.awaiting_since.asc(), InvoiceRow.id)
        if queue
        else (InvoiceRow.created_at.desc(), InvoiceRow.id.desc())
    )
    query = select(InvoiceRow).where(cond).order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars()), int(total)


def settled_between(
    session: Session, *, tenant: str, since: datetime, until: datetime
) -> list[InvoiceRow]:
    """Settled invoices of the tenant's sellers or buyers, and credit notes, in a period."""
    cond = and_(
        visible_in(tenant),
        or_(
            and_(
                InvoiceRow.kind == Kind.INVOICE.value,
                InvoiceRow.settled_at >= since,
                InvoiceRow.settled_at < until,
            ),
            and_(
                InvoiceRow.kind == Kind.CREDIT_NOTE.value,
                InvoiceRow.issued_at >= since,
                InvoiceRow.issued_at < until,
            ),
        ),
    )
    order = func.coalesce(InvoiceRow.settled_at, InvoiceRow.issued_at)
    return list(
        session.execute(select(InvoiceRow).where(cond).order_by(order, InvoiceRow.id)).scalars()
    )


def commissions_between(
    session: Session, *, network: str, tenant: str | None, since: datetime, until: datetime
) -> list[CommissionRow]:
    cond = and_(
        CommissionRow.network == network,
        CommissionRow.settled_at >= since,
        CommissionRow.settled_at < until,
    )
    if tenant is not None:
        cond = and_(cond, CommissionRow.tenant == tenant)
    return list(
        session.execute(
            select(CommissionRow)
            .where(cond)
            .order_by(CommissionRow.settled_at, CommissionRow.invoice_id)
        ).scalars()
    )


# --- the unit of work ----------------------------------------------------------------------------


class UnitOfWork(SessionUnitOfWork):
    """One transaction over the invoices' database.

    ``emit`` stages an event (one copy per tenant concerned), ``send`` a command to another
    service's ``commands`` exchange; both reach the outbox on :meth:`commit`, with the change.
    """

    outbox = OUTBOX

    def _start(self, session: Session) -> None:
        self.networks = Networks(session)
        self.links = Links(session)
        self.members = Members(session)
        self.accounts = Accounts(session)
        self.invoices = Invoices(session)
        self.counters = Counters(session)
        self.sagas = Sagas(session)
        self.commissions = Commissions(session)
        self.payments = Payments(session)
        self.fees = Fees(session)

    def emit(
        self, message: object, *, network: str, tenants: Iterable[str], subject: str | None = None
    ) -> None:
        """Stage an event, once per distinct tenant (seller's, and buyer's if another)."""
        for tenant in dict.fromkeys(tenants):
            self.stage(
                [
                    envelope_for(
                        message,
                        source=SOURCE,
                        network=network,
                        tenant=tenant,
                        subject=subject,
                        correlation_id=context.current_correlation_id(),
                        causation_id=context.causation_id.get(),
                    )
                ]
            )

    def send(
        self, command: object, *, network: str, tenant: str | None, subject: str | None = None
    ) -> None:
        """Stage a command for its owner (the ledger)."""
        self.stage(
            [
                envelope_for(
                    command,
                    source=SOURCE,
                    network=network,
                    tenant=tenant,
                    subject=subject,
                    correlation_id=context.current_correlation_id(),
                    causation_id=context.causation_id.get(),
                )
            ]
        )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
