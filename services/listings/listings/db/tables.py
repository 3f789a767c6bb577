"""The listings' tables: the service's own (listings, threads, messages, matches) and the
copies of other services' facts (networks, tenants, members, balances)."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    literal_column,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis.db import UTCDateTime, new_metadata, utcnow
from chassis.outbox import messaging_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


# --- copies of other services' facts -----------------------------------------------------------


class NetworkRow(Base):
    __tablename__ = "networks"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    unit_code: Mapped[str] = mapped_column(String(12), default="")
    unit_name: Mapped[str] = mapped_column(String(40), default="")
    unit_symbol: Mapped[str] = mapped_column(String(12), default="")
    payment_modes: Mapped[str] = mapped_column(String(40))  # "100,50"
    need_expiry_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TenantRow(Base):
    __tablename__ = "tenants"
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    network: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    departments: Mapped[str] = mapped_column(String(200), default="")  # "92,93,94"


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (CheckConstraint("status IN ('active', 'suspended', 'left')", name="status"),)
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(3), default="")
    status: Mapped[str] = mapped_column(String(10), default="active")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BalanceRow(Base):
    """A member's balance as the ledger last told it (``account_opened``, ``transfer_posted``)."""

    __tablename__ = "balances"
    member_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    tenant: Mapped[str | None] = mapped_column(String(64))
    balance: Mapped[int] = mapped_column(BigInteger)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime())


class FederationLinkRow(Base):
    """A link between two networks as the gateway last announced it (migration 0003).

    Few rows (one per pair of networks): read whole per request, it is not a growing table.
    """

    __tablename__ = "federation_links"
    __table_args__ = (CheckConstraint("status IN ('active', 'suspended')", name="status"),)
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network_a: Mapped[str] = mapped_column(String(40), index=True)
    network_b: Mapped[str] = mapped_column(String(40), index=True)
    rate: Mapped[str] = mapped_column(String(40))  # a decimal, exact (as the ledger keeps it)
    status: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime())


#: The values of ``listings.visibility`` (``federation`` since migration 0003).
VISIBILITY_CHECK = "visibility IN ('tenant', 'network', 'federation')"
#: The predicate of the partial index a linked network's search reads (migration 0003).
FEDERATION_LIVE = "status = 'active' AND visibility = 'federation'"


# --- the marketplace ---------------------------------------------------------------------------


class ListingRow(Base):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("kind IN ('offer', 'need')", name="kind"),
        CheckConstraint("status IN ('active', 'paused', 'archived')", name="status"),
        CheckConstraint(VISIBILITY_CHECK, name="visibility"),
        CheckConstraint("price_type IN ('fixed', 'from', 'on_quote')", name="price_type"),
        CheckConstraint("(price_type = 'on_quote') = (price_amount IS NULL)", name="price_amount"),
        CheckConstraint("payment_mask > 0", name="payment_mask"),
        Index("ix_listings_network_status_published", "network", "status", "published_at"),
        Index("ix_listings_tenant_status", "tenant", "status"),
        Index("ix_listings_member_status", "member_id", "status"),
        Index("ix_listings_category_status", "category", "status"),
        # What a linked network reads (scope=federation): only the live shared listings.
        Index(
            "ix_listings_federation_published",
            "network",
            "published_at",
            postgresql_where=literal_column(FEDERATION_LIVE),
            sqlite_where=literal_column(FEDERATION_LIVE),
        ),
        Index(
            "ix_listings_active_expiry",
            "expires_at",
            postgresql_where=literal_column("status = 'active'"),
            sqlite_where=literal_column("status = 'active'"),
        ),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    tenant: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    category_label: Mapped[str] = mapped_column(String(200), default="")
    price_type: Mapped[str] = mapped_column(String(10))
    price_amount: Mapped[int | None] = mapped_column(BigInteger)
    payment_mask: Mapped[int] = mapped_column(Integer)
    departments: Mapped[str] = mapped_column(String(400), default="")  # "75,92"; "" = anywhere
    nationwide: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10))
    status_reason: Mapped[str | None] = mapped_column(String(40))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ListingDepartmentRow(Base):
    """One row per department a listing serves: what the department filter uses."""

    __tablename__ = "listing_departments"
    __table_args__ = (Index("ix_listing_departments_department", "department", "listing_id"),)
    listing_id: Mapped[UUID] = mapped_column(
        Uuid, ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    department: Mapped[str] = mapped_column(String(3), primary_key=True)


class MatchRow(Base):
    __tablename__ = "matches"
    __table_args__ = (
        Index("uq_matches_offer_need", "offer_id", "need_id", unique=True),
        Index("ix_matches_need", "need_id"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    offer_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("listings.id"))
    need_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("listings.id"))
    offer_member_id: Mapped[UUID] = mapped_column(Uuid)
    need_member_id: Mapped[UUID] = mapped_column(Uuid)
    offer_tenant: Mapped[str] = mapped_column(String(64))
    need_tenant: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ThreadRow(Base):
    __tablename__ = "threads"
    __table_args__ = (
        Index("uq_threads_listing_requester", "listing_id", "requester_member_id", unique=True),
        Index("ix_threads_author", "author_member_id", "last_message_at"),
        Index("ix_threads_requester", "requester_member_id", "last_message_at"),
        Index("ix_threads_author_tenant", "author_tenant", "last_message_at"),
        Index("ix_threads_requester_tenant", "requester_tenant", "last_message_at"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network: Mapped[str] = mapped_column(String(40))
    listing_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("listings.id"))
    author_member_id: Mapped[UUID] = mapped_column(Uuid)
    author_tenant: Mapped[str] = mapped_column(String(64))
    requester_member_id: Mapped[UUID] = mapped_column(Uuid)
    requester_tenant: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message_count: Mapped[int] = mapped_column(Integer, default=0)


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_thread_created", "thread_id", "created_at"),)
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    thread_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("threads.id"))
    sender_member_id: Mapped[UUID] = mapped_column(Uuid)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


outbox_table, outbox_sequence_table, inbox_table = messaging_tables(Base.metadata)
networks = NetworkRow.__table__
tenants = TenantRow.__table__
members = MemberRow.__table__
balances = BalanceRow.__table__
federation_links = FederationLinkRow.__table__
listings_table = ListingRow.__table__
listing_departments = ListingDepartmentRow.__table__
matches = MatchRow.__table__
threads = ThreadRow.__table__
messages = MessageRow.__table__

#: The SQLite FTS5 index (created by the migration, not by this metadata).
fts_table = Table(
    "listing_fts",
    MetaData(),
    Column("listing_id", Uuid),
    Column("title", Text),
    Column("body", Text),
    Column("category", Text),
)

#: The PostgreSQL generated search column (created by the migration).
SEARCH_COLUMN = literal_column("listings.search", type_=postgresql.TSVECTOR)


def search_sql() -> str:
    """The PostgreSQL search objects (configuration, functions, column, index) of migration 0001."""
    return resources.files("listings").joinpath("sql/search.sql").read_text()


LISTING_TABLES = (
    "networks",
    "tenants",
    "members",
    "balances",
    "listings",
    "listing_departments",
    "matches",
    "threads",
    "messages",
)
