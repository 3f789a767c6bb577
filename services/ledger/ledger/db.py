"""Persistence of the ledger: tables, and the store that applies the rules to them.

Two stores share one interface: ``PgLedgerStore`` calls the PL/pgSQL functions of
``sql/ledger.sql`` (one statement per command, row locks in id order), and ``SqlLedgerStore``
applies ``domain.py`` in Python under SQLite's single writer lock (the embedded default).
Everything else (reads, account opening, credit limits, invariants) is shared SQL.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from importlib import resources
from typing import Any, NoReturn, TypeVar
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Connection,
    Date,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Uuid,
    and_,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis import context
from chassis.db import UTCDateTime, new_metadata, utcnow
from chassis.messages import Envelope, envelope_for
from chassis.money import format_cents, to_decimal
from chassis.outbox import BigId, Outbox, messaging_tables
from chassis.uow import Bound, ConnectionUnitOfWork
from contracts import ledger as events
from ledger import domain
from ledger.domain import (
    Account,
    AccountStatus,
    Outcome,
    TransferKind,
    TransferRecord,
    TransferRequest,
    TransferStatus,
)
from ledger.groupcommit import GroupCommit
from ledger.metrics import count_group


class Base(DeclarativeBase):
    metadata = new_metadata()


class NetworkRow(Base):
    """The ledger's copy of a network's settings, kept from the gateway's events."""

    __tablename__ = "networks"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    unit_code: Mapped[str] = mapped_column(String(12))
    unit_name: Mapped[str] = mapped_column(String(40), default="")
    unit_symbol: Mapped[str] = mapped_column(String(12), default="")
    default_credit_limit: Mapped[int] = mapped_column(BigInteger)
    hold_expiry_days: Mapped[int] = mapped_column(Integer)
    #: ``[{slug, name, default_credit_limit, max_balance}]``, amounts in cents.
    member_categories: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Cents; manual transfers above it wait for a second animator. None: no four eyes.
    manual_transfer_approval_threshold: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AccountRow(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # The invariants of DESIGN.md §3, enforced by the database as the last line of defence.
        # ``credit_shortfall``: what an expiry left the account short of its new limit.
        CheckConstraint(
            "balance - pending_debits + credit_limit + credit_shortfall >= 0",
            name="within_credit",
        ),
        CheckConstraint("credit_shortfall >= 0", name="credit_shortfall_positive"),
        CheckConstraint(
            "max_balance IS NULL OR balance + pending_credits <= max_balance",
            name="under_max_balance",
        ),
        CheckConstraint("pending_debits >= 0 AND pending_credits >= 0", name="pending_positive"),
        CheckConstraint("credit_limit >= 0", name="credit_limit_positive"),
        CheckConstraint("status IN ('active', 'frozen', 'closed')", name="status"),
        Index("ix_accounts_network_tenant", "network", "tenant"),
        Index("ix_accounts_tenant", "tenant"),
        Index(
            "ix_accounts_credit_limit_expires_on",
            "credit_limit_expires_on",
            postgresql_where=text("credit_limit_expires_on IS NOT NULL"),
            sqlite_where=text("credit_limit_expires_on IS NOT NULL"),
        ),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40), ForeignKey("networks.slug"))
    tenant: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12), default="member")
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    pending_debits: Mapped[int] = mapped_column(BigInteger, default=0)
    pending_credits: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_limit: Mapped[int] = mapped_column(BigInteger, default=0)
    max_balance: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default="active")
    category: Mapped[str | None] = mapped_column(String(40))
    credit_limit_expires_on: Mapped[date | None] = mapped_column(Date)
    credit_limit_review_on: Mapped[date | None] = mapped_column(Date)
    credit_shortfall: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    #: The review or expiry date last announced to the animators (``credit_line_due``).
    credit_line_notified_for: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TransferRow(Base):
    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("status IN ('pending', 'posted', 'voided', 'refused')", name="status"),
        Index("ix_transfers_payer_created", "payer", "created_at"),
        Index("ix_transfers_payee_created", "payee", "created_at"),
        Index(
            "ix_transfers_pending_expiry",
            "expires_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index(
            "uq_transfers_reverses",
            "reverses",
            unique=True,
            postgresql_where=text("reverses IS NOT NULL"),
            sqlite_where=text("reverses IS NOT NULL"),
        ),
        # A tenant's activity by month: its posted transfers, as payer and as payee.
        Index(
            "ix_transfers_payer_tenant_posted",
            "payer_tenant",
            "posted_at",
            postgresql_where=text("status = 'posted'"),
            sqlite_where=text("status = 'posted'"),
        ),
        Index(
            "ix_transfers_payee_tenant_posted",
            "payee_tenant",
            "posted_at",
            postgresql_where=text("status = 'posted'"),
            sqlite_where=text("status = 'posted'"),
        ),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    payer: Mapped[UUID] = mapped_column(Uuid)
    payee: Mapped[UUID] = mapped_column(Uuid)
    amount: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(200), default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reverses: Mapped[UUID | None] = mapped_column(Uuid)
    refusal_code: Mapped[str | None] = mapped_column(String(40))
    refusal_reason: Mapped[str | None] = mapped_column(String(300))
    void_reason: Mapped[str | None] = mapped_column(String(300))
    payer_tenant: Mapped[str | None] = mapped_column(String(40))
    payee_tenant: Mapped[str | None] = mapped_column(String(40))
    #: The user who made a manual transfer (a token subject); None: the platform.
    initiated_by: Mapped[str | None] = mapped_column(String(64))
    #: Four eyes: a manual transfer held until another animator approves or rejects it. The
    #: money functions insert without naming these columns: the server defaults apply.
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    approved_by: Mapped[str | None] = mapped_column(String(64))
    rejected_by: Mapped[str | None] = mapped_column(String(64))


class PostingRow(Base):
    """Append-only: each posted transfer writes two rows summing to zero."""

    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_nonzero"),
        Index("ix_postings_account_id", "account_id", "id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    transfer_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("transfers.id"))
    account_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CreditLimitChangeRow(Base):
    """Append-only: every credit limit an account had, who set it and when."""

    __tablename__ = "credit_limit_changes"
    __table_args__ = (Index("ix_credit_limit_changes_account_id", "account_id", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("accounts.id"))
    #: None when the account opened with this limit.
    old_credit_limit: Mapped[int | None] = mapped_column(BigInteger)
    credit_limit: Mapped[int] = mapped_column(BigInteger)
    #: The token subject of who changed it (a user id); None for the account's opening.
    changed_by: Mapped[str | None] = mapped_column(String(200))
    changed_by_role: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300), default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberNameRow(Base):
    """Who an account belongs to, as the gateway's member events say: statements name the
    counterparty (company name and SIRET). No money rule reads it."""

    __tablename__ = "member_names"
    member_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str] = mapped_column(String(14))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntryRow(Base):
    """Append-only: the staff actions the ledger performed (added and read, never changed)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_tenant_at", "tenant", "at"),
        Index("ix_audit_entries_at", "at"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    network: Mapped[str | None] = mapped_column(String(40))
    tenant: Mapped[str | None] = mapped_column(String(40))
    actor_user_id: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class ClosedTenantRow(Base):
    """A tenant the operator closed: its member accounts are frozen until it reopens."""

    __tablename__ = "closed_tenants"
    tenant: Mapped[str] = mapped_column(String(40), primary_key=True)
    network: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TenantFreezeRow(Base):
    """An account frozen because its tenant closed (not for a suspension of its own): reopening
    the tenant unfreezes exactly these."""

    __tablename__ = "tenant_freezes"
    __table_args__ = (Index("ix_tenant_freezes_tenant", "tenant"),)
    account_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("accounts.id"), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(40))


closed_tenants = ClosedTenantRow.__table__
tenant_freezes = TenantFreezeRow.__table__
#: One outbox row per event, copied by the relay into the log of each tenant it concerns (on
#: PostgreSQL the table is partitioned: the queue ``outbox_pending``, the log ``outbox_log``).
outbox_table, outbox_sequence_table, inbox_table = messaging_tables(
    Base.metadata, per_tenant_copies=True
)
member_names = MemberNameRow.__table__
audit_entries = AuditEntryRow.__table__
networks = NetworkRow.__table__
accounts = AccountRow.__table__
transfers = TransferRow.__table__
postings = PostingRow.__table__
credit_limit_changes = CreditLimitChangeRow.__table__


def ledger_sql() -> str:
    """The PL/pgSQL functions, installed by the migrations."""
    return resources.files("ledger").joinpath("sql/ledger.sql").read_text()


# --- row <-> domain ------------------------------------------------------------------------------


def to_account(row: Any) -> Account:
    return Account(
        id=row.id,
        network=row.network,
        tenant=row.tenant,
        kind=row.kind,
        balance=row.balance,
        pending_debits=row.pending_debits,
        pending_credits=row.pending_credits,
        credit_limit=row.credit_limit,
        max_balance=row.max_balance,
        status=AccountStatus(row.status),
        category=row.category,
        credit_limit_expires_on=row.credit_limit_expires_on,
        credit_limit_review_on=row.credit_limit_review_on,
        credit_shortfall=row.credit_shortfall or 0,
        credit_line_notified_for=row.credit_line_notified_for,
    )


# --- the audit log of staff actions ------------------------------------------------------------


def record_audit(
    conn: Connection,
    *,
    actor: str,
    role: str,
    action: str,
    target_type: str,
    target_id: Any,
    network: str | None,
    tenant: str | None,
    **details: Any,
) -> None:
    """Append an audit entry in the caller's transaction (that of the change it records)."""
    conn.execute(
        insert(audit_entries).values(
            id=uuid4(),
            at=utcnow(),
            network=network,
            tenant=tenant,
            actor_user_id=actor,
            actor_role=role,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            details=json.loads(json.dumps(details, default=str)),
        )
    )


