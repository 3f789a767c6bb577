"""Transactional outbox: events are rows written in the same transaction as the state change.

A relay loop publishes them in order and marks them published (at least once). Rows flagged
``sequenced`` get a gap-free per-tenant ``sequence`` before they leave; this is what lets an
integrator detect a gap and replay from the event log. Sequences are assigned by the relay, not by
the writers, so concurrent writers never queue on a per-tenant counter row.

Ordering: writers insert their outbox rows after taking the row locks of what they change, so
of two transactions that touch the same rows, the one that commits first also drew the smaller
``id``. Sequencing the visible rows in ``id`` order therefore follows the commit order wherever it
matters; a row drawn earlier but committed later can only belong to an unrelated transaction, and
simply gets a later sequence. (Filtering on transaction ids instead would break this: a
transaction can obtain its id early, wait for a lock, and commit after a younger one.)

Bookkeeping is kept off the event rows where it can be: a sequenced row is written twice (inserted,
then given its sequence), and what has left is a per-tenant pointer (``outbox_sequence.published``)
rather than an update of every row. Rows without a tenant are not sequenced and are marked
``published_at`` one by one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from chassis import context
from chassis.db import UTCDateTime, utcnow
from chassis.messages import Envelope

log = logging.getLogger(__name__)

BigId = BigInteger().with_variant(Integer(), "sqlite")
JSONDoc = JSON().with_variant(JSONB(), "postgresql")

#: Advisory lock keys (PostgreSQL): one active relay per service database.
RELAY_LOCK_KEY = 0x7472_6F63  # "troc"


def messaging_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Define ``outbox``, ``outbox_sequence`` and ``inbox`` on a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("message_id", String(64), nullable=False),
        Column("exchange", String(100), nullable=False),
        Column("routing_key", String(255), nullable=False),
        Column("type", String(200), nullable=False),
        Column("source", String(100), nullable=False),
        Column("subject", String(200)),
        Column("tenant", String(100)),
        Column("network", String(100)),
        Column("correlation_id", String(64)),
        Column("causation_id", String(64)),
        Column("data", JSONDoc, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
        Column("sequenced", Boolean, nullable=False, default=False),
        Column("sequence", BigInteger),
        Column("published_at", UTCDateTime()),
        Index("ix_outbox_unpublished", "id",
              postgresql_where=text("published_at IS NULL AND NOT sequenced"),
              sqlite_where=text("published_at IS NULL AND NOT sequenced")),
        Index("ix_outbox_unsequenced", "id",
              postgresql_where=text("sequenced AND sequence IS NULL"),
              sqlite_where=text("sequenced AND sequence IS NULL")),
        Index("uq_outbox_tenant_sequence", "tenant", "sequence", unique=True),
    )
    sequence = Table(
        "outbox_sequence",
        metadata,
        Column("tenant", String(100), primary_key=True),
        Column("last", BigInteger, nullable=False),
        #: Highest sequence of this tenant confirmed by the broker.
        Column("published", BigInteger, nullable=False, default=0),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("message_id", String(64), primary_key=True),
        Column("consumer", String(100), primary_key=True),
        Column("processed_at", UTCDateTime(), nullable=False, default=utcnow),
    )
    return outbox, sequence, inbox


def create_messaging_tables(op: Any, metadata: MetaData) -> None:
    """Alembic helper: create the outbox and inbox tables of ``metadata`` in a migration."""
    bind = op.get_bind()
    for name in ("outbox", "outbox_sequence", "inbox"):
        metadata.tables[name].create(bind)


class Outbox:
    """Write side of the outbox, used inside a unit of work."""

    def __init__(self, table: Table, source: str) -> None:
        self.table = table
        self.source = source

    def rows_for(self, envelope: Envelope, *, sequenced: bool = False) -> dict[str, Any]:
        return {
            "message_id": envelope.id,
            "exchange": envelope.message_type.exchange,
            "routing_key": envelope.routing_key,
            "type": envelope.type,
            "source": envelope.source,
            "subject": envelope.subject,
            "tenant": envelope.tenant,
            "network": envelope.network,
            "correlation_id": envelope.correlationid or context.current_correlation_id(),
            "causation_id": envelope.causationid or context.causation_id.get(),
            "data": envelope.data,
            "created_at": envelope.time,
            # A per-tenant log needs a tenant: a network-level fact is published unsequenced.
            "sequenced": sequenced and envelope.tenant is not None,
        }

    def add(self, session: Session | Connection, envelopes: Sequence[Envelope], *,
            sequenced: bool = False) -> None:
        """Stage envelopes in the caller's transaction."""
        if envelopes:
            rows = [self.rows_for(e, sequenced=sequenced) for e in envelopes]
            session.execute(insert(self.table), rows)


def row_to_envelope(row: Any) -> Envelope:
    created: datetime = row.created_at
    return Envelope(
        id=row.message_id,
        source=row.source,
        type=row.type,
        time=created,
        data=row.data,
        subject=row.subject,
        tenant=row.tenant,
        network=row.network,
        correlationid=row.correlation_id,
        causationid=row.causation_id,
        sequence=row.sequence,
    )


PublishBatch = Callable[[Sequence[tuple[str, str, Envelope]]], None]


