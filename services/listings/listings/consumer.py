"""The listings' worker process: bus consumer, outbox relay and the expiry of listings.

``python -m listings.consumer``. Gateway and ledger events are applied in batches: one database
transaction per batch, the inbox inside it (a redelivered message is skipped), acked after
commit. The relay publishes ``listings.events``; the expiry loop archives listings past their
expiry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime

from chassis import metrics
from chassis.bus import Publisher, Worker, message_scope
from chassis.config import Settings
from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.logs import configure_logging
from chassis.messages import Envelope, InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.outbox import OutboxRelay
from chassis.retention import inbox_retention, start_purging
from chassis.topology import event_queue_name
from contracts.topology import platform_topology, subscriptions_of
from listings import handlers
from listings.app import HANDLERS
from listings.bootstrap import ListingsApp, bootstrap
from listings.db import inbox_table, outbox_sequence_table, outbox_table
from listings.settings import ListingsSettings

log = logging.getLogger(__name__)

SERVICE = "listings"


class ListingsConsumer:
    """Applies a batch of envelopes in one unit of work, each message at most once."""

    def __init__(self, app: ListingsApp) -> None:
        self.app = app
        self.inbox = Inbox(inbox_table, SERVICE)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        decoded = [(envelope, envelope.message()) for envelope in envelopes]
        with self.app.context() as (uow, ctx):
            assert uow.conn is not None
            fresh = self.inbox.filter_new(uow.conn, [e.id for e in envelopes])
            for envelope, message in decoded:
                if envelope.id not in fresh:
                    continue
                handler = HANDLERS.get(type(message))
                if handler is None:
                    raise InvalidMessage(f"the listings do not handle {envelope.type}")
                with message_scope(envelope):
                    handler(message, Meta.of(envelope), ctx)
            uow.commit()


def expire(app: ListingsApp, now: datetime | None = None) -> int:
    """Archive the listings past their expiry; returns how many."""
    with app.context() as (uow, ctx):
        count = handlers.expire_listings(ctx, now or utcnow())
        uow.commit()
    return count


def make_relay(app: ListingsApp, publisher: Publisher) -> OutboxRelay:
    return OutboxRelay(
        app.engine,
        outbox_table,
        outbox_sequence_table,
        publisher.publish_batch,
        batch_size=app.settings.outbox_batch_size,
    )


def queues() -> list[str]:
    return sorted({event_queue_name(SERVICE, m.owner) for m in subscriptions_of(SERVICE)})


def main(settings: Settings | None = None) -> None:
    settings = ListingsSettings.of(settings) if settings else ListingsSettings.from_env()
    configure_logging(settings)
    app = bootstrap(settings)
    exporter = metrics.serve_worker_outbox_metrics(settings, app.engine, outbox_table,
                                                   outbox_sequence_table)
    topology = platform_topology(settings.max_retries)
    stop = threading.Event()
    publisher = Publisher(settings, topology=topology)
    relay = make_relay(app, publisher)
    worker = Worker.from_settings(settings, topology, queues(), ListingsConsumer(app).handle_batch)

    def relay_loop() -> None:
        relay.run_forever(stop.is_set, settings.outbox_poll_interval_ms / 1000)

    def expiry_loop() -> None:
        while not stop.wait(float(app.settings.expiry_interval)):
            try:
                if count := expire(app):
                    log.info("archived %d expired listings", count)
            except Exception:
                log.exception("listing expiry pass failed")

    threads = [
        threading.Thread(target=relay_loop, name="outbox-relay", daemon=True),
        threading.Thread(target=expiry_loop, name="listing-expiry", daemon=True),
    ]
    for thread in threads:
        thread.start()
    start_purging(app.engine, [inbox_retention(inbox_table, settings.inbox_retention_days)],
                  settings.retention_interval_s, stop)
    log.info("listings worker consuming %s", ", ".join(queues()))
    try:
        worker.serve()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
        relay.release()
        publisher.close()
        if exporter is not None:
            exporter.close()
        app.dispose()


if __name__ == "__main__":
    main()
