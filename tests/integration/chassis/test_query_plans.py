"""What runs on every pass reads what is pending, not the history (PostgreSQL plans).

Each service's database is migrated; its outbox and inbox are filled with 20,000 rows of
history (sequenced, published events of 200 tenants; processed message ids) and analysed, so
that the planner would read the whole table if a query let it. Then the relay's passes, the inbox's
calls, the outbox metric and each service's periodic loops run, and the plan of every statement
they send is checked by ``chassis.testing.plans`` (the service tables of the periodic loops,
which hold little here, are checked with sequential scans discouraged: a ``Seq Scan`` left means
no index serves the query).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from chassis.config import Settings
from chassis.db import make_engine
from chassis.inbox import Inbox
from chassis.metrics import outbox_backlog
from chassis.outbox import OutboxRelay
from chassis.retention import inbox_retention, purge
from chassis.testing.databases import service_test_settings
from chassis.testing.plans import assert_reads_only_pending, plan_of

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[3]
MIGRATIONS = {
    "gateway": ROOT / "gateway" / "migrations",
    "ledger": ROOT / "services" / "ledger" / "migrations",
    "invoices": ROOT / "services" / "invoices" / "migrations",
    "listings": ROOT / "services" / "listings" / "migrations",
    "notifications": ROOT / "services" / "notifications" / "migrations",
}
HISTORY = 20_000
TENANTS = 200
MESSAGING = {"outbox", "inbox"}


def _fill_history(engine: Engine) -> None:
    """Published, sequenced events of ``TENANTS`` tenants and processed ids: the history."""
    per_tenant = HISTORY // TENANTS
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (message_id, exchange, routing_key, type, source, tenant, data,"
                " created_at, sequenced, sequence)"
                " SELECT md5(i::text), 'ledger.events', 'x', 'org.trocactif.test.v1', '/test',"
                " 't' || (i % :tenants), '{\"amount\": \"1.00\"}'::jsonb, now(), true,"
                " i / :tenants + 1"
                " FROM generate_series(0, :n - 1) AS i"
            ),
            {"tenants": TENANTS, "n": HISTORY},
        )
        conn.execute(
            text(
                "INSERT INTO outbox_sequence (tenant, last, published)"
                " SELECT 't' || t, :per, :per FROM generate_series(0, :tenants - 1) AS t"
            ),
            {"tenants": TENANTS, "per": per_tenant},
        )
        conn.execute(
            text(
                "INSERT INTO inbox (message_id, consumer, processed_at)"
                " SELECT md5('in' || i::text), 'test', now() - i * interval '1 second'"
                " FROM generate_series(1, :n) AS i"
            ),
            {"n": HISTORY},
        )
        conn.execute(
            text(  # past any retention: the purge deletes them
                "INSERT INTO inbox (message_id, consumer, processed_at)"
                " SELECT md5('old' || i::text), 'test',"
                " now() - interval '400 days' - i * interval '1s'"
                " FROM generate_series(1, 50) AS i"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE outbox"))
        conn.execute(text("ANALYZE outbox_sequence"))
        conn.execute(text("ANALYZE inbox"))


def _pending(engine: Engine) -> None:
    """A few rows waiting: unsequenced events, and sequenced ones of two tenants."""
    with engine.begin() as conn:
        for sequenced, tenant in (
            (False, None),
            (False, None),
            (True, "t1"),
            (True, "t2"),
            (True, "new-tenant"),
        ):
            conn.execute(
                text(
                    "INSERT INTO outbox (message_id, exchange, routing_key, type, source, tenant,"
                    " data, created_at, sequenced) VALUES (:id, 'x', 'y', 'z', '/test', :tenant,"
                    " '{}'::jsonb, now(), :sequenced)"
                ),
                {"id": uuid.uuid4().hex, "tenant": tenant, "sequenced": sequenced},
            )


@pytest.fixture(scope="module", params=sorted(MIGRATIONS))
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings, Engine]]:
    name: str = request.param
    settings = service_test_settings(
        name,
        tmp_path_factory.mktemp(f"plans-{name}"),
        migrations=MIGRATIONS[name],
        backend="postgres",
        database=f"{name}_plans",
    )
    engine = make_engine(settings)
    _fill_history(engine)
    yield name, settings, engine
    engine.dispose()


def _tables(name: str) -> Any:
    if name == "gateway":
        from gateway import db as gateway_db

        return gateway_db
    module = __import__(f"{name}.db", fromlist=["db"])
    return module


def test_relay_passes_read_only_what_is_pending(service: tuple[str, Settings, Engine]) -> None:
    name, _settings, engine = service
    db = _tables(name)
    published: list[Any] = []
    relay = OutboxRelay(engine, db.outbox_table, db.outbox_sequence_table, published.extend)
    try:
        _pending(engine)
        # The first pass also reads which tenants lag (once per leadership).
        assert_reads_only_pending(engine, relay.run_once, MESSAGING)
        assert len(published) == 5
        _pending(engine)
        checked = assert_reads_only_pending(engine, relay.run_once, MESSAGING)
        assert len(published) == 10
        assert any("FROM outbox" in s.sql for s in checked)
        # Nothing pending: a pass is a few index probes.
        assert_reads_only_pending(engine, relay.run_once, MESSAGING)
        assert len(published) == 10
    finally:
        relay.close()


def test_the_guard_sees_a_query_that_reads_the_whole_table(
    service: tuple[str, Settings, Engine],
) -> None:
    name, _settings, engine = service
    t = _tables(name).outbox_table

    def old_spelling() -> None:  # ``IS false`` does not match the partial index's ``NOT``
        with engine.connect() as conn:
            conn.execute(
                select(t.c.id)
                .where(t.c.published_at.is_(None), t.c.sequenced.is_(False))
                .order_by(t.c.id)
                .limit(500)
            ).all()

    with pytest.raises(AssertionError, match="on outbox"):
        assert_reads_only_pending(engine, old_spelling, MESSAGING)


def test_published_unsequenced_rows_leave_the_table(service: tuple[str, Settings, Engine]) -> None:
    name, _settings, engine = service
    db = _tables(name)
    relay = OutboxRelay(engine, db.outbox_table, db.outbox_sequence_table, lambda _batch: None)
    try:
        _pending(engine)
        relay.run_once()
        with engine.connect() as conn:
            loose = conn.execute(text("SELECT count(*) FROM outbox WHERE NOT sequenced")).scalar()
        assert loose == 0
    finally:
        relay.close()


def test_inbox_and_metrics_read_only_what_is_pending(service: tuple[str, Settings, Engine]) -> None:
    name, _settings, engine = service
    db = _tables(name)
    inbox = Inbox(db.inbox_table, "test")
    ids = [uuid.uuid4().hex for _ in range(20)]

    def inbox_calls() -> None:
        with engine.begin() as conn:
            inbox.filter_new(conn, ids)
            inbox.record(conn, ids[0])

    assert_reads_only_pending(engine, inbox_calls, MESSAGING)
    assert_reads_only_pending(
        engine, lambda: outbox_backlog(engine, db.outbox_table, db.outbox_sequence_table), MESSAGING
    )


def _periodic(
    name: str, settings: Settings, engine: Engine
) -> list[tuple[Callable[[], Any], set[str]]]:
    """Each periodic loop of the service and the tables it must not read whole."""
    db = _tables(name)
    policies = (
        db.retention_policies(settings)
        if hasattr(db, "retention_policies")
        else [inbox_retention(db.inbox_table, settings.inbox_retention_days)]
    )
    loops: list[tuple[Callable[[], Any], set[str]]] = [
        (lambda: purge(engine, policies), {p.name for p in policies} | {"webhook_attempts"})
    ]
    return loops + _service_loops(name, settings, engine)


def _service_loops(
    name: str, settings: Settings, engine: Engine
) -> list[tuple[Callable[[], Any], set[str]]]:
    if name == "ledger":
        from ledger.bootstrap import bootstrap as ledger_bootstrap
        from ledger.consumer import expire_holds

        ledger = ledger_bootstrap(settings, engine=engine)
        return [(lambda: expire_holds(ledger), {"transfers", "postings"})]
    if name == "listings":
        from listings.bootstrap import bootstrap as listings_bootstrap

        listings = listings_bootstrap(settings, engine=engine)
        return [(listings.expire, {"listings", "matches", "threads", "messages"})]
    if name == "notifications":
        from notifications import mail
        from notifications.bootstrap import bootstrap as notifications_bootstrap
        from notifications.delivery import deliver_due

        notifications = notifications_bootstrap(settings, engine=engine)
        return [
            (lambda: deliver_due(notifications), {"deliveries", "attempts"}),
            (lambda: mail.send_due(notifications), {"emails"}),
        ]
    return []


def test_periodic_loops_read_only_what_is_due(service: tuple[str, Settings, Engine]) -> None:
    name, settings, engine = service
    for run, growing in _periodic(name, settings, engine):
        assert_reads_only_pending(engine, run, growing, discourage_seqscan=True)
    with engine.connect() as conn:  # the retention purge did delete (so its DELETE was checked)
        assert (
            conn.execute(
                text("SELECT count(*) FROM inbox WHERE processed_at < now() - interval '100 days'")
            ).scalar()
            == 0
        )


def test_a_commit_with_outbox_rows_notifies_the_relay(
    service: tuple[str, Settings, Engine],
) -> None:
    """The migration's trigger: ``NOTIFY`` at commit of an insert, nothing for a rollback."""
    name, _settings, engine = service
    db = _tables(name)
    relay = OutboxRelay(engine, db.outbox_table, db.outbox_sequence_table, lambda _batch: None)
    try:
        relay.wakeup.start()
        assert relay.wakeup.wait(10)  # the listener's first ring: what committed before it
        with engine.connect() as conn, conn.begin() as transaction:
            conn.execute(db.outbox_table.insert(), [_row()])
            transaction.rollback()
        assert not relay.wakeup.wait(0.3)
        with engine.begin() as conn:
            conn.execute(db.outbox_table.insert(), [_row()])
        assert relay.wakeup.wait(5)
    finally:
        relay.close()


