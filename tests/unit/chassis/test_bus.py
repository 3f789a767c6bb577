"""The bus on ``memory://``: publish, topic routing, batches, retries, dead letters, replay.

Every test uses its own producer and queue names: kombu's memory broker is global to the process.
"""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from kombu import Connection, Queue
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from chassis import context
from chassis.bus import (
    CONTENT_TYPE,
    ERROR_HEADER,
    ORIGINAL_QUEUE_HEADER,
    RETRIES_HEADER,
    Publisher,
    Worker,
    connection_for,
    is_database_unavailable,
    message_scope,
    replay_dead_letters,
)
from chassis.config import ConfigError, Settings
from chassis.db import new_metadata
from chassis.messages import REGISTRY, Envelope, InvalidMessage, MessageType
from chassis.outbox import Outbox, OutboxRelay, messaging_tables
from chassis.topology import ExchangeSpec, QueueSpec, Topology

NETWORK = "troc-actif"


@dataclass(frozen=True, kw_only=True)
class ThingHappened:
    n: int


@dataclass
class Bus:
    """One test's producer, topology and helpers."""

    producer: str
    event: MessageType
    topology: Topology
    publisher: Publisher

    @property
    def exchange(self) -> str:
        return f"{self.producer}.events"

    def envelope(self, n: int, tenant: str = "pie", **extra: Any) -> Envelope:
        return Envelope(
            id=str(uuid.uuid4()),
            source=f"/{self.producer}",
            type=self.event.type,
            time=datetime.now(UTC),
            data={"n": n},
            tenant=tenant,
            network=NETWORK,
            **extra,
        )

    def publish(self, *envelopes: Envelope) -> None:
        self.publisher.publish_batch([(self.exchange, e.routing_key, e) for e in envelopes])

    def worker(self, queue: str, handle: Callable[[list[Envelope]], None], **kwargs: Any) -> Worker:
        kwargs.setdefault("backoff_initial", 0.01)
        return Worker(connection_for("memory://"), self.topology, [queue], handle, **kwargs)


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[Bus]:
    producer = f"prod{uuid.uuid4().hex[:10]}"
    event = MessageType("event", producer, "thing_happened", 1, ThingHappened)
    monkeypatch.setitem(REGISTRY, event.type, event)
    exchange = f"{producer}.events"
    topology = Topology(
        (ExchangeSpec(exchange, "topic"),),
        (
            QueueSpec(
                f"consumer.{producer}.events", exchange, ("*.*.thing_happened.v1",), max_retries=2
            ),
            QueueSpec(f"integrator-pie.{producer}", exchange, (f"{NETWORK}.pie.#",)),
        ),
    )
    with Publisher("memory://", topology=topology) as publisher:
        yield Bus(producer, event, topology, publisher)


def run_until(worker: Worker, done: Callable[[], bool], timeout: float = 5.0) -> None:
    """Run the worker until ``done()`` holds (or fail after ``timeout``)."""
    deadline = time.monotonic() + timeout

    def check() -> None:
        if done() or time.monotonic() > deadline:
            worker.should_stop = True

    worker.on_iteration = check  # type: ignore[method-assign]
    worker.run(safety_interval=0.02)
    assert done(), "the worker stopped before the expected messages were handled"


def drain_queue(queue: str) -> list[Any]:
    """Every message waiting in ``queue`` (acked), as kombu messages."""
    with connection_for("memory://") as conn:
        bound = Queue(queue, no_declare=True).bind(conn.default_channel)
        messages = []
        while (message := bound.get(no_ack=True)) is not None:
            messages.append(message)
        return messages


class TestRoundTrip:
    def test_topic_routing_confines_a_tenant_queue(self, bus: Bus) -> None:
        pie = [bus.envelope(i, "pie", correlationid=f"corr-{i}") for i in range(3)]
        other = [bus.envelope(i, "fa-mgp") for i in range(3, 5)]
        bus.publish(*pie, *other)

        everyone: list[Envelope] = []
        tenant_only: list[Envelope] = []
        run_until(
            bus.worker(f"consumer.{bus.producer}.events", everyone.extend),
            lambda: len(everyone) == 5,
        )
        run_until(
            bus.worker(f"integrator-pie.{bus.producer}", tenant_only.extend),
            lambda: len(tenant_only) == 3,
        )

        assert [e.id for e in everyone] == [e.id for e in pie + other]
        assert [e.id for e in tenant_only] == [e.id for e in pie]
        received = tenant_only[0]
        assert received == pie[0]  # the whole envelope survives the trip
        assert received.correlationid == "corr-0"
        assert received.routing_key == f"{NETWORK}.pie.thing_happened.v1"

    def test_messages_are_persistent_cloudevents(self, bus: Bus) -> None:
        envelope = bus.envelope(1)
        bus.publish(envelope)
        (message,) = drain_queue(f"integrator-pie.{bus.producer}")
        assert message.content_type == CONTENT_TYPE
        assert message.properties["delivery_mode"] == 2
        assert message.properties["message_id"] == envelope.id
        assert message.headers["message_id"] == envelope.id
        assert Envelope.from_json(message.body) == envelope

    def test_publish_one(self, bus: Bus) -> None:
        envelope = bus.envelope(7)
        bus.publisher.publish(bus.exchange, envelope.routing_key, envelope)
        assert len(drain_queue(f"consumer.{bus.producer}.events")) == 1


