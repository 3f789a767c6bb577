"""The broker-less ``filesystem://`` bus between processes (the embedded default of ``make run``).

The consumers run as separate Python processes; the producer is this test. Both sides declare
the whole topology, as every service process does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chassis.bus import Publisher
from chassis.messages import REGISTRY, Envelope, MessageType
from chassis.topology import ExchangeSpec, QueueSpec, Topology

pytestmark = pytest.mark.integration

PRODUCER = "fsbus"
EXCHANGE = f"{PRODUCER}.events"
EVENT_TYPE = f"org.trocactif.{PRODUCER}.thing_happened.v1"

#: A consumer process: runs a Worker on one queue, appends what it handles to a JSON-lines file,
#: and exits once nothing has arrived for ``idle`` seconds after ``expected`` messages.
CONSUMER = r"""
import json, sys, time
from dataclasses import dataclass
from chassis.bus import Worker, connection_for
from chassis.messages import REGISTRY, MessageType
from chassis.topology import ExchangeSpec, QueueSpec, Topology

bus_dir, queue, binding, out, expected = sys.argv[1:6]

@dataclass(frozen=True, kw_only=True)
class ThingHappened:
    n: int

event = MessageType("event", "fsbus", "thing_happened", 1, ThingHappened)
REGISTRY[event.type] = event
topology = Topology((ExchangeSpec("fsbus.events", "topic"),),
                    (QueueSpec(queue, "fsbus.events", (binding,)),))
count = 0
last = time.monotonic()

def handle(batch):
    global count, last
    with open(out, "a") as f:
        for envelope in batch:
            f.write(json.dumps({"id": envelope.id, "tenant": envelope.tenant}) + "\n")
    count += len(batch)
    last = time.monotonic()

worker = Worker(connection_for("filesystem://", bus_dir), topology, [queue], handle)
deadline = time.monotonic() + 20

def check():
    idle = time.monotonic() - last
    if (count >= int(expected) and idle > 0.5) or time.monotonic() > deadline:
        worker.should_stop = True

worker.on_iteration = check
print("ready", flush=True)
worker.run(safety_interval=0.05)
"""


@dataclass(frozen=True, kw_only=True)
class ThingHappened:
    n: int


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    event = MessageType("event", PRODUCER, "thing_happened", 1, ThingHappened)
    monkeypatch.setitem(REGISTRY, event.type, event)


def envelope(n: int, tenant: str) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source=f"/{PRODUCER}",
        type=EVENT_TYPE,
        time=datetime.now(UTC),
        data={"n": n},
        tenant=tenant,
        network="troc-actif",
    )


def start_consumer(
    bus_dir: Path, queue: str, binding: str, out: Path, expected: int
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", CONSUMER, str(bus_dir), queue, binding, str(out), str(expected)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def received(out: Path) -> list[dict[str, str]]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text().splitlines()]


def topology(*queues: QueueSpec) -> Topology:
    return Topology((ExchangeSpec(EXCHANGE, "topic"),), queues)


@pytest.mark.usefixtures("registered")
class TestFilesystemBus:
    def test_topic_routing_between_processes(self, tmp_path: Path) -> None:
        bus_dir = tmp_path / "bus"
        out = tmp_path / "pie.jsonl"
        queue = QueueSpec("integrator-pie.fsbus", EXCHANGE, ("troc-actif.pie.#",))
        consumer = start_consumer(bus_dir, queue.name, queue.binding_keys[0], out, expected=11)
        try:
            pie = [envelope(i, "pie") for i in range(10)]
            others = [envelope(i, "fa-mgp") for i in range(10)]
            interleaved = [e for pair in zip(pie, others, strict=True) for e in pair]
            with Publisher("filesystem://", bus_dir=bus_dir, topology=topology(queue)) as pub:
                # Many files within the same millisecond: their names must still sort in order.
                pub.publish_batch([(EXCHANGE, e.routing_key, e) for e in interleaved])
                pub.publish(EXCHANGE, pie[0].routing_key, pie[0])
            assert consumer.wait(timeout=20) == 0
        finally:
            consumer.kill()
        got = received(out)
        # Only the tenant's events, in the order they were published (the last one twice).
        assert [g["id"] for g in got] == [e.id for e in pie] + [pie[0].id]
        assert {g["tenant"] for g in got} == {"pie"}

    def test_competing_consumers_share_a_queue_without_duplicates(self, tmp_path: Path) -> None:
        bus_dir = tmp_path / "bus"
        queue = QueueSpec("consumer.fsbus.events", EXCHANGE, ("*.*.thing_happened.v1",))
        outs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
        total = 300
        consumers = [
            start_consumer(bus_dir, queue.name, queue.binding_keys[0], out, expected=1)
            for out in outs
        ]
        try:
            envelopes = [envelope(i, "pie") for i in range(total)]
            with Publisher("filesystem://", bus_dir=bus_dir, topology=topology(queue)) as pub:
                for start in range(0, total, 50):
                    pub.publish_batch(
                        [(EXCHANGE, e.routing_key, e) for e in envelopes[start : start + 50]]
                    )
            deadline = time.monotonic() + 20
            while sum(len(received(o)) for o in outs) < total and time.monotonic() < deadline:
                time.sleep(0.05)
            for consumer in consumers:
                assert consumer.wait(timeout=20) == 0
        finally:
            for consumer in consumers:
                consumer.kill()
        ids = [g["id"] for out in outs for g in received(out)]
        assert sorted(ids) == sorted(e.id for e in envelopes)  # each exactly once
        assert not list((bus_dir / "data").iterdir())  # nothing left behind
        assert not list((bus_dir / "claimed").iterdir())


def _bind_many(bus_dir: str, worker: int) -> None:
    from kombu import Exchange, Queue

    from chassis.bus import connection_for

    exchange = Exchange("race.events", type="topic", durable=True)
    with connection_for("filesystem://", bus_dir) as conn:
        channel = conn.channel()
        for i in range(20):
            Queue(f"race.{worker}.{i}", exchange, routing_key=f"k.{worker}.{i}")(channel).declare()


def test_processes_declaring_bindings_at_once_lose_none(tmp_path: Path) -> None:
    """Every process declares the topology at start: their bindings must all survive."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_bind_many, args=(str(tmp_path), w)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    (table,) = [p for p in tmp_path.rglob("race.events.exchange")]
    bindings = json.loads(table.read_text())
    assert len({tuple(b) for b in bindings}) == 4 * 20
