"""A batch is acked once, after its transaction, on RabbitMQ; overlapped batches stay in order.

Skipped without ``TROC_BROKER_URL=amqp://...`` (and failing instead in CI).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from kombu.message import Message

from chassis.bus import Publisher, Worker, connection_for
from chassis.messages import Envelope
from tests.integration.chassis.test_bus_rabbitmq import (
    QUEUE,
    TOPOLOGY,
    envelope,
    get_all,
    items,
    registered,  # noqa: F401 (the autouse fixture registering the test's event)
    run_until,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def publisher(rabbit_vhost: str) -> Any:
    with Publisher(rabbit_vhost, topology=TOPOLOGY, retries=3, retry_interval=0.1) as publisher:
        yield publisher


@pytest.fixture
def acks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Every ``ack`` the worker sends: (delivery tag, multiple)."""
    sent: list[tuple[int, bool]] = []
    original = Message.ack

    def ack(self: Message, multiple: bool = False) -> None:
        sent.append((self.delivery_tag, multiple))
        original(self, multiple=multiple)

    monkeypatch.setattr(Message, "ack", ack)
    return sent


@pytest.mark.parametrize("overlap", [False, True])
def test_each_batch_is_acked_once_after_it_is_handled(
    rabbit_vhost: str, publisher: Publisher, acks: list[tuple[int, bool]], overlap: bool
) -> None:
    sent = [envelope(i) for i in range(300)]
    publisher.publish_batch(items(sent))
    batches: list[list[str]] = []
    acked_before: list[int] = []

    def handle(batch: list[Envelope]) -> None:
        acked_before.append(len(acks))  # nothing of this batch is acked while it is handled
        batches.append([e.id for e in batch])

    worker = Worker(
        connection_for(rabbit_vhost),
        TOPOLOGY,
        [QUEUE],
        handle,
        prefetch=200,
        batch_size=50,
        overlap=overlap,
    )
    try:
        run_until(worker, lambda: worker.handled >= 300)
    finally:
        worker.close()
    assert [i for b in batches for i in b] == [e.id for e in sent]  # in order, once each
    assert len(acks) == len(batches)
    assert all(multiple for _tag, multiple in acks)
    assert acked_before == list(range(len(batches)))
    assert get_all(rabbit_vhost, QUEUE) == []  # every message acked


def test_a_batch_that_fails_before_its_commit_is_redelivered_whole(
    rabbit_vhost: str, publisher: Publisher
) -> None:
    sent = [envelope(i) for i in range(20)]
    publisher.publish_batch(items(sent))
    started = threading.Event()

    def crash(batch: list[Envelope]) -> None:
        started.set()
        time.sleep(0.2)
        raise SystemExit("the worker dies before its commit")

    worker = Worker(connection_for(rabbit_vhost), TOPOLOGY, [QUEUE], crash, batch_size=20)
    with pytest.raises(SystemExit):
        worker.run(safety_interval=0.05)
    worker.connection.release()
    assert started.is_set()
    assert {m.properties["message_id"] for m in get_all(rabbit_vhost, QUEUE)} == {  # type: ignore[attr-defined]
        e.id for e in sent
    }


def test_overlapped_batches_apply_one_at_a_time(rabbit_vhost: str, publisher: Publisher) -> None:
    publisher.publish_batch(items([envelope(i) for i in range(400)]))
    running = 0
    most = 0
    seen = 0
    lock = threading.Lock()

    def handle(batch: list[Envelope]) -> None:
        nonlocal running, most, seen
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.005)  # the database's share: the next batch is received meanwhile
        with lock:
            running -= 1
            seen += len(batch)

    worker = Worker(
        connection_for(rabbit_vhost), TOPOLOGY, [QUEUE], handle, batch_size=50, overlap=True
    )
    try:
        run_until(worker, lambda: worker.handled >= 400)
    finally:
        worker.close()
    assert most == 1 and seen == 400