class TestBatches:
    def test_handler_gets_batches_in_publish_order(self, bus: Bus) -> None:
        envelopes = [bus.envelope(i) for i in range(250)]
        bus.publish(*envelopes)
        batches: list[list[Envelope]] = []
        worker = bus.worker(
            f"consumer.{bus.producer}.events", batches.append, prefetch=200, batch_size=100
        )
        run_until(worker, lambda: sum(map(len, batches)) == 250)

        assert max(map(len, batches)) == 100
        assert len(batches) < 10  # batched, not one by one
        assert [e.id for b in batches for e in b] == [e.id for e in envelopes]
        assert worker.handled == 250

    def test_message_scope_binds_correlation_and_causation(self, bus: Bus) -> None:
        envelope = bus.envelope(1, correlationid="corr-1")
        with message_scope(envelope):
            assert context.correlation_id.get() == "corr-1"
            assert context.causation_id.get() == envelope.id
        assert context.correlation_id.get() is None


class TestFailures:
    def test_undecodable_and_unknown_messages_go_straight_to_the_dlq(self, bus: Bus) -> None:
        queue = f"consumer.{bus.producer}.events"
        good = bus.envelope(1)
        unknown = Envelope(
            id="unknown-1",
            source="/x",
            type="org.trocactif.x.nobody.v1",
            time=datetime.now(UTC),
            data={},
        )
        with connection_for("memory://") as conn:
            channel = conn.default_channel
            for body in (b"not json at all", unknown.to_json()):
                channel.basic_publish(
                    channel.prepare_message(
                        body, content_type=CONTENT_TYPE, content_encoding="utf-8", headers={}
                    ),
                    exchange="",
                    routing_key=queue,
                )
        bus.publish(good)

        handled: list[Envelope] = []
        worker = bus.worker(queue, handled.extend)
        run_until(worker, lambda: worker.dead_lettered == 2 and len(handled) == 1)

        dead = drain_queue(f"{queue}.dlq")
        assert len(dead) == 2
        assert all(m.headers[ORIGINAL_QUEUE_HEADER] == queue for m in dead)
        assert "InvalidMessage" in dead[0].headers[ERROR_HEADER]
        assert "unknown message type" in dead[1].headers[ERROR_HEADER]
        assert RETRIES_HEADER not in dead[0].headers  # never retried
        assert handled == [good]

    def test_failing_message_is_retried_then_dead_lettered(self, bus: Bus) -> None:
        queue = f"consumer.{bus.producer}.events"
        envelopes = [bus.envelope(i) for i in range(5)]
        poison = envelopes[2]
        bus.publish(*envelopes)
        attempts: list[str] = []
        applied: list[str] = []

        def handle(batch: list[Envelope]) -> None:
            attempts.extend(e.id for e in batch)
            if poison in batch:
                raise RuntimeError("boom")
            applied.extend(e.id for e in batch)

        worker = bus.worker(queue, handle)
        run_until(worker, lambda: worker.dead_lettered == 1)

        # The batch failed, then each message was tried alone: the others went through once.
        assert sorted(applied) == sorted(e.id for e in envelopes if e is not poison)
        # First try in the batch, alone, then max_retries (2) more times.
        assert attempts.count(poison.id) == 1 + 1 + 2
        (dead,) = drain_queue(f"{queue}.dlq")
        assert dead.headers[RETRIES_HEADER] == 2
        assert dead.headers[ERROR_HEADER] == "RuntimeError: boom"
        assert Envelope.from_json(dead.body) == poison
        assert worker.retried == 2

    def test_invalid_message_raised_by_the_handler_is_not_retried(self, bus: Bus) -> None:
        queue = f"consumer.{bus.producer}.events"
        bus.publish(bus.envelope(1))

        def handle(batch: list[Envelope]) -> None:
            raise InvalidMessage("amount must be positive")

        worker = bus.worker(queue, handle)
        run_until(worker, lambda: worker.dead_lettered == 1)
        assert worker.retried == 0
        (dead,) = drain_queue(f"{queue}.dlq")
        assert dead.headers[ERROR_HEADER] == "InvalidMessage: amount must be positive"

    def test_database_down_requeues_without_counting_a_retry(self, bus: Bus) -> None:
        queue = f"consumer.{bus.producer}.events"
        envelopes = [bus.envelope(i) for i in range(3)]
        bus.publish(*envelopes)
        outages = 3
        applied: list[Envelope] = []

        def handle(batch: list[Envelope]) -> None:
            nonlocal outages
            if outages:
                outages -= 1
                raise OperationalError("SELECT 1", {}, ConnectionRefusedError("db down"))
            applied.extend(batch)

        worker = bus.worker(queue, handle, backoff_initial=0.01, backoff_max=0.02)
        run_until(worker, lambda: len(applied) == 3)

        assert sorted(e.id for e in applied) == sorted(e.id for e in envelopes)
        assert worker.retried == 0 and worker.dead_lettered == 0
        assert worker.requeued >= 3
        assert outages == 0
        assert drain_queue(f"{queue}.dlq") == []
        # Put back on its own queue only: the tenant queue on the same exchange got no copies.
        assert len(drain_queue(f"integrator-pie.{bus.producer}")) == 3

    def test_replay_moves_dead_letters_back_with_retries_reset(self, bus: Bus) -> None:
        queue = f"consumer.{bus.producer}.events"
        envelopes = [bus.envelope(i) for i in range(3)]
        bus.publish(*envelopes)
        broken = True
        applied: list[Envelope] = []

        def handle(batch: list[Envelope]) -> None:
            if broken:
                raise RuntimeError("bug")
            applied.extend(batch)

        worker = bus.worker(queue, handle)
        run_until(worker, lambda: worker.dead_lettered == 3)

        broken = False
        with connection_for("memory://") as conn:
            assert replay_dead_letters(queue, conn, limit=2) == 2
            assert replay_dead_letters(queue, conn) == 1
            assert replay_dead_letters(queue, conn) == 0
        replayed = drain_queue(queue)
        assert {Envelope.from_json(m.body).id for m in replayed} == {e.id for e in envelopes}
        assert all(RETRIES_HEADER not in m.headers for m in replayed)
        assert all(m.headers["x-last-error"] == "RuntimeError: bug" for m in replayed)


