"""The notifications' worker process: bus consumer, webhook sender and e-mail sender.

``python -m notifications.consumer``. Events are applied in batches: one database transaction per
batch, the inbox inside it (a message applied before, or twice in the batch, is applied once),
acked after commit. Each fresh event also enters the delivery outbox of the tenant's webhooks; the
delivery loop sends them, woken as soon as a batch queued some (otherwise it passes every
``TROC_WEBHOOKS_POLL_INTERVAL_MS``, for retries); the e-mail loop sends the e-mails as often.
Two more loops queue the animators' e-mails every ``TROC_ANIMATOR_MAIL_INTERVAL_S``: the daily
digest of the invoices awaiting validation, and the reminders before a hold expires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from chassis.bus import message_scope
from chassis.config import Settings
from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.messages import Envelope
from chassis.wakeup import CommitWakeup
from chassis.worker import Dispatcher, Loop, ServiceWorker, serve
from contracts.topology import platform_topology, queues_of
from notifications import mail
from notifications.app import HANDLERS, WEBHOOK_EVENT_TYPES
from notifications.bootstrap import NotificationsApp, bootstrap
from notifications.db import (
    DELIVERIES_CHANNEL,
    inbox_table,
    outbox_sequence_table,
    outbox_table,
    retention_policies,
)
from notifications.delivery import deliver_due, fan_out
from notifications.settings import SERVICE

log = logging.getLogger(__name__)


class NotificationsConsumer:
    """Applies a batch of envelopes in one transaction, each message at most once.

    ``on_queued`` is called once a batch that queued webhook deliveries has committed: the
    worker wakes its delivery loop with it, so a webhook leaves at once rather than after the
    loop's idle pause (``TROC_WEBHOOKS_POLL_INTERVAL_MS``).
    """

    def __init__(self, app: NotificationsApp, on_queued: Callable[[], None] | None = None) -> None:
        self.app = app
        self.dispatcher = Dispatcher(SERVICE, Inbox(inbox_table, SERVICE), HANDLERS)
        self.on_queued = on_queued

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        now = utcnow()
        queued = 0
        with self.app.transaction() as conn:
            dependencies = self.app.dependencies(conn, now)
            for envelope in self.dispatcher.fresh(conn, envelopes):
                self.dispatcher.apply(envelope, dependencies)
                if envelope.type in WEBHOOK_EVENT_TYPES:
                    with message_scope(envelope):
                        queued += fan_out(conn, envelope, now)
        if queued and self.on_queued is not None:
            self.on_queued()


def worker(settings: Settings | None = None) -> ServiceWorker:
    """The notifications' worker: its queues, its batch handler, its webhook and e-mail loops."""
    app = bootstrap(settings)
    # Rung by the consumer when it queued deliveries, by PostgreSQL when another process did
    # (NOTIFY on DELIVERIES_CHANNEL), and on stop.
    wake = CommitWakeup(app.engine, DELIVERIES_CHANNEL)

    def deliver() -> int:
        """One pass of webhooks, then e-mails: a failure of one does not hold the other."""
        busy = 0
        try:
            busy += deliver_due(app)
        except Exception:
            log.exception("webhook delivery pass failed")
        try:
            busy += mail.send_due(app)
        except Exception:
            log.exception("e-mail pass failed")
        return busy

    def dispose() -> None:
        wake.close()
        app.dispose()

    deliveries = Loop(
        "webhook-delivery", deliver, interval=app.settings.delivery_interval, drain=True, wake=wake
    )

    def queued_mail(make: Callable[[NotificationsApp], int]) -> Callable[[], int]:
        """A pass that queues e-mails, then wakes the sender so that they leave at once."""

        def run() -> int:
            queued = make(app)
            if queued:
                wake.set()
            return queued

        return run

    interval = app.settings.animator_mail_interval
    digests = Loop("validation-digest", queued_mail(mail.digest_pass), interval=interval)
    reminders = Loop("hold-reminders", queued_mail(mail.reminder_pass), interval=interval)
    return ServiceWorker(
        settings=app.settings,
        engine=app.engine,
        topology=platform_topology(app.settings.max_retries),
        outbox=(outbox_table, outbox_sequence_table),
        queues=queues_of(SERVICE),
        handle_batch=NotificationsConsumer(app, on_queued=wake.set).handle_batch,
        loops=[deliveries, digests, reminders],
        relay="none",
        dispose=dispose,
        retention=retention_policies(app.settings),
    )


def main(argv: Sequence[str] | None = None) -> None:
    serve(worker, argv)


if __name__ == "__main__":
    main()