def _row() -> dict[str, Any]:
    return {
        "message_id": uuid.uuid4().hex,
        "exchange": "x",
        "routing_key": "y",
        "type": "org.trocactif.test.v1",
        "source": "/test",
        "tenant": None,
        "data": {},
        "created_at": datetime.now(UTC),
        "sequenced": False,
    }


# --- the listings' search across linked networks (issue #20) ------------------------------------

LISTING_NETWORKS = 40
LISTINGS_PER_NETWORK = 1_000


@pytest.fixture(scope="module")
def listings_search(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Engine]]:
    """A listings database of ``LISTING_NETWORKS`` networks' listings, of every visibility and
    status: what a search of three linked networks must not read whole."""
    settings = service_test_settings(
        "listings",
        tmp_path_factory.mktemp("plans-listings-search"),
        migrations=MIGRATIONS["listings"],
        backend="postgres",
        database="listings_search_plans",
    )
    engine = make_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO listings (id, network, tenant, member_id, kind, title, description,"
                " category, category_label, price_type, price_amount, payment_mask, departments,"
                " nationwide, visibility, status, expires_at, created_at, updated_at,"
                " published_at)"
                " SELECT md5(i::text)::uuid, 'n' || (i % :networks), 't' || (i % (:networks * 5)),"
                " md5('m' || (i % 5000))::uuid, CASE WHEN i % 2 = 0 THEN 'offer' ELSE 'need' END,"
                " 'Annonce ' || i, 'Description', 'autre', 'Autres biens et services', 'fixed',"
                " 100 + i, 3, '75', false,"
                " (ARRAY['tenant', 'network', 'federation'])[i % 3 + 1],"
                " CASE WHEN i % 10 = 0 THEN 'archived' ELSE 'active' END, NULL,"
                " now(), now(), now() - i * interval '1 minute'"
                " FROM generate_series(1, :n) AS i"
            ),
            {"networks": LISTING_NETWORKS, "n": LISTING_NETWORKS * LISTINGS_PER_NETWORK},
        )
        conn.execute(
            text(
                "INSERT INTO listing_departments (listing_id, department)"
                " SELECT id, '75' FROM listings"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE listings"))
        conn.execute(text("ANALYZE listing_departments"))
    yield settings, engine
    engine.dispose()


def test_a_search_across_linked_networks_reads_through_indexes(
    listings_search: tuple[Settings, Engine],
) -> None:
    """``scope=federation``: the reader's network and its partners' federation listings, found
    through the listings' network index, never by reading the whole table."""
    from listings.bootstrap import bootstrap as listings_bootstrap
    from listings.db import SearchFilters
    from listings.domain import Kind, Viewer

    settings, engine = listings_search
    listings = listings_bootstrap(settings, engine=engine)
    viewer = Viewer(
        tenant="t1",
        network="n1",
        member_id=uuid.uuid4(),
        partners=frozenset({"n2", "n3"}),
    )
    now = datetime.now(UTC)
    searches = [
        SearchFilters(scope="federation"),
        SearchFilters(scope="federation", page=5, per_page=50),
        SearchFilters(scope="federation", kind=Kind.OFFER, department="75"),
        SearchFilters(scope="federation", q="annonce"),
        SearchFilters(scope="network"),
    ]
    found = []

    def search_all() -> None:
        with engine.connect() as conn:
            found.extend(listings.store.search(conn, viewer, f, now) for f in searches)

    checked = assert_reads_only_pending(engine, search_all, {"listings", "listing_departments"})
    assert len(checked) >= 2 * len(searches)
    # the partners' half reads the partial index of live shared listings, not all of theirs
    first_page = next(st for st in checked if "ORDER BY" in st.sql and "LIMIT" in st.sql)
    assert "ix_listings_federation_published" in json.dumps(plan_of(engine, first_page))
    everything = found[0]
    networks = {item.network for item in everything.items}
    assert networks <= {"n1", "n2", "n3"} and everything.capped
    assert all(
        item.visibility.value == "federation" for item in everything.items if item.network != "n1"
    )
