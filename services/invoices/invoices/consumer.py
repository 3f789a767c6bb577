"""The invoices' worker process: bus consumer and outbox relay.

``python -m invoices.consumer``. It reads ``invoices.gateway.events`` (networks, tenants,
members) and ``invoices.ledger.events`` (the money facts: the saga's answers and the accounts read
model), one database transaction per batch with the inbox inside it (a redelivered message is
applied once), acked after commit. The relay publishes the outbox: ``invoices.events`` and the
commands to ``ledger.commands``, in order, at least once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from chassis import metrics
from chassis.bus import Publisher, Worker, message_scope
from chassis.config import Settings
from chassis.inbox import Inbox
from chassis.logs import configure_logging
from chassis.messages import Envelope, InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.outbox import OutboxRelay
from chassis.retention import inbox_retention, start_purging
from chassis.topology import command_queue_name, event_queue_name
from contracts.topology import platform_topology, subscriptions_of
from invoices.app import EVENT_HANDLERS
from invoices.bootstrap import InvoicesApp, bootstrap
from invoices.db import UnitOfWork, inbox_table, outbox_sequence_table, outbox_table
from invoices.settings import SERVICE, InvoicesSettings

log = logging.getLogger(__name__)


class InvoicesConsumer:
    """Applies a batch of envelopes in one unit of work."""

    def __init__(self, app: InvoicesApp) -> None:
        self.app = app
        self.inbox = Inbox(inbox_table, SERVICE)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        decoded = [(envelope, envelope.message()) for envelope in envelopes]
        with self.app.uow() as uow:
            fresh = self.inbox.filter_new(uow.session, [e.id for e in envelopes])
            for envelope, message in decoded:
                if envelope.id not in fresh:
                    continue
                fresh.discard(envelope.id)  # the same id twice in one batch: once
                with message_scope(envelope):
                    self.apply(uow, envelope, message)
            uow.commit()

    def apply(self, uow: UnitOfWork, envelope: Envelope, message: Any) -> None:
        handler = EVENT_HANDLERS.get(type(message))
        if handler is None:
            raise InvalidMessage(f"the invoices service does not handle {envelope.type}")
        handler(message, Meta.of(envelope), uow, self.app.now())


def make_relay(app: InvoicesApp, publisher: Publisher) -> OutboxRelay:
    return OutboxRelay(app.engine, outbox_table, outbox_sequence_table, publisher.publish_batch,
                       batch_size=app.settings.outbox_batch_size)


def queues() -> list[str]:
    names = {event_queue_name(SERVICE, m.owner) if m.kind == "event"
             else command_queue_name(SERVICE) for m in subscriptions_of(SERVICE)}
    return sorted(names)


def main(settings: Settings | None = None) -> None:
    settings = settings or InvoicesSettings.from_env()
    configure_logging(settings)
    app = bootstrap(settings)
    exporter = metrics.serve_worker_outbox_metrics(settings, app.engine, outbox_table,
                                                   outbox_sequence_table)
    topology = platform_topology(settings.max_retries)
    stop = threading.Event()
    publisher = Publisher(settings, topology=topology)
    relay = make_relay(app, publisher)
    worker = Worker.from_settings(settings, topology, queues(),
                                  InvoicesConsumer(app).handle_batch)

    def relay_loop() -> None:
        relay.run_forever(stop.is_set, settings.outbox_poll_interval_ms / 1000)

    thread = threading.Thread(target=relay_loop, name="outbox-relay", daemon=True)
    thread.start()
    start_purging(app.engine, [inbox_retention(inbox_table, settings.inbox_retention_days)],
                  settings.retention_interval_s, stop)
    log.info("invoices worker consuming %s", ", ".join(queues()))
    try:
        worker.serve()
    finally:
        stop.set()
        thread.join(timeout=5)
        relay.release()
        publisher.close()
        if exporter is not None:
            exporter.close()
        app.dispose()


if __name__ == "__main__":
    main()
