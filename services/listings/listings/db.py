"""Persistence of the listings: tables, the store, the two full-text searches, the unit of work.

Listings, threads, messages and matches are the service's own; networks, tenants, members and
balances are copies kept from other services' events. Full-text search is PostgreSQL's (a
generated ``tsvector`` of the ``fr_unaccent`` and ``french`` configurations, GIN index, ranked
by ``ts_rank``) or, on SQLite, an FTS5 table holding the terms of ``textsearch.py`` (ranked by
``bm25``). Every read takes a ``Viewer`` and filters by it: tenant-only listings never leave
their tenant.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chassis import context
from chassis.db import UTCDateTime, new_metadata, utcnow
from chassis.messages import envelope_for
from chassis.outbox import Outbox, messaging_tables
from chassis.uow import Bound, ConnectionUnitOfWork
from listings import domain, textsearch
from listings.domain import (
    Kind,
    Listing,
    Match,
    Member,
    MemberStatus,
    Network,
    Price,
    PriceType,
    Status,
    Terms,
    Thread,
    Viewer,
    Visibility,
)


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


# --- the marketplace ---------------------------------------------------------------------------


class ListingRow(Base):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("kind IN ('offer', 'need')", name="kind"),
        CheckConstraint("status IN ('active', 'paused', 'archived')", name="status"),
        CheckConstraint("visibility IN ('tenant', 'network')", name="visibility"),
        CheckConstraint("price_type IN ('fixed', 'from', 'on_quote')", name="price_type"),
        CheckConstraint("(price_type = 'on_quote') = (price_amount IS NULL)", name="price_amount"),
        CheckConstraint("payment_mask > 0", name="payment_mask"),
        Index("ix_listings_network_status_published", "network", "status", "published_at"),
        Index("ix_listings_tenant_status", "tenant", "status"),
        Index("ix_listings_member_status", "member_id", "status"),
        Index("ix_listings_category_status", "category", "status"),
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
    visibility: Mapped[str] = mapped_column(String(8))
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


# --- row <-> domain ----------------------------------------------------------------------------


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)


def to_listing(row: Any) -> Listing:
    return Listing(
        id=row.id,
        network=row.network,
        tenant=row.tenant,
        member_id=row.member_id,
        kind=Kind(row.kind),
        title=row.title,
        description=row.description,
        category=row.category,
        price=Price(PriceType(row.price_type), row.price_amount),
        payment_modes=domain.modes_of_mask(row.payment_mask),
        departments=_split(row.departments),
        visibility=Visibility(row.visibility),
        status=Status(row.status),
        status_reason=row.status_reason,
        expires_at=_aware(row.expires_at),
        created_at=_aware(row.created_at),  # type: ignore[arg-type]
        updated_at=_aware(row.updated_at),
        published_at=_aware(row.published_at),  # type: ignore[arg-type]
    )


def _listing_values(listing: Listing) -> dict[str, Any]:
    return {
        "network": listing.network,
        "tenant": listing.tenant,
        "member_id": listing.member_id,
        "kind": listing.kind.value,
        "title": listing.title,
        "description": listing.description,
        "category": listing.category,
        "category_label": listing.category_label,
        "price_type": listing.price.type.value,
        "price_amount": listing.price.amount,
        "payment_mask": domain.payment_mask(listing.payment_modes),
        "departments": ",".join(listing.departments),
        "nationwide": not listing.departments,
        "visibility": listing.visibility.value,
        "status": listing.status.value,
        "status_reason": listing.status_reason,
        "expires_at": listing.expires_at,
        "created_at": listing.created_at,
        "updated_at": listing.updated_at,
        "published_at": listing.published_at,
    }


def to_match(row: Any) -> Match:
    return Match(
        id=row.id,
        network=row.network,
        offer_id=row.offer_id,
        need_id=row.need_id,
        offer_member_id=row.offer_member_id,
        need_member_id=row.need_member_id,
        offer_tenant=row.offer_tenant,
        need_tenant=row.need_tenant,
        score=row.score,
        reasons=_split(row.reasons),
        created_at=_aware(row.created_at),  # type: ignore[arg-type]
    )


def to_thread(row: Any) -> Thread:
    return Thread(
        id=row.id,
        network=row.network,
        listing_id=row.listing_id,
        author_member_id=row.author_member_id,
        author_tenant=row.author_tenant,
        requester_member_id=row.requester_member_id,
        requester_tenant=row.requester_tenant,
        created_at=_aware(row.created_at),  # type: ignore[arg-type]
        last_message_at=_aware(row.last_message_at),  # type: ignore[arg-type]
        message_count=row.message_count,
    )


def to_network(row: Any) -> Network:
    return Network(
        slug=row.slug,
        name=row.name,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        unit_symbol=row.unit_symbol,
        payment_modes=tuple(int(m) for m in _split(row.payment_modes)),
        need_expiry_days=row.need_expiry_days,
    )


def to_member(row: Any) -> Member:
    return Member(
        id=row.id,
        network=row.network,
        tenant=row.tenant,
        name=row.name,
        department=row.department,
        status=MemberStatus(row.status),
    )


def listing_terms(listing: Listing) -> Terms:
    """The terms matchmaking compares (title alone, and title with description)."""
    return Terms(
        title=textsearch.terms(listing.title),
        text=textsearch.terms(f"{listing.title} {listing.description}"),
    )


# --- search filters ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchFilters:
    q: str = ""
    kind: Kind | None = None
    category: str | None = None
    department: str | None = None
    tenant: str | None = None
    payment_mode: int | None = None
    member_id: UUID | None = None
    scope: str = "network"  # or "tenant"
    status: str | None = None  # None: live listings; "active", "paused", "archived", "all"
    page: int = 1
    per_page: int = 20


#: Searches count their matches up to this many (more is "1000+").
COUNT_CAP = 1000


@dataclass(frozen=True, slots=True)
class SearchResult:
    items: list[Listing]
    total: int
    capped: bool = False  # there are more than ``total`` matches


def _live(now: datetime) -> ColumnElement[bool]:
    c = listings_table.c
    return and_(c.status == "active", or_(c.expires_at.is_(None), c.expires_at > now))


def visible_to(viewer: Viewer, now: datetime) -> ColumnElement[bool]:
    """The SQL of ``Viewer.can_see``: what a viewer may read, and nothing else."""
    c = listings_table.c
    if viewer.network is None:
        where = c.tenant == viewer.tenant
    else:
        where = and_(
            c.network == viewer.network, or_(c.tenant == viewer.tenant, c.visibility == "network")
        )
    if viewer.staff:
        owned = c.tenant == viewer.tenant
    elif viewer.member_id is not None:
        owned = and_(c.tenant == viewer.tenant, c.member_id == viewer.member_id)
    else:
        owned = false()
    return and_(where, or_(_live(now), owned))


def _serves(departments_: Iterable[str]) -> ColumnElement[bool]:
    """Listings serving one of ``departments_`` (or anywhere)."""
    wanted = sorted(set(departments_))
    c = listings_table.c
    if not wanted:
        return true()
    d = listing_departments.c
    return or_(c.nationwide, exists().where(and_(d.listing_id == c.id, d.department.in_(wanted))))


# --- full-text search, one per database ----------------------------------------------------------


class TextSearch:
    """Full-text search of one database: filter and rank, and the index it keeps."""

    def matching(self, query: str) -> tuple[ColumnElement[bool], ColumnElement[Any]] | None:
        """WHERE clause and rank (larger is better) of a user's query; None if no word."""
        raise NotImplementedError

    def any_of(self, words: Sequence[str]) -> ColumnElement[bool] | None:
        """Listings sharing a word with ``words`` (candidates of matchmaking)."""
        raise NotImplementedError

    def index(self, conn: Connection, listing: Listing) -> None:
        """Keep the index in step with a listing just written."""

    def rank_column(self, rank: ColumnElement[Any]) -> ColumnElement[Any]:
        return rank


