"""The kombu bus: the confirming ``Publisher``, the batching ``Worker``, DLQ replay.

Connections come from ``chassis.transports.connection_for`` (amqp, and the embedded
``filesystem://`` and ``memory://``). Messages are CloudEvents JSON documents
(``chassis.messages.Envelope``); topology lives in ``chassis.topology``. Imports ``config``,
``context``, ``messages``, ``topology`` and ``transports`` of the chassis, never a service.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import random
import signal
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kombu import Connection, Queue
from kombu.exceptions import OperationalError as KombuOperationalError
from kombu.mixins import ConsumerMixin

from chassis import context, metrics
from chassis.backoff import Backoff
from chassis.config import Settings
from chassis.db import is_database_unavailable
from chassis.messages import REGISTRY, Envelope, InvalidMessage
from chassis.topology import QueueSpec, Topology, dead_letter_queue, declare
from chassis.transports import AMQP_SCHEMES, connection_for, is_amqp, scheme_of

__all__ = [
    "AMQP_SCHEMES",
    "CONTENT_TYPE",
    "ERROR_HEADER",
    "FAILED_AT_HEADER",
    "ORIGINAL_QUEUE_HEADER",
    "RETRIES_HEADER",
    "Publisher",
    "PublishError",
    "Worker",
    "connection_for",
    "is_amqp",
    "is_database_unavailable",
    "jittered",
    "message_scope",
    "replay_dead_letters",
    "republish",
    "scheme_of",
]

log = logging.getLogger(__name__)

#: Content type of a structured-mode CloudEvents JSON body.
CONTENT_TYPE = "application/cloudevents+json"

#: Headers the worker manages on a message it retries or dead-letters.
RETRIES_HEADER = "x-retries"
ERROR_HEADER = "x-error"
ORIGINAL_QUEUE_HEADER = "x-original-queue"
FAILED_AT_HEADER = "x-failed-at"

Item = tuple[str, str, Envelope]
BatchHandler = Callable[[list[Envelope]], None]


#: Draws the jitter of reconnection waits; not a secret (``random`` is enough).
_JITTER = random.Random()  # noqa: S311  # nosec B311 - timing jitter, not a secret


def jittered(delay: float) -> float:
    """``delay`` plus a random share of it (up to as much again): after a broker restart the
    processes that lost their connection together do not come back in lockstep."""
    return delay + _JITTER.uniform(0, delay)


def _prepare(
    channel: Any,
    body: bytes | str,
    *,
    headers: dict[str, Any],
    message_id: str | None,
    content_type: str = CONTENT_TYPE,
    content_encoding: str = "utf-8",
    message_type: str | None = None,
) -> Any:
    properties: dict[str, Any] = {"delivery_mode": 2}
    if message_id:
        properties["message_id"] = message_id
    if message_type:
        properties["type"] = message_type
    return channel.prepare_message(
        body,
        content_type=content_type,
        content_encoding=content_encoding,
        headers=headers,
        properties=properties,
    )


def _envelope_message(channel: Any, envelope: Envelope) -> Any:
    headers: dict[str, Any] = {"message_id": envelope.id, "type": envelope.type}
    if envelope.tenant:
        headers["tenant"] = envelope.tenant
    if envelope.correlationid:
        headers["correlation_id"] = envelope.correlationid
    return _prepare(
        channel,
        envelope.to_json(),
        headers=headers,
        message_id=envelope.id,
        message_type=envelope.type,
    )


# --- publishing ----------------------------------------------------------------------------


class PublishError(RuntimeError):
    """Some message of a publish was not confirmed: the caller must treat none as sent."""


class _ConfirmTimeout(OSError):
    """The broker did not confirm in time: the connection is presumed dead."""


class _Confirms:
    """Delivery tags of one batch still awaiting the broker's ack or nack."""

    def __init__(self) -> None:
        self.outstanding: OrderedDict[int, None] = OrderedDict()
        self.nacked = 0

    def expect(self, tag: int) -> None:
        self.outstanding[tag] = None

    def _settle(self, tag: int, multiple: bool) -> int:
        if not multiple:
            if tag not in self.outstanding:
                return 0
            del self.outstanding[tag]
            return 1
        settled = 0
        while self.outstanding and next(iter(self.outstanding)) <= tag:
            self.outstanding.popitem(last=False)
            settled += 1
        return settled

    def on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple)

    def on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self.nacked += self._settle(delivery_tag, multiple)

    def wait(self, connection: Connection, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.outstanding:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _ConfirmTimeout(
                    f"{len(self.outstanding)} publishes unconfirmed after {timeout:.0f} s"
                )
            with contextlib.suppress(TimeoutError):
                connection.drain_events(timeout=remaining)


@dataclass
class _ConfirmChannel:
    """A channel in confirm mode and the count of messages published on it (its last tag)."""

    channel: Any
    transport_connection: Any
    published: int = 0


class Publisher:
    """Publishes envelopes durably: persistent messages, publisher confirms on amqp.

    Thread-safe: each call takes a connection from a pool. ``publish_batch`` is what the outbox
    relay calls; it returns only once the broker has confirmed every message, and raises
    ``PublishError`` otherwise (so the relay keeps the rows and publishes them again: at least
    once). Connection failures are retried ``retries`` times with a fresh connection.
    """

    def __init__(
        self,
        broker: Settings | str,
        *,
        bus_dir: Path | str | None = None,
        topology: Topology | None = None,
        retries: int = 3,
        retry_interval: float = 0.5,
        confirm_timeout: float = 30.0,
        pool_limit: int = 8,
    ) -> None:
        url = broker.broker_url if isinstance(broker, Settings) else broker
        self.is_amqp = is_amqp(url or "filesystem://")
        self.connection = connection_for(broker, bus_dir, confirm_publish=False)
        self.topology = topology
        self.retries = retries
        self.retry_interval = retry_interval
        self.confirm_timeout = confirm_timeout
        self._pool = self.connection.Pool(limit=pool_limit)
        self._channels: weakref.WeakKeyDictionary[Connection, _ConfirmChannel] = (
            weakref.WeakKeyDictionary()
        )
        self._declared: weakref.WeakSet[Any] = weakref.WeakSet()
        self.returned = 0

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.force_close_all()

    def publish(self, exchange: str, routing_key: str, envelope: Envelope) -> None:
        """Publish one envelope and wait for the broker's confirm."""
        self.publish_batch([(exchange, routing_key, envelope)])

    def publish_batch(self, items: Sequence[Item]) -> None:
        """Publish ``(exchange, routing_key, envelope)`` items in order; all confirmed or raise."""
        if not items:
            return
        last_error: BaseException | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(jittered(min(self.retry_interval * 2 ** (attempt - 1), 5.0)))
            with self._pool.acquire(block=True, timeout=self.confirm_timeout) as conn:
                errors = (
                    conn.recoverable_connection_errors
                    + conn.connection_errors
                    + (KombuOperationalError, _ConfirmTimeout)
                )
                try:
                    conn.ensure_connection(max_retries=0)
                    self._declare_once(conn)
                    if self.is_amqp:
                        self._send_confirmed(conn, items)
                    else:
                        self._send(conn, items)
                    return
                except PublishError:
                    raise
                except errors as exc:
                    last_error = exc
                    log.warning(
                        "publish of %d messages failed (attempt %d/%d): %s",
                        len(items),
                        attempt + 1,
                        self.retries + 1,
                        exc,
                    )
                    self._channels.pop(conn, None)
                    conn.collect()
                except conn.channel_errors as exc:
                    raise PublishError(f"broker refused the publish: {exc}") from exc
        raise PublishError(
            f"could not publish {len(items)} messages after {self.retries + 1} attempts"
        ) from last_error

    def _declare_once(self, conn: Connection) -> None:
        if self.topology is None:
            return
        transport_connection = conn.connection
        if transport_connection not in self._declared:
            declare(self.topology, conn)
            self._declared.add(transport_connection)

    def _send(self, conn: Connection, items: Sequence[Item]) -> None:
        """Virtual transports: a publish is a local write, nothing to confirm."""
        channel = conn.default_channel
        for exchange, routing_key, envelope in items:
            channel.basic_publish(
                _envelope_message(channel, envelope),
                exchange=exchange,
                routing_key=routing_key,
                mandatory=True,
            )

    def _confirm_channel(self, conn: Connection) -> _ConfirmChannel:
        state = self._channels.get(conn)
        if (
            state is None
            or state.transport_connection is not conn.connection
            or not state.channel.is_open
        ):
            channel = conn.channel()
            channel.confirm_select()
            channel.events["basic_return"].add(self._on_return)
            state = _ConfirmChannel(channel, conn.connection)
            self._channels[conn] = state
        return state

    def _send_confirmed(self, conn: Connection, items: Sequence[Item]) -> None:
        """Publish every message, then wait once for all the broker's acks.

        Waiting per message (kombu's ``confirm_publish``) costs a round trip each; here the
        broker acks in bulk (``multiple``) while we keep writing.
        """
        state = self._confirm_channel(conn)
        channel = state.channel
        confirms = _Confirms()
        channel.events["basic_ack"].add(confirms.on_ack)
        channel.events["basic_nack"].add(confirms.on_nack)
        try:
            for exchange, routing_key, envelope in items:
                confirms.expect(state.published + 1)
                channel.basic_publish(
                    _envelope_message(channel, envelope),
                    exchange=exchange,
                    routing_key=routing_key,
                    mandatory=True,
                )
                state.published += 1
            confirms.wait(conn, self.confirm_timeout)
        except BaseException as exc:
            self._channels.pop(conn, None)
            if isinstance(exc, conn.channel_errors):
                # The broker closed the channel and py-amqp reopened it: close it for good. Other
                # errors get no closing handshake: the connection may be wedged.
                with contextlib.suppress(Exception):
                    channel.close()
            raise
        finally:
            channel.events["basic_ack"].discard(confirms.on_ack)
            channel.events["basic_nack"].discard(confirms.on_nack)
        if confirms.nacked:
            raise PublishError(f"the broker nacked {confirms.nacked} of {len(items)} messages")

    def _on_return(self, exc: Exception, exchange: str, routing_key: str, message: Any) -> None:
        """A message no queue was bound for. A command lost this way is a deployment error; an
        event nobody subscribes to yet (``commission_recorded`` before any integrator) is not."""
        self.returned += 1
        message_id = getattr(message, "properties", {}).get("message_id")
        level = logging.DEBUG if exchange.endswith(".events") else logging.WARNING
        log.log(
            level,
            "unroutable message %s returned by the broker: exchange=%s routing_key=%s (%s)",
            message_id,
            exchange,
            routing_key,
            exc,
        )


# --- consuming -----------------------------------------------------------------------------


def message_scope(envelope: Envelope) -> AbstractContextManager[None]:
    """Bind the correlation id and the causation id (this message's id) while handling it."""
    return context.message_context(envelope.correlationid, envelope.id)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


@dataclass
class _Delivery:
    queue: QueueSpec
    message: Any
    envelope: Envelope | None
    error: InvalidMessage | None = None


class Worker(ConsumerMixin):
    """Consumes queues of the topology and hands envelopes to a batch handler.

    Messages are gathered until ``batch_size`` are in hand, none arrives for ``batch_wait``
    seconds or ``batch_max_delay`` seconds have passed since the first; ``handle_batch`` applies
    them (one database transaction) and the worker then acks them all. If the batch fails it is
    handled again one message at a time, so a poison message only fails alone. Per message:
    undecodable or unknown type -> dead-letter queue at once; other error -> republished with
    ``x-retries`` + 1, dead-lettered after the queue's ``max_retries``; database unavailable ->
    put back after a backoff, without counting a retry. On RabbitMQ a retry goes through the
    queue's ``.retry`` queue and comes back after its delay (the broker's message TTL), so the
    retries of a failing message are spread over time, not spent at once; the embedded
    transports have no TTL and republish to the queue itself.

    A batch that commits is acked once (on AMQP one ``basic.ack`` with ``multiple``: every
    delivery of the batch, and only them, since the batches are taken in delivery order and all
    earlier deliveries are settled). A crash before the commit acks nothing: all are redelivered.
    ``overlap``: the batch is handled in a thread of its own while this one receives and decodes
    the next batch; the next is handled once the first is settled (acked, or retried), so batches
    still apply one at a time and in order.
    """

    def __init__(
        self,
        connection: Connection,
        topology: Topology,
        queues: Sequence[str],
        handle_batch: BatchHandler,
        *,
        prefetch: int = 200,
        batch_size: int = 100,
        batch_wait: float = 0.01,
        batch_max_delay: float = 0.25,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        declare_topology: bool = True,
        overlap: bool = False,
    ) -> None:
        if not queues:
            raise ValueError("a worker needs at least one queue")
        self.connection = connection
        self.topology = topology
        self.queue_specs = [topology.queue(name) for name in queues]
        self.handle_batch = handle_batch
        self.prefetch = prefetch
        self.batch_size = max(1, min(batch_size, prefetch))
        self.batch_wait = batch_wait
        self.batch_max_delay = batch_max_delay
        self.declare_topology = declare_topology
        # The database is down for everyone alike: the waits double without jitter.
        self._backoff = Backoff(backoff_initial, backoff_max, jitter=0.0)
        self.delayed_retries = connection.transport.driver_type == "amqp"
        #: AMQP acks many deliveries at once; kombu's embedded transports ack one per call.
        self.multiple_acks = connection.transport.driver_type == "amqp"
        self.overlap = overlap
        self._executor: ThreadPoolExecutor | None = None
        #: The batch being handled in the executor, with its deliveries (``overlap``).
        self._in_flight: tuple[list[_Delivery], Future[None]] | None = None
        self._buffer: list[_Delivery] = []
        self._producer_channel: Any = None
        self.should_stop = False
        #: Counters for tests, health and metrics.
        self.handled = 0
        self.retried = 0
        self.dead_lettered = 0
        self.requeued = 0
        self.batches = 0

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        topology: Topology,
        queues: Sequence[str],
        handle_batch: BatchHandler,
        **kwargs: Any,
    ) -> Worker:
        """A worker on the service's broker with its prefetch and batch size."""
        kwargs.setdefault("prefetch", settings.worker_prefetch)
        kwargs.setdefault("batch_size", settings.worker_batch_size)
        kwargs.setdefault("batch_max_delay", settings.worker_batch_max_delay_ms / 1000)
        metrics.configure(settings)
        metrics.declare_bus_queues(queues)
        return cls(connection_for(settings), topology, queues, handle_batch, **kwargs)

    # -- lifecycle ----------------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        """Stop gracefully on SIGTERM/SIGINT: finish the batch in hand, then return from run()."""

        def stop(signum: int, _frame: Any) -> None:
            log.info("signal %d: stopping after the current batch", signum)
            self.should_stop = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def serve(self) -> None:
        """Run until SIGTERM (the entry point of a consumer process)."""
        if threading.current_thread() is threading.main_thread():
            self.install_signal_handlers()
        self.run()

    def get_consumers(self, Consumer: Any, channel: Any) -> list[Any]:  # noqa: N803 (kombu API)
        if self.declare_topology:
            declare(self.topology, channel)
        return [
            Consumer(
                queues=[Queue(spec.name, no_declare=True)],
                prefetch_count=self.prefetch,
                on_message=self._receiver(spec),
                accept=[CONTENT_TYPE],
                auto_declare=False,
            )
            for spec in self.queue_specs
        ]

    def on_connection_error(self, exc: BaseException, interval: float) -> None:
        """kombu sleeps ``interval`` after this (2, 4, 6... s): add a random share of it."""
        extra = jittered(interval) - interval
        log.warning(
            "broker connection failed (%s); retrying in %.1f s", _describe(exc), interval + extra
        )
        deadline = time.monotonic() + extra
        while not self.should_stop and time.monotonic() < deadline:
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def on_connection_revived(self) -> None:
        # Deliveries of a lost channel cannot be acked: the broker redelivers them.
        self._buffer.clear()

    def on_consume_ready(
        self, connection: Any, channel: Any, consumers: Any, **kwargs: Any
    ) -> None:
        self._producer_channel = connection.channel()

    def on_consume_end(self, connection: Any, channel: Any) -> None:
        if self._producer_channel is not None:
            with contextlib.suppress(Exception):
                self._producer_channel.close()
            self._producer_channel = None

    def consume(
        self,
        limit: int | None = None,
        timeout: float | None = None,
        safety_interval: float = 1.0,
        **kwargs: Any,
    ) -> Iterator[None]:
        """Replace ConsumerMixin's loop: gather a batch, handle it, repeat."""
        with self.consumer_context(**kwargs) as (conn, _channel, _consumers):
            try:
                iterations = itertools.count() if limit is None else range(limit)
                for _ in iterations:
                    if self.should_stop:
                        break
                    self.on_iteration()
                    try:
                        self._gather(conn, safety_interval)
                    except OSError:
                        if not self.should_stop:
                            raise
                    if self._in_flight is not None:
                        self._settle()
                    if self._buffer:
                        self._next_batch()
                    elif self._in_flight is None:
                        conn.heartbeat_check()
                    yield
                while self._buffer or self._in_flight is not None:
                    if self._in_flight is not None:
                        self._settle()
                    if self._buffer:
                        self._next_batch()
            finally:
                self._abandon()

    def _gather(self, conn: Connection, idle_timeout: float) -> None:
        """Receive until a batch is in hand; with a batch in flight, until it is done."""
        if len(self._buffer) >= self.batch_size:
            return
        busy = self._in_flight is not None
        if not self._buffer and not busy:
            try:
                conn.drain_events(timeout=idle_timeout)
            except TimeoutError:
                return
        deadline = time.monotonic() + self.batch_max_delay
        while (
            len(self._buffer) < self.batch_size
            and not self.should_stop
            and time.monotonic() < deadline
        ):
            if self._in_flight is not None and self._in_flight[1].done():
                return
            try:
                conn.drain_events(timeout=self.batch_wait)
            except TimeoutError:
                if self._in_flight is None:
                    return

    def _receiver(self, spec: QueueSpec) -> Callable[[Any], None]:
        def receive(message: Any) -> None:
            # Only decode here: publishing (retry, DLQ) happens in _flush, outside drain_events.
            try:
                envelope = Envelope.from_json(message.body)
                if envelope.type not in REGISTRY:
                    raise InvalidMessage(f"unknown message type {envelope.type!r}")
            except InvalidMessage as exc:
                self._buffer.append(_Delivery(spec, message, None, exc))
            else:
                self._buffer.append(_Delivery(spec, message, envelope))

        return receive

    # -- handling -----------------------------------------------------------------------------
    def _take(self) -> list[_Delivery]:
        """The next batch's good deliveries (the undecodable ones are dead-lettered)."""
        # Deliveries also arrive while the consumer starts (kombu waits for broker replies then),
        # so the buffer may hold more than one batch.
        batch = self._buffer[: self.batch_size]
        self._buffer = self._buffer[self.batch_size :]
        good: list[_Delivery] = []
        for delivery in batch:
            if delivery.error is not None:
                self._dead_letter(delivery, delivery.error)
            else:
                good.append(delivery)
        if good:
            self.batches += 1
        return good

    def _next_batch(self) -> None:
        """Handle the next batch: in the executor (``overlap``), or here and now."""
        if not self.overlap:
            self._flush()
            return
        good = self._take()
        if not good:
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bus-batch")
        future = self._executor.submit(
            self.handle_batch, [d.envelope for d in good if d.envelope is not None]
        )
        self._in_flight = (good, future)

    def _settle(self) -> None:
        """Wait for the batch in flight; ack it, or handle its failure."""
        assert self._in_flight is not None
        good, future = self._in_flight
        self._in_flight = None
        try:
            future.result()
        except Exception as exc:
            self._batch_failed(good, exc)
            return
        self._batch_done(good)

    def _abandon(self) -> None:
        """Leaving the connection (an error, or the end): let the batch in flight finish, unacked
        (the broker redelivers it; its messages are idempotent), so that two never overlap."""
        if self._in_flight is not None:
            _good, future = self._in_flight
            self._in_flight = None
            with contextlib.suppress(Exception):
                future.result()

    def close(self) -> None:
        """Stop the executor of overlapped batches (a worker is not reused afterwards)."""
        self._abandon()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def _flush(self) -> None:
        good = self._take()
        if not good:
            return
        try:
            self.handle_batch([d.envelope for d in good if d.envelope is not None])
        except Exception as exc:
            self._batch_failed(good, exc)
            return
        self._batch_done(good)

    def _batch_done(self, good: list[_Delivery]) -> None:
        self._backoff.reset()
        if self.multiple_acks:
            good[-1].message.ack(multiple=True)
        else:
            for delivery in good:
                delivery.message.ack()
        for delivery in good:
            metrics.count_bus("consumed", delivery.queue.name)
        self.handled += len(good)

    def _batch_failed(self, good: list[_Delivery], exc: Exception) -> None:
        if is_database_unavailable(exc):
            self._requeue_later(good, exc)
            return
        if len(good) == 1:
            self._failed(good[0], exc)
            return
        log.warning(
            "batch of %d failed (%s); handling its messages one by one",
            len(good),
            _describe(exc),
        )
        self._one_by_one(good)

    def _one_by_one(self, deliveries: list[_Delivery]) -> None:
        for index, delivery in enumerate(deliveries):
            assert delivery.envelope is not None
            try:
                with message_scope(delivery.envelope):
                    self.handle_batch([delivery.envelope])
            except Exception as exc:
                if is_database_unavailable(exc):
                    self._requeue_later(deliveries[index:], exc)
                    return
                self._failed(delivery, exc)
            else:
                self._backoff.reset()
                delivery.message.ack()
                metrics.count_bus("consumed", delivery.queue.name)
                self.handled += 1

    def _failed(self, delivery: _Delivery, exc: Exception) -> None:
        if isinstance(exc, InvalidMessage):
            self._dead_letter(delivery, exc)
            return
        headers = dict(delivery.message.headers or {})
        retries = int(headers.get(RETRIES_HEADER, 0) or 0)
        if retries >= delivery.queue.max_retries:
            self._dead_letter(delivery, exc)
            return
        log.warning(
            "message %s failed (%s); retry %d of %d",
            self._message_id(delivery),
            _describe(exc),
            retries + 1,
            delivery.queue.max_retries,
            exc_info=log.isEnabledFor(logging.DEBUG),
        )
        headers[RETRIES_HEADER] = retries + 1
        headers[ERROR_HEADER] = _describe(exc)
        target = delivery.queue.retry if self.delayed_retries else delivery.queue.name
        self._republish(delivery.message, target, headers)
        delivery.message.ack()
        metrics.count_bus("failed", delivery.queue.name)
        self.retried += 1

    def _dead_letter(self, delivery: _Delivery, exc: BaseException) -> None:
        log.error(
            "message %s dead-lettered to %s: %s",
            self._message_id(delivery),
            delivery.queue.dlq,
            _describe(exc),
        )
        headers = dict(delivery.message.headers or {})
        headers[ERROR_HEADER] = _describe(exc)
        headers[ORIGINAL_QUEUE_HEADER] = delivery.queue.name
        headers[FAILED_AT_HEADER] = datetime.now(UTC).isoformat()
        self._republish(delivery.message, delivery.queue.dlq, headers)
        delivery.message.ack()
        metrics.count_bus("dead_lettered", delivery.queue.name)
        self.dead_lettered += 1

    def _republish(self, message: Any, queue: str, headers: dict[str, Any]) -> None:
        # Through the default exchange straight to ``queue``. The worker's connection confirms
        # each publish on amqp, so the original is acked only once its copy is safe.
        republish(self._producer_channel, message, queue, headers)

    def _requeue_later(self, deliveries: list[_Delivery], exc: BaseException) -> None:
        delay = self._backoff.next()
        log.warning(
            "database unavailable (%s); putting %d messages back in %.1f s",
            _describe(exc),
            len(deliveries),
            delay,
        )
        deadline = time.monotonic() + delay
        while not self.should_stop and time.monotonic() < deadline:
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        for delivery in deliveries:
            delivery.message.requeue()
            metrics.count_bus("requeued", delivery.queue.name)
        self.requeued += len(deliveries)

    @staticmethod
    def _message_id(delivery: _Delivery) -> str:
        if delivery.envelope is not None:
            return delivery.envelope.id
        return str((delivery.message.properties or {}).get("message_id", "?"))