def set_initiated_by(conn: Connection, transfer_id: UUID, user: str) -> None:
    """Name the user who made a transfer (once: a replay never renames it)."""
    conn.execute(
        update(transfers)
        .where(transfers.c.id == transfer_id, transfers.c.initiated_by.is_(None))
        .values(initiated_by=user)
    )


def mark_approval_required(conn: Connection, transfer_id: UUID) -> None:
    """Flag a manual transfer held for a second animator (in the transaction that held it)."""
    conn.execute(
        update(transfers).where(transfers.c.id == transfer_id).values(approval_required=True)
    )


def record_decision(conn: Connection, transfer_id: UUID, user: str, *, approve: bool) -> None:
    """Name the animator who approved (or rejected) a transfer held for approval."""
    column = "approved_by" if approve else "rejected_by"
    conn.execute(update(transfers).where(transfers.c.id == transfer_id).values({column: user}))


def awaiting_approval(
    conn: Connection, tenant: str, *, limit: int, offset: int
) -> tuple[list[TransferRecord], int]:
    """The tenant's manual transfers waiting for a second animator, oldest first."""
    t = transfers.c
    where = and_(t.payer_tenant == tenant, t.status == "pending", t.approval_required.is_(True))
    total = conn.execute(select(func.count()).select_from(transfers).where(where)).scalar_one()
    rows = conn.execute(
        select(transfers).where(where).order_by(t.created_at, t.id).limit(limit).offset(offset)
    ).all()
    return [to_transfer(r) for r in rows], int(total)


