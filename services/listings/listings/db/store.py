"""The listings' store (every query and write, on the caller's connection) and the unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)

from chassis import context
from chassis.db import utcnow
from chassis.messages import envelope_for
from chassis.outbox import Outbox
from chassis.uow import Bound, ConnectionUnitOfWork
from listings import domain, textsearch
from listings.db.mapping import (
    aware,
    listing_values,
    split,
    to_listing,
    to_match,
    to_member,
    to_network,
    to_thread,
)
from listings.db.search import (
    COUNT_CAP,
    NETWORK_WIDE,
    SearchFilters,
    SearchResult,
    TextSearch,
    live,
    serves,
    visible_to,
)
from listings.db.tables import (
    balances,
    federation_links,
    listing_departments,
    listings_table,
    matches,
    members,
    messages,
    networks,
    outbox_table,
    tenants,
    threads,
)
from listings.domain import (
    FederationLink,
    LinkStatus,
    Listing,
    Match,
    Member,
    MemberStatus,
    Network,
    Status,
    Thread,
    Viewer,
    Visibility,
)

# --- the store ---------------------------------------------------------------------------------


class Store:
    """Every read and write of the service; methods run on the caller's connection."""

    outbox = Outbox(outbox_table, "/listings", sequence_events=True)

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
        return split(value)

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
        elif aware(row.as_of) <= as_of:  # type: ignore[operator]
            conn.execute(update(balances).where(balances.c.member_id == member_id).values(**values))

    def balances_of(self, conn: Connection, ids: Iterable[UUID]) -> dict[UUID, int]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = conn.execute(
            select(balances.c.member_id, balances.c.balance).where(balances.c.member_id.in_(wanted))
        ).all()
        return {row.member_id: int(row.balance) for row in rows}

    # -- federation links -----------------------------------------------------------------------
    def upsert_link(self, conn: Connection, link: FederationLink) -> bool:
        """Keep ``link`` unless a later state of it is already known; True if kept."""
        known = self.get_link(conn, link.id, for_update=True)
        if not link.supersedes(known):
            return False
        values = {
            "network_a": link.network_a,
            "network_b": link.network_b,
            "rate": format(link.rate, "f"),
            "status": link.status.value,
            "as_of": link.as_of,
        }
        table = federation_links
        if known is None:
            conn.execute(insert(table).values(id=link.id, **values))
        else:
            conn.execute(update(table).where(table.c.id == link.id).values(**values))
        return True

    def get_link(
        self, conn: Connection, link_id: UUID, *, for_update: bool = False
    ) -> FederationLink | None:
        query = select(federation_links).where(federation_links.c.id == link_id)
        if for_update:
            query = query.with_for_update()
        row = conn.execute(query).first()
        return _to_link(row) if row else None

    def links_of(self, conn: Connection, network: str) -> list[FederationLink]:
        """The links joining ``network`` to another, active or not."""
        f = federation_links.c
        rows = conn.execute(
            select(federation_links)
            .where(or_(f.network_a == network, f.network_b == network))
            .order_by(f.id)
        ).all()
        return [_to_link(row) for row in rows]

    # -- listings -------------------------------------------------------------------------------
    def insert_listing(self, conn: Connection, listing: Listing) -> None:
        conn.execute(insert(listings_table).values(id=listing.id, **listing_values(listing)))
        self._departments(conn, listing)
        self.text.index(conn, listing)

    def save_listing(self, conn: Connection, listing: Listing) -> None:
        conn.execute(
            update(listings_table)
            .where(listings_table.c.id == listing.id)
            .values(**listing_values(listing))
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
        where = [visible_to(viewer, now, federation=filters.scope == "federation")]
        if filters.scope == "tenant":
            where.append(c.tenant == viewer.tenant)
        if filters.status is None:
            where.append(live(now))
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
            where.append(serves([filters.department]))
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
                select(literal_column("1"))
                .select_from(listings_table)
                .where(condition)
                .limit(cap + 1)
                .subquery()
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
            live(now),
            c.payment_mask.op("&")(domain.payment_mask(listing.payment_modes)) != 0,
        ]
        if listing.visibility is Visibility.TENANT:
            where.append(c.tenant == listing.tenant)
        else:
            where.append(or_(c.tenant == listing.tenant, c.visibility.in_(NETWORK_WIDE)))
        if listing.departments:
            where.append(serves(listing.departments))
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


def _to_link(row: Any) -> FederationLink:
    return FederationLink(
        id=row.id,
        network_a=row.network_a,
        network_b=row.network_b,
        rate=Decimal(row.rate),
        status=LinkStatus(row.status),
        as_of=aware(row.as_of),  # type: ignore[arg-type]
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