class TestDatabaseUnavailable:
    def test_connection_errors_count_as_unavailable(self) -> None:
        refused = OperationalError("SELECT 1", {}, ConnectionRefusedError())
        assert is_database_unavailable(refused)
        wrapped = RuntimeError("while saving")
        wrapped.__cause__ = refused
        assert is_database_unavailable(wrapped)
        assert not is_database_unavailable(ValueError("bad amount"))


class TestOutboxRelay:
    def test_relay_publishes_outbox_rows_through_publish_batch(self, bus: Bus) -> None:
        metadata = new_metadata()
        outbox, sequence, _inbox = messaging_tables(metadata)
        engine = create_engine("sqlite://")
        metadata.create_all(engine)
        envelopes = [bus.envelope(i) for i in range(4)]
        with engine.begin() as conn:
            Outbox(outbox, source=bus.producer).add(conn, envelopes)  # type: ignore[arg-type]
        relay = OutboxRelay(engine, outbox, sequence, bus.publisher.publish_batch)
        assert relay.run_once() == 4

        received: list[Envelope] = []
        run_until(
            bus.worker(f"consumer.{bus.producer}.events", received.extend),
            lambda: len(received) == 4,
        )
        assert [e.id for e in received] == [e.id for e in envelopes]


class TestLifecycle:
    def test_sigterm_stops_the_worker(self, bus: Bus) -> None:
        worker = bus.worker(f"consumer.{bus.producer}.events", lambda batch: None)
        previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            worker.install_signal_handlers()
            signal.raise_signal(signal.SIGTERM)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        assert worker.should_stop
        worker.run()  # returns at once

    def test_connection_for_builds_each_transport(self, tmp_path: Any) -> None:
        settings = Settings(service_name="x", var_dir=tmp_path, broker_url="filesystem://")
        with connection_for(settings) as conn:
            assert conn.as_uri() == "filesystem://"
        assert (tmp_path / "bus" / "data").is_dir()
        assert (tmp_path / "bus" / "control").is_dir()
        amqp = connection_for("amqp://guest:guest@127.0.0.1:5672//")
        assert amqp.transport_options == {"confirm_publish": True}
        assert isinstance(connection_for("memory://"), Connection)
        with pytest.raises(ValueError, match="bus folder"):
            connection_for("filesystem://")
        with pytest.raises(ValueError, match="unsupported"):
            connection_for("redis://localhost")


def test_a_worker_gathers_a_batch_for_at_most_the_configured_delay(bus: Bus, tmp_path: Any) -> None:
    env = {"TROC_VAR_DIR": str(tmp_path), "TROC_BROKER_URL": "memory://"}
    assert Settings.from_env("x", env).worker_batch_max_delay_ms == 20
    settings = Settings.from_env("x", {**env, "TROC_WORKER_BATCH_MAX_DELAY_MS": "35"})
    queue = f"consumer.{bus.producer}.events"
    worker = Worker.from_settings(settings, bus.topology, [queue], lambda batch: None)
    assert worker.batch_max_delay == pytest.approx(0.035)
    with pytest.raises(ConfigError, match="TROC_WORKER_BATCH_MAX_DELAY_MS"):
        Settings.from_env("x", {**env, "TROC_WORKER_BATCH_MAX_DELAY_MS": "-1"})
