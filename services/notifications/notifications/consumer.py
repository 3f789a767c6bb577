"""The notifications' worker process: bus consumer, webhook sender and e-mail sender.

``python -m notifications.consumer``. Events are applied in batches: one database transaction per
batch, the inbox inside it (a redelivered message is skipped), acked after commit. Each fresh
event also enters the delivery outbox of the tenant's webhooks; the delivery loop sends them, woken
as soon as a batch queued some (otherwise it passes every ``TROC_WEBHOOKS_POLL_INTERVAL_MS``, for
retries and e-mails).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from chassis import metrics
from chassis.bus import Worker, message_scope
from chassis.config import Settings
from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.logs import configure_logging
from chassis.messages import Envelope, InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.retention import start_purging
from chassis.topology import event_queue_name
from chassis.wakeup import CommitWakeup
from contracts.topology import platform_topology, subscriptions_of
from notifications import handlers, mail
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
from notifications.settings import NotificationsSettings

log = logging.getLogger(__name__)

SERVICE = "notifications"


class NotificationsConsumer:
    """Applies a batch of envelopes in one transaction, each message at most once.

    ``on_queued`` is called once a batch that queued webhook deliveries has committed: the
    worker wakes its delivery loop with it, so a webhook leaves at once rather than after the
    loop's idle pause (``TROC_WEBHOOKS_POLL_INTERVAL_MS``).
    """

    def __init__(self, app: NotificationsApp, on_queued: Callable[[], None] | None = None) -> None:
        self.app = app
        self.inbox = Inbox(inbox_table, SERVICE)
        self.on_queued = on_queued

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        decoded = [(envelope, envelope.message()) for envelope in envelopes]
        now = utcnow()
        queued = 0
        with self.app.transaction() as conn:
            fresh = self.inbox.filter_new(conn, [e.id for e in envelopes])
            settings = self.app.settings
            ctx = handlers.Context(
                conn=conn,
                on_added=lambda c, added: mail.enqueue(c, settings, added, now),
                account_mail=lambda c, template, link, meta: mail.enqueue_account(
                    c, settings, template, link, meta, now),
            )
            for envelope, message in decoded:
                if envelope.id not in fresh:
                    continue
                handler = HANDLERS.get(type(message))
                if handler is None:
                    raise InvalidMessage(f"the notifications do not handle {envelope.type}")
                with message_scope(envelope):
                    handler(message, Meta.of(envelope), ctx)
                    if envelope.type in WEBHOOK_EVENT_TYPES:
                        queued += fan_out(conn, envelope, now)
        if queued and self.on_queued is not None:
            self.on_queued()


def queues() -> list[str]:
    return sorted({event_queue_name(SERVICE, m.owner) for m in subscriptions_of(SERVICE)})


def main(settings: Settings | None = None) -> None:
    settings = NotificationsSettings.of(settings) if settings else NotificationsSettings.from_env()
    configure_logging(settings)
    app = bootstrap(settings)
    exporter = metrics.serve_worker_outbox_metrics(settings, app.engine, outbox_table,
                                                   outbox_sequence_table)
    topology = platform_topology(settings.max_retries)
    stop = threading.Event()
    # Rung by the consumer when it queued deliveries, by PostgreSQL when another process did
    # (NOTIFY on DELIVERIES_CHANNEL), and on stop.
    wake = CommitWakeup(app.engine, DELIVERIES_CHANNEL)
    worker = Worker.from_settings(
        settings, topology, queues(), NotificationsConsumer(app, on_queued=wake.set).handle_batch
    )

    def delivery_loop() -> None:
        while not stop.is_set():
            busy = 0
            try:
                busy += deliver_due(app)
            except Exception:
                log.exception("webhook delivery pass failed")
            try:
                busy += mail.send_due(app)
            except Exception:
                log.exception("e-mail pass failed")
            if not busy:
                wake.wait(app.settings.delivery_interval)

    thread = threading.Thread(target=delivery_loop, name="webhook-delivery", daemon=True)
    thread.start()
    start_purging(app.engine, retention_policies(settings), settings.retention_interval_s, stop)
    log.info("notifications worker consuming %s", ", ".join(queues()))
    try:
        worker.serve()
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=10)
        wake.close()
        if exporter is not None:
            exporter.close()
        app.dispose()


if __name__ == "__main__":
    main()
