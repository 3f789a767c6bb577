"""Bus topology (exchanges, queues, bindings, dead-letter queues), declared once in code.

Every process declares the whole topology when it connects: on kombu's virtual transports
(``memory://``, ``filesystem://``) a binding exists only once someone declared it, and on RabbitMQ
declaring is idempotent. ``to_rabbitmq_definitions`` exports the same topology as a RabbitMQ
``definitions.json`` document, so ``deploy/`` reviews it like a schema. Imports only ``messages``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from chassis.messages import REGISTRY, MessageType

ExchangeType = Literal["topic", "direct"]
QueueType = Literal["quorum", "classic"]

#: Retries before a failing message goes to its dead-letter queue (Settings.max_retries default).
DEFAULT_MAX_RETRIES = 5
#: How long a failed message waits in its queue's ``.retry`` queue before it is delivered again.
DEFAULT_RETRY_DELAY_MS = 5_000


@dataclass(frozen=True)
class ExchangeSpec:
    """A durable exchange: ``<producer>.events`` (topic) or ``<owner>.commands`` (direct)."""

    name: str
    type: ExchangeType


@dataclass(frozen=True)
class QueueSpec:
    """A durable queue bound to one exchange, with its dead-letter queue ``<name>.dlq`` and its
    retry queue ``<name>.retry`` (where a failed message waits ``retry_delay_ms``, then the
    broker dead-letters it back to ``<name>``)."""

    name: str
    exchange: str
    binding_keys: tuple[str, ...]
    max_retries: int = DEFAULT_MAX_RETRIES
    retry_delay_ms: int = DEFAULT_RETRY_DELAY_MS

    @property
    def dlq(self) -> str:
        return dead_letter_queue(self.name)

    @property
    def retry(self) -> str:
        return retry_queue(self.name)


def dead_letter_queue(queue: str) -> str:
    """Name of the dead-letter queue of ``queue``."""
    return f"{queue}.dlq"


def retry_queue(queue: str) -> str:
    """Name of the queue where a failed message of ``queue`` waits before its next delivery."""
    return f"{queue}.retry"


def event_queue_name(consumer: str, producer: str) -> str:
    """One queue per consumer per producer keeps the order of that producer's events."""
    return f"{consumer}.{producer}.events"


def command_queue_name(owner: str) -> str:
    return f"{owner}.commands"


