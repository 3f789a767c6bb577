"""The bus on a real RabbitMQ, each test in its own vhost: confirms, batches, faults, dead letters.

Skipped without ``TROC_BROKER_URL=amqp://...`` (and failing instead in CI).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from kombu import Queue
from sqlalchemy.exc import OperationalError

from chassis.bus import (
    CONTENT_TYPE,
    RETRIES_HEADER,
    Publisher,
    PublishError,
    Worker,
    connection_for,
    replay_dead_letters,
)
from chassis.messages import REGISTRY, Envelope, MessageType
from chassis.testing.rabbit import RabbitVhost
from chassis.topology import ExchangeSpec, QueueSpec, Topology

pytestmark = pytest.mark.integration

PRODUCER = "rmqbus"
EXCHANGE = f"{PRODUCER}.events"
QUEUE = f"consumer.{PRODUCER}.events"
TENANT_QUEUE = f"integrator-pie.{PRODUCER}"

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class ThingHappened:
    n: int


RETRY_DELAY_MS = 400
TOPOLOGY = Topology(
    (ExchangeSpec(EXCHANGE, "topic"),),
    (
        QueueSpec(
            QUEUE,
            EXCHANGE,
            ("*.*.thing_happened.v1",),
            max_retries=1,
            retry_delay_ms=RETRY_DELAY_MS,
        ),
        QueueSpec(TENANT_QUEUE, EXCHANGE, ("troc-actif.pie.#",)),
    ),
)


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    event = MessageType("event", PRODUCER, "thing_happened", 1, ThingHappened)
    monkeypatch.setitem(REGISTRY, event.type, event)


@pytest.fixture
def publisher(rabbit_vhost: str) -> Iterator[Publisher]:
    with Publisher(rabbit_vhost, topology=TOPOLOGY, retries=3, retry_interval=0.1) as publisher:
        yield publisher


def envelope(n: int, tenant: str = "pie") -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source=f"/{PRODUCER}",
        type=f"org.trocactif.{PRODUCER}.thing_happened.v1",
        time=datetime.now(UTC),
        data={"n": n},
        tenant=tenant,
        network="troc-actif",
    )


def items(envelopes: list[Envelope]) -> list[tuple[str, str, Envelope]]:
    return [(EXCHANGE, e.routing_key, e) for e in envelopes]


def run_until(worker: Worker, done: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout

    def check() -> None:
        if done() or time.monotonic() > deadline:
            worker.should_stop = True

    worker.on_iteration = check  # type: ignore[method-assign]
    worker.run(safety_interval=0.05)
    assert done(), "the worker stopped before the expected messages were handled"


def get_all(url: str, queue: str) -> list[object]:
    with connection_for(url) as conn:
        bound = Queue(queue, no_declare=True).bind(conn.default_channel)
        messages = []
        while (message := bound.get(no_ack=True)) is not None:
            messages.append(message)
        return messages


class TestPublisher:
    def test_batch_of_5000_is_confirmed_and_consumed_in_order(
        self, rabbit_vhost: str, publisher: Publisher
    ) -> None:
        envelopes = [envelope(i, "pie" if i % 2 else "fa-mgp") for i in range(5000)]
        started = time.perf_counter()
        for start in range(0, len(envelopes), 500):  # the outbox relay's batch size
            publisher.publish_batch(items(envelopes[start : start + 500]))
        elapsed = time.perf_counter() - started
        log.info("published 5000 confirmed messages in %.2f s: %.0f msg/s", elapsed, 5000 / elapsed)
        # Confirmed means stored: another connection already counts every message.
        with connection_for(rabbit_vhost) as conn:
            _name, waiting, _consumers = conn.default_channel.queue_declare(
                queue=QUEUE, passive=True
            )
        assert waiting == 5000

        batches: list[list[Envelope]] = []
        worker = Worker(
            connection_for(rabbit_vhost),
            TOPOLOGY,
            [QUEUE],
            batches.append,
            prefetch=200,
            batch_size=100,
        )
        started = time.perf_counter()
        run_until(worker, lambda: sum(map(len, batches)) >= 5000)
        elapsed = time.perf_counter() - started
        log.info("consumed 5000 in %.2f s (%d batches)", elapsed, len(batches))

        assert [e.id for b in batches for e in b] == [e.id for e in envelopes]
        assert max(map(len, batches)) == 100
        assert len(get_all(rabbit_vhost, TENANT_QUEUE)) == 2500  # routed by tenant

    def test_messages_are_persistent_cloudevents(
        self, rabbit_vhost: str, publisher: Publisher
    ) -> None:
        sent = envelope(1)
        publisher.publish(EXCHANGE, sent.routing_key, sent)
        (message,) = get_all(rabbit_vhost, TENANT_QUEUE)
        assert message.content_type == CONTENT_TYPE  # type: ignore[attr-defined]
        assert message.properties["delivery_mode"] == 2  # type: ignore[attr-defined]
        assert message.properties["message_id"] == sent.id  # type: ignore[attr-defined]
        assert Envelope.from_json(message.body) == sent  # type: ignore[attr-defined]

    def test_unroutable_message_is_returned_and_logged(
        self, publisher: Publisher, caplog: pytest.LogCaptureFixture
    ) -> None:
        lost = envelope(1)
        with caplog.at_level(logging.DEBUG, logger="chassis.bus"):
            publisher.publish(EXCHANGE, "nobody.listens.to.this", lost)
        assert publisher.returned == 1
        assert any(
            lost.id in r.getMessage() and "unroutable" in r.getMessage() for r in caplog.records
        )

    def test_missing_exchange_raises_and_the_publisher_recovers(
        self, rabbit_vhost: str, publisher: Publisher
    ) -> None:
        with pytest.raises(PublishError, match="refused"):
            publisher.publish("no-such.events", "x", envelope(1))
        sent = envelope(2)
        publisher.publish(EXCHANGE, sent.routing_key, sent)
        assert len(get_all(rabbit_vhost, TENANT_QUEUE)) == 1

    def test_reconnects_after_the_broker_drops_the_connection(
        self, rabbit_broker: RabbitVhost, publisher: Publisher
    ) -> None:
        publisher.publish(EXCHANGE, envelope(1).routing_key, envelope(1))
        assert rabbit_broker.close_connections() >= 1
        time.sleep(0.2)
        publisher.publish_batch(items([envelope(i) for i in range(10)]))
        assert len(get_all(rabbit_broker.url, TENANT_QUEUE)) == 11

    def test_raises_when_the_broker_is_unreachable(self) -> None:
        publisher = Publisher("amqp://guest:guest@127.0.0.1:1//", retries=1, retry_interval=0.01)
        with pytest.raises(PublishError, match="after 2 attempts"):
            publisher.publish(EXCHANGE, "k", envelope(1))


class TestWorker:
    def test_survives_a_dropped_connection_without_losing_messages(
        self, rabbit_broker: RabbitVhost, publisher: Publisher
    ) -> None:
        seen: set[str] = set()
        worker = Worker(
            connection_for(rabbit_broker.url),
            TOPOLOGY,
            [QUEUE],
            lambda batch: seen.update(e.id for e in batch),
        )
        first = [envelope(i) for i in range(100)]
        second = [envelope(i) for i in range(100, 200)]
        publisher.publish_batch(items(first))
        thread = threading.Thread(
            target=run_until, args=(worker, lambda: len(seen) >= 200), daemon=True
        )
        thread.start()
        deadline = time.monotonic() + 10
        while len(seen) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert rabbit_broker.close_connections() >= 1
        publisher.publish_batch(items(second))
        thread.join(30)
        assert not thread.is_alive()
        assert seen == {e.id for e in first + second}

    def test_retries_then_dead_letters_and_replays(
        self, rabbit_vhost: str, publisher: Publisher
    ) -> None:
        good, poison = envelope(1), envelope(2)
        publisher.publish_batch(items([good, poison]))
        attempts: list[str] = []
        applied: list[str] = []
        tried_at: list[float] = []
        broken = True

        def handle(batch: list[Envelope]) -> None:
            attempts.extend(e.id for e in batch)
            if poison in batch:
                tried_at.append(time.monotonic())
            if broken and poison in batch:
                raise RuntimeError("boom")
            applied.extend(e.id for e in batch)

        worker = Worker(connection_for(rabbit_vhost), TOPOLOGY, [QUEUE], handle)
        run_until(worker, lambda: worker.dead_lettered == 1)
        assert applied == [good.id]
        assert attempts.count(poison.id) >= 2  # tried, then retried max_retries (1) time
        assert worker.retried == 1
        # The retry waited in the queue's .retry queue (message TTL), not republished at once.
        assert tried_at[-1] - tried_at[0] >= RETRY_DELAY_MS / 1000 * 0.9

        broken = False
        with connection_for(rabbit_vhost) as conn:
            assert replay_dead_letters(QUEUE, conn) == 1
        worker = Worker(connection_for(rabbit_vhost), TOPOLOGY, [QUEUE], handle)
        run_until(worker, lambda: poison.id in applied)
        assert get_all(rabbit_vhost, f"{QUEUE}.dlq") == []

    def test_database_outage_requeues_without_counting_retries(
        self, rabbit_vhost: str, publisher: Publisher
    ) -> None:
        envelopes = [envelope(i) for i in range(20)]
        publisher.publish_batch(items(envelopes))
        outages = 2
        applied: list[Envelope] = []

        def handle(batch: list[Envelope]) -> None:
            nonlocal outages
            if outages:
                outages -= 1
                raise OperationalError("SELECT 1", {}, ConnectionRefusedError("db down"))
            applied.extend(batch)

        worker = Worker(
            connection_for(rabbit_vhost),
            TOPOLOGY,
            [QUEUE],
            handle,
            backoff_initial=0.05,
            backoff_max=0.1,
        )
        run_until(worker, lambda: len(applied) >= 20)
        assert {e.id for e in applied} == {e.id for e in envelopes}
        assert worker.retried == 0 and worker.dead_lettered == 0 and worker.requeued >= 20
        for message in get_all(rabbit_vhost, QUEUE):
            assert RETRIES_HEADER not in message.headers  # type: ignore[attr-defined]
