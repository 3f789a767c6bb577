"""Topology built from contracts, and its RabbitMQ definitions export."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from chassis.messages import MessageType
from chassis.topology import (
    ExchangeSpec,
    QueueSpec,
    Topology,
    build_topology,
    declare,
    to_rabbitmq_definitions,
)


@dataclass(frozen=True, kw_only=True)
class _Payload:
    n: int


LEDGER_POSTED = MessageType("event", "ledger", "transfer_posted", 1, _Payload)
LEDGER_HELD = MessageType("event", "ledger", "transfer_held", 1, _Payload)
GATEWAY_ADMITTED = MessageType("event", "gateway", "member_admitted", 1, _Payload)
GATEWAY_CREATED = MessageType("event", "gateway", "network_created", 1, _Payload)
HOLD = MessageType("command", "ledger", "hold_transfer", 1, _Payload)
INVOICE_ISSUED = MessageType("event", "invoices", "invoice_issued", 2, _Payload)
REGISTRY = {
    m.type: m
    for m in (LEDGER_POSTED, LEDGER_HELD, GATEWAY_ADMITTED, GATEWAY_CREATED, HOLD, INVOICE_ISSUED)
}


def platform() -> Topology:
    return build_topology(
        {
            "ledger": [HOLD, GATEWAY_ADMITTED, GATEWAY_CREATED],
            "invoices": [LEDGER_POSTED, LEDGER_HELD],
            "notifications": [LEDGER_POSTED],
        },
        registry=REGISTRY,
        max_retries=3,
    )


class TestBuildTopology:
    def test_exchanges_of_every_registered_contract(self) -> None:
        exchanges = {e.name: e.type for e in platform().exchanges}
        assert exchanges == {
            "ledger.events": "topic",
            "ledger.commands": "direct",
            "gateway.events": "topic",
            "invoices.events": "topic",  # nobody consumes it yet, but producers can publish
        }

    def test_one_queue_per_consumer_and_producer_exchange(self) -> None:
        topology = platform()
        assert [q.name for q in topology.queues] == [
            "invoices.ledger.events",
            "ledger.commands",
            "ledger.gateway.events",
            "notifications.ledger.events",
        ]
        gateway_queue = topology.queue("ledger.gateway.events")
        assert gateway_queue.exchange == "gateway.events"
        # One queue for both gateway events keeps network_created before member_admitted.
        assert gateway_queue.binding_keys == ("*.*.member_admitted.v1", "*.*.network_created.v1")
        assert topology.queue("ledger.commands").binding_keys == ("hold_transfer.v1",)
        assert topology.queue("invoices.ledger.events").max_retries == 3
        assert gateway_queue.dlq == "ledger.gateway.events.dlq"

    def test_queues_of_a_consumer(self) -> None:
        names = [q.name for q in platform().queues_of("ledger")]
        assert names == ["ledger.commands", "ledger.gateway.events"]

    def test_only_the_owner_consumes_a_command(self) -> None:
        with pytest.raises(ValueError, match="only ledger"):
            build_topology({"invoices": [HOLD]}, registry=REGISTRY)

    def test_a_queue_must_bind_a_declared_exchange(self) -> None:
        with pytest.raises(ValueError, match="undeclared exchange"):
            Topology((), (QueueSpec("q", "nowhere.events", ("#",)),))

    def test_merge_adds_queues_and_refuses_conflicts(self) -> None:
        extra = Topology(
            (ExchangeSpec("ledger.events", "topic"),),
            (QueueSpec("integrator.pie", "ledger.events", ("troc-actif.pie.#",)),),
        )
        merged = platform().merge(extra)
        assert merged.queue("integrator.pie").binding_keys == ("troc-actif.pie.#",)
        clash = Topology((ExchangeSpec("ledger.events", "direct"),), ())
        with pytest.raises(ValueError, match="two types"):
            platform().merge(clash)


#: A failed message waits the delay in ``<queue>.retry``, then goes back to ``<queue>``.
RETRY_ARGUMENTS = {
    "x-queue-type": "quorum",
    "x-message-ttl": 5000,
    "x-dead-letter-exchange": "",
    "x-dead-letter-routing-key": "ledger.commands",
    "x-dead-letter-strategy": "at-least-once",
    "x-overflow": "reject-publish",
}


class TestDeclare:
    def test_declares_everything_on_a_channel(self) -> None:
        calls: list[tuple[str, dict[str, object]]] = []

        class RecordingChannel:
            def exchange_declare(self, **kwargs: object) -> None:
                calls.append(("exchange", kwargs))

            def queue_declare(self, **kwargs: object) -> None:
                calls.append(("queue", kwargs))

            def queue_bind(self, **kwargs: object) -> None:
                calls.append(("bind", kwargs))

        declare(platform(), RecordingChannel())
        queues = {c[1]["queue"]: c[1] for c in calls if c[0] == "queue"}
        assert "ledger.commands.dlq" in queues
        assert all(
            q["durable"] and q["arguments"] == {"x-queue-type": "quorum"}
            for name, q in queues.items()
            if not name.endswith(".retry")
        )
        assert queues["ledger.commands.retry"]["arguments"] == RETRY_ARGUMENTS
        assert all(c[1]["durable"] for c in calls if c[0] == "exchange")
        binds = [c[1] for c in calls if c[0] == "bind"]
        assert {
            "queue": "ledger.commands",
            "exchange": "ledger.commands",
            "routing_key": "hold_transfer.v1",
        } in binds


class TestRabbitmqDefinitions:
    def test_exports_quorum_queues_dlqs_and_bindings(self) -> None:
        definitions = to_rabbitmq_definitions(platform(), vhost="troc")
        json.dumps(definitions)  # it is a JSON document
        queues = {q["name"]: q for q in definitions["queues"]}
        assert set(queues) == {
            f"{name}{suffix}"
            for suffix in ("", ".dlq", ".retry")
            for name in (
                "invoices.ledger.events",
                "ledger.commands",
                "ledger.gateway.events",
                "notifications.ledger.events",
            )
        }
        assert all(
            q["durable"] and q["vhost"] == "troc" and q["arguments"] == {"x-queue-type": "quorum"}
            for name, q in queues.items()
            if not name.endswith(".retry")
        )
        assert queues["ledger.commands.retry"]["arguments"] == RETRY_ARGUMENTS
        exchange = next(e for e in definitions["exchanges"] if e["name"] == "ledger.commands")
        assert exchange["type"] == "direct" and exchange["durable"]
        bindings = {
            (b["source"], b["destination"], b["routing_key"]) for b in definitions["bindings"]
        }
        assert ("gateway.events", "ledger.gateway.events", "*.*.network_created.v1") in bindings
        assert (
            "ledger.events",
            "notifications.ledger.events",
            "*.*.transfer_posted.v1",
        ) in bindings
        assert len(bindings) == 6  # dead-letter queues are fed by the default exchange only
        assert definitions["vhosts"] == [{"name": "troc"}]
