"""The relay's wake-up on SQLite: a commit that wrote outbox rows rings it, nothing else does."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table

from chassis.config import Settings
from chassis.db import make_engine, new_metadata
from chassis.outbox import OutboxRelay, messaging_tables
from chassis.wakeup import Wakeup

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="the SQLite doorbell is an abstract Unix socket (Linux)",
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, Table, Table]]:
    settings = Settings.from_env("ledger", {"TROC_VAR_DIR": str(tmp_path)})
    engine = make_engine(settings)
    metadata = new_metadata()
    outbox, sequence, _inbox = messaging_tables(metadata)
    metadata.create_all(engine)
    yield engine, outbox, sequence
    engine.dispose()


def row() -> dict[str, Any]:
    """An outbox row as ``Outbox.add`` writes it."""
    return {
        "message_id": str(uuid.uuid4()),
        "exchange": "ledger.events",
        "routing_key": "x",
        "type": "org.trocactif.test.v1",
        "source": "/ledger",
        "tenant": None,
        "data": {},
        "created_at": datetime.now(UTC),
        "sequenced": False,
    }


def listening(relay: OutboxRelay) -> None:
    relay.wakeup.start()
    deadline = time.monotonic() + 5
    while not relay.wakeup.listening and time.monotonic() < deadline:
        time.sleep(0.01)
    assert relay.wakeup.listening


def test_a_latch_rung_before_the_wait_is_not_lost() -> None:
    latch = Wakeup()
    latch.set()
    assert latch.wait(0)
    assert not latch.wait(0.01)


def test_a_commit_with_outbox_rows_wakes_the_relay(store: tuple[Engine, Table, Table]) -> None:
    engine, outbox, sequence = store
    published: list[Any] = []
    relay = OutboxRelay(engine, outbox, sequence, published.extend)
    try:
        listening(relay)
        assert not relay.wakeup.wait(0.2)  # nothing written: the poll's timeout
        woken = threading.Event()

        def sleeper() -> None:
            if relay.wakeup.wait(10):
                woken.set()

        thread = threading.Thread(target=sleeper)
        thread.start()
        started = time.monotonic()
        with engine.begin() as conn:
            conn.execute(outbox.insert(), [row()])
        thread.join(10)
        assert woken.is_set()
        assert time.monotonic() - started < 2
        assert relay.run_once() == 1
    finally:
        relay.close()
    assert not relay.wakeup.listening


def test_a_rollback_or_another_table_does_not(store: tuple[Engine, Table, Table]) -> None:
    engine, outbox, sequence = store
    relay = OutboxRelay(engine, outbox, sequence, lambda _batch: None)
    try:
        listening(relay)
        with engine.connect() as conn:
            with conn.begin() as transaction:
                conn.execute(outbox.insert(), [row()])
                transaction.rollback()
            with conn.begin():
                conn.execute(sequence.insert(), {"tenant": "pie", "last": 0, "published": 0})
        assert not relay.wakeup.wait(0.3)
    finally:
        relay.close()
