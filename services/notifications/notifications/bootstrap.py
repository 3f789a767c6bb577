"""The only place that wires the notifications: settings, engine and the HTTP session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests
from sqlalchemy import Connection, Engine

from chassis.config import Settings
from chassis.db import make_engine
from chassis.uow import ConnectionUnitOfWork
from notifications import mail
from notifications.egress import webhook_session
from notifications.handlers import Context
from notifications.settings import NotificationsSettings


@dataclass
class NotificationsApp:
    settings: NotificationsSettings
    engine: Engine
    http: requests.Session = field(default_factory=requests.Session)

    def uow(self) -> ConnectionUnitOfWork:
        """A unit of work: the use cases' transaction (``uow.conn``)."""
        return ConnectionUnitOfWork(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One database transaction, committed when the block ends without error."""
        with self.engine.begin() as conn:
            yield conn

    def dependencies(self, conn: Connection, now: datetime) -> dict[str, Any]:
        """What the handlers of the bus may ask for by name (``ctx``): the batch's connection,
        and the e-mail outbox every entry they add goes to."""
        settings = self.settings
        return {
            "ctx": Context(
                conn=conn,
                on_added=lambda c, added: mail.enqueue(c, settings, added, now),
                account_mail=lambda c, template, link, meta: mail.enqueue_account(
                    c, settings, template, link, meta, now
                ),
            )
        }

    def dispose(self) -> None:
        self.http.close()
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None, *, engine: Engine | None = None
) -> NotificationsApp:
    notif = (
        NotificationsSettings.of(settings)
        if settings is not None
        else NotificationsSettings.from_env()
    )
    return NotificationsApp(
        settings=notif,
        engine=engine or make_engine(notif),
        http=webhook_session(allow_private=notif.webhooks_allow_private_targets),
    )
