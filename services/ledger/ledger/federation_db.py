"""Persistence of trade between networks: the links' copies, the sagas, the clearing accounts.

The ``federation_links`` and ``federation_sagas`` tables live in the ledger's own database (the
saga's coordinator); the clearing accounts are ordinary ``accounts`` rows of kind ``clearing``,
in the database of their network's books.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Connection,
    Index,
    String,
    Uuid,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from chassis.db import UTCDateTime, utcnow
from ledger import domain
from ledger.db import Base, Ledger, accounts
from ledger.federation import (
    TERMINAL,
    UNDECIDED,
    Link,
    LinkStatus,
    Saga,
    SagaState,
    clearing_account_id,
    format_rate,
)


class FederationLinkRow(Base):
    """The ledger's copy of a link between two networks (from the gateway's events)."""

    __tablename__ = "federation_links"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network_a: Mapped[str] = mapped_column(String(40))
    network_b: Mapped[str] = mapped_column(String(40))
    #: Decimal text (SQLite has no exact decimal type).
    rate: Mapped[str] = mapped_column(String(40))
    limit_a: Mapped[int] = mapped_column(BigInteger)
    limit_b: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FederationSagaRow(Base):
    """One cross-network transfer and the state of its saga (see ``ledger.federation.Saga``)."""

    __tablename__ = "federation_sagas"
    __table_args__ = (
        Index("ix_federation_sagas_link", "link_id"),
        Index("ix_federation_sagas_open", "state", "updated_at"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    link_id: Mapped[UUID] = mapped_column(Uuid)
    payer_network: Mapped[str] = mapped_column(String(40))
    payee_network: Mapped[str] = mapped_column(String(40))
    payer: Mapped[UUID] = mapped_column(Uuid)
    payee: Mapped[UUID] = mapped_column(Uuid)
    amount: Mapped[int] = mapped_column(BigInteger)
    converted_amount: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    requested_by: Mapped[str | None] = mapped_column(String(200))
    refusal_code: Mapped[str | None] = mapped_column(String(40))
    refusal_reason: Mapped[str | None] = mapped_column(String(300))


federation_links = FederationLinkRow.__table__
federation_sagas = FederationSagaRow.__table__


def to_link(row: Any) -> Link:
    return Link(
        id=UUID(str(row.id)),
        network_a=row.network_a,
        network_b=row.network_b,
        rate=Decimal(row.rate),
        limit_a=row.limit_a,
        limit_b=row.limit_b,
        status=LinkStatus(row.status),
    )


def to_saga(row: Any) -> Saga:
    return Saga(
        id=UUID(str(row.id)),
        link_id=UUID(str(row.link_id)),
        payer_network=row.payer_network,
        payee_network=row.payee_network,
        payer=UUID(str(row.payer)),
        payee=UUID(str(row.payee)),
        amount=row.amount,
        converted_amount=row.converted_amount,
        rate=Decimal(row.rate),
        reference=row.reference,
        state=SagaState(row.state),
        created_at=row.created_at,
        deadline=row.deadline,
        updated_at=row.updated_at,
        requested_by=row.requested_by,
        refusal_code=row.refusal_code,
        refusal_reason=row.refusal_reason,
    )


# --- links -------------------------------------------------------------------------------------


def save_link(conn: Connection, link: Link) -> None:
    values = {
        "network_a": link.network_a,
        "network_b": link.network_b,
        "rate": format_rate(link.rate),
        "limit_a": link.limit_a,
        "limit_b": link.limit_b,
        "status": link.status.value,
        "updated_at": utcnow(),
    }
    changed = conn.execute(
        update(federation_links).where(federation_links.c.id == link.id).values(**values)
    ).rowcount
    if not changed:
        conn.execute(insert(federation_links).values(id=link.id, **values))


def get_link(conn: Connection, link_id: UUID) -> Link | None:
    row = conn.execute(select(federation_links).where(federation_links.c.id == link_id)).first()
    return to_link(row) if row else None


def all_links(conn: Connection) -> list[Link]:
    return [to_link(r) for r in conn.execute(select(federation_links)).all()]


# --- sagas -------------------------------------------------------------------------------------


def _saga_values(saga: Saga) -> dict[str, Any]:
    return {
        "link_id": saga.link_id,
        "payer_network": saga.payer_network,
        "payee_network": saga.payee_network,
        "payer": saga.payer,
        "payee": saga.payee,
        "amount": saga.amount,
        "converted_amount": saga.converted_amount,
        "rate": format_rate(saga.rate),
        "reference": saga.reference,
        "state": saga.state.value,
        "created_at": saga.created_at,
        "deadline": saga.deadline,
        "updated_at": saga.updated_at,
        "requested_by": saga.requested_by,
        "refusal_code": saga.refusal_code,
        "refusal_reason": saga.refusal_reason,
    }


def insert_saga(conn: Connection, saga: Saga) -> None:
    conn.execute(insert(federation_sagas).values(id=saga.id, **_saga_values(saga)))


def save_saga(conn: Connection, saga: Saga) -> None:
    conn.execute(
        update(federation_sagas)
        .where(federation_sagas.c.id == saga.id)
        .values(state=saga.state.value, updated_at=saga.updated_at)
        .values(refusal_code=saga.refusal_code, refusal_reason=saga.refusal_reason)
    )


def get_saga(conn: Connection, saga_id: UUID, *, for_update: bool = False) -> Saga | None:
    query = select(federation_sagas).where(federation_sagas.c.id == saga_id)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    return to_saga(row) if row else None


def sagas_of_link(conn: Connection, link_id: UUID) -> list[Saga]:
    rows = conn.execute(select(federation_sagas).where(federation_sagas.c.link_id == link_id))
    return [to_saga(r) for r in rows.all()]


def due_sagas(conn: Connection, now: datetime, stalled_before: datetime, limit: int) -> list[UUID]:
    """Sagas to advance: undecided ones past their deadline, and any open one left stalled."""
    open_states = [s.value for s in SagaState if s not in TERMINAL]
    undecided = [s.value for s in UNDECIDED]
    query = (
        select(federation_sagas.c.id)
        .where(
            and_(
                federation_sagas.c.state.in_(open_states),
                or_(
                    federation_sagas.c.updated_at <= stalled_before,
                    and_(
                        federation_sagas.c.state.in_(undecided),
                        federation_sagas.c.deadline <= now,
                    ),
                ),
            )
        )
        .order_by(federation_sagas.c.updated_at)
        .limit(limit)
    )
    return [UUID(str(i)) for i in conn.execute(query).scalars()]


# --- clearing accounts -------------------------------------------------------------------------


def ensure_clearing_account(
    conn: Connection, store: Ledger, network: str, partner: str, limit: int
) -> domain.Account:
    """Open ``network``'s clearing account for ``partner``, or set its credit limit.

    A limit below what the account already uses is raised to that use: the link's new limit
    then applies as the account comes back within it (no trade may take it further).
    """
    account_id = clearing_account_id(network, partner)
    existing = store.get_account(conn, account_id, for_update=True)
    if existing is None:
        if store.get_network(conn, network) is None:
            raise domain.NetworkNotFound(f"unknown network {network!r}")
        account = domain.Account(
            id=account_id, network=network, tenant=None, kind="clearing", credit_limit=limit
        )
        store._insert_account(conn, account)  # noqa: SLF001 - the store's own opening path
        store._record_credit_limit(conn, account_id, None, limit, reason=f"link to {partner}")  # noqa: SLF001
        return account
    used = max(0, existing.pending_debits - existing.balance)
    target = max(limit, used)
    if target != existing.credit_limit:
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(credit_limit=target, version=accounts.c.version + 1, updated_at=utcnow())
        )
        store._record_credit_limit(  # noqa: SLF001
            conn, account_id, existing.credit_limit, target, reason=f"link to {partner}"
        )
    return existing


def clearing_balance(conn: Connection, store: Ledger, network: str, partner: str) -> int | None:
    """The balance of ``network``'s clearing account for ``partner`` (None: not opened yet)."""
    account = store.get_account(conn, clearing_account_id(network, partner))
    return account.balance if account else None
