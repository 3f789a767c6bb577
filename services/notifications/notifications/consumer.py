"""The notifications' worker process: bus consumer, webhook sender and e-mail sender.

``python -m notifications.consumer``. Events are applied in batches: one database transaction per
batch, the inbox inside it (a redelivered message is skipped), acked after commit. Each fresh
event also enters the delivery outbox of the tenant's webhooks; the delivery loop sends them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from chassis import metrics
from chassis.bus import Worker, message_scope
from chassis.config import Settings
from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.logs import configure_logging
from chassis.messages import Envelope, InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.topology import event_queue_name
from contracts.topology import platform_topology, subscriptions_of
from notifications import handlers, mail
from notifications.app import HANDLERS, WEBHOOK_EVENT_TYPES
from notifications.bootstrap import NotificationsApp, bootstrap
from notifications.db import inbox_table, outbox_sequence_table, outbox_table
from notifications.delivery import deliver_due, fan_out
from notifications.settings import NotificationsSettings

log = logging.getLogger(__name__)

SERVICE = "notifications"


class NotificationsConsumer:
    """Applies a batch of envelopes in one transaction, each message at most once."""

    def __init__(self, app: NotificationsApp) -> None:
        self.app = app
        self.inbox = Inbox(inbox_table, SERVICE)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        decoded = [(envelope, envelope.message()) for envelope in envelopes]
        now = utcnow()
        with self.app.transaction() as conn:
            fresh = self.inbox.filter_new(conn, [e.id for e in envelopes])
            settings = self.app.settings
            ctx = handlers.Context(
                conn=conn, on_added=lambda c, added: mail.enqueue(c, settings, added, now)
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
                        fan_out(conn, envelope, now)


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
    worker = Worker.from_settings(
        settings, topology, queues(), NotificationsConsumer(app).handle_batch
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
                stop.wait(app.settings.delivery_interval)

    thread = threading.Thread(target=delivery_loop, name="webhook-delivery", daemon=True)
    thread.start()
    log.info("notifications worker consuming %s", ", ".join(queues()))
    try:
        worker.serve()
    finally:
        stop.set()
        thread.join(timeout=10)
        if exporter is not None:
            exporter.close()
        app.dispose()


if __name__ == "__main__":
    main()
