"""One outbox row per event, one copy in each tenant's log: written once, with its sequence.

The relay moves a pending row into the log of each tenant it names (its own sequence, message id
and routing key per tenant) and deletes it; what it has just logged it publishes from memory, and
what it publishes is what ``GET /t/<t>/events`` replays. On PostgreSQL the outbox is partitioned:
the queue holds only what waits, the log everything published, and the reads of a pass and of
the event log stay index reads however long the log grows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from chassis.db import make_engine
from chassis.messages import Envelope
from chassis.outbox import OutboxRelay
from chassis.testing.databases import service_test_settings
from chassis.testing.plans import assert_reads_only_pending
from ledger.bootstrap import LedgerApp
from ledger.db import Ledger, outbox_sequence_table, outbox_table
from ledger.domain import Network, TransferRequest

OpenAccount = Callable[..., uuid.UUID]
MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"
Published = list[tuple[str, str, Envelope]]


def _transfer(app: LedgerApp, network: Network, payer: uuid.UUID, payee: uuid.UUID) -> uuid.UUID:
    request = TransferRequest(
        id=uuid.uuid4(), network=network.slug, payer=payer, payee=payee, amount=150
    )
    with app.uow(single_statement=True) as uow:
        uow.ledger.transfer(request)
        uow.commit()
    return request.id


def _staged(app: LedgerApp, subject: uuid.UUID) -> list[Any]:
    with app.engine.connect() as conn:
        return list(
            conn.execute(select(outbox_table).where(outbox_table.c.subject == str(subject))).all()
        )


def _relay_dry(relay: OutboxRelay) -> None:
    while relay.run_once():
        pass


def _of(published: Published, subject: uuid.UUID) -> dict[str, tuple[str, Envelope]]:
    return {e.tenant or "": (key, e) for _x, key, e in published if e.subject == str(subject)}


def test_a_transfer_between_two_tenants_is_one_row_and_one_copy_in_each_log(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    buyer_tenant, seller_tenant = (f"{side}-{uuid.uuid4().hex[:8]}" for side in ("b", "s"))
    buyer, seller = open_account(buyer_tenant), open_account(seller_tenant)
    published: Published = []
    relay = OutboxRelay(
        ledger_app.engine, outbox_table, outbox_sequence_table, published.extend, batch_size=50
    )
    try:
        _relay_dry(relay)
        first = _transfer(ledger_app, network, buyer, seller)
        (row,) = _staged(ledger_app, first)
        assert (row.tenant, row.other_tenant, row.sequence) == (buyer_tenant, seller_tenant, None)
        _relay_dry(relay)
        # Logged by this relay, the second one leaves without being read back.
        second = _transfer(ledger_app, network, seller, buyer)
        _relay_dry(relay)
    finally:
        relay.close()

    for number, subject in enumerate((first, second), start=2):
        assert [r.sequence for r in _staged(ledger_app, subject)] != [None]
        copies = _of(published, subject)
        assert sorted(copies) == sorted([buyer_tenant, seller_tenant])
        ids = {e.id for _key, e in copies.values()}
        assert len(ids) == 2
        for tenant, (key, envelope) in copies.items():
            assert envelope.sequence == number  # account_opened is each tenant's first event
            assert key == f"{network.slug}.{tenant}.transfer_posted.v1"
            assert str(envelope.message().amount) == "1.50"
        assert copies[buyer_tenant][1].data == copies[seller_tenant][1].data
    with ledger_app.engine.connect() as conn:
        for tenant in (buyer_tenant, seller_tenant):
            log = ledger_app.store.events_after(conn, tenant, 0, 10)
            assert [e.sequence for e in log] == [1, 2, 3]
            sent = [e for _x, _k, e in published if e.tenant == tenant]
            assert [(e.id, e.sequence, e.data) for e in sent] == [
                (e.id, e.sequence, e.data) for e in log
            ]
        waiting = conn.execute(
            select(func.count())
            .select_from(outbox_table)
            .where(outbox_table.c.tenant.in_([buyer_tenant, seller_tenant]))
            .where(outbox_table.c.sequence.is_(None))
        ).scalar_one()
    assert waiting == 0


def test_an_account_without_tenant_gets_its_copy_outside_the_logs(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    member, fees = open_account(tenant), open_account(None)
    subject = _transfer(ledger_app, network, member, fees)
    rows = _staged(ledger_app, subject)
    assert sorted((r.tenant or "", r.other_tenant, r.sequenced) for r in rows) == [
        ("", None, False),
        (tenant, None, True),
    ]
    published: Published = []
    relay = OutboxRelay(ledger_app.engine, outbox_table, outbox_sequence_table, published.extend)
    try:
        _relay_dry(relay)
    finally:
        relay.close()
    copies = _of(published, subject)
    assert sorted(copies) == ["", tenant]
    assert copies[""][1].sequence is None
    assert copies[""][0] == f"{network.slug}._.transfer_posted.v1"
    assert copies[tenant][1].sequence == 2
    assert [r.tenant for r in _staged(ledger_app, subject)] == [tenant]  # the log's copy stays


# --- PostgreSQL: the partitions, and the plans of the log's reads --------------------------------

HISTORY = 20_000
TENANTS = 200


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated ledger database whose log holds ``HISTORY`` events of ``TENANTS`` tenants."""
    settings = service_test_settings(
        "ledger",
        tmp_path_factory.mktemp("ledger-log-plans"),
        migrations=MIGRATIONS,
        backend="postgres",
        database="ledger_log_plans",
    )
    engine = make_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (message_id, exchange, routing_key, type, source, tenant, data,"
                " created_at, sequenced, sequence)"
                " SELECT md5(i::text), 'ledger.events', 'x', 'org.trocactif.test.v1', '/ledger',"
                " 't' || (i % :tenants), '{}'::jsonb, now(), true, i / :tenants + 1"
                " FROM generate_series(0, :n - 1) AS i"
            ),
            {"tenants": TENANTS, "n": HISTORY},
        )
        conn.execute(
            text(
                "INSERT INTO outbox_sequence (tenant, last, published)"
                " SELECT 't' || t, :per, :per FROM generate_series(0, :tenants - 1) AS t"
            ),
            {"tenants": TENANTS, "per": HISTORY // TENANTS},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE outbox"))
        conn.execute(text("ANALYZE outbox_sequence"))
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_the_queue_and_the_log_are_partitions_and_their_reads_are_index_reads(
    filled: Engine,
) -> None:
    with filled.connect() as conn:
        queue = conn.execute(text("SELECT count(*) FROM outbox_pending")).scalar()
        log = conn.execute(text("SELECT count(*) FROM outbox_log")).scalar()
    assert (queue, log) == (0, HISTORY)
    with filled.begin() as conn:  # two events naming two tenants each, as the functions stage
        for other in ("t2", "new-tenant"):
            conn.execute(
                text(
                    "INSERT INTO outbox (message_id, exchange, routing_key, type, source, tenant,"
                    " other_tenant, data, created_at, sequenced) VALUES (:id, 'ledger.events',"
                    " 'x', 'org.trocactif.test.v1', '/ledger', 't1', :other, '{}'::jsonb, now(),"
                    " true)"
                ),
                {"id": uuid.uuid4().hex, "other": other},
            )
    published: Published = []
    relay = OutboxRelay(filled, outbox_table, outbox_sequence_table, published.extend)
    try:
        checked = assert_reads_only_pending(filled, relay.run_once, {"outbox"})
    finally:
        relay.close()
    assert sorted((e.tenant, e.sequence) for _x, _k, e in published) == [
        ("new-tenant", 1),
        ("t1", 101),
        ("t1", 102),
        ("t2", 101),
    ]
    assert any("INSERT INTO outbox" in s.sql for s in checked)  # the copies, planned too
    with filled.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox_pending")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM outbox_log")).scalar() == HISTORY + 4

    def replay() -> None:
        with filled.connect() as conn:
            assert len(Ledger().events_after(conn, "t7", 50, 20)) == 20

    checked = assert_reads_only_pending(filled, replay, {"outbox"})
    assert any("FROM outbox" in s.sql for s in checked)