class OutboxRelay:
    """Moves outbox rows to the broker, in order, at least once.

    One relay is active per database at a time (a PostgreSQL advisory lock); others stand by, so
    the worker process can be scaled out safely.
    """

    def __init__(self, engine: Engine, table: Table, sequence_table: Table,
                 publish: PublishBatch, *, batch_size: int = 500) -> None:
        self.engine = engine
        self.table = table
        self.sequence_table = sequence_table
        self.publish = publish
        self.batch_size = batch_size
        self._is_pg = engine.dialect.name == "postgresql"
        self._lock_conn: Any = None

    # -- leadership ---------------------------------------------------------------------------
    def _acquire(self) -> bool:
        if not self._is_pg:
            return True
        if self._lock_conn is not None:
            return True
        conn = self.engine.connect()
        got = conn.execute(select(func.pg_try_advisory_lock(RELAY_LOCK_KEY))).scalar()
        conn.commit()
        if got:
            self._lock_conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._lock_conn is not None:
            try:
                self._lock_conn.close()
            finally:
                self._lock_conn = None

    # -- work ---------------------------------------------------------------------------------
    def assign_sequences(self) -> int:
        """Give committed sequenced rows their per-tenant sequence, in ``id`` order."""
        t, seq = self.table, self.sequence_table
        with self.engine.begin() as conn:
            query = select(t.c.id, t.c.tenant).where(and_(t.c.sequenced, t.c.sequence.is_(None)))
            rows = conn.execute(query.order_by(t.c.id).limit(self.batch_size)).all()
            if not rows:
                return 0
            tenants = sorted({r.tenant for r in rows})
            known = dict(conn.execute(
                select(seq.c.tenant, seq.c.last).where(seq.c.tenant.in_(tenants))
            ).all())
            lasts = dict(known)
            updates = []
            for r in rows:
                lasts[r.tenant] = lasts.get(r.tenant, 0) + 1
                updates.append({"row_id": r.id, "seq": lasts[r.tenant]})
            conn.execute(
                update(t).where(t.c.id == bindparam("row_id")).values(sequence=bindparam("seq")),
                updates,
            )
            new = [{"tenant": k, "last": v, "published": 0}
                   for k, v in lasts.items() if k not in known]
            if new:
                conn.execute(insert(seq), new)
            changed = [{"key": k, "value": v} for k, v in lasts.items() if k in known]
            if changed:
                conn.execute(update(seq).where(seq.c.tenant == bindparam("key"))
                             .values(last=bindparam("value")), changed)
            return len(rows)

    def publish_pending(self) -> int:
        """Publish what is ready to leave; returns how many messages left."""
        return self._publish_unsequenced() + self._publish_sequenced()

    def _publish_unsequenced(self) -> int:
        t = self.table
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t).where(and_(t.c.published_at.is_(None), t.c.sequenced.is_(False)))
                .order_by(t.c.id).limit(self.batch_size)
            ).all()
            conn.rollback()
        if not rows:
            return 0
        self.publish([(r.exchange, r.routing_key, row_to_envelope(r)) for r in rows])
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.id.in_([r.id for r in rows]))
                         .values(published_at=utcnow()))
        return len(rows)

    def _publish_sequenced(self) -> int:
        """Each tenant's rows past its ``published`` pointer, in sequence order.

        One index range scan per tenant with something to send, rather than a join that a
        planner may turn into a scan of the whole outbox.
        """
        t, seq = self.table, self.sequence_table
        rows: list[Any] = []
        with self.engine.connect() as conn:
            behind = conn.execute(
                select(seq.c.tenant, seq.c.published, seq.c.last)
                .where(seq.c.last > seq.c.published).order_by(seq.c.tenant)
            ).all()
            for tenant, published, last in behind:
                room = self.batch_size - len(rows)
                if room <= 0:
                    break
                rows.extend(conn.execute(
                    select(t).where(and_(t.c.tenant == tenant, t.c.sequence > published,
                                         t.c.sequence <= last))
                    .order_by(t.c.sequence).limit(room)
                ).all())
            conn.rollback()
        if not rows:
            return 0
        self.publish([(r.exchange, r.routing_key, row_to_envelope(r)) for r in rows])
        highest: dict[str, int] = {}
        for r in rows:
            highest[r.tenant] = max(highest.get(r.tenant, 0), r.sequence)
        with self.engine.begin() as conn:
            conn.execute(update(seq).where(seq.c.tenant == bindparam("key"))
                         .values(published=bindparam("value")),
                         [{"key": k, "value": v} for k, v in highest.items()])
        return len(rows)

    def run_once(self) -> int:
        """One pass: sequence then publish. Returns the number of rows published."""
        if not self._acquire():
            return 0
        self.assign_sequences()
        return self.publish_pending()

    def backlog(self) -> tuple[int, float]:
        """Unpublished rows and the age in seconds of the oldest one (for metrics and health)."""
        t, seq = self.table, self.sequence_table
        waiting = or_(
            and_(t.c.sequenced.is_(False), t.c.published_at.is_(None)),
            and_(t.c.sequenced, t.c.sequence.is_(None)),
            and_(t.c.sequenced, t.c.sequence > select(seq.c.published)
                 .where(seq.c.tenant == t.c.tenant).scalar_subquery()),
        )
        with self.engine.connect() as conn:
            count, oldest = conn.execute(
                select(func.count(), func.min(t.c.created_at)).where(waiting)
            ).one()
        if not oldest:
            return 0, 0.0
        if isinstance(oldest, str):  # SQLite aggregate returns the raw text
            oldest = datetime.fromisoformat(oldest)
        if oldest.tzinfo is None:
            from datetime import UTC

            oldest = oldest.replace(tzinfo=UTC)
        return int(count), max(0.0, (utcnow() - oldest).total_seconds())

    def run_forever(self, stop: Callable[[], bool], poll_interval: float = 0.2) -> None:
        """Loop until ``stop()``; back off while the broker or the database is unavailable."""
        delay = poll_interval
        while not stop():
            try:
                published = self.run_once()
                delay = poll_interval
            except Exception:
                log.exception("outbox relay pass failed; retrying")
                self.release()
                published = 0
                delay = min(delay * 2, 5.0)
            if not published:
                time.sleep(delay)