def republish(channel: Any, message: Any, queue: str, headers: dict[str, Any]) -> None:
    """Publish a copy of a received message to ``queue`` through the default exchange."""
    properties = message.properties or {}
    body = message.body
    prepared = _prepare(
        channel,
        body,
        headers=headers,
        message_id=properties.get("message_id"),
        content_type=message.content_type or CONTENT_TYPE,
        content_encoding=message.content_encoding or "utf-8",
        message_type=properties.get("type"),
    )
    channel.basic_publish(prepared, exchange="", routing_key=queue, mandatory=True)


def replay_dead_letters(queue: str, connection: Connection, limit: int | None = None) -> int:
    """Move up to ``limit`` messages from ``<queue>.dlq`` back to ``queue``, retries reset.

    The operator's replay once the cause is fixed. Only the messages in the dead-letter queue when
    the replay starts are moved, so a message that fails again is not replayed in a loop.
    """
    dlq = dead_letter_queue(queue)
    moved = 0
    channel = connection.channel()
    try:
        bound = Queue(dlq, no_declare=True).bind(channel)
        try:
            _name, waiting, _consumers = bound.queue_declare(passive=True)
        except connection.channel_errors:
            return 0
        budget = waiting if limit is None else min(limit, waiting)
        while moved < budget:
            message = bound.get(no_ack=False)
            if message is None:
                break
            headers = {
                k: v
                for k, v in (message.headers or {}).items()
                if k not in (RETRIES_HEADER, ORIGINAL_QUEUE_HEADER, FAILED_AT_HEADER)
            }
            if ERROR_HEADER in headers:
                headers["x-last-error"] = headers.pop(ERROR_HEADER)
            republish(channel, message, queue, headers)
            message.ack()
            moved += 1
    finally:
        with contextlib.suppress(Exception):
            channel.close()
    log.info("replayed %d messages from %s to %s", moved, dlq, queue)
    return moved
