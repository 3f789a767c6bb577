"""An integrator's webhook receiver, on loopback: it verifies each delivery's Standard Webhooks
signature, applies each event once (deduplicating on ``webhook-id``) and keeps count.

To exercise the sender's retries it refuses the first attempt of about one event in eight
(HTTP 503), chosen by the event id so the choice does not depend on timing.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Receipts:
    """What the receiver saw, per tenant (the last part of the path ``/hooks/<tenant>``)."""

    secrets: dict[str, str] = field(default_factory=dict)
    #: Deliveries per webhook id (a retry or a redelivery counts again).
    received: Counter[str] = field(default_factory=Counter)
    #: Times each event was applied: must be exactly one.
    applied: Counter[str] = field(default_factory=Counter)
    #: The applied events of each tenant, by id.
    events: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    refused_on_purpose: int = 0
    forged: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def refuse_first_attempt(event_id: str) -> bool:
    return zlib.crc32(event_id.encode()) % 8 == 0


class _Handler(BaseHTTPRequestHandler):
    receipts: Receipts

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server API)
        pass

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        receipts = self.receipts
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        tenant = self.path.rstrip("/").rpartition("/")[2]
        secret = receipts.secrets.get(tenant)
        if secret is None:  # subscribed a moment ago: the secret is not registered yet
            self._answer(503)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            Webhook(secret).verify(body, headers)
        except WebhookVerificationError as exc:
            with receipts.lock:
                receipts.forged.append(f"{tenant} {headers.get('webhook-id')}: {exc}")
            self._answer(401)
            return
        event_id = headers["webhook-id"]
        with receipts.lock:
            receipts.received[event_id] += 1
            first = receipts.received[event_id] == 1
            if first and refuse_first_attempt(event_id):
                receipts.refused_on_purpose += 1
                self._answer(503)
                return
            # Apply once: a duplicate (a retry after a lost answer, a redelivery) is a no-op.
            tenant_events = receipts.events.setdefault(tenant, {})
            if event_id not in tenant_events:
                event = json.loads(body)
                assert event["id"] == event_id and event["tenant"] == tenant, event
                # A logged event: its position in the log of its per-tenant source, as the
                # CloudEvents Sequence extension spells it (20 digits, ordered as strings).
                producer = event["type"].split(".")[2]
                assert event["source"] == f"/t/{tenant}/{producer}", event
                assert len(event["sequence"]) == 20 and event["sequence"].isdigit(), event
                tenant_events[event_id] = event
                receipts.applied[event_id] += 1
        self._answer(204)


@contextmanager
def webhook_receiver(host: str = "127.0.0.1") -> Iterator[tuple[str, Receipts]]:
    """Serve on a free port of ``host`` (the loopback, or the host's side of a container network
    the test created); yield its base URL and what it receives."""
    receipts = Receipts()
    handler = type("Handler", (_Handler,), {"receipts": receipts})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", receipts
    finally:
        server.shutdown()
        server.server_close()
