"""The invoices' worker process: bus consumer and outbox relay.

``python -m invoices.consumer``. It reads ``invoices.gateway.events`` (networks, tenants,
members) and ``invoices.ledger.events`` (the money facts: the saga's answers and the accounts read
model), one database transaction per batch with the inbox inside it (a message applied before,
or twice in the batch, is applied once), acked after commit. The relay publishes the outbox:
``invoices.events`` and the commands to ``ledger.commands``, in order, at least once. The
``membership-fees`` loop charges the networks' membership fees as they fall due.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from chassis.config import Settings
from chassis.inbox import Inbox
from chassis.messages import Envelope
from chassis.retention import inbox_retention
from chassis.worker import Dispatcher, Loop, ServiceWorker, serve
from contracts.topology import platform_topology, queues_of
from invoices.app import EVENT_HANDLERS
from invoices.bootstrap import InvoicesApp, bootstrap
from invoices.db import inbox_table, outbox_sequence_table, outbox_table
from invoices.payflows import charge_due_fees
from invoices.settings import SERVICE


class InvoicesConsumer:
    """Applies a batch of envelopes in one unit of work, each message at most once."""

    def __init__(self, app: InvoicesApp) -> None:
        self.app = app
        self.dispatcher = Dispatcher(SERVICE, Inbox(inbox_table, SERVICE), EVENT_HANDLERS)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        with self.app.uow() as uow:
            self.dispatcher.apply_batch(uow.session, envelopes, self.app.dependencies(uow))
            uow.commit()


def worker(settings: Settings | None = None) -> ServiceWorker:
    """The invoices' worker: its queues and its batch handler."""
    app = bootstrap(settings)
    return ServiceWorker(
        settings=app.settings,
        engine=app.engine,
        topology=platform_topology(app.settings.max_retries),
        outbox=(outbox_table, outbox_sequence_table),
        queues=queues_of(SERVICE),
        handle_batch=InvoicesConsumer(app).handle_batch,
        loops=[
            Loop(
                "membership-fees",
                partial(charge_due_fees, app.uow, app.now),
                interval=app.settings.fees_interval_s,
            )
        ],
        dispose=app.dispose,
        retention=[inbox_retention(inbox_table, app.settings.inbox_retention_days)],
    )


def main(argv: Sequence[str] | None = None) -> None:
    serve(worker, argv)


if __name__ == "__main__":
    main()
