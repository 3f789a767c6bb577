"""The inbox on PostgreSQL: two transactions recording the same message, exactly one wins."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, Table, create_engine
from sqlalchemy.orm import Session

from chassis.db import new_metadata
from chassis.inbox import Inbox
from chassis.outbox import messaging_tables
from chassis.testing.databases import recreate_postgres_database, worker_id
from chassis.testing.plugin import need_postgres

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


@pytest.fixture(scope="module")
def pg() -> Iterator[tuple[Engine, Table]]:
    template = need_postgres("ON CONFLICT DO NOTHING under concurrent transactions")
    url = template.format(service=f"chassis_inbox_test_{worker_id()}")
    recreate_postgres_database(url)
    engine = create_engine(url)
    metadata = new_metadata()
    _outbox, _sequence, inbox = messaging_tables(metadata)
    metadata.create_all(engine)
    yield engine, inbox
    engine.dispose()


def test_concurrent_record_of_one_message_has_one_winner(pg: tuple[Engine, Table]) -> None:
    engine, table = pg
    inbox = Inbox(table, "ledger")
    message_id = str(uuid.uuid4())
    first_recorded = threading.Event()
    second_started = threading.Event()
    results: dict[str, bool] = {}

    def first() -> None:
        with Session(engine) as session, session.begin():
            results["first"] = inbox.record(session, message_id)
            first_recorded.set()
            second_started.wait(5)
            threading.Event().wait(0.2)  # the second insert now waits on our row lock

    def second() -> None:
        first_recorded.wait(5)
        with Session(engine) as session, session.begin():
            second_started.set()
            results["second"] = inbox.record(session, message_id)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == {"first": True, "second": False}


def test_filter_new_on_a_batch(pg: tuple[Engine, Table]) -> None:
    engine, table = pg
    inbox = Inbox(table, "ledger")
    old = [str(uuid.uuid4()) for _ in range(3)]
    new = [str(uuid.uuid4()) for _ in range(600)]
    with engine.begin() as conn:
        assert inbox.filter_new(conn, old) == set(old)
    with engine.begin() as conn:
        assert inbox.filter_new(conn, old + new) == set(new)
        assert inbox.filter_new(conn, [new[-1]]) == set()