@dataclass(frozen=True)
class Topology:
    """Exchanges and queues of the whole platform (or of a test)."""

    exchanges: tuple[ExchangeSpec, ...]
    queues: tuple[QueueSpec, ...]
    #: Quorum queues in production (replicated, DESIGN.md §9). The code declares them with the same
    #: arguments as the exported definitions: RabbitMQ refuses a redeclaration that differs.
    queue_type: QueueType = "quorum"
    _by_name: dict[str, QueueSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [q.name for q in self.queues]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate queue names in topology: {sorted(names)}")
        exchanges = {e.name for e in self.exchanges}
        for q in self.queues:
            if q.exchange not in exchanges:
                raise ValueError(f"queue {q.name!r} is bound to undeclared exchange {q.exchange!r}")
        object.__setattr__(self, "_by_name", {q.name: q for q in self.queues})

    def queue(self, name: str) -> QueueSpec:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"queue {name!r} is not in the topology") from None

    def queues_of(self, consumer: str) -> tuple[QueueSpec, ...]:
        """Queues a consumer service reads: ``<consumer>.*.events`` and ``<consumer>.commands``."""
        return tuple(
            q
            for q in self.queues
            if q.name.startswith(f"{consumer}.")
            and (q.name.endswith(".events") or q.name == command_queue_name(consumer))
        )

    @property
    def queue_arguments(self) -> dict[str, Any]:
        return {"x-queue-type": self.queue_type}

    def retry_arguments(self, spec: QueueSpec) -> dict[str, Any]:
        """The ``.retry`` queue of ``spec``: messages expire after the delay and go back.

        On quorum queues, dead-lettering is at-least-once (it needs ``reject-publish``), so a
        message is never lost on its way back; classic queues dead-letter as they can.
        """
        arguments: dict[str, Any] = {
            **self.queue_arguments,
            "x-message-ttl": spec.retry_delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": spec.name,
        }
        if self.queue_type == "quorum":
            arguments |= {"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}
        return arguments

    def merge(self, other: Topology) -> Topology:
        """Union of two topologies (same queue name must mean the same spec)."""
        exchanges = {e.name: e for e in self.exchanges}
        for e in other.exchanges:
            if exchanges.setdefault(e.name, e) != e:
                raise ValueError(f"exchange {e.name!r} declared with two types")
        queues = {q.name: q for q in self.queues}
        for q in other.queues:
            if queues.setdefault(q.name, q) != q:
                raise ValueError(f"queue {q.name!r} declared twice with different specs")
        return Topology(tuple(exchanges.values()), tuple(queues.values()), self.queue_type)


def exchange_for(mtype: MessageType) -> ExchangeSpec:
    return ExchangeSpec(mtype.exchange, "topic" if mtype.kind == "event" else "direct")


def build_topology(
    consumers: Mapping[str, Iterable[MessageType]],
    *,
    registry: Mapping[str, MessageType] | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    queue_type: QueueType = "quorum",
) -> Topology:
    """Build the topology from who consumes which message types.

    ``consumers`` maps a consuming service to the contracts it handles. Events of producer P give
    the queue ``<consumer>.P.events`` on the topic exchange ``P.events`` with one binding
    ``*.*.<name>.v<N>`` per type; commands give ``<owner>.commands`` on the direct exchange of the
    same name with ``<name>.v<N>``. The exchange of every registered contract is declared too, so
    a producer can publish before anyone subscribes.
    """
    registry = REGISTRY if registry is None else registry
    exchanges: dict[str, ExchangeSpec] = {}
    for mtype in registry.values():
        exchanges.setdefault(mtype.exchange, exchange_for(mtype))
    keys: dict[tuple[str, str], list[str]] = {}
    for consumer, mtypes in sorted(consumers.items()):
        for mtype in mtypes:
            exchanges.setdefault(mtype.exchange, exchange_for(mtype))
            if mtype.kind == "command":
                if mtype.owner != consumer:
                    raise ValueError(
                        f"{consumer} cannot consume command {mtype.type}: only {mtype.owner} does"
                    )
                queue = command_queue_name(consumer)
            else:
                queue = event_queue_name(consumer, mtype.owner)
            bucket = keys.setdefault((queue, mtype.exchange), [])
            if mtype.binding_key not in bucket:
                bucket.append(mtype.binding_key)
    queues = tuple(
        QueueSpec(name, exchange, tuple(sorted(bkeys)), max_retries)
        for (name, exchange), bkeys in sorted(keys.items())
    )
    return Topology(tuple(sorted(exchanges.values(), key=lambda e: e.name)), queues, queue_type)


def declare(topology: Topology, connection_or_channel: Any) -> None:
    """Declare every exchange, queue, binding and dead-letter queue (all durable; idempotent).

    Accepts a kombu ``Connection`` (its default channel is used) or a channel. Queue arguments are
    passed on every transport; kombu's virtual transports ignore them (their workers retry without
    the ``.retry`` queues, which are declared anyway).
    """
    channel = getattr(connection_or_channel, "default_channel", connection_or_channel)
    arguments = topology.queue_arguments
    for ex in topology.exchanges:
        channel.exchange_declare(exchange=ex.name, type=ex.type, durable=True, auto_delete=False)
    for q in topology.queues:
        for name in (q.name, q.dlq):
            channel.queue_declare(
                queue=name, durable=True, auto_delete=False, arguments=dict(arguments)
            )
        channel.queue_declare(
            queue=q.retry, durable=True, auto_delete=False, arguments=topology.retry_arguments(q)
        )
        for key in q.binding_keys:
            channel.queue_bind(queue=q.name, exchange=q.exchange, routing_key=key)


def to_rabbitmq_definitions(topology: Topology, *, vhost: str = "/") -> dict[str, Any]:
    """Export as a RabbitMQ ``definitions.json`` document (exchanges, queues, bindings)."""
    exchanges = [
        {
            "name": e.name,
            "vhost": vhost,
            "type": e.type,
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        }
        for e in topology.exchanges
    ]
    queues = [
        {
            "name": name,
            "vhost": vhost,
            "durable": True,
            "auto_delete": False,
            "arguments": dict(topology.queue_arguments),
        }
        for q in topology.queues
        for name in (q.name, q.dlq)
    ] + [
        {
            "name": q.retry,
            "vhost": vhost,
            "durable": True,
            "auto_delete": False,
            "arguments": topology.retry_arguments(q),
        }
        for q in topology.queues
    ]
    bindings = [
        {
            "source": q.exchange,
            "vhost": vhost,
            "destination": q.name,
            "destination_type": "queue",
            "routing_key": key,
            "arguments": {},
        }
        for q in topology.queues
        for key in q.binding_keys
    ]
    return {
        "vhosts": [{"name": vhost}],
        "exchanges": exchanges,
        "queues": queues,
        "bindings": bindings,
    }