def audit_page(
    conn: Connection,
    *,
    tenant: str | None,
    action: str | None,
    actor: str | None,
    since: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Entries newest first (one tenant's, or all), as the API shows them, and their count."""
    a = audit_entries.c
    cond = []
    if tenant is not None:
        cond.append(a.tenant == tenant)
    if action:
        cond.append(a.action == action)
    if actor:
        cond.append(a.actor_user_id == actor)
    if since is not None:
        cond.append(a.at >= since)
    where = and_(true(), *cond)
    total = conn.execute(select(func.count()).select_from(audit_entries).where(where)).scalar_one()
    rows = conn.execute(
        select(audit_entries)
        .where(where)
        .order_by(a.at.desc(), a.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        {
            "id": r.id,
            "at": r.at,
            "network": r.network,
            "tenant": r.tenant,
            "actor": {"user_id": r.actor_user_id, "email": None, "role": r.actor_role},
            "action": r.action,
            "target": {"type": r.target_type, "id": r.target_id},
            "details": dict(r.details or {}),
        }
        for r in rows
    ], int(total)


def to_transfer(row: Any) -> TransferRecord:
    return TransferRecord(
        id=UUID(str(row.id)),
        network=row.network,
        payer=UUID(str(row.payer)),
        payee=UUID(str(row.payee)),
        amount=row.amount,
        kind=TransferKind(row.kind),
        status=TransferStatus(row.status),
        reference=row.reference,
        created_at=row.created_at,
        posted_at=row.posted_at,
        voided_at=row.voided_at,
        expires_at=row.expires_at,
        reverses=UUID(str(row.reverses)) if row.reverses else None,
        refusal_code=row.refusal_code,
        refusal_reason=row.refusal_reason,
        void_reason=row.void_reason,
        payer_tenant=row.payer_tenant,
        payee_tenant=row.payee_tenant,
        fingerprint=row.fingerprint,
        # Rows of the money functions do not carry it (a transfer is attributed afterwards).
        initiated_by=getattr(row, "initiated_by", None),
        approval_required=bool(getattr(row, "approval_required", False)),
        approved_by=getattr(row, "approved_by", None),
        rejected_by=getattr(row, "rejected_by", None),
    )


def to_network(row: Any) -> domain.Network:
    return domain.Network(
        slug=row.slug,
        unit_code=row.unit_code,
        default_credit_limit=row.default_credit_limit,
        hold_expiry_days=row.hold_expiry_days,
        name=row.name,
        unit_name=row.unit_name,
        unit_symbol=row.unit_symbol,
        member_categories=tuple(
            domain.MemberCategory(
                slug=c["slug"],
                name=c.get("name", c["slug"]),
                default_credit_limit=int(c["default_credit_limit"]),
                max_balance=None if c.get("max_balance") is None else int(c["max_balance"]),
            )
            for c in (row.member_categories or ())
        ),
        manual_transfer_approval_threshold=row.manual_transfer_approval_threshold,
    )


#: A transfer request with the correlation and causation ids of the message that asked for it.
Traced = tuple[TransferRequest, str | None, str | None]


# --- the store -----------------------------------------------------------------------------------


class Ledger:
    """Shared reads and slow-path writes, plus the money commands of a concrete store."""

    outbox = Outbox(outbox_table, "/ledger")

    # -- who the accounts belong to ---------------------------------------------------------------
    def name_member(
        self, conn: Connection, member_id: UUID, tenant: str, name: str, siret: str
    ) -> None:
        """Record (or correct) the company name and SIRET of a member's account."""
        values = {"tenant": tenant, "name": name[:200], "siret": siret[:14], "updated_at": utcnow()}
        changed = conn.execute(
            update(member_names).where(member_names.c.member_id == member_id).values(**values)
        ).rowcount
        if not changed:
            conn.execute(insert(member_names).values(member_id=member_id, **values))

    def member_names(
        self, conn: Connection, member_ids: Iterable[UUID]
    ) -> dict[UUID, tuple[str, str]]:
        """``{member_id: (name, siret)}`` of those known."""
        ids = list(set(member_ids))
        if not ids:
            return {}
        rows = conn.execute(
            select(member_names.c.member_id, member_names.c.name, member_names.c.siret).where(
                member_names.c.member_id.in_(ids)
            )
        ).all()
        return {UUID(str(r.member_id)): (r.name, r.siret) for r in rows}

    # -- networks and accounts ------------------------------------------------------------------
    def upsert_network(self, conn: Connection, network: domain.Network) -> None:
        values = {
            "name": network.name,
            "unit_code": network.unit_code,
            "unit_name": network.unit_name,
            "unit_symbol": network.unit_symbol,
            "default_credit_limit": network.default_credit_limit,
            "hold_expiry_days": network.hold_expiry_days,
            "member_categories": [
                {
                    "slug": c.slug,
                    "name": c.name,
                    "default_credit_limit": c.default_credit_limit,
                    "max_balance": c.max_balance,
                }
                for c in network.member_categories
            ],
            "manual_transfer_approval_threshold": network.manual_transfer_approval_threshold,
            "updated_at": utcnow(),
        }
        existing = conn.execute(
            select(networks.c.slug).where(networks.c.slug == network.slug).with_for_update()
        ).first()
        if existing:
            conn.execute(update(networks).where(networks.c.slug == network.slug).values(**values))
        else:
            conn.execute(insert(networks).values(slug=network.slug, **values))
        fees_id = domain.fees_account_id(network.slug)
        if self.get_account(conn, fees_id) is None:
            self._insert_account(
                conn, Account(id=fees_id, network=network.slug, tenant=None, kind="fees")
            )

    def get_network(self, conn: Connection, slug: str) -> domain.Network | None:
        row = conn.execute(select(networks).where(networks.c.slug == slug)).first()
        return to_network(row) if row else None

    def list_accounts(
        self, conn: Connection, tenant: str, *, limit: int, offset: int
    ) -> list[Account]:
        """A page of the tenant's accounts, oldest first."""
        rows = conn.execute(
            select(accounts)
            .where(accounts.c.tenant == tenant)
            .order_by(accounts.c.created_at, accounts.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return [to_account(r) for r in rows]

    def count_accounts(self, conn: Connection, tenant: str) -> int:
        """How many accounts the tenant has (the total of :meth:`list_accounts`' pages)."""
        count = conn.execute(
            select(func.count()).select_from(accounts).where(accounts.c.tenant == tenant)
        ).scalar_one()
        return int(count)

    def network_of_tenant(self, conn: Connection, tenant: str) -> str | None:
        """The network of a tenant's accounts (none yet: None)."""
        network: str | None = conn.execute(
            select(accounts.c.network).where(accounts.c.tenant == tenant).limit(1)
        ).scalar()
        return network

    def get_account(
        self, conn: Connection, account_id: UUID, *, for_update: bool = False
    ) -> Account | None:
        query = select(accounts).where(accounts.c.id == account_id)
        if for_update:
            query = query.with_for_update()
        row = conn.execute(query).first()
        return to_account(row) if row else None

    def _insert_account(self, conn: Connection, account: Account) -> None:
        now = utcnow()
        conn.execute(
            insert(accounts).values(
                id=account.id,
                network=account.network,
                tenant=account.tenant,
                kind=account.kind,
                balance=0,
                pending_debits=0,
                pending_credits=0,
                credit_limit=account.credit_limit,
                max_balance=account.max_balance,
                status=account.status.value,
                category=account.category,
                version=0,
                created_at=now,
                updated_at=now,
            )
        )
        unit = self.get_network(conn, account.network)
        self.emit(
            conn,
            events.AccountOpened(
                account_id=account.id,
                unit=unit.unit_code if unit else "",
                kind=account.kind,  # type: ignore[arg-type]
                credit_limit=to_decimal(account.credit_limit),
            ),
            network=account.network,
            tenants=[account.tenant],
            subject=str(account.id),
        )

    def open_account(
        self,
        conn: Connection,
        account_id: UUID,
        network: str,
        tenant: str,
        credit_limit: int | None = None,
        category: str | None = None,
        *,
        max_balance: int | None = None,
    ) -> tuple[Account, bool]:
        """Open a member's account once; a second call returns the existing one.

        Without an explicit limit it opens with its category's default, else the network's;
        without an explicit maximum balance, a category with one gives it that maximum.
        """
        existing = self.get_account(conn, account_id)
        if existing is not None:
            return existing, False
        net = self.get_network(conn, network)
        if net is None:
            raise domain.NetworkNotFound(f"unknown network {network!r}")
        account = Account(
            id=account_id,
            network=network,
            tenant=tenant,
            credit_limit=(
                net.default_credit_limit_for(category) if credit_limit is None else credit_limit
            ),
            max_balance=net.max_balance_for(category) if max_balance is None else max_balance,
            category=category,
        )
        self._insert_account(conn, account)
        self._record_credit_limit(conn, account.id, None, account.credit_limit)
        return account, True

    def set_status(self, conn: Connection, account_id: UUID, status: AccountStatus) -> Account:
        account = self.get_account(conn, account_id, for_update=True)
        if account is None:
            raise domain.AccountNotFound(f"unknown account {account_id}")
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(status=status.value, version=accounts.c.version + 1, updated_at=utcnow())
        )
        return replace(account, status=status)

    # -- closing a tenant, moving an account -------------------------------------------------------
    def tenant_closed(self, conn: Connection, tenant: str | None) -> bool:
        if tenant is None:
            return False
        found = conn.execute(
            select(closed_tenants.c.tenant).where(closed_tenants.c.tenant == tenant)
        ).first()
        return found is not None

    def close_tenant(self, conn: Connection, tenant: str, network: str | None) -> list[UUID]:
        """Freeze the tenant's active member accounts; returns those frozen now (none when the
        tenant was already closed). Nothing is deleted: balances, holds and history stay."""
        if self.tenant_closed(conn, tenant):
            return []
        conn.execute(
            insert(closed_tenants).values(tenant=tenant, network=network, closed_at=utcnow())
        )
        ids = [
            UUID(str(r.id))
            for r in conn.execute(
                select(accounts.c.id)
                .where(
                    accounts.c.tenant == tenant,
                    accounts.c.kind == "member",
                    accounts.c.status == AccountStatus.ACTIVE.value,
                )
                .order_by(accounts.c.id)
            ).all()
        ]
        for account_id in ids:
            self.freeze_for_tenant(conn, account_id, tenant)
        return ids

    def reopen_tenant(self, conn: Connection, tenant: str) -> list[UUID]:
        """Unfreeze the accounts the closing froze; returns them (none if it was not closed)."""
        if not self.tenant_closed(conn, tenant):
            return []
        conn.execute(delete(closed_tenants).where(closed_tenants.c.tenant == tenant))
        ids = [
            UUID(str(r.account_id))
            for r in conn.execute(
                select(tenant_freezes.c.account_id)
                .where(tenant_freezes.c.tenant == tenant)
                .order_by(tenant_freezes.c.account_id)
            ).all()
        ]
        for account_id in ids:
            self.thaw_from_tenant(conn, account_id)
        return ids

    def freeze_for_tenant(self, conn: Connection, account_id: UUID, tenant: str) -> None:
        """Freeze an account because its tenant is closed (remembered, to be undone)."""
        self.set_status(conn, account_id, AccountStatus.FROZEN)
        if not conn.execute(
            select(tenant_freezes.c.account_id).where(tenant_freezes.c.account_id == account_id)
        ).first():
            conn.execute(insert(tenant_freezes).values(account_id=account_id, tenant=tenant))

    def thaw_from_tenant(self, conn: Connection, account_id: UUID) -> None:
        """Undo a tenant's freeze of an account (an account still frozen for itself stays)."""
        gone = conn.execute(
            delete(tenant_freezes).where(tenant_freezes.c.account_id == account_id)
        ).rowcount
        account = self.get_account(conn, account_id)
        if gone and account is not None and account.status is AccountStatus.FROZEN:
            self.set_status(conn, account_id, AccountStatus.ACTIVE)

    def forget_tenant_freeze(self, conn: Connection, account_id: UUID) -> None:
        """The account's own status (suspended, left) now rules: reopening leaves it alone."""
        conn.execute(delete(tenant_freezes).where(tenant_freezes.c.account_id == account_id))

    def move_account(
        self, conn: Connection, account_id: UUID, from_tenant: str, to_tenant: str
    ) -> tuple[Account, bool]:
        """Move a member's account (balance, holds, history) to another tenant of its network.

        Returns the account and whether it moved now (False: it already was in ``to_tenant``).
        Refused while a hold is pending on it, or into a closed tenant. Leaving a closed tenant
        lifts the freeze the closing put on it.
        """
        account = self.get_account(conn, account_id, for_update=True)
        if account is None or account.tenant not in {from_tenant, to_tenant}:
            raise domain.AccountNotFound(f"unknown account {account_id}")
        if account.tenant == to_tenant:
            return account, False
        if self.tenant_closed(conn, to_tenant):
            raise domain.TenantClosed(f"tenant {to_tenant} is closed")
        domain.ensure_movable(account)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(tenant=to_tenant, version=accounts.c.version + 1, updated_at=utcnow())
        )
        conn.execute(
            update(member_names)
            .where(member_names.c.member_id == account_id)
            .values(tenant=to_tenant, updated_at=utcnow())
        )
        self.thaw_from_tenant(conn, account_id)
        moved = self.get_account(conn, account_id)
        assert moved is not None
        return moved, True

    def set_credit_limit(
        self,
        conn: Connection,
        account_id: UUID,
        credit_limit: int,
        *,
        changed_by: str | None = None,
        changed_by_role: str | None = None,
        reason: str = "",
        expires_on: date | None = None,
        review_on: date | None = None,
    ) -> Account:
        """Change the limit (and its expiry and review dates: none, a standing limit) and record
        who did it (an unchanged limit records no history)."""
        account = self.get_account(conn, account_id, for_update=True)
        if account is None:
            raise domain.AccountNotFound(f"unknown account {account_id}")
        account.ensure_limit_allows(credit_limit)
        dated = replace(
            account, credit_limit_expires_on=expires_on, credit_limit_review_on=review_on
        )
        if credit_limit == account.credit_limit and dated == account:
            return account
        if dated != account:  # new dates: the animators are told of them afresh
            dated = replace(dated, credit_line_notified_for=None)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(
                credit_limit=credit_limit,
                credit_limit_expires_on=expires_on,
                credit_limit_review_on=review_on,
                credit_line_notified_for=dated.credit_line_notified_for,
                credit_shortfall=0,
                version=accounts.c.version + 1,
                updated_at=utcnow(),
            )
        )
        account, old = replace(dated, credit_limit=credit_limit, credit_shortfall=0), account
        if credit_limit == old.credit_limit:
            return account
        self._record_credit_limit(
            conn,
            account_id,
            old.credit_limit,
            credit_limit,
            changed_by=changed_by,
            changed_by_role=changed_by_role,
            reason=reason,
        )
        self._emit_limit_changed(conn, old, account, reason)
        return account

    def _emit_limit_changed(
        self, conn: Connection, old: Account, account: Account, reason: str
    ) -> None:
        net = self.get_network(conn, account.network)
        self.emit(
            conn,
            events.CreditLimitChanged(
                account_id=account.id,
                unit=net.unit_code if net else "",
                old_credit_limit=to_decimal(old.credit_limit),
                credit_limit=to_decimal(account.credit_limit),
                reason=reason,
                balance=to_decimal(account.balance),
                over_limit=account.credit_shortfall > 0,
                credit_limit_expires_on=account.credit_limit_expires_on,
                credit_limit_review_on=account.credit_limit_review_on,
            ),
            network=account.network,
            tenants=[account.tenant],
            subject=str(account.id),
        )

    def expired_credit_limits(self, conn: Connection, today: date, limit: int) -> list[UUID]:
        """Accounts whose temporary limit ended by ``today`` (a Paris calendar day)."""
        return [
            UUID(str(i))
            for i in conn.execute(
                select(accounts.c.id)
                .where(
                    accounts.c.credit_limit_expires_on.is_not(None),
                    accounts.c.credit_limit_expires_on <= today,
                )
                .order_by(accounts.c.credit_limit_expires_on, accounts.c.id)
                .limit(limit)
            ).scalars()
        ]

    def expire_credit_limit(
        self, conn: Connection, account_id: UUID, today: date
    ) -> domain.LimitExpiry | None:
        """Give an account whose temporary limit ended its standing limit back, once.

        Under the account's row lock the expiry is read again: a second worker, a replayed pass
        or a limit changed meanwhile finds nothing to do (None). The change is recorded in the
        history (reason ``expired``, by the platform) and announced like any other.
        """
        account = self.get_account(conn, account_id, for_update=True)
        if account is None or not account.credit_limit_expired(today):
            return None
        net = self.get_network(conn, account.network)
        if net is None:
            raise domain.NetworkNotFound(f"unknown network {account.network!r}")
        expiry = domain.expiry_of(account, net)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(
                credit_limit=expiry.credit_limit,
                credit_limit_expires_on=None,
                credit_shortfall=expiry.shortfall,
                version=accounts.c.version + 1,
                updated_at=utcnow(),
            )
        )
        after = replace(
            account,
            credit_limit=expiry.credit_limit,
            credit_limit_expires_on=None,
            credit_shortfall=expiry.shortfall,
        )
        self._record_credit_limit(
            conn, account_id, account.credit_limit, expiry.credit_limit, reason="expired"
        )
        self._emit_limit_changed(conn, account, after, "expired")
        return expiry

    def credit_lines_to_announce(
        self, conn: Connection, today: date, limit: int, days: int = domain.REVIEW_HORIZON_DAYS
    ) -> list[UUID]:
        """Member accounts with a review or an expiry in the horizon not yet announced (the
        query of ``domain.credit_line_to_announce``, which decides under the row lock)."""
        a = accounts.c
        horizon = today + timedelta(days=days)
        told = a.credit_line_notified_for
        review = and_(
            a.credit_limit_review_on <= horizon,
            or_(told.is_(None), told < a.credit_limit_review_on),
        )
        expiry = and_(
            a.credit_limit_expires_on > today,
            a.credit_limit_expires_on <= horizon,
            or_(told.is_(None), told < a.credit_limit_expires_on),
        )
        return [
            UUID(str(i))
            for i in conn.execute(
                select(a.id)
                .where(
                    a.kind == "member",
                    a.tenant.is_not(None),
                    a.status != "closed",
                    or_(review, expiry),
                )
                .order_by(a.id)
                .limit(limit)
            ).scalars()
        ]

    def announce_credit_line(
        self, conn: Connection, account_id: UUID, today: date
    ) -> tuple[Account, date] | None:
        """Tell the animators of a credit line's review or expiry entering the horizon, once.

        Under the row lock the line is read again and the date announced is recorded in the
        transaction that stages ``credit_line_due``: a second worker or a replayed pass finds
        it told (None).
        """
        account = self.get_account(conn, account_id, for_update=True)
        if account is None:
            return None
        due_on = domain.credit_line_to_announce(account, today)
        if due_on is None:
            return None
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(credit_line_notified_for=due_on, updated_at=utcnow())
        )
        net = self.get_network(conn, account.network)
        self.emit(
            conn,
            events.CreditLineDue(
                member_id=account.id,
                unit=net.unit_code if net else "",
                credit_limit=to_decimal(account.credit_limit),
                expires_on=account.credit_limit_expires_on,
                review_on=account.credit_limit_review_on,
                due_on=due_on,
                days_left=(due_on - today).days,
            ),
            network=account.network,
            tenants=[account.tenant],
            subject=str(account.id),
        )
        return replace(account, credit_line_notified_for=due_on), due_on

    def settle_shortfalls(self, conn: Connection) -> int:
        """Shrink what accounts left short by an expiry are tolerated, as they recover: the
        database's credit check tightens back to the limit itself."""
        a = accounts.c
        within = a.balance - a.pending_debits + a.credit_limit
        result = conn.execute(
            update(accounts)
            .where(a.credit_shortfall > 0, a.credit_shortfall > -within)
            .values(credit_shortfall=case((within >= 0, 0), else_=-within))
        )
        return int(result.rowcount or 0)

    def set_max_balance(
        self, conn: Connection, account_id: UUID, max_balance: int | None
    ) -> tuple[Account, Account]:
        """Set (None: clear) an account's maximum balance; the account before and after."""
        account = self.get_account(conn, account_id, for_update=True)
        if account is None:
            raise domain.AccountNotFound(f"unknown account {account_id}")
        account.ensure_max_balance_allows(max_balance)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(max_balance=max_balance, version=accounts.c.version + 1, updated_at=utcnow())
        )
        return account, replace(account, max_balance=max_balance)

    def set_category(self, conn: Connection, account_id: UUID, category: str | None) -> None:
        """Record the member's category (its limit changes only at admission and at expiry)."""
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id, accounts.c.category.is_distinct_from(category))
            .values(category=category, updated_at=utcnow())
        )

    def credit_lines(self, conn: Connection, tenant: str, until: date) -> list[Account]:
        """The tenant's accounts with a review or an expiry by ``until``."""
        a = accounts.c
        rows = conn.execute(
            select(accounts).where(
                a.tenant == tenant,
                a.status != "closed",
                or_(a.credit_limit_review_on <= until, a.credit_limit_expires_on <= until),
            )
        ).all()
        return [to_account(r) for r in rows]

    def commissions(
        self, conn: Connection, network: str, *, since: datetime | None = None
    ) -> list[tuple[str, str, int, int]]:
        """``(tenant, YYYY-MM, amount, transfers)`` of the commissions the network's fee account
        received, less those reversed, by paying tenant and calendar month (UTC), newest first."""
        t = transfers.c
        fees = domain.fees_account_id(network)
        month = _month_of(conn, t.posted_at)
        # Membership fees reach the fee account as ``fee`` transfers too: not commissions.
        charged = and_(
            t.payee == fees,
            t.kind == "fee",
            ~t.reference.startswith(domain.MEMBERSHIP_FEE_REFERENCE, autoescape=True),
        )
        reversed_ = and_(t.payer == fees, t.kind == "reversal")
        cond = and_(t.network == network, t.status == "posted", or_(charged, reversed_))
        if since is not None:
            cond = and_(cond, t.posted_at >= since)
        tenant = case((charged, t.payer_tenant), else_=t.payee_tenant)
        rows = conn.execute(
            select(
                tenant.label("tenant"),
                month.label("month"),
                func.sum(case((charged, t.amount), else_=-t.amount)),
                func.sum(case((charged, 1), else_=0)),
            )
            .where(cond)
            .group_by(tenant, month)
            .order_by(month.desc(), tenant)
        ).all()
        return [(r[0] or "", r[1], int(r[2] or 0), int(r[3] or 0)) for r in rows]

    def _record_credit_limit(
        self,
        conn: Connection,
        account_id: UUID,
        old: int | None,
        new: int,
        *,
        changed_by: str | None = None,
        changed_by_role: str | None = None,
        reason: str = "",
    ) -> None:
        conn.execute(
            insert(credit_limit_changes).values(
                account_id=account_id,
                old_credit_limit=old,
                credit_limit=new,
                changed_by=changed_by,
                changed_by_role=changed_by_role,
                reason=reason,
                changed_at=utcnow(),
            )
        )

    def credit_limit_history(
        self, conn: Connection, account_id: UUID, *, limit: int, offset: int = 0
    ) -> tuple[list[domain.CreditLimitChange], int]:
        """The account's credit limits, newest first, and how many there are."""
        cond = credit_limit_changes.c.account_id == account_id
        total = conn.execute(
            select(func.count()).select_from(credit_limit_changes).where(cond)
        ).scalar_one()
        rows = conn.execute(
            select(credit_limit_changes)
            .where(cond)
            .order_by(credit_limit_changes.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [
            domain.CreditLimitChange(
                account_id=UUID(str(r.account_id)),
                old_credit_limit=r.old_credit_limit,
                credit_limit=r.credit_limit,
                changed_by=r.changed_by,
                changed_by_role=r.changed_by_role,
                reason=r.reason,
                changed_at=r.changed_at,
            )
            for r in rows
        ], int(total)

    # -- a tenant's activity --------------------------------------------------------------------
    def activity(
        self, conn: Connection, tenant: str, *, now: datetime, months: int
    ) -> domain.TenantActivity:
        """Volume, trades and active members per month, and the credit in use, in SQL.

        One pass over the tenant's posted transfers of the period (two index range scans, as
        payer and as payee) and one over its accounts; nothing is loaded row by row.
        """
        return domain.TenantActivity(
            tenant=tenant,
            months=self._months(conn, tenant, now=now, months=months),
            **self._credit_in_use(conn, tenant),
        )

    def _months(
        self, conn: Connection, tenant: str, *, now: datetime, months: int
    ) -> tuple[domain.MonthActivity, ...]:
        since = domain.first_month(now, months)
        t = transfers.c
        month = _month_of(conn, t.posted_at)
        posted_trade = and_(
            t.status == "posted",
            t.posted_at >= since,
            t.kind != "fee",
            t.payer_tenant.is_not(None),
            t.payee_tenant.is_not(None),
        )
        # Each transfer once per side of the tenant; ``counted`` keeps one of the two sides of
        # a transfer between two members of the tenant.
        sides = (
            select(
                month.label("month"),
                t.payer.label("member"),
                t.amount,
                t.kind,
                literal(1).label("counted"),
            )
            .where(posted_trade, t.payer_tenant == tenant)
            .union_all(
                select(
                    month.label("month"),
                    t.payee.label("member"),
                    t.amount,
                    t.kind,
                    case((t.payer_tenant == tenant, 0), else_=1).label("counted"),
                ).where(posted_trade, t.payee_tenant == tenant)
            )
            .subquery()
        )
        trade = sides.c.kind != "reversal"
        rows = conn.execute(
            select(
                sides.c.month,
                func.coalesce(
                    func.sum(
                        case((trade, sides.c.amount), else_=-sides.c.amount) * sides.c.counted
                    ),
                    0,
                ),
                func.coalesce(func.sum(case((trade, sides.c.counted), else_=0)), 0),
                func.count(func.distinct(case((trade, sides.c.member), else_=None))),
            ).group_by(sides.c.month)
        ).all()
        found = {row[0]: row for row in rows}
        return tuple(
            domain.MonthActivity(
                month=key,
                volume=int(found[key][1]),
                transfers=int(found[key][2]),
                active_members=int(found[key][3]),
            )
            if key in found
            else domain.MonthActivity(month=key)
            for key in domain.month_keys(now, months)
        )

    def _credit_in_use(self, conn: Connection, tenant: str) -> dict[str, int]:
        a = accounts.c
        negative = a.balance < 0
        members, in_debit, outstanding, limits = conn.execute(
            select(
                func.count(),
                func.count(case((negative, 1), else_=None)),
                func.coalesce(func.sum(case((negative, -a.balance), else_=0)), 0),
                func.coalesce(func.sum(a.credit_limit), 0),
            ).where(a.tenant == tenant, a.kind == "member", a.status != "closed")
        ).one()
        return {
            "members": int(members),
            "members_in_debit": int(in_debit),
            "outstanding_credit": int(outstanding),
            "credit_limits": int(limits),
        }

    # -- events ---------------------------------------------------------------------------------
    def emit(
        self,
        conn: Connection,
        message: object,
        *,
        network: str,
        tenants: Iterable[str | None],
        subject: str,
        message_id: str | None = None,
    ) -> None:
        """Stage an event for the logs of its tenants (at most two), in one outbox row.

        The relay copies it into each tenant's log with that tenant's sequence. A ``None``
        among the tenants (the network's fee account) is a copy outside any tenant's log: a row
        of its own, published unsequenced. ``message_id``: the event's id chosen by the caller
        (derived from what it is about, so a consumer's inbox sees its copies as one), for an
        event staged in one row only.
        """
        distinct = set(tenants)
        named = sorted(t for t in distinct if t is not None)
        if len(named) > 2:
            raise ValueError(f"an event names at most two tenants, not {named}")
        rows = []
        for tenant, other in ([(named[0], named[1:])] if named else []) + (
            [(None, [])] if None in distinct else []
        ):
            envelope = envelope_for(
                message,
                source="ledger",
                tenant=tenant,
                network=network,
                subject=subject,
                correlation_id=context.current_correlation_id(),
                causation_id=context.causation_id.get(),
                message_id=message_id,
            )
            row = self.outbox.rows_for(envelope, sequenced=True)
            row["other_tenant"] = other[0] if other else None
            rows.append(row)
        if message_id is not None and len(rows) > 1:
            raise ValueError("an event with a chosen id is staged in one row")
        if rows:
            conn.execute(insert(outbox_table), rows)

    def tag_saga_events(
        self, conn: Connection, transfer_id: UUID, *, saga_id: UUID, partner_network: str
    ) -> int:
        """Name the saga and the partner network in the transfer events of a saga's side.

        A side of a cross-network saga is an ordinary transfer between a member and a clearing
        account; the stores (the PL/pgSQL functions on PostgreSQL) stage its ``transfer_*``
        events without knowing the saga. The coordinator calls this in the transaction of the
        side's step, right after the store staged them: the rows are still pending (no
        sequence, not visible to the relay), so they leave with the two fields set. Returns how
        many rows it changed (none for a replayed step: its events left with the first run).
        """
        types = [
            f"org.trocactif.ledger.{name}.v1"
            for name in ("transfer_held", "transfer_posted", "transfer_voided", "transfer_refused")
        ]
        rows = conn.execute(
            select(outbox_table.c.id, outbox_table.c.data).where(
                outbox_table.c.sequence.is_(None),
                outbox_table.c.subject == str(transfer_id),
                outbox_table.c.type.in_(types),
            )
        ).all()
        changed = 0
        for row in rows:
            data = dict(row.data)
            if data.get("saga_id") is not None:
                continue
            data.update(saga_id=str(saga_id), partner_network=partner_network)
            conn.execute(
                update(outbox_table)
                .where(outbox_table.c.id == row.id, outbox_table.c.sequence.is_(None))
                .values(data=data)
            )
            changed += 1
        return changed

    def events_after(self, conn: Connection, tenant: str, after: int, limit: int) -> list[Envelope]:
        from chassis.outbox import row_to_envelope

        rows = conn.execute(
            select(outbox_table)
            .where(and_(outbox_table.c.tenant == tenant, outbox_table.c.sequence > after))
            .order_by(outbox_table.c.sequence)
            .limit(limit)
        ).all()
        return [row_to_envelope(r) for r in rows]

    # -- reads ----------------------------------------------------------------------------------
    def get_transfer(self, conn: Connection, transfer_id: UUID) -> TransferRecord | None:
        row = conn.execute(select(transfers).where(transfers.c.id == transfer_id)).first()
        return to_transfer(row) if row else None

    def statement(
        self,
        conn: Connection,
        account_id: UUID,
        *,
        limit: int,
        offset: int,
        statuses: Sequence[str] = ("posted", "pending", "voided"),
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> tuple[list[TransferRecord], int]:
        cond = and_(
            or_(transfers.c.payer == account_id, transfers.c.payee == account_id),
            transfers.c.status.in_(list(statuses)),
        )
        if since is not None:
            cond = and_(cond, transfers.c.created_at >= since)
        if until is not None:
            cond = and_(cond, transfers.c.created_at < until)
        total = conn.execute(select(func.count()).select_from(transfers).where(cond)).scalar_one()
        rows = conn.execute(
            select(transfers)
            .where(cond)
            .order_by(transfers.c.created_at.desc(), transfers.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [to_transfer(r) for r in rows], int(total)

    def expired_holds(self, conn: Connection, now: datetime, limit: int) -> list[UUID]:
        return [
            UUID(str(i))
            for i in conn.execute(
                select(transfers.c.id)
                .where(and_(transfers.c.status == "pending", transfers.c.expires_at <= now))
                .order_by(transfers.c.expires_at)
                .limit(limit)
            ).scalars()
        ]

    def invariants(self, conn: Connection) -> list[str]:
        """Check Σ balances = 0 per network and balance = Σ postings per account."""
        problems: list[str] = []
        for network, total in conn.execute(
            select(accounts.c.network, func.sum(accounts.c.balance)).group_by(accounts.c.network)
        ).all():
            if int(total or 0) != 0:
                problems.append(f"network {network}: sum of balances is {format_cents(int(total))}")
        sums = (
            select(postings.c.account_id, func.sum(postings.c.amount).label("total"))
            .group_by(postings.c.account_id)
            .subquery()
        )
        for account_id, balance, total in conn.execute(
            select(accounts.c.id, accounts.c.balance, func.coalesce(sums.c.total, 0))
            .outerjoin(sums, sums.c.account_id == accounts.c.id)
            .where(accounts.c.balance != func.coalesce(sums.c.total, 0))
        ).all():
            problems.append(f"account {account_id}: balance {balance} != postings {total}")
        for transfer_id, total, count in conn.execute(
            select(postings.c.transfer_id, func.sum(postings.c.amount), func.count())
            .group_by(postings.c.transfer_id)
            .having(or_(func.sum(postings.c.amount) != 0, func.count() != 2))
        ).all():
            problems.append(f"transfer {transfer_id}: {count} postings summing to {total}")
        # An expiry may leave an account below its new limit (its shortfall), never lower.
        for (account_id,) in conn.execute(
            select(accounts.c.id).where(
                accounts.c.balance
                - accounts.c.pending_debits
                + accounts.c.credit_limit
                + accounts.c.credit_shortfall
                < 0
            )
        ).all():
            problems.append(f"account {account_id}: below its credit limit")
        return problems


class SqlLedgerStore(Ledger):
    """The rules of ``domain.py`` applied in Python (SQLite: one writer at a time)."""

    def transfer_many(self, conn: Connection, items: Sequence[Traced]) -> list[Outcome]:
        outcomes = []
        for request, correlation, causation in items:
            with context.message_context(correlation, causation):
                outcomes.append(self.transfer(conn, request))
        return outcomes

    def transfer(self, conn: Connection, request: TransferRequest) -> Outcome:
        existing = self.get_transfer(conn, request.id)
        if existing is not None:
            return _replay(existing, request.fingerprint)
        payer = self.get_account(conn, request.payer, for_update=True)
        if request.payer_tenant is not None and (
            payer is None or payer.tenant != request.payer_tenant
        ):
            raise domain.UnknownAccount(f"unknown payer account {request.payer}")
        if not request.network:
            if payer is None:
                raise domain.UnknownAccount(f"unknown payer account {request.payer}")
            request = replace(request, network=payer.network)
        payee = self.get_account(conn, request.payee, for_update=True)
        now = utcnow()
        refusal: domain.TransferRefused | None = None
        try:
            if request.reverses is not None:
                original = self.get_transfer(conn, request.reverses)
                domain.check_reversal(request, original)
                if conn.execute(
                    select(transfers.c.id).where(transfers.c.reverses == request.reverses)
                ).first():
                    raise domain.InvalidReversal(f"transfer {request.reverses} is already reversed")
            domain.check_transfer(request, payer, payee)
        except domain.TransferRefused as exc:
            refusal = exc
        status = (
            TransferStatus.REFUSED
            if refusal
            else TransferStatus.PENDING
            if request.hold
            else TransferStatus.POSTED
        )
        record = TransferRecord(
            id=request.id,
            network=request.network,
            payer=request.payer,
            payee=request.payee,
            amount=request.amount,
            kind=request.kind,
            status=status,
            reference=request.reference,
            created_at=now,
            posted_at=now if status is TransferStatus.POSTED else None,
            expires_at=request.expires_at if status is TransferStatus.PENDING else None,
            reverses=request.reverses if refusal is None else None,
            refusal_code=refusal.code if refusal else None,
            refusal_reason=refusal.message if refusal else None,
            payer_tenant=payer.tenant if payer else None,
            payee_tenant=payee.tenant if payee else None,
            fingerprint=request.fingerprint,
        )
        conn.execute(insert(transfers).values(**_transfer_values(record)))
        unit = self._unit(conn, request.network)
        tenants = [record.payer_tenant, record.payee_tenant]
        if refusal is not None:
            self.emit(
                conn,
                events.TransferRefused(
                    transfer_id=record.id,
                    payer=record.payer,
                    payee=record.payee,
                    amount=to_decimal(record.amount),
                    unit=unit,
                    code=refusal.code,
                    reason=refusal.message,
                ),
                network=request.network,
                tenants=[record.payer_tenant or record.payee_tenant or request.tenant],
                subject=str(record.id),
            )
        elif request.hold:
            assert payer is not None and payee is not None and request.expires_at is not None
            self._write(conn, payer.reserved_debit(request.amount), now)
            self._write(conn, payee.reserved_credit(request.amount), now)
            self.emit(
                conn,
                events.TransferHeld(
                    transfer_id=record.id,
                    payer=record.payer,
                    payee=record.payee,
                    amount=to_decimal(record.amount),
                    unit=unit,
                    reference=record.reference,
                    expires_at=request.expires_at,
                ),
                network=request.network,
                tenants=tenants,
                subject=str(record.id),
            )
        else:
            assert payer is not None and payee is not None
            self._post_balances(
                conn,
                record,
                payer.debited(request.amount),
                payee.credited(request.amount),
                now,
                unit,
            )
        return Outcome(record)

    def settle(
        self, conn: Connection, transfer_id: UUID, *, post: bool, reason: str = ""
    ) -> Outcome:
        row = conn.execute(select(transfers).where(transfers.c.id == transfer_id)).first()
        if row is None:
            raise domain.TransferNotFound(f"unknown transfer {transfer_id}")
        record = to_transfer(row)
        target = TransferStatus.POSTED if post else TransferStatus.VOIDED
        if record.status is target:
            return Outcome(record, replayed=True)
        domain.ensure_voidable(record)
        now = utcnow()
        expired = post and record.expires_at is not None and record.expires_at <= now
        payer = self.get_account(conn, record.payer, for_update=True)
        payee = self.get_account(conn, record.payee, for_update=True)
        assert payer is not None and payee is not None
        unit = self._unit(conn, record.network)
        payer = replace(payer, pending_debits=payer.pending_debits - record.amount)
        payee = replace(payee, pending_credits=payee.pending_credits - record.amount)
        if post and not expired:
            record = replace(record, status=TransferStatus.POSTED, posted_at=now)
            conn.execute(
                update(transfers)
                .where(transfers.c.id == record.id)
                .values(status="posted", posted_at=now)
            )
            self._post_balances(
                conn, record, payer.debited(record.amount), payee.credited(record.amount), now, unit
            )
            return Outcome(record)
        void_reason = "expired" if expired else reason
        record = replace(
            record, status=TransferStatus.VOIDED, voided_at=now, void_reason=void_reason
        )
        conn.execute(
            update(transfers)
            .where(transfers.c.id == record.id)
            .values(status="voided", voided_at=now, void_reason=void_reason)
        )
        self._write(conn, payer, now)
        self._write(conn, payee, now)
        self.emit(
            conn,
            events.TransferVoided(
                transfer_id=record.id,
                payer=record.payer,
                payee=record.payee,
                amount=to_decimal(record.amount),
                unit=unit,
                reason=void_reason,
            ),
            network=record.network,
            tenants=[record.payer_tenant, record.payee_tenant],
            subject=str(record.id),
        )
        return Outcome(record, expired=expired)

    def _post_balances(
        self,
        conn: Connection,
        record: TransferRecord,
        payer: Account,
        payee: Account,
        now: datetime,
        unit: str,
    ) -> None:
        self._write(conn, payer, now)
        self._write(conn, payee, now)
        conn.execute(
            insert(postings),
            [
                {
                    "transfer_id": record.id,
                    "account_id": record.payer,
                    "amount": -record.amount,
                    "created_at": now,
                },
                {
                    "transfer_id": record.id,
                    "account_id": record.payee,
                    "amount": record.amount,
                    "created_at": now,
                },
            ],
        )
        self.emit(
            conn,
            events.TransferPosted(
                transfer_id=record.id,
                payer=record.payer,
                payee=record.payee,
                amount=to_decimal(record.amount),
                unit=unit,
                kind=record.kind.value,  # type: ignore[arg-type]
                reference=record.reference,
                posted_at=now,
                payer_balance=to_decimal(payer.balance),
                payee_balance=to_decimal(payee.balance),
                reverses=record.reverses,
            ),
            network=record.network,
            tenants=[record.payer_tenant, record.payee_tenant],
            subject=str(record.id),
        )

    def _write(self, conn: Connection, account: Account, now: datetime) -> None:
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(
                balance=account.balance,
                pending_debits=account.pending_debits,
                pending_credits=account.pending_credits,
                version=accounts.c.version + 1,
                updated_at=now,
            )
        )

    def _unit(self, conn: Connection, network: str) -> str:
        net = self.get_network(conn, network)
        return net.unit_code if net else ""


class PgLedgerStore(Ledger):
    """Money commands as one PL/pgSQL call each (see ``sql/ledger.sql``).

    The calls go straight to the psycopg connection under SQLAlchemy's transaction: this is the
    ledger's hot path, and psycopg prepares each statement after a few uses.
    """

    _TRANSFER = (
        "SELECT outcome, (t).* FROM ledger_transfer(%(id)s, %(network)s, %(payer)s, %(payee)s, "
        "%(amount)s, %(kind)s, %(reference)s, %(fingerprint)s, %(hold)s, %(expires_at)s, "
        "%(reverses)s, %(tenant)s, %(corr)s, %(caus)s, %(payer_tenant)s, %(unit)s)"
    )
    _SETTLE = (
        "SELECT outcome, (t).* FROM ledger_settle(%(id)s, %(post)s, %(reason)s, %(corr)s, %(caus)s)"
    )
    _BATCH = "SELECT ord, outcome, (t).* FROM ledger_transfer_batch(%(items)s::jsonb)"

    #: The network's unit code from the service's cache (``LedgerApp.networks``), so the
    #: functions need not read it; None, or a None answer: they read it themselves.
    unit_of: Callable[[str], str | None] | None = None

    @staticmethod
    def _call(conn: Connection, sql: str, params: dict[str, Any]) -> list[Any]:
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor(row_factory=namedtuple_row) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def transfer(self, conn: Connection, request: TransferRequest) -> Outcome:
        (row,) = self._call(
            conn,
            self._TRANSFER,
            {
                **self._params(request),
                "corr": context.current_correlation_id(),
                "caus": context.causation_id.get(),
            },
        )
        return self._outcome(row, request)

    def transfer_many(self, conn: Connection, items: Sequence[Traced]) -> list[Outcome]:
        """Apply many transfers in one statement (one round trip for a whole bus batch)."""
        payload = []
        for n, (request, correlation, causation) in enumerate(items, start=1):
            params = self._params(request)
            params.update(
                n=n,
                id=str(request.id),
                payer=str(request.payer),
                payee=str(request.payee),
                expires_at=request.expires_at.isoformat() if request.expires_at else None,
                reverses=str(request.reverses) if request.reverses else None,
                corr=correlation,
                caus=causation,
            )
            payload.append(params)
        rows = self._call(conn, self._BATCH, {"items": json.dumps(payload)})
        return [
            self._outcome(row, items[row.ord - 1][0]) for row in sorted(rows, key=lambda r: r.ord)
        ]

    def _params(self, request: TransferRequest) -> dict[str, Any]:
        unit = self.unit_of(request.network) if self.unit_of and request.network else None
        return {
            "unit": unit,
            "id": request.id,
            "network": request.network or None,
            "payer": request.payer,
            "payee": request.payee,
            "amount": request.amount,
            "kind": request.kind.value,
            "reference": request.reference,
            "fingerprint": request.fingerprint,
            "hold": request.hold,
            "expires_at": request.expires_at,
            "reverses": request.reverses,
            "tenant": request.tenant,
            "payer_tenant": request.payer_tenant,
        }

    @staticmethod
    def _outcome(row: Any, request: TransferRequest) -> Outcome:
        if row.outcome == "not_found":
            raise domain.UnknownAccount(f"unknown payer account {request.payer}")
        record = to_transfer(row)
        if row.outcome == "replayed":
            return Outcome(record, replayed=True)
        if row.outcome == "conflict":
            return _replay(record, request.fingerprint)
        return Outcome(record)

    def settle(
        self, conn: Connection, transfer_id: UUID, *, post: bool, reason: str = ""
    ) -> Outcome:
        (row,) = self._call(
            conn,
            self._SETTLE,
            {
                "id": transfer_id,
                "post": post,
                "reason": reason,
                "corr": context.current_correlation_id(),
                "caus": context.causation_id.get(),
            },
        )
        if row.outcome == "not_found":
            raise domain.TransferNotFound(f"unknown transfer {transfer_id}")
        record = to_transfer(row)
        if row.outcome == "invalid_state":
            raise domain.InvalidTransferState(f"transfer {transfer_id} is {record.status.value}")
        return Outcome(record, replayed=row.outcome == "replayed", expired=row.outcome == "expired")


#: What a unit of work on a pooled connection gives back (``StatementConnections._retried``).
W = TypeVar("W")


#: ``PgLedgerStore._TRANSFER`` with positional parameters (no per-call name mapping), in the
#: order of ``StatementConnections._transfer_params``.
_TRANSFER_POSITIONAL = (
    "SELECT outcome, (t).* FROM ledger_transfer(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s, %s)"
)


#: The transfer, unless the payer's network asks a second animator for its amount (four eyes):
#: then no row, and the function is not even called (PostgreSQL's one-time filter). The
#: threshold is read in the transfer's own transaction, so one just set applies at once.
_TRANSFER_UNLESS_APPROVAL = (
    "SELECT outcome, (t).* FROM ledger_transfer(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s, %s) WHERE NOT EXISTS (SELECT 1 FROM accounts a JOIN networks n "
    "ON n.slug = a.network WHERE a.id = %s AND n.manual_transfer_approval_threshold < %s)"
)
#: Name the staff user who made a manual transfer and audit it, once: a replay whose transfer
#: already names its initiator changes nothing (nor does a transfer that was not made), and a
#: refusal is attributed but not audited.
_ATTRIBUTE = """
WITH named AS (
    UPDATE transfers SET initiated_by = %(actor)s
    WHERE id = %(id)s AND initiated_by IS NULL
    RETURNING id, network, payer, payee, amount, kind, status, reference, approval_required
)
INSERT INTO audit_entries
    (id, at, network, tenant, actor_user_id, actor_role, action, target_type, target_id, details)
SELECT %(audit_id)s, %(at)s, named.network, %(tenant)s, %(actor)s, %(role)s, %(action)s,
       'transfer', named.id::text,
       json_build_object(
           'payer', named.payer::text, 'payee', named.payee::text,
           'amount', (named.amount / 100)::text || '.' || lpad((named.amount %% 100)::text, 2, '0'),
           'kind', named.kind, 'status', named.status, 'reference', named.reference,
           'approval_required', named.approval_required)
FROM named WHERE named.status <> 'refused'
"""


#: A group's accounts, locked once and in id order before any of its transfers (the order
#: ``ledger_transfer`` and the bus batches lock in, with the same strength): two groups, or a group
#: and a single transfer, never wait for each other in a cycle.
_LOCK_GROUP_ACCOUNTS = "SELECT 1 FROM accounts WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE"


class ApprovalRequired(Exception):  # noqa: N818 (a signal, not an error of the caller's)
    """The manual transfer is above its network's four-eyes threshold: nothing was written."""


@dataclass(frozen=True, slots=True)
class _Manual:
    """A manual transfer ready to be written: its statement and parameters, made in the
    requesting thread (they carry its correlation context)."""

    request: TransferRequest
    sql: str
    params: tuple[Any, ...]
    attribution: dict[str, Any]


class StatementConnections:
    """The web worker's own connections for one-statement transfers (PostgreSQL only).

    A small psycopg pool in autocommit, opened in the worker process on first use (gunicorn forks
    after the application is imported), and the transfer function called with positional,
    prepared parameters: no ORM connection wrapper, no isolation switch, no query rewriting per
    request. A deadlock victim or a connection found dead is retried: the command is idempotent by
    its transfer id.
    """

    def __init__(
        self,
        conninfo: str,
        store: PgLedgerStore,
        *,
        size: int,
        options: dict[str, Any] | None = None,
        group_commit_us: int = 0,
        group_max: int = 32,
    ) -> None:
        self.conninfo = conninfo
        self.store = store
        self.size = size
        self.options = options or {}
        self._pool: Any = None
        self._pid = 0
        self._lock = threading.Lock()
        #: Manual transfers of this process's threads arriving within ``group_commit_us`` of
        #: each other are written in one transaction (None: each in its own).
        self.groups: GroupCommit[_Manual, Outcome] | None = None
        if group_commit_us > 0:
            self.groups = GroupCommit(
                self._write_group,
                self._write_one,
                window_s=group_commit_us / 1_000_000,
                max_size=group_max,
            )

    @classmethod
    def for_engine(
        cls,
        engine: Engine,
        store: PgLedgerStore,
        *,
        size: int,
        synchronous_commit: bool = True,
        group_commit_us: int = 0,
    ) -> StatementConnections:
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        options = {} if synchronous_commit else {"options": "-c synchronous_commit=off"}
        return cls(conninfo, store, size=size, options=options, group_commit_us=group_commit_us)

    def _connections(self) -> Any:
        if self._pool is None or self._pid != os.getpid():
            with self._lock:
                if self._pool is None or self._pid != os.getpid():
                    from psycopg_pool import ConnectionPool

                    self._pool = ConnectionPool(
                        self.conninfo,
                        min_size=1,
                        max_size=self.size,
                        open=True,
                        kwargs={"autocommit": True, "row_factory": namedtuple_row, **self.options},
                        name="ledger-statements",
                    )
                    self._pid = os.getpid()
        return self._pool

    def transfer(self, request: TransferRequest) -> Outcome:
        params = self._transfer_params(request)

        def call(conn: Any) -> Outcome:
            row = conn.execute(_TRANSFER_POSITIONAL, params, prepare=True).fetchone()
            return self.store._outcome(row, request)

        return self._retried(call)

    def manual_transfer(
        self,
        request: TransferRequest,
        *,
        actor: str,
        role: str,
        action: str,
        check_approval: bool,
    ) -> Outcome:
        """A staff user's transfer, attributed and audited, in one transaction and one round
        trip: BEGIN, the transfer (gated by the four-eyes threshold), the attribution and the
        COMMIT go out together (pipeline). Raises :class:`ApprovalRequired` (nothing written)
        when the network's threshold asks for a second animator.

        With group commit on, it may share that transaction with the concurrent manual transfers
        of this process; its answer is the one it would get alone. A reversal always goes alone:
        it locks its original transfer before the accounts, and a group locks accounts first.
        """
        params = self._transfer_params(request)
        if check_approval:
            sql, params = _TRANSFER_UNLESS_APPROVAL, (*params, request.payer, request.amount)
        else:
            sql = _TRANSFER_POSITIONAL
        attribution = {
            "actor": actor,
            "id": request.id,
            "audit_id": uuid4(),
            "at": utcnow(),
            "tenant": request.tenant,
            "role": role,
            "action": action,
        }
        item = _Manual(request, sql, params, attribution)
        if self.groups is not None and request.reverses is None:
            return self.groups.submit(item)
        return self._write_one(item)

    def _retried(self, work: Callable[[Any], W]) -> W:
        """``work`` on a pooled connection, again (up to three times in all) when PostgreSQL
        ends it with a deadlock, a serialization failure or a lost connection: every command
        here is idempotent by its transfer id."""
        for attempt in range(3):
            try:
                with self._connections().connection() as conn:
                    return work(conn)
            except psycopg.OperationalError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _write_one(self, item: _Manual) -> Outcome:
        """One manual transfer in its own transaction."""
        (row,) = self._retried(lambda conn: self._write(conn, [item]))
        return self._manual_outcome(row, item)

    def _write_group(self, items: Sequence[_Manual]) -> list[Callable[[], Outcome]]:
        """Many manual transfers in one transaction: each one's answer, made by its own thread
        from its row. A statement failing fails the whole transaction and raises here (the
        combiner then writes each item alone), except for a group of one: its error is its own."""
        try:
            rows = self._retried(lambda conn: self._write(conn, items))
        except Exception as exc:
            count_group(len(items), committed=False)
            if len(items) > 1:
                raise
            return [partial(_reraise, exc)]
        count_group(len(items), committed=True)
        answers = zip(rows, items, strict=True)
        return [partial(self._manual_outcome, row, item) for row, item in answers]

    @staticmethod
    def _write(conn: Any, items: Sequence[_Manual]) -> list[Any]:
        """The items' transfers and attributions, in order, then one COMMIT, in one round trip
        (pipeline). Several items: their accounts locked first, all at once and in id order;
        then the PL/pgSQL function, called in sequence in the one transaction, checks two
        transfers on one account against each other as if one had followed the other."""
        with conn.pipeline(), conn.transaction():
            if len(items) > 1:
                accounts = sorted({a for i in items for a in (i.request.payer, i.request.payee)})
                conn.execute(_LOCK_GROUP_ACCOUNTS, (accounts,), prepare=True)
            made = []
            for item in items:
                made.append(conn.execute(item.sql, item.params, prepare=True))
                conn.execute(_ATTRIBUTE, item.attribution, prepare=True)
        return [cursor.fetchone() for cursor in made]

    def _manual_outcome(self, row: Any, item: _Manual) -> Outcome:
        if row is None:
            raise ApprovalRequired
        # A conflict raises here: the transaction wrote nothing for it (the transfer is another's,
        # whose initiator is already named).
        outcome = self.store._outcome(row, item.request)
        if outcome.transfer.initiated_by is None:
            named = replace(outcome.transfer, initiated_by=item.attribution["actor"])
            outcome = replace(outcome, transfer=named)
        return outcome

    def _transfer_params(self, request: TransferRequest) -> tuple[Any, ...]:
        unit = (
            self.store.unit_of(request.network) if self.store.unit_of and request.network else None
        )
        return (
            request.id,
            request.network or None,
            request.payer,
            request.payee,
            request.amount,
            request.kind.value,
            request.reference,
            request.fingerprint,
            request.hold,
            request.expires_at,
            request.reverses,
            request.tenant,
            context.current_correlation_id(),
            context.causation_id.get(),
            request.payer_tenant,
            unit,
        )

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.close()
        self._pool = None


def _reraise(exc: Exception) -> NoReturn:
    raise exc


def _replay(existing: TransferRecord, fingerprint: str) -> Outcome:
    if existing.fingerprint != fingerprint:
        raise domain.IdempotencyConflict(
            f"transfer id {existing.id} was already used for another transfer"
        )
    return Outcome(existing, replayed=True)


def _transfer_values(record: TransferRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "network": record.network,
        "payer": record.payer,
        "payee": record.payee,
        "amount": record.amount,
        "kind": record.kind.value,
        "status": record.status.value,
        "reference": record.reference,
        "fingerprint": record.fingerprint,
        "created_at": record.created_at,
        "posted_at": record.posted_at,
        "voided_at": record.voided_at,
        "expires_at": record.expires_at,
        "reverses": record.reverses,
        "refusal_code": record.refusal_code,
        "refusal_reason": record.refusal_reason,
        "void_reason": record.void_reason,
        "payer_tenant": record.payer_tenant,
        "payee_tenant": record.payee_tenant,
    }


def _month_of(conn: Connection, column: Any) -> Any:
    """``YYYY-MM`` of a UTC timestamp column, in the dialect's own words."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)  # SQLite stores UTC text: 'YYYY-MM-DD HH:MM:SS'


def store_for(dialect: str) -> Ledger:
    return PgLedgerStore() if dialect == "postgresql" else SqlLedgerStore()


# --- unit of work ---------------------------------------------------------------------------------


#: The store with the unit of work's connection applied: ``uow.ledger.transfer(request)``.
BoundLedger = Bound[Ledger]


class UnitOfWork(ConnectionUnitOfWork):
    """One database transaction on the ledger's engine.

    ``single_statement=True`` runs in autocommit on PostgreSQL: the money functions are one
    statement each, so the account rows are locked only while PostgreSQL itself works and
    flushes the commit, never across a round trip to Python.
    """

    def __init__(
        self,
        engine: Engine,
        store: Ledger,
        *,
        single_statement: bool = False,
        engine_autocommits: bool = False,
    ) -> None:
        autocommit = single_statement and engine.dialect.name == "postgresql"
        super().__init__(engine, autocommit=autocommit, engine_autocommits=engine_autocommits)
        self.store = store

    @property
    def ledger(self) -> BoundLedger:
        return self.bound(self.store)

    def rollback(self) -> None:
        assert self.conn is not None
        if not self.autocommit:
            self.conn.rollback()
