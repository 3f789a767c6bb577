"""The one worker runtime every service is assembled from: ``python -m <service>.consumer``.

A service describes its worker as a :class:`ServiceWorker` (its queues and batch handler, its
outbox, its periodic :class:`Loop`\\ s) and hands it to :func:`serve`, which runs it: the bus
consumer on the main thread (reconnecting after a jittered backoff), the outbox relay and the
loops on their own threads (or the relay in a child process), the worker's ``/metrics`` port,
and a clean stop on SIGTERM/SIGINT. :class:`Dispatcher` is the batch handler's core: the inbox
drops every message applied before and every second copy inside the batch, and each fresh message
goes to its handler with the dependencies its signature names (``handler(message, meta, uow)``).

Imports the chassis only, never a service or a contract.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Engine, Table

from chassis import metrics
from chassis.backoff import Backoff
from chassis.bus import BatchHandler, Publisher, Worker, connection_for, message_scope
from chassis.config import Settings
from chassis.inbox import Executor, Inbox
from chassis.logs import configure_logging
from chassis.messages import Envelope, InvalidMessage, MessageMeta
from chassis.outbox import OutboxRelay
from chassis.retention import Retention, purge_pass
from chassis.topology import Topology, declare
from chassis.wakeup import Wakeup

log = logging.getLogger(__name__)

#: A handler: ``(message, meta, **dependencies)``; it names the dependencies it needs.
Handler = Callable[..., object]


# --- handling a batch ------------------------------------------------------------------------


def inject(handler: Handler, dependencies: Mapping[str, Any]) -> Callable[[Any, MessageMeta], Any]:
    """``handler`` with the dependencies its signature names (cosmicpython's bootstrap)."""
    wanted = _parameters(handler)
    missing = [name for name in wanted if name not in dependencies]
    if missing:
        raise TypeError(
            f"{handler.__qualname__} needs {', '.join(missing)}, which the service's "
            "bootstrap does not provide"
        )
    chosen = {name: dependencies[name] for name in wanted}
    return lambda message, meta: handler(message, meta, **chosen)


_SIGNATURES: dict[Any, tuple[str, ...]] = {}


def _parameters(handler: Handler) -> tuple[str, ...]:
    """The names after ``(message, meta)``: what a handler asks to be given."""
    names = _SIGNATURES.get(handler)
    if names is None:
        params = list(inspect.signature(handler).parameters.values())
        names = tuple(
            p.name
            for p in params[2:]
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty
        )
        _SIGNATURES[handler] = names
    return names


class Dispatcher:
    """Applies the fresh messages of a batch to the handlers of a service's table of contents."""

    def __init__(self, service: str, inbox: Inbox, handlers: Mapping[type, Handler]) -> None:
        self.service = service
        self.inbox = inbox
        self.handlers = handlers

    def fresh(self, executor: Executor, envelopes: Sequence[Envelope]) -> list[Envelope]:
        """Record the batch in the inbox; the envelopes to apply (each message once, in order)."""
        return self.inbox.fresh(executor, envelopes)

    def apply(self, envelope: Envelope, dependencies: Mapping[str, Any]) -> None:
        """Apply one message with its handler, the message's ids bound while it runs."""
        message = envelope.message()
        handler = self.handlers.get(type(message))
        if handler is None:
            raise InvalidMessage(f"{self.service} does not handle {envelope.type}")
        with message_scope(envelope):
            inject(handler, dependencies)(message, MessageMeta.of(envelope))

    def apply_batch(
        self, executor: Executor, envelopes: Sequence[Envelope], dependencies: Mapping[str, Any]
    ) -> list[Envelope]:
        """Apply every fresh message of the batch; returns those applied."""
        fresh = self.fresh(executor, envelopes)
        for envelope in fresh:
            self.apply(envelope, dependencies)
        return fresh


# --- the process -----------------------------------------------------------------------------


@dataclass
class Loop:
    """A periodic pass of the worker: ``run`` every ``interval`` seconds, or sooner when woken.

    ``run`` returns how much it did; with ``drain`` a pass that did something is followed by
    another after ``gather`` seconds (0: at once): a backlog leaves without real pauses, and a
    steady trickle of commits is carried a few rows per pass instead of one (a relay pass costs
    about the same for one row as for fifty), while the first row after a quiet spell leaves
    at once. Anyone may ``wake`` the loop early: the
    consumer after a batch queued work, or a commit through the relay's ``OutboxWakeup`` (a
    ``NOTIFY`` on PostgreSQL), which the relay's loop sleeps on. A failing pass is logged and
    retried after a jittered backoff up to ``max_backoff``; ``on_error`` runs first (release a
    lock, drop a connection).
    """

    name: str
    run: Callable[[], int | None]
    interval: float
    drain: bool = False
    on_error: Callable[[], None] | None = None
    max_backoff: float = 5.0
    wake: Wakeup = field(default_factory=Wakeup)
    gather: float = 0.0

    def serve(self, stop: threading.Event) -> None:
        """Pass after pass until ``stop`` is set (and the loop woken)."""
        backoff = Backoff(self.interval, max(self.interval, self.max_backoff))
        while not stop.is_set():
            pause = self.interval
            try:
                done = self.run() or 0
                backoff.reset()
            except Exception:
                log.exception("%s pass failed", self.name)
                if self.on_error is not None:
                    try:
                        self.on_error()
                    except Exception:
                        log.exception("%s: cleaning up after the failure failed", self.name)
                done = 0
                pause = backoff.next()
            if done and self.drain:
                if self.gather:
                    stop.wait(self.gather)
                continue
            if stop.is_set():  # asked to stop during the pass: no interval to sit out
                break
            self.wake.wait(pause)


@dataclass
class ServiceWorker:
    """What a service's worker is made of; :func:`serve` runs it."""

    settings: Settings
    engine: Engine
    topology: Topology
    #: The service's ``outbox`` and ``outbox_sequence`` tables: relayed, and measured.
    outbox: tuple[Table, Table]
    #: Queues consumed, and the batch handler they feed (none: the worker only relays).
    queues: Sequence[str] = ()
    handle_batch: BatchHandler | None = None
    loops: Sequence[Loop] = ()
    #: Whether the worker relays the outbox, and where: a thread, or a child process of its own
    #: (its own core and interpreter lock, for the ledger's rate of events).
    relay: str = "thread"
    #: Declare the platform's topology at start (the gateway, which consumes nothing).
    declare_at_start: bool = False
    #: Release what the service built (its engines, its HTTP session).
    dispose: Callable[[], None] | None = None
    #: Tables the worker purges of rows older than their retention (``chassis.retention``),
    #: every ``retention_interval_s``.
    retention: Sequence[Retention] = ()
    #: Receive and decode the next batch while the database applies this one (``Worker``).
    overlap_batches: bool = False

    def make_relay(self, publisher: Publisher) -> OutboxRelay:
        return outbox_relay(self.settings, self.engine, self.outbox, publisher)

    def relay_loop(self, relay: OutboxRelay) -> Loop:
        return outbox_relay_loop(self.settings, relay)


def outbox_relay(
    settings: Settings, engine: Engine, outbox: tuple[Table, Table], publisher: Publisher
) -> OutboxRelay:
    """The relay of one database's ``outbox`` (and its ``outbox_sequence``) to the bus."""
    table, sequence_table = outbox
    return OutboxRelay(
        engine,
        table,
        sequence_table,
        publisher.publish_batch,
        batch_size=settings.outbox_batch_size,
    )


def outbox_relay_loop(settings: Settings, relay: OutboxRelay, name: str = "outbox-relay") -> Loop:
    """The relay's loop, woken by the commits that write outbox rows (``relay.wakeup``)."""
    return Loop(
        name,
        relay.run_once,
        interval=settings.outbox_poll_interval_ms / 1000,
        drain=True,
        on_error=relay.release,
        wake=relay.wakeup,
        gather=settings.outbox_gather_ms / 1000,
    )


WorkerFactory = Callable[[], ServiceWorker]

RELAY_MODES = ("thread", "process", "none")


def serve(factory: WorkerFactory, argv: Sequence[str] | None = None) -> None:
    """Run the worker ``factory`` builds until SIGTERM/SIGINT: ``main()`` of every consumer.

    ``--no-relay`` leaves the outbox to relay processes run apart (``serve_relay``).
    """
    parser = argparse.ArgumentParser(
        description="the service's worker: bus consumer, outbox relay and periodic loops"
    )
    parser.add_argument("--no-relay", action="store_true", help="do not start the outbox relay")
    args = parser.parse_args(argv)
    spec = factory()
    if spec.relay not in RELAY_MODES:
        raise ValueError(f"relay must be one of {RELAY_MODES}, got {spec.relay!r}")
    settings = spec.settings
    configure_logging(settings)
    relay_mode = "none" if args.no_relay else spec.relay
    exporter = metrics.serve_worker_outbox_metrics(settings, spec.engine, *spec.outbox)
    stop = threading.Event()
    loops = list(spec.loops)
    if spec.retention:
        loops.append(
            Loop(
                "retention",
                partial(purge_pass, spec.engine, spec.retention),
                interval=settings.retention_interval_s,
            )
        )
    publisher: Publisher | None = None
    relay: OutboxRelay | None = None
    relay_process: Any = None
    if spec.declare_at_start:
        declare_topology(settings, spec.topology)
    if relay_mode == "thread":
        publisher = Publisher(settings, topology=spec.topology)
        relay = spec.make_relay(publisher)
        loops.insert(0, spec.relay_loop(relay))
    elif relay_mode == "process":
        relay_process = multiprocessing.get_context("spawn").Process(
            target=_relay_child,
            name=f"{settings.service_name}-relay",
            kwargs={"factory": factory, "parent": os.getpid()},
        )
        relay_process.start()
    worker = None
    if spec.queues:
        if spec.handle_batch is None:
            raise ValueError("a worker with queues needs a batch handler")
        worker = Worker.from_settings(
            settings, spec.topology, spec.queues, spec.handle_batch, overlap=spec.overlap_batches
        )

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %d: stopping after the current batch", signum)
        stop.set()
        if worker is not None:
            worker.should_stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    threads = [
        threading.Thread(target=loop.serve, args=(stop,), name=loop.name, daemon=True)
        for loop in loops
    ]
    for thread in threads:
        thread.start()
    log.info(
        "%s worker started: consuming %s; loops %s",
        settings.service_name,
        ", ".join(spec.queues) or "nothing",
        ", ".join(loop.name for loop in loops) or "none",
    )
    try:
        if worker is not None:
            worker.serve()
        else:
            stop.wait()
    finally:
        stop.set()
        if worker is not None:
            worker.close()
        for loop in loops:
            loop.wake.set()
        for thread in threads:
            thread.join(timeout=10)
        if relay_process is not None:
            relay_process.terminate()
            relay_process.join(timeout=10)
        if relay is not None:
            relay.close()
        if publisher is not None:
            publisher.close()
        if exporter is not None:
            exporter.close()
        if spec.dispose is not None:
            spec.dispose()


def serve_relay(factory: WorkerFactory, parent: int | None = None) -> None:
    """Publish the outbox until SIGTERM, or until the ``parent`` worker is gone.

    Run on its own (no parent: several may run, one publishes) it serves its metrics on
    ``TROC_METRICS_PORT`` if set; as a worker's child it leaves that to the worker.
    """
    spec = factory()
    settings = spec.settings
    configure_logging(settings)
    exporter = None
    if parent is None:
        exporter = metrics.serve_worker_outbox_metrics(settings, spec.engine, *spec.outbox)
    publisher = Publisher(settings, topology=spec.topology)
    relay = spec.make_relay(publisher)
    loop = spec.relay_loop(relay)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()
        loop.wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if parent is not None:
        threading.Thread(
            target=_watch_parent, args=(parent, stop, loop), daemon=True, name="parent-watch"
        ).start()
    log.info("%s outbox relay started", settings.service_name)
    try:
        loop.serve(stop)
    finally:
        relay.close()
        publisher.close()
        if exporter is not None:
            exporter.close()
        if spec.dispose is not None:
            spec.dispose()


def _relay_child(factory: WorkerFactory, parent: int) -> None:
    serve_relay(factory, parent)


def _watch_parent(parent: int, stop: threading.Event, loop: Loop) -> None:
    while not stop.wait(1.0):
        if os.getppid() != parent:
            log.info("the worker is gone: the relay stops")
            stop.set()
            loop.wake.set()


def declare_topology(settings: Settings, topology: Topology) -> None:
    """Declare exchanges and queues now; a broker still starting is retried by the relay."""
    try:
        with connection_for(settings) as conn:
            conn.ensure_connection(max_retries=3)
            declare(topology, conn)
    except Exception as exc:  # the publisher declares again before its first publish
        log.warning("topology not declared at start: %s", exc)
