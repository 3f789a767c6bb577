"""The invoices' and the listings' outbox partitioned on ``sequence`` (PostgreSQL migrations).

Both services sequence their events in place: the relay's ``UPDATE`` gives a waiting row its
per-tenant sequence, and the row stays as the tenant's replayable log. Their migration makes the
outbox a partitioned table like the ledger's (whose 0010 runs the same statements, on a table
with one more column, and is checked alongside): the rows without a sequence are the queue
(``outbox_pending``), the sequenced ones the log (``outbox_log``), so sequencing a row moves it out
of the queue. Upgraded with rows of every kind in it, then downgraded and upgraded again: every
row, the id sequence, the ``NOTIFY`` trigger and the queue's autovacuum settings carry over, and
the log still replays gap-free, in order.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, text

from chassis.config import Settings
from chassis.db import make_engine
from chassis.messages import Envelope
from chassis.migrate import alembic_config, upgrade
from chassis.outbox import LOG_PARTITION, PENDING_PARTITION, OutboxRelay, events_after
from chassis.testing.databases import service_test_settings

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[3]
#: Each service's migration that partitions its outbox.
REVISIONS = {
    "ledger": (ROOT / "services" / "ledger" / "migrations", "0010"),
    "invoices": (ROOT / "services" / "invoices" / "migrations", "0007"),
    "listings": (ROOT / "services" / "listings" / "migrations", "0004"),
}


def _tables(name: str) -> tuple[Table, Table]:
    module: Any = __import__(f"{name}.db", fromlist=["db"])
    return module.outbox_table, module.outbox_sequence_table


def _stage(conn: Connection, *, tenant: str | None, sequenced: bool, sequence: int | None) -> None:
    conn.execute(
        text(
            "INSERT INTO outbox (message_id, exchange, routing_key, type, source, tenant, data,"
            " created_at, sequenced, sequence) VALUES (:id, 'x.events', 'k',"
            " 'org.trocactif.test.v1', '/test', :tenant, '{\"n\": 1}', now(), :sequenced,"
            " :sequence)"
        ),
        {"id": uuid.uuid4().hex, "tenant": tenant, "sequenced": sequenced, "sequence": sequence},
    )


def _shape(engine: Engine) -> dict[str, Any]:
    """What the migration must keep: the table's kind, its rows, trigger and queue settings."""
    with engine.connect() as conn:
        kind = conn.execute(text("SELECT relkind FROM pg_class WHERE oid = 'outbox'::regclass"))
        rows = conn.execute(
            text("SELECT id, tenant, sequenced, sequence FROM outbox ORDER BY id")
        ).all()
        triggers = conn.execute(
            text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'outbox'::regclass")
        ).scalars()
        queue = PENDING_PARTITION if kind.scalar() == "p" else "outbox"
        options = conn.execute(
            text("SELECT reloptions FROM pg_class WHERE oid = CAST(:t AS regclass)"), {"t": queue}
        ).scalar()
        partitioned = queue == PENDING_PARTITION
        counts = (
            conn.execute(
                text(
                    f"SELECT (SELECT count(*) FROM {PENDING_PARTITION}),"  # nosec B608
                    f" (SELECT count(*) FROM {LOG_PARTITION})"
                )
            ).one()
            if partitioned
            else None
        )
        return {
            "partitioned": partitioned,
            "rows": [tuple(r) for r in rows],
            "triggers": set(triggers),
            "threshold": "autovacuum_vacuum_threshold=1000" in (options or []),
            "counts": tuple(counts) if counts else None,
        }


@pytest.fixture(params=sorted(REVISIONS))
def migrated(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, Settings, Engine]]:
    """The service's database at the revision before the partitioning, with rows of every kind."""
    name: str = request.param
    folder, revision = REVISIONS[name]
    settings = service_test_settings(
        name, tmp_path, backend="postgres", database=f"{name}_outbox_partitions"
    )
    before = ScriptDirectory.from_config(alembic_config(settings, folder)).get_revision(revision)
    assert before is not None
    upgrade(settings, folder, str(before.down_revision))
    engine = make_engine(settings)
    with engine.begin() as conn:
        _stage(conn, tenant="t1", sequenced=True, sequence=1)  # the log, published
        _stage(conn, tenant="t1", sequenced=True, sequence=2)  # the log, not yet published
        _stage(conn, tenant=None, sequenced=False, sequence=None)  # waiting, never sequenced
        _stage(conn, tenant="t1", sequenced=True, sequence=None)  # waiting for its sequence
        conn.execute(
            text("INSERT INTO outbox_sequence (tenant, last, published) VALUES ('t1', 2, 1)")
        )
    yield name, settings, engine
    engine.dispose()


def test_the_outbox_becomes_a_queue_and_a_log_and_back(
    migrated: tuple[str, Settings, Engine],
) -> None:
    name, settings, engine = migrated
    folder, revision = REVISIONS[name]
    plain = _shape(engine)
    assert not plain["partitioned"] and plain["threshold"]
    assert "outbox_notify" in plain["triggers"]

    upgrade(settings, folder, revision)
    engine.dispose()
    partitioned = _shape(engine)
    assert partitioned["partitioned"]
    assert partitioned["rows"] == plain["rows"]
    assert partitioned["counts"] == (2, 2)  # the queue: two waiting rows; the log: two events
    assert partitioned["threshold"] and "outbox_notify" in partitioned["triggers"]

    outbox, sequence = _tables(name)
    published: list[tuple[str, str, Envelope]] = []
    relay = OutboxRelay(engine, outbox, sequence, published.extend)
    try:
        while relay.run_once():
            pass
    finally:
        relay.close()
    # Sequencing in place moved the waiting row into the log; the loose one left once published.
    assert [(e.tenant, e.sequence) for _x, _k, e in published] == [
        (None, None),
        ("t1", 2),
        ("t1", 3),
    ]
    with engine.begin() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {PENDING_PARTITION}")).scalar() == 0
        assert conn.execute(text(f"SELECT count(*) FROM {LOG_PARTITION}")).scalar() == 3
        assert [e.sequence for e in events_after(conn, outbox, "t1", 0, 10)] == [1, 2, 3]
        _stage(conn, tenant=None, sequenced=False, sequence=None)
        newest = conn.execute(text("SELECT max(id) FROM outbox")).scalar()
    assert newest is not None and newest > max(r[0] for r in plain["rows"])  # ids carry on

    logged = _shape(engine)
    command.downgrade(alembic_config(settings, folder), "-1")
    engine.dispose()
    back = _shape(engine)
    assert not back["partitioned"] and back["rows"] == logged["rows"]
    assert back["threshold"] and "outbox_notify" in back["triggers"]
    with engine.connect() as conn:  # the ledger's revision before has no ``other_tenant``: SQL
        replayed = conn.execute(
            text("SELECT sequence FROM outbox WHERE tenant = 't1' AND sequence > 0 ORDER BY 1")
        ).scalars()
        assert list(replayed) == [1, 2, 3]

    upgrade(settings, folder, revision)  # and again: the round trip keeps everything
    engine.dispose()
    again = _shape(engine)
    assert again["partitioned"] and again["rows"] == logged["rows"]
    assert again["counts"] == (1, 3)