class PgTextSearch(TextSearch):
    """PostgreSQL: the ``listings.search`` generated column and the SQL functions of 0001."""

    @staticmethod
    def _word(word: str) -> ColumnElement[Any]:
        forms = [func.listings_word_query(word)]
        accented = textsearch.reaccented(word)
        if accented is not None:
            forms.append(func.listings_word_query(accented))
        return functools.reduce(lambda a, b: a.op("||")(b), forms)

    def _query(self, words: Sequence[str], joiner: str) -> ColumnElement[Any] | None:
        if not words:
            return None
        return functools.reduce(lambda a, b: a.op(joiner)(b), [self._word(w) for w in words])

    def matching(self, query: str) -> tuple[ColumnElement[bool], ColumnElement[Any]] | None:
        tsquery = self._query(textsearch.query_words(query), "&&")
        if tsquery is None:
            return None
        return SEARCH_COLUMN.op("@@")(tsquery), func.ts_rank(SEARCH_COLUMN, tsquery)

    def any_of(self, words: Sequence[str]) -> ColumnElement[bool] | None:
        tsquery = self._query(list(dict.fromkeys(words))[:16], "||")
        return None if tsquery is None else SEARCH_COLUMN.op("@@")(tsquery)


class SqliteTextSearch(TextSearch):
    """SQLite: an FTS5 table of the terms of ``textsearch.py`` (stems without accents)."""

    @staticmethod
    def _match(expression: str) -> ColumnElement[bool]:
        return literal_column("listing_fts").op("MATCH")(expression)  # type: ignore[no-any-return]

    def _ids(self, expression: str) -> Any:
        return select(fts_table.c.listing_id).where(self._match(expression))

    def matching(self, query: str) -> tuple[ColumnElement[bool], ColumnElement[Any]] | None:
        expression = textsearch.fts5_query(query)
        if expression is None:
            return None
        # bm25 is smaller for better matches; weights: title, body, category label.
        rank = (
            select(func.bm25(literal_column("listing_fts"), 10.0, 4.0, 2.0))
            .where(and_(fts_table.c.listing_id == listings_table.c.id, self._match(expression)))
            .scalar_subquery()
        )
        return listings_table.c.id.in_(self._ids(expression)), -rank

    def any_of(self, words: Sequence[str]) -> ColumnElement[bool] | None:
        forms = [form for word in words for form in textsearch.word_forms(word)]
        expression = textsearch.fts5_any(forms)
        return None if expression is None else listings_table.c.id.in_(self._ids(expression))

    def index(self, conn: Connection, listing: Listing) -> None:
        conn.execute(delete(fts_table).where(fts_table.c.listing_id == listing.id))
        conn.execute(
            insert(fts_table).values(
                listing_id=listing.id,
                title=textsearch.index_text(listing.title),
                body=textsearch.index_text(listing.description),
                category=textsearch.index_text(listing.category_label),
            )
        )


