"""The inbox on SQLite: dedupe by message id, per consumer, inside the caller's transaction."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session

from chassis.config import Settings
from chassis.db import make_engine, new_metadata, utcnow
from chassis.inbox import Inbox
from chassis.messages import Envelope
from chassis.outbox import messaging_tables


@pytest.fixture
def inbox_table() -> Table:
    _outbox, _sequence, inbox = messaging_tables(new_metadata())
    return inbox


@pytest.fixture
def engine(tmp_path: Path, inbox_table: Table) -> Engine:
    settings = Settings(
        service_name="inboxtest", var_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/inbox.db"
    )
    engine = make_engine(settings)
    assert inbox_table.metadata is not None
    inbox_table.metadata.create_all(engine)
    return engine


def ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


def recorded(session: Session, table: Table, consumer: str, message_id: str) -> bool:
    query = select(table.c.message_id).where(
        table.c.consumer == consumer, table.c.message_id == message_id
    )
    return session.execute(query).first() is not None


def envelope(message_id: str) -> Envelope:
    return Envelope(
        id=message_id, source="/test", type="org.trocactif.test.pinged.v1", time=utcnow(), data={}
    )


class TestInbox:
    def test_record_once(self, engine: Engine, inbox_table: Table) -> None:
        inbox = Inbox(inbox_table, "ledger")
        message_id = ids(1)[0]
        with Session(engine) as session, session.begin():
            assert not recorded(session, inbox_table, "ledger", message_id)
            assert inbox.record(session, message_id) is True
            assert recorded(session, inbox_table, "ledger", message_id)
        with Session(engine) as session, session.begin():
            assert inbox.record(session, message_id) is False

    def test_consumers_have_their_own_inbox(self, engine: Engine, inbox_table: Table) -> None:
        message_id = ids(1)[0]
        with Session(engine) as session, session.begin():
            assert Inbox(inbox_table, "ledger").record(session, message_id)
            assert Inbox(inbox_table, "notifications").record(session, message_id)
            assert not recorded(session, inbox_table, "notifications", "other")

    def test_filter_new_records_a_batch_and_returns_the_new_ids(
        self, engine: Engine, inbox_table: Table
    ) -> None:
        inbox = Inbox(inbox_table, "ledger")
        old, new = ids(3), ids(700)  # more than one INSERT statement
        with Session(engine) as session, session.begin():
            assert inbox.filter_new(session, old) == set(old)
        with engine.begin() as conn:  # a Core connection works too
            assert inbox.filter_new(conn, [*old, *new, new[0]]) == set(new)
        with engine.connect() as conn:
            stored = conn.execute(select(inbox_table.c.message_id)).scalars().all()
        assert sorted(stored) == sorted(old + new)

    def test_fresh_applies_each_message_of_a_batch_once_in_order(
        self, engine: Engine, inbox_table: Table
    ) -> None:
        inbox = Inbox(inbox_table, "listings")
        old, a, b = ids(3)
        with Session(engine) as session, session.begin():
            inbox.record(session, old)
        batch = [envelope(a), envelope(old), envelope(b), envelope(a), envelope(b)]
        with Session(engine) as session, session.begin():
            fresh = inbox.fresh(session, batch)
        assert [e.id for e in fresh] == [a, b]
        assert fresh[0] is batch[0] and fresh[1] is batch[2]  # the first copy, in batch order
        with Session(engine) as session, session.begin():
            assert inbox.fresh(session, batch) == []

    def test_rollback_forgets_the_record(self, engine: Engine, inbox_table: Table) -> None:
        inbox = Inbox(inbox_table, "ledger")
        message_id = ids(1)[0]
        with Session(engine) as session:
            session.begin()
            assert inbox.record(session, message_id)
            session.rollback()
        with Session(engine) as session, session.begin():
            assert not recorded(session, inbox_table, "ledger", message_id)
            assert inbox.record(session, message_id)

    def test_two_workers_with_the_same_message_one_wins(
        self, engine: Engine, inbox_table: Table
    ) -> None:
        inbox = Inbox(inbox_table, "ledger")
        message_id = ids(1)[0]
        first_recorded = threading.Event()
        results: dict[str, bool] = {}

        def first() -> None:
            with Session(engine) as session, session.begin():
                results["first"] = inbox.record(session, message_id)
                first_recorded.set()
                # Hold the transaction open: the second worker must wait, then lose.
                threading.Event().wait(0.2)

        def second() -> None:
            first_recorded.wait(5)
            with Session(engine) as session, session.begin():
                results["second"] = inbox.record(session, message_id)

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert results == {"first": True, "second": False}
