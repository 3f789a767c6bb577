"""The listings' worker process: bus consumer, outbox relay and the expiry of listings.

``python -m listings.consumer``. Gateway and ledger events are applied in batches: one database
transaction per batch, the inbox inside it (a message applied before, or twice in the batch, is
applied once), acked after commit. The relay publishes ``listings.events``; the expiry loop
archives listings past their expiry every ``TROC_LISTINGS_EXPIRY_INTERVAL`` seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from chassis.config import Settings
from chassis.inbox import Inbox
from chassis.messages import Envelope
from chassis.retention import inbox_retention
from chassis.worker import Dispatcher, Loop, ServiceWorker, serve
from contracts.topology import platform_topology, queues_of
from listings.app import HANDLERS
from listings.bootstrap import ListingsApp, bootstrap
from listings.db import inbox_table, outbox_sequence_table, outbox_table
from listings.settings import SERVICE

log = logging.getLogger(__name__)


class ListingsConsumer:
    """Applies a batch of envelopes in one unit of work, each message at most once."""

    def __init__(self, app: ListingsApp) -> None:
        self.app = app
        self.dispatcher = Dispatcher(SERVICE, Inbox(inbox_table, SERVICE), HANDLERS)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        with self.app.uow() as uow:
            assert uow.conn is not None
            self.dispatcher.apply_batch(uow.conn, envelopes, self.app.dependencies(uow))
            uow.commit()


def worker(settings: Settings | None = None) -> ServiceWorker:
    """The listings' worker: its queues, its batch handler and its expiry loop."""
    app = bootstrap(settings)

    def expire() -> int:
        if count := app.expire():
            log.info("archived %d expired listings", count)
        return count

    return ServiceWorker(
        settings=app.settings,
        engine=app.engine,
        topology=platform_topology(app.settings.max_retries),
        outbox=(outbox_table, outbox_sequence_table),
        queues=queues_of(SERVICE),
        handle_batch=ListingsConsumer(app).handle_batch,
        loops=[Loop("listing-expiry", expire, interval=app.settings.expiry_interval)],
        dispose=app.dispose,
        retention=[inbox_retention(inbox_table, app.settings.inbox_retention_days)],
    )


def main(argv: Sequence[str] | None = None) -> None:
    serve(worker, argv)


if __name__ == "__main__":
    main()