def text_search_for(dialect: str) -> TextSearch:
    return PgTextSearch() if dialect == "postgresql" else SqliteTextSearch()


# --- the store ---------------------------------------------------------------------------------


class Store:
    """Every read and write of the service; methods run on the caller's connection."""

    outbox = Outbox(outbox_table, "/listings")

    def __init__(self, text: TextSearch) -> None:
        self.text = text

    # -- events ---------------------------------------------------------------------------------
    def emit(
        self, conn: Connection, message: object, *, network: str, tenant: str | None, subject: str
    ) -> None:
        """Stage an event in the caller's transaction (the relay publishes it)."""
        envelope = envelope_for(
            message,
            source="listings",
            tenant=tenant,
            network=network,
            subject=subject,
            correlation_id=context.current_correlation_id(),
            causation_id=context.causation_id.get(),
        )
        self.outbox.add(conn, [envelope])

    # -- networks, tenants, members, balances -----------------------------------------------------
    def _upsert(self, conn: Connection, table: Table, key: str, values: dict[str, Any]) -> None:
        column = table.c[key]
        if conn.execute(select(column).where(column == values[key])).first():
            conn.execute(update(table).where(column == values[key]).values(**values))
        else:
            conn.execute(insert(table).values(**values))

    def upsert_network(self, conn: Connection, network: Network) -> None:
        self._upsert(
            conn,
            networks,
            "slug",
            {
                "slug": network.slug,
                "name": network.name,
                "unit_code": network.unit_code,
                "unit_name": network.unit_name,
                "unit_symbol": network.unit_symbol,
                "payment_modes": ",".join(str(m) for m in network.payment_modes),
                "need_expiry_days": network.need_expiry_days,
                "updated_at": utcnow(),
            },
        )

    def get_network(self, conn: Connection, slug: str) -> Network | None:
        row = conn.execute(select(networks).where(networks.c.slug == slug)).first()
        return to_network(row) if row else None

    def upsert_tenant(
        self, conn: Connection, slug: str, network: str, name: str, departments_: Sequence[str]
    ) -> None:
        self._upsert(
            conn,
            tenants,
            "slug",
            {"slug": slug, "network": network, "name": name, "departments": ",".join(departments_)},
        )

    def tenant_departments(self, conn: Connection, slug: str) -> tuple[str, ...]:
        value = conn.execute(select(tenants.c.departments).where(tenants.c.slug == slug)).scalar()
        return _split(value)

    def tenant_network(self, conn: Connection, slug: str) -> str | None:
        return conn.execute(select(tenants.c.network).where(tenants.c.slug == slug)).scalar()

    def upsert_member(self, conn: Connection, member: Member) -> None:
        self._upsert(
            conn,
            members,
            "id",
            {
                "id": member.id,
                "network": member.network,
                "tenant": member.tenant,
                "name": member.name,
                "department": member.department,
                "status": member.status.value,
                "updated_at": utcnow(),
            },
        )

    def get_member(self, conn: Connection, member_id: UUID) -> Member | None:
        row = conn.execute(select(members).where(members.c.id == member_id)).first()
        return to_member(row) if row else None

    def member_names(self, conn: Connection, ids: Iterable[UUID]) -> dict[UUID, Member]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = conn.execute(select(members).where(members.c.id.in_(wanted))).all()
        return {row.id: to_member(row) for row in rows}

    def set_member_status(self, conn: Connection, member_id: UUID, status: MemberStatus) -> None:
        conn.execute(
            update(members)
            .where(members.c.id == member_id)
            .values(status=status.value, updated_at=utcnow())
        )

    def set_balance(
        self,
        conn: Connection,
        member_id: UUID,
        network: str,
        tenant: str | None,
        balance: int,
        as_of: datetime,
    ) -> None:
        """Record a balance unless a later one is already known (events may come out of order)."""
        row = conn.execute(
            select(balances.c.as_of).where(balances.c.member_id == member_id)
        ).first()
        values: dict[str, Any] = {"network": network, "balance": balance, "as_of": as_of}
        if tenant is not None:
            values["tenant"] = tenant
        if row is None:
            conn.execute(insert(balances).values(member_id=member_id, **values))
        elif _aware(row.as_of) <= as_of:  # type: ignore[operator]
            conn.execute(update(balances).where(balances.c.member_id == member_id).values(**values))

    def balances_of(self, conn: Connection, ids: Iterable[UUID]) -> dict[UUID, int]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = conn.execute(
            select(balances.c.member_id, balances.c.balance).where(balances.c.member_id.in_(wanted))
        ).all()
        return {row.member_id: int(row.balance) for row in rows}

    # -- listings -------------------------------------------------------------------------------
    def insert_listing(self, conn: Connection, listing: Listing) -> None:
        conn.execute(insert(listings_table).values(id=listing.id, **_listing_values(listing)))
        self._departments(conn, listing)
        self.text.index(conn, listing)

    def save_listing(self, conn: Connection, listing: Listing) -> None:
        conn.execute(
            update(listings_table)
            .where(listings_table.c.id == listing.id)
            .values(**_listing_values(listing))
        )
        self._departments(conn, listing)
        self.text.index(conn, listing)

    def _departments(self, conn: Connection, listing: Listing) -> None:
        d = listing_departments
        conn.execute(delete(d).where(d.c.listing_id == listing.id))
        if listing.departments:
            conn.execute(
                insert(d),
                [{"listing_id": listing.id, "department": dep} for dep in listing.departments],
            )

    def get_listing(
        self, conn: Connection, listing_id: UUID, *, for_update: bool = False
    ) -> Listing | None:
        query = select(listings_table).where(listings_table.c.id == listing_id)
        if for_update:
            query = query.with_for_update()
        row = conn.execute(query).first()
        return to_listing(row) if row else None

    def search(
        self, conn: Connection, viewer: Viewer, filters: SearchFilters, now: datetime
    ) -> SearchResult:
        """A page of the listings ``viewer`` may see that pass ``filters``, and their count."""
        c = listings_table.c
        where = [visible_to(viewer, now)]
        if filters.scope == "tenant":
            where.append(c.tenant == viewer.tenant)
        if filters.status is None:
            where.append(_live(now))
        elif filters.status != "all":
            where.append(c.status == filters.status)
        if filters.kind is not None:
            where.append(c.kind == filters.kind.value)
        if filters.category:
            where.append(c.category == filters.category)
        if filters.tenant:
            where.append(c.tenant == filters.tenant)
        if filters.member_id is not None:
            where.append(c.member_id == filters.member_id)
        if filters.payment_mode is not None:
            bit = domain.payment_mask([filters.payment_mode])
            where.append(c.payment_mask.op("&")(bit) != 0)
        if filters.department:
            where.append(_serves([filters.department]))
        order: list[Any] = []
        text = self.text.matching(filters.q) if filters.q.strip() else None
        if text is not None:
            where.append(text[0])
            order.append(text[1].desc())
        order += [c.published_at.desc(), c.id]
        condition = and_(*where)
        # Counting every match of a broad search costs more than the page itself: the count
        # stops past COUNT_CAP (or past the page asked for), and says it did.
        cap = max(COUNT_CAP, filters.page * filters.per_page)
        counted = conn.execute(
            select(func.count()).select_from(
                select(literal_column("1")).select_from(listings_table).where(condition)
                .limit(cap + 1).subquery()
            )
        ).scalar_one()
        rows = conn.execute(
            select(listings_table)
            .where(condition)
            .order_by(*order)
            .limit(filters.per_page)
            .offset((filters.page - 1) * filters.per_page)
        ).all()
        return SearchResult([to_listing(r) for r in rows], min(int(counted), cap), counted > cap)

    def candidates(
        self, conn: Connection, listing: Listing, now: datetime, limit: int = 200
    ) -> list[Listing]:
        """Live listings that may fit ``listing``: the other kind, reachable, same category or
        sharing a word of its title (scored afterwards by ``domain.score_match``)."""
        c = listings_table.c
        where = [
            c.network == listing.network,
            c.kind == listing.kind.counterpart.value,
            c.member_id != listing.member_id,
            _live(now),
            c.payment_mask.op("&")(domain.payment_mask(listing.payment_modes)) != 0,
        ]
        if listing.visibility is Visibility.TENANT:
            where.append(c.tenant == listing.tenant)
        else:
            where.append(or_(c.tenant == listing.tenant, c.visibility == "network"))
        if listing.departments:
            where.append(_serves(listing.departments))
        close = [c.category == listing.category]
        text = self.text.any_of(textsearch.words(listing.title))
        if text is not None:
            close.append(text)
        where.append(or_(*close))
        rows = conn.execute(
            select(listings_table).where(and_(*where)).order_by(c.published_at.desc()).limit(limit)
        ).all()
        return [to_listing(r) for r in rows]

    def expired(self, conn: Connection, now: datetime, limit: int) -> list[UUID]:
        c = listings_table.c
        return list(
            conn.execute(
                select(c.id)
                .where(and_(c.status == "active", c.expires_at <= now))
                .order_by(c.expires_at)
                .limit(limit)
            ).scalars()
        )

    def listings_of_member(
        self, conn: Connection, member_id: UUID, statuses: Sequence[Status]
    ) -> list[Listing]:
        rows = conn.execute(
            select(listings_table)
            .where(
                and_(
                    listings_table.c.member_id == member_id,
                    listings_table.c.status.in_([s.value for s in statuses]),
                )
            )
            .order_by(listings_table.c.published_at, listings_table.c.id)
            .with_for_update()
        ).all()
        return [to_listing(r) for r in rows]

    # -- matches --------------------------------------------------------------------------------
    def add_match(self, conn: Connection, match: Match) -> bool:
        """Record a match once; False if the pair was matched before."""
        m = matches.c
        if conn.execute(
            select(m.id).where(and_(m.offer_id == match.offer_id, m.need_id == match.need_id))
        ).first():
            return False
        conn.execute(
            insert(matches).values(
                id=match.id,
                network=match.network,
                offer_id=match.offer_id,
                need_id=match.need_id,
                offer_member_id=match.offer_member_id,
                need_member_id=match.need_member_id,
                offer_tenant=match.offer_tenant,
                need_tenant=match.need_tenant,
                score=match.score,
                reasons=",".join(match.reasons),
                created_at=match.created_at,
            )
        )
        return True

    def matches_of(self, conn: Connection, listing_id: UUID) -> list[Match]:
        m = matches.c
        rows = conn.execute(
            select(matches)
            .where(or_(m.offer_id == listing_id, m.need_id == listing_id))
            .order_by(m.score.desc(), m.created_at.desc())
        ).all()
        return [to_match(r) for r in rows]

    def listings_by_id(self, conn: Connection, ids: Iterable[UUID]) -> dict[UUID, Listing]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = conn.execute(select(listings_table).where(listings_table.c.id.in_(wanted))).all()
        return {row.id: to_listing(row) for row in rows}

    # -- threads --------------------------------------------------------------------------------
    def find_thread(
        self, conn: Connection, listing_id: UUID, requester: UUID, *, for_update: bool = False
    ) -> Thread | None:
        t = threads.c
        query = select(threads).where(
            and_(t.listing_id == listing_id, t.requester_member_id == requester)
        )
        if for_update:
            query = query.with_for_update()
        row = conn.execute(query).first()
        return to_thread(row) if row else None

    def get_thread(
        self, conn: Connection, thread_id: UUID, *, for_update: bool = False
    ) -> Thread | None:
        query = select(threads).where(threads.c.id == thread_id)
        if for_update:
            query = query.with_for_update()
        row = conn.execute(query).first()
        return to_thread(row) if row else None

    def insert_thread(self, conn: Connection, thread: Thread) -> None:
        conn.execute(
            insert(threads).values(
                id=thread.id,
                network=thread.network,
                listing_id=thread.listing_id,
                author_member_id=thread.author_member_id,
                author_tenant=thread.author_tenant,
                requester_member_id=thread.requester_member_id,
                requester_tenant=thread.requester_tenant,
                created_at=thread.created_at,
                last_message_at=thread.last_message_at,
                message_count=0,
            )
        )

    def add_message(
        self, conn: Connection, thread_id: UUID, sender: UUID, body: str, now: datetime
    ) -> UUID:
        message_id = uuid4()
        conn.execute(
            insert(messages).values(
                id=message_id,
                thread_id=thread_id,
                sender_member_id=sender,
                body=body,
                created_at=now,
            )
        )
        conn.execute(
            update(threads)
            .where(threads.c.id == thread_id)
            .values(last_message_at=now, message_count=threads.c.message_count + 1)
        )
        return message_id

    def threads_of(
        self, conn: Connection, viewer: Viewer, *, limit: int, offset: int
    ) -> tuple[list[Thread], int]:
        t = threads.c
        if viewer.staff:
            condition = or_(t.author_tenant == viewer.tenant, t.requester_tenant == viewer.tenant)
        elif viewer.member_id is not None:
            condition = or_(
                and_(t.author_member_id == viewer.member_id, t.author_tenant == viewer.tenant),
                and_(
                    t.requester_member_id == viewer.member_id, t.requester_tenant == viewer.tenant
                ),
            )
        else:
            return [], 0
        total = conn.execute(
            select(func.count()).select_from(threads).where(condition)
        ).scalar_one()
        rows = conn.execute(
            select(threads)
            .where(condition)
            .order_by(t.last_message_at.desc(), t.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return [to_thread(r) for r in rows], int(total)

    def messages_of(
        self, conn: Connection, thread_id: UUID, *, limit: int, offset: int
    ) -> list[Any]:
        m = messages.c
        return list(
            conn.execute(
                select(messages)
                .where(m.thread_id == thread_id)
                .order_by(m.created_at, m.id)
                .limit(limit)
                .offset(offset)
            ).all()
        )


# --- unit of work ------------------------------------------------------------------------------


#: The store with the unit of work's connection applied: ``uow.store.get_listing(id)``.
BoundStore = Bound[Store]


class UnitOfWork(ConnectionUnitOfWork):
    """One database transaction of the listings' engine."""

    def __init__(self, engine: Engine, store: Store) -> None:
        super().__init__(engine)
        self._store = store

    @property
    def store(self) -> BoundStore:
        return self.bound(self._store)
