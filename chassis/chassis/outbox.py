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
rather than an update of every row. Sequenced rows stay: they are the per-tenant log a client
replays. Rows without a tenant are not sequenced: once the broker has confirmed them they are
deleted, so what has no sequence is a queue whose size is what is in flight, not the history.
On PostgreSQL every service's ``outbox`` is partitioned on ``sequence``
(:func:`partition_outbox_ddl`): the rows without a sequence live in ``outbox_pending``, the
sequenced ones in ``outbox_log``, so the queue stays as small as what is in flight while the log
grows with history. A row sequenced in place moves from the one to the other.

One row per event, a log written once (``messaging_tables(..., per_tenant_copies=True)``, the
ledger): a writer stages ONE row per event, naming up to two tenants (``tenant`` and
``other_tenant``: a transfer between two tenants is a fact of both logs). The relay moves it into
the per-tenant log: it inserts each tenant's copy with its sequence (its own message id and
routing key) and deletes the pending row, in one transaction, so no wide row is ever rewritten
and the pending rows are a queue: on PostgreSQL ``outbox_log`` is then append-only, never
purged nor updated. Every query of the relay names enough of ``sequence`` for PostgreSQL to read
one partition. The copies it has just logged are published from memory, without reading them
back.

Cost flat with history: every query of a pass reads only what is pending, through an index (the
partial indexes below, the unique tenant+sequence index); ``chassis.testing.plans`` checks that on
PostgreSQL. The relay keeps the tenants whose log is ahead of what left in memory (read once when
it becomes the active relay), so a pass costs nothing per tenant. Between passes it sleeps on an
:class:`~chassis.wakeup.CommitWakeup`: a commit that wrote outbox rows wakes it at once
(``NOTIFY`` on PostgreSQL, a datagram on SQLite), the poll interval is only the safety net.
"""

from __future__ import annotations

import logging
import time
import uuid
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
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from chassis import context
from chassis.db import UTCDateTime, utcnow
from chassis.messages import REGISTRY, Envelope
from chassis.metrics import outbox_backlog
from chassis.wakeup import CommitWakeup, outbox_notify_ddl, outbox_notify_drop_ddl

log = logging.getLogger(__name__)

BigId = BigInteger().with_variant(Integer(), "sqlite")
JSONDoc = JSON().with_variant(JSONB(), "postgresql")

#: Advisory lock keys (PostgreSQL): one active relay per service database.
RELAY_LOCK_KEY = 0x7472_6F63  # "troc"

#: How much longer an idle relay sleeps when commits wake it (PostgreSQL ``NOTIFY``).
SAFETY_POLL_FACTOR = 5


def messaging_tables(
    metadata: MetaData, *, per_tenant_copies: bool = False
) -> tuple[Table, Table, Table]:
    """Define ``outbox``, ``outbox_sequence`` and ``inbox`` on a service's metadata.

    ``per_tenant_copies``: one outbox row per event for up to two tenants (``other_tenant``),
    moved into the per-tenant log by the relay (see the module).
    """
    extra = [Column("other_tenant", String(100))] if per_tenant_copies else []
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
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL AND NOT sequenced"),
            sqlite_where=text("published_at IS NULL AND NOT sequenced"),
        ),
        Index(
            "ix_outbox_unsequenced",
            "id",
            postgresql_where=text("sequenced AND sequence IS NULL"),
            sqlite_where=text("sequenced AND sequence IS NULL"),
        ),
        Index("uq_outbox_tenant_sequence", "tenant", "sequence", unique=True),
        *extra,
        info={"per_tenant_copies": per_tenant_copies},
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
        #: The retention purge deletes the oldest rows first, through this index.
        Index("ix_inbox_processed_at", "processed_at"),
    )
    return outbox, sequence, inbox


def create_messaging_tables(op: Any, metadata: MetaData) -> None:
    """Alembic helper: create the outbox and inbox tables of ``metadata`` in a migration."""
    bind = op.get_bind()
    for name in ("outbox", "outbox_sequence", "inbox"):
        metadata.tables[name].create(bind)


#: Autovacuum of the queue tables: rows come and go all day, so they are vacuumed after a fixed
#: number of dead rows (not a fraction of a table that may be nearly empty), without throttling.
QUEUE_AUTOVACUUM = {
    "outbox": "autovacuum_vacuum_scale_factor = 0, "
    "autovacuum_vacuum_threshold = 1000, "
    "autovacuum_analyze_scale_factor = 0, "
    "autovacuum_analyze_threshold = 1000, "
    "autovacuum_vacuum_cost_delay = 0",
    "inbox": "autovacuum_vacuum_scale_factor = 0.02, "
    "autovacuum_vacuum_insert_scale_factor = 0.02, "
    "autovacuum_vacuum_cost_delay = 0",
}


def upgrade_messaging_tables(op: Any) -> None:
    """Alembic helper: the outbox as a queue (see the module), for a database made by 0001.

    The inbox's retention index; on PostgreSQL the outbox's ``NOTIFY`` trigger that wakes the
    relay (``chassis.wakeup``) and the autovacuum settings of the queue tables. Idempotent.
    """
    op.execute("CREATE INDEX IF NOT EXISTS ix_inbox_processed_at ON inbox (processed_at)")
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in outbox_notify_ddl("outbox"):
        op.execute(statement)
    for table, options in QUEUE_AUTOVACUUM.items():
        op.execute(f"ALTER TABLE {table} SET ({options})")


#: The partitions of a partitioned outbox (PostgreSQL): the queue of rows without a sequence, and
#: the per-tenant log.
PENDING_PARTITION = "outbox_pending"
LOG_PARTITION = "outbox_log"


def _copy_outbox_rows(source: str) -> str:
    """PL/pgSQL copying every row of ``source`` into ``outbox``, column for column.

    The column list is read from the catalog: each service's outbox has the columns its own
    migrations gave it (the ledger's ``other_tenant``, say), and the new table is made ``LIKE``
    the old one, so one statement fits every service's table as it is at that revision.
    """
    return f"""EXECUTE (
    SELECT format('INSERT INTO outbox (%1$s) SELECT %1$s FROM {source}',
                  string_agg(quote_ident(attname), ', ' ORDER BY attnum))
    FROM pg_attribute
    WHERE attrelid = '{source}'::regclass AND attnum > 0 AND NOT attisdropped);"""  # nosec B608 - source is one of this module's two table names


#: The outbox's indexes, on the plain table and on the partitioned one (where each partition
#: gets its own): renamed out of the way while the new table is built.
_OUTBOX_INDEXES = ("ix_outbox_unpublished", "ix_outbox_unsequenced", "uq_outbox_tenant_sequence")
_CREATE_OUTBOX_INDEXES = """
  CREATE INDEX ix_outbox_unpublished ON outbox (id) WHERE published_at IS NULL AND NOT sequenced;
  CREATE INDEX ix_outbox_unsequenced ON outbox (id) WHERE sequenced AND sequence IS NULL;
  CREATE UNIQUE INDEX uq_outbox_tenant_sequence ON outbox (tenant, sequence);"""


def _rename_outbox_indexes() -> str:
    return "\n".join(
        f"  ALTER INDEX IF EXISTS {name} RENAME TO {name}_old;" for name in _OUTBOX_INDEXES
    )


def partition_outbox_ddl() -> list[str]:
    """PostgreSQL statements making ``outbox`` a table partitioned on ``sequence``. Idempotent.

    ``outbox_pending`` (the default partition: no sequence) is the queue writers insert into and
    the relay empties: it deletes what it published or copied into the log, and a row sequenced
    in place (``UPDATE ... SET sequence``) moves to the log partition (PostgreSQL moves a row
    whose partition key changes). ``outbox_log`` (sequence 1 and up) is the per-tenant log,
    append-only. Readers keep reading ``outbox``: a condition on ``sequence`` (``IS NULL``, a
    range) selects the partition. The rows (whatever columns the service's outbox has), the id
    sequence, the indexes, the ``NOTIFY`` trigger and the queue's autovacuum settings carry over.
    Unique keys are per partition (PostgreSQL's unique indexes on the parent must hold the
    partition key): ``id`` on the queue, tenant+sequence on both.
    """
    return [
        f"""DO $$
BEGIN
  IF (SELECT relkind FROM pg_class WHERE oid = 'outbox'::regclass) = 'p' THEN
    RETURN;
  END IF;
  ALTER TABLE outbox RENAME TO outbox_unpartitioned;
{_rename_outbox_indexes()}
  CREATE TABLE outbox (LIKE outbox_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (sequence);
  CREATE TABLE {PENDING_PARTITION} PARTITION OF outbox (CONSTRAINT pk_{PENDING_PARTITION}
    PRIMARY KEY (id)) DEFAULT WITH ({QUEUE_AUTOVACUUM["outbox"]});
  CREATE TABLE {LOG_PARTITION} PARTITION OF outbox FOR VALUES FROM (1) TO (MAXVALUE);
  {_copy_outbox_rows("outbox_unpartitioned")}
  ALTER SEQUENCE IF EXISTS outbox_id_seq OWNED BY outbox.id;
  DROP TABLE outbox_unpartitioned;{_CREATE_OUTBOX_INDEXES}
END
$$""",  # nosec B608 - only this module's constant names are interpolated
        *outbox_notify_ddl("outbox"),
    ]


def unpartition_outbox_ddl() -> list[str]:
    """Undo :func:`partition_outbox_ddl`: one plain ``outbox`` table with every row. Idempotent."""
    return [
        f"""DO $$
BEGIN
  IF (SELECT relkind FROM pg_class WHERE oid = 'outbox'::regclass) <> 'p' THEN
    RETURN;
  END IF;
  ALTER TABLE outbox RENAME TO outbox_partitioned;
{_rename_outbox_indexes()}
  CREATE TABLE outbox (LIKE outbox_partitioned INCLUDING DEFAULTS,
                       CONSTRAINT pk_outbox PRIMARY KEY (id))
    WITH ({QUEUE_AUTOVACUUM["outbox"]});
  {_copy_outbox_rows("outbox_partitioned")}
  ALTER SEQUENCE IF EXISTS outbox_id_seq OWNED BY outbox.id;
  DROP TABLE outbox_partitioned;{_CREATE_OUTBOX_INDEXES}
END
$$""",  # nosec B608 - only this module's constant names are interpolated
        *outbox_notify_ddl("outbox"),
    ]


def downgrade_messaging_tables(op: Any) -> None:
    """Undo :func:`upgrade_messaging_tables`."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in outbox_notify_drop_ddl("outbox"):
            op.execute(statement)
        for table, options in QUEUE_AUTOVACUUM.items():
            names = ", ".join(option.split("=")[0].strip() for option in options.split(","))
            op.execute(f"ALTER TABLE {table} RESET ({names})")
    op.execute("DROP INDEX IF EXISTS ix_inbox_processed_at")


class Outbox:
    """Write side of the outbox, used inside a unit of work."""

    def __init__(self, table: Table, source: str, *, sequence_events: bool = False) -> None:
        self.table = table
        self.source = source
        #: Every event of a tenant goes to the tenant's log (commands never do): the service's
        #: events are replayable like the ledger's.
        self.sequence_events = sequence_events

    def rows_for(self, envelope: Envelope, *, sequenced: bool = False) -> dict[str, Any]:
        if self.sequence_events and envelope.message_type.kind == "event":
            sequenced = True
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

    def add(
        self,
        session: Session | Connection,
        envelopes: Sequence[Envelope],
        *,
        sequenced: bool = False,
    ) -> None:
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


def events_after(
    conn: Connection, table: Table, tenant: str, after: int, limit: int
) -> list[Envelope]:
    """A tenant's log after position ``after``, in order (the rows the relay has sequenced).

    Gap-free: positions are given by the one active relay, from the tenant's counter row.
    """
    rows = conn.execute(
        select(table)
        .where(and_(table.c.tenant == tenant, table.c.sequence > after))
        .order_by(table.c.sequence)
        .limit(limit)
    ).all()
    return [row_to_envelope(r) for r in rows]


#: The namespace of the message ids of the copies of an event for its other tenant.
COPY_NAMESPACE = uuid.UUID("8f0c5b8e-3c1e-5c55-9a57-3a5e0d6f7a21")


def _tenants_of(row: Any) -> list[str]:
    """The tenants whose log gets a copy of a pending row: ``tenant``, then ``other_tenant``."""
    other = getattr(row, "other_tenant", None)
    names = [row.tenant] if row.tenant is not None else []
    if other is not None and other != row.tenant:
        names.append(other)
    return names


def _copy_for(row: Any, tenant: str, number: int) -> dict[str, Any]:
    """The log row of ``tenant`` for a pending row: its own id and routing key for the other
    tenant (a copy's id is derived from the event's, so it is the same on every run)."""
    message_id, routing_key = row.message_id, row.routing_key
    if tenant != row.tenant:
        message_id = str(uuid.uuid5(COPY_NAMESPACE, f"{row.message_id}/{tenant}"))
        kind = REGISTRY.get(row.type)
        if kind is not None:
            routing_key = kind.routing_key(row.network, tenant)
    return {
        "message_id": message_id,
        "exchange": row.exchange,
        "routing_key": routing_key,
        "type": row.type,
        "source": row.source,
        "subject": row.subject,
        "tenant": tenant,
        "other_tenant": None,
        "network": row.network,
        "correlation_id": row.correlation_id,
        "causation_id": row.causation_id,
        "data": row.data,
        "created_at": row.created_at,
        "sequenced": True,
        "sequence": number,
    }


def _item_of(copy: dict[str, Any]) -> tuple[str, str, Envelope]:
    """What the relay publishes for a log row it has just written."""
    return (
        copy["exchange"],
        copy["routing_key"],
        Envelope(
            id=copy["message_id"],
            source=copy["source"],
            type=copy["type"],
            time=copy["created_at"],
            data=copy["data"],
            subject=copy["subject"],
            tenant=copy["tenant"],
            network=copy["network"],
            correlationid=copy["correlation_id"],
            causationid=copy["causation_id"],
            sequence=copy["sequence"],
        ),
    )


PublishBatch = Callable[[Sequence[tuple[str, str, Envelope]]], None]


class OutboxRelay:
    """Moves outbox rows to the broker, in order, at least once.

    One relay is active per database at a time (a PostgreSQL advisory lock); others stand by, so
    the worker process can be scaled out safely. ``wakeup`` is what a loop sleeps on between
    passes (:meth:`run_forever`, or a worker runtime driving :meth:`run_once` itself).
    """

    def __init__(
        self,
        engine: Engine,
        table: Table,
        sequence_table: Table,
        publish: PublishBatch,
        *,
        batch_size: int = 500,
    ) -> None:
        self.engine = engine
        self.table = table
        self.sequence_table = sequence_table
        self.publish = publish
        self.batch_size = batch_size
        self.wakeup = CommitWakeup(engine)
        self._is_pg = engine.dialect.name == "postgresql"
        self._lock_conn: Any = None
        #: Tenants whose log is ahead of what left: tenant -> (published, last). None until read
        #: (once, when this relay becomes the active one); kept up to date by its own passes.
        self._lagging: dict[str, tuple[int, int]] | None = None
        #: One row per event, copied into each of its tenants' log (see the module).
        self._copies = bool(table.info.get("per_tenant_copies"))
        #: Copies this relay logged and has not published yet: tenant -> sequence -> item, so
        #: that they leave without being read back. Only ever a suffix of a tenant's log.
        self._fresh: dict[str, dict[int, tuple[str, str, Envelope]]] = {}

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
            self._lagging = None  # another relay may have moved the pointers meanwhile
            self._fresh.clear()
            return True
        conn.close()
        return False

    def release(self) -> None:
        self._lagging = None
        self._fresh.clear()
        conn, self._lock_conn = self._lock_conn, None
        if conn is None:
            return
        # The lock belongs to the database session, which outlives the pooled connection's
        # checkin: unlock it, or drop the session when that fails (a broken connection).
        try:
            conn.execute(select(func.pg_advisory_unlock(RELAY_LOCK_KEY)))
            conn.commit()
        except Exception:
            conn.invalidate()
        finally:
            conn.close()

    def close(self) -> None:
        """Give up leadership and stop listening for wake-ups."""
        self.release()
        self.wakeup.close()

    # -- work ---------------------------------------------------------------------------------
    def assign_sequences(self) -> int:
        """Give committed sequenced rows their per-tenant sequence, in ``id`` order.

        Returns how many pending rows were sequenced (0: nothing was waiting).
        """
        if self._copies:
            return self._log_copies()
        t, seq = self.table, self.sequence_table
        with self.engine.begin() as conn:
            query = select(t.c.id, t.c.tenant).where(and_(t.c.sequenced, t.c.sequence.is_(None)))
            rows = conn.execute(query.order_by(t.c.id).limit(self.batch_size)).all()
            if not rows:
                return 0
            tenants = sorted({r.tenant for r in rows})
            known = {
                tenant: (published, last)
                for tenant, published, last in conn.execute(
                    select(seq.c.tenant, seq.c.published, seq.c.last).where(
                        seq.c.tenant.in_(tenants)
                    )
                ).all()
            }
            lasts = {tenant: last for tenant, (_published, last) in known.items()}
            updates = []
            for r in rows:
                lasts[r.tenant] = lasts.get(r.tenant, 0) + 1
                updates.append({"row_id": r.id, "seq": lasts[r.tenant]})
            # ``sequence IS NULL``: a partitioned outbox reads the queue alone (the row moves
            # to the log partition as it gets its sequence).
            conn.execute(
                update(t)
                .where(and_(t.c.id == bindparam("row_id"), t.c.sequence.is_(None)))
                .values(sequence=bindparam("seq")),
                updates,
            )
            self._store_lasts(conn, known, lasts)
        self._note_lagging(known, lasts)
        return len(rows)

    def _store_lasts(
        self, conn: Connection, known: dict[str, tuple[int, int]], lasts: dict[str, int]
    ) -> None:
        """Write each tenant's new last position: a counter row for a tenant seen first."""
        seq = self.sequence_table
        new = [{"tenant": k, "last": v, "published": 0} for k, v in lasts.items() if k not in known]
        if new:
            conn.execute(insert(seq), new)
        changed = [{"key": k, "value": v} for k, v in lasts.items() if k in known]
        if changed:
            conn.execute(
                update(seq).where(seq.c.tenant == bindparam("key")).values(last=bindparam("value")),
                changed,
            )

    def _note_lagging(self, known: dict[str, tuple[int, int]], lasts: dict[str, int]) -> None:
        """Remember, in memory, how far each tenant now lags behind its last position."""
        if self._lagging is None:
            return
        for tenant, last in lasts.items():
            published = known.get(tenant, (0, 0))[0]
            self._lagging[tenant] = (self._lagging.get(tenant, (published, 0))[0], last)

    def _log_copies(self) -> int:
        """Move committed pending rows into the per-tenant log, in ``id`` order.

        Each row becomes one copy per tenant it names, inserted with that tenant's next
        sequence; the pending rows are deleted in the same transaction. Nothing is updated but
        the per-tenant counters.
        """
        t, seq = self.table, self.sequence_table
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(t)
                .where(and_(t.c.sequenced, t.c.sequence.is_(None)))
                .order_by(t.c.id)
                .limit(self.batch_size)
            ).all()
            if not rows:
                return 0
            tenants = sorted({name for r in rows for name in _tenants_of(r)})
            known = {
                tenant: (published, last)
                for tenant, published, last in conn.execute(
                    select(seq.c.tenant, seq.c.published, seq.c.last).where(
                        seq.c.tenant.in_(tenants)
                    )
                ).all()
            }
            lasts = {tenant: last for tenant, (_published, last) in known.items()}
            copies: list[dict[str, Any]] = []
            logged: list[tuple[str, int, tuple[str, str, Envelope]]] = []
            for r in rows:
                for tenant in _tenants_of(r):
                    lasts[tenant] = lasts.get(tenant, 0) + 1
                    copy = _copy_for(r, tenant, lasts[tenant])
                    copies.append(copy)
                    logged.append((tenant, lasts[tenant], _item_of(copy)))
            conn.execute(insert(t), copies)
            conn.execute(
                delete(t).where(and_(t.c.id.in_([r.id for r in rows]), t.c.sequence.is_(None)))
            )
            self._store_lasts(conn, known, lasts)
        self._note_lagging(known, lasts)
        if self._lagging is not None:
            for tenant, number, item in logged:
                self._fresh.setdefault(tenant, {})[number] = item
        return len(rows)

    def publish_pending(self) -> int:
        """Publish what is ready to leave; returns how many messages left."""
        return self._publish_unsequenced() + self._publish_sequenced()

    def _publish_unsequenced(self) -> int:
        """Rows without a sequence, in ``id`` order; deleted once the broker has them."""
        t = self.table
        with self.engine.connect() as conn:
            # ``NOT sequenced``, spelled as the partial index is: PostgreSQL does not prove
            # ``sequenced IS false`` implies it, and would read the whole table instead.
            # ``sequence IS NULL`` always holds here; it lets a partitioned outbox read the
            # queue alone.
            rows = conn.execute(
                select(t)
                .where(and_(t.c.published_at.is_(None), ~t.c.sequenced, t.c.sequence.is_(None)))
                .order_by(t.c.id)
                .limit(self.batch_size)
            ).all()
            conn.rollback()
        if not rows:
            return 0
        self.publish([(r.exchange, r.routing_key, row_to_envelope(r)) for r in rows])
        with self.engine.begin() as conn:
            conn.execute(
                delete(t).where(and_(t.c.id.in_([r.id for r in rows]), t.c.sequence.is_(None)))
            )
        return len(rows)

    def _lagging_tenants(self) -> dict[str, tuple[int, int]]:
        """The tenants with rows past their ``published`` pointer (read from the table once)."""
        if self._lagging is None:
            seq = self.sequence_table
            with self.engine.connect() as conn:
                self._lagging = {
                    tenant: (published, last)
                    for tenant, published, last in conn.execute(
                        select(seq.c.tenant, seq.c.published, seq.c.last).where(
                            seq.c.last > seq.c.published
                        )
                    ).all()
                }
                conn.rollback()
        return self._lagging

    def _publish_sequenced(self) -> int:
        """Each lagging tenant's rows past its ``published`` pointer, in sequence order.

        One index range scan per tenant with something to send, and no read at all of the
        tenants that have nothing to send.
        """
        t, seq = self.table, self.sequence_table
        lagging = self._lagging_tenants()
        if not lagging:
            return 0
        items: list[tuple[str, str, Envelope]] = []
        highest: dict[str, int] = {}
        conn: Connection | None = None
        try:
            for tenant in sorted(lagging):
                published, last = lagging[tenant]
                room = self.batch_size - len(items)
                if room <= 0:
                    break
                fresh = self._fresh.get(tenant, {})
                if published + 1 in fresh:  # logged by this relay: no need to read it back
                    upto = min(last, published + room)
                    numbers = range(published + 1, upto + 1)
                    if all(n in fresh for n in numbers):
                        items.extend(fresh[n] for n in numbers)
                        highest[tenant] = upto
                        continue
                if conn is None:
                    conn = self.engine.connect()
                rows = conn.execute(
                    select(t)
                    .where(
                        and_(t.c.tenant == tenant, t.c.sequence > published, t.c.sequence <= last)
                    )
                    .order_by(t.c.sequence)
                    .limit(room)
                ).all()
                items.extend((r.exchange, r.routing_key, row_to_envelope(r)) for r in rows)
                if rows:
                    highest[tenant] = rows[-1].sequence
        finally:
            if conn is not None:
                conn.rollback()
                conn.close()
        if not items:
            return 0
        self.publish(items)
        for tenant, upto in highest.items():
            left = self._fresh.get(tenant)
            if left:
                for number in [n for n in left if n <= upto]:
                    del left[number]
                if not left:
                    del self._fresh[tenant]
        with self.engine.begin() as conn:
            conn.execute(
                update(seq)
                .where(seq.c.tenant == bindparam("key"))
                .values(published=bindparam("value")),
                [{"key": k, "value": v} for k, v in highest.items()],
            )
        for tenant, published in highest.items():
            last = lagging[tenant][1]
            if published >= last:
                del lagging[tenant]
            else:
                lagging[tenant] = (published, last)
        return len(items)

    def run_once(self) -> int:
        """One pass: sequence then publish. Returns the number of rows published."""
        if not self._acquire():
            return 0
        self.assign_sequences()
        return self.publish_pending()

    def backlog(self) -> tuple[int, float]:
        """Unpublished rows and the age in seconds of the oldest one (for metrics and health)."""
        return outbox_backlog(self.engine, self.table, self.sequence_table)

    def run_forever(self, stop: Callable[[], bool], poll_interval: float = 0.2) -> None:
        """Loop until ``stop()``; back off while the broker or the database is unavailable.

        Between passes it sleeps until a commit wakes it (see ``wakeup``) or its poll runs out:
        ``poll_interval``, or five times that on PostgreSQL once it listens (every insert
        notifies there, so the poll is only a safety net); with nothing waking it, that is plain
        polling.
        """
        delay = poll_interval
        try:
            while not stop():
                try:
                    published = self.run_once()
                    delay = poll_interval
                except Exception:
                    log.exception("outbox relay pass failed; retrying")
                    self.release()
                    delay = min(delay * 2, 5.0)
                    time.sleep(delay)
                    continue
                if not published:
                    listening = self._is_pg and self.wakeup.listening
                    self.wakeup.wait(delay * SAFETY_POLL_FACTOR if listening else delay)
        finally:
            self.wakeup.close()
