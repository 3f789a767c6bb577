"""A failing message's retries wait on RabbitMQ (the ``.retry`` queue), and reconnections are
jittered so that processes cut off together do not come back in lockstep."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from kombu import Connection

from chassis import bus
from chassis.bus import RETRIES_HEADER, Worker, connection_for, jittered
from chassis.topology import ExchangeSpec, QueueSpec, Topology

TOPOLOGY = Topology(
    (ExchangeSpec("things.events", "topic"),),
    (QueueSpec("q.things.events", "things.events", ("#",), max_retries=3),),
)


def worker_on(connection: Connection) -> Worker:
    return Worker(connection, TOPOLOGY, ["q.things.events"], lambda batch: None)


def failed_delivery(retries: int) -> Any:
    message = SimpleNamespace(headers={RETRIES_HEADER: retries}, properties={}, acked=False)
    message.ack = lambda: setattr(message, "acked", True)
    return bus._Delivery(TOPOLOGY.queue("q.things.events"), message, None)


@pytest.mark.parametrize(
    "url, target",
    [
        ("amqp://guest:guest@127.0.0.1:5672//", "q.things.events.retry"),
        ("memory://", "q.things.events"),
    ],
)
def test_a_retry_waits_in_the_retry_queue_on_rabbitmq_only(
    monkeypatch: pytest.MonkeyPatch, url: str, target: str
) -> None:
    worker = worker_on(connection_for(url))
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        worker, "_republish", lambda message, queue, headers: sent.append((queue, headers))
    )
    delivery = failed_delivery(1)
    worker._failed(delivery, RuntimeError("boom"))
    assert [(queue, headers[RETRIES_HEADER]) for queue, headers in sent] == [(target, 2)]
    assert delivery.message.acked and worker.retried == 1


def test_the_last_retry_still_dead_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    worker = worker_on(connection_for("amqp://guest:guest@127.0.0.1:5672//"))
    sent: list[str] = []
    monkeypatch.setattr(worker, "_republish", lambda message, queue, headers: sent.append(queue))
    worker._failed(failed_delivery(3), RuntimeError("boom"))
    assert sent == ["q.things.events.dlq"]


def test_jittered_delays_spread_between_the_delay_and_twice_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bus, "_JITTER", random.Random(7))
    delays = [jittered(2.0) for _ in range(50)]
    assert all(2.0 <= d <= 4.0 for d in delays)
    assert len({round(d, 3) for d in delays}) > 40


def test_a_failed_reconnection_waits_a_random_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    worker = worker_on(connection_for("memory://"))
    monkeypatch.setattr(bus, "_JITTER", random.Random(3))
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(bus.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(bus.time, "sleep", sleep)
    expected = random.Random(3).uniform(0, 4.0)
    worker.on_connection_error(ConnectionRefusedError("broker down"), 4.0)
    assert sum(slept) == pytest.approx(expected, abs=0.11)
    assert 0 < sum(slept) <= 4.0
