"""The only place that wires the notifications: settings, engine and the HTTP session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests
from sqlalchemy import Connection, Engine

from chassis.config import Settings
from chassis.db import make_engine
from notifications.egress import webhook_session
from notifications.settings import NotificationsSettings


@dataclass
class NotificationsApp:
    settings: NotificationsSettings
    engine: Engine
    http: requests.Session = field(default_factory=requests.Session)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One database transaction, committed when the block ends without error."""
        with self.engine.begin() as conn:
            yield conn

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
        settings=notif, engine=engine or make_engine(notif),
        http=webhook_session(allow_private=notif.webhooks_allow_private_targets))
