"""Direct AMQP subscriptions for integrators: a RabbitMQ user confined to one tenant's events.

The user may declare, bind and read queues named ``integrator.<user>.*`` only, read the event
exchanges (``ledger.events``, ``invoices.events``, ``listings.events``) and, through RabbitMQ's
topic permissions, bind them only with routing keys under ``<network>.<tenant>.``: a binding to
another tenant's events (or to ``#``) is refused by the broker. It can publish nothing.
Made through the RabbitMQ management HTTP API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import requests

#: The exchanges an integrator may read from.
EVENT_EXCHANGES = ("ledger.events", "invoices.events", "listings.events")
MANAGEMENT_PORT = 15672
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Management:
    base_url: str
    user: str
    password: str

    @classmethod
    def for_broker(cls, broker_url: str, management_url: str = "") -> Management:
        """The management API of a broker (``http://<broker host>:15672`` by default)."""
        parts = urlsplit(broker_url)
        user, password = unquote(parts.username or "guest"), unquote(parts.password or "guest")
        base = management_url or f"http://{parts.hostname or '127.0.0.1'}:{MANAGEMENT_PORT}"
        return cls(base.rstrip("/"), user, password)

    def put(self, path: str, document: dict[str, object]) -> None:
        response = requests.put(
            f"{self.base_url}/api/{path}",
            json=document,
            auth=(self.user, self.password),
            timeout=10,
        )
        response.raise_for_status()


def vhost_of(broker_url: str) -> str:
    path = urlsplit(broker_url).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def queue_prefix(user: str) -> str:
    return f"integrator.{user}."


def create_subscriber(
    management: Management, *, vhost: str, user: str, password: str, network: str, tenant: str
) -> dict[str, str]:
    """Create (or update) ``user`` confined to ``<network>.<tenant>.#`` on the event exchanges."""
    for name, value in (("user", user), ("network", network), ("tenant", tenant)):
        if not _NAME.match(value):
            raise ValueError(f"{name} must be lowercase letters, digits, - or _: {value!r}")
    if len(password) < 12:
        raise ValueError("the password needs at least 12 characters")
    own = "^" + re.escape(queue_prefix(user)) + ".*"
    exchanges = "^(" + "|".join(re.escape(e) for e in EVENT_EXCHANGES) + ")$"
    v, u = quote(vhost, safe=""), quote(user, safe="")
    management.put(f"users/{u}", {"password": password, "tags": ""})
    management.put(
        f"permissions/{v}/{u}", {"configure": own, "write": own, "read": f"{exchanges}|{own}"}
    )
    keys = "^" + re.escape(f"{network}.{tenant}.") + ".*"
    for exchange in EVENT_EXCHANGES:
        management.put(
            f"topic-permissions/{v}/{u}", {"exchange": exchange, "write": "^$", "read": keys}
        )
    return {
        "user": user,
        "vhost": vhost,
        "queue_prefix": queue_prefix(user),
        "binding_keys": f"{network}.{tenant}.#",
    }
