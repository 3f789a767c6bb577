"""Webhook deliveries: fan-out of events into the delivery outbox, and the sender.

A consumed event whose CloudEvents ``type`` an active endpoint of the event's tenant subscribes
to becomes one ``webhook_deliveries`` row (once per endpoint and event id), in the consumer's
transaction. The worker sends due rows: the body is the CloudEvent in structured mode, signed per
Standard Webhooks (``webhook-id`` is the event id, so a retry or a redelivery carries the same
id). A failure waits for the next delay of the retry schedule; after the last one the delivery
fails, the endpoint is disabled and the tenant's animators are told in their feed.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

import requests
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook

from chassis.db import utcnow
from chassis.messages import TYPE_PREFIX, Envelope, message_type
from contracts import ledger as lg
from notifications import db
from notifications.domain import (
    Entry,
    Kind,
    Recipient,
    UnsafeTarget,
    retry_delay,
)
from notifications.egress import check_resolved
from notifications.settings import NotificationsSettings

if TYPE_CHECKING:
    from notifications.bootstrap import NotificationsApp

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json"
#: Deliveries one pass claims at most.
BATCH = 50
USER_AGENT = "TrocActif-Webhooks/1.0"


#: The event ending a cross-network saga: its webhook names both networks.
FEDERATED_COMPLETED = message_type(lg.FederatedTransferCompleted).type


def webhook_body(conn: Any, envelope: Envelope) -> str:
    """The CloudEvent a webhook receives: the bus's, and for a side of a cross-network saga the
    networks' names next to their slugs (``partner_network_name``; for the saga's end,
    ``payer_network_name`` and ``payee_network_name``), as the gateway last announced them
    (null for a network not announced since the notifications started keeping names)."""
    data = envelope.data
    fields = ("partner_network",)
    if envelope.type == FEDERATED_COMPLETED:
        fields = ("payer_network", "payee_network")
    named = {
        f"{field}_name": data[field]
        for field in fields
        if isinstance(data.get(field), str) and data[field]
    }
    if not named:
        return envelope.to_json().decode()
    names = db.network_names(conn, list(named.values()))
    extra = {key: names.get(slug) for key, slug in named.items()}
    return replace(envelope, data={**data, **extra}).to_json().decode()


def fan_out(conn: Any, envelope: Envelope, now: datetime) -> int:
    """Queue the event for every endpoint of its tenant subscribed to its type (a disabled one
    too: its queue leaves when it is re-enabled)."""
    if envelope.tenant is None:
        return 0
    body: str | None = None
    queued = 0
    for hook in db.live_webhooks(conn, envelope.tenant):
        if envelope.type not in (hook.event_types or []):
            continue
        body = body or webhook_body(conn, envelope)
        queued += db.enqueue(
            conn,
            hook.id,
            envelope.tenant,
            event_id=envelope.id,
            event_type=envelope.type,
            sequence=envelope.sequence,
            body=body,
            now=now,
        )
    return queued


def signed_headers(
    secret: str, event_id: str, body: str, at: datetime, previous_secret: str | None = None
) -> dict[str, str]:
    """The Standard Webhooks headers; during a rotation's overlap, signed with both secrets
    (space-separated signatures: a receiver verifies with either)."""
    signature = Webhook(secret).sign(event_id, at, body)
    if previous_secret:
        signature += " " + Webhook(previous_secret).sign(event_id, at, body)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": CONTENT_TYPE,
        "user-agent": USER_AGENT,
    }


def send(app: NotificationsApp, row: Any, now: datetime) -> tuple[int | None, str | None]:
    """POST one delivery; (status code, error). Redirects are not followed (SSRF)."""
    try:
        check_resolved(row.url, allow_private=app.settings.webhooks_allow_private_targets)
    except UnsafeTarget as exc:
        return None, f"unsafe target: {exc.message}"
    until = getattr(row, "previous_secret_until", None)
    previous = row.previous_secret if until is not None and until > now else None
    headers = signed_headers(row.secret, row.event_id, row.body, now, previous)
    try:
        response = app.http.post(
            row.url,
            data=row.body.encode(),
            headers=headers,
            timeout=app.settings.webhooks_timeout,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    response.close()
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def pass_size(settings: NotificationsSettings) -> int:
    """How many deliveries one pass may claim: it must send them all within its lease.

    Each send may take the timeout twice (to connect, then to read the answer). A pass that
    outlived its lease would see another worker take its remaining deliveries and send them too.
    """
    per_delivery = 2 * settings.webhooks_timeout + 1
    return max(1, min(BATCH, int(settings.webhooks_lease // per_delivery)))


#: Endpoints sent to at once in a pass (each endpoint's deliveries still leave one after the
#: other, in order): one slow receiver no longer holds up the others.
CONCURRENT_ENDPOINTS = 8

Attempt = tuple[Any, int | None, str | None, int]


def deliver_due(
    app: NotificationsApp, now: datetime | None = None, limit: int | None = None
) -> int:
    """Send the due deliveries once; returns how many were attempted.

    The deliveries of one endpoint leave in order, one after the other; different endpoints
    are sent to concurrently. The outcomes of the pass are recorded in one transaction.
    """
    now = now or utcnow()
    lease = timedelta(seconds=app.settings.webhooks_lease)
    with app.transaction() as conn:
        rows = db.claim_due(conn, now, now + lease, limit or pass_size(app.settings))
    if not rows:
        return 0
    by_endpoint: dict[str, list[Any]] = {}
    for row in rows:
        by_endpoint.setdefault(row.url, []).append(row)
    groups = list(by_endpoint.values())
    if len(groups) == 1:
        attempts = _send_in_order(app, groups[0])
    else:
        workers = min(CONCURRENT_ENDPOINTS, len(groups))
        with ThreadPoolExecutor(workers, thread_name_prefix="webhook") as pool:
            attempts = [a for done in pool.map(partial(_send_in_order, app), groups) for a in done]
    with app.transaction() as conn:
        for attempt in attempts:
            _record(conn, attempt, app.settings.webhooks_retry_schedule)
    return len(rows)


def _send_in_order(app: NotificationsApp, rows: list[Any]) -> list[Attempt]:
    attempts = []
    for row in rows:
        started = time.monotonic()
        code, error = send(app, row, utcnow())
        attempts.append((row, code, error, int((time.monotonic() - started) * 1000)))
    return attempts


def _record(conn: Any, attempt: Attempt, schedule: tuple[int, ...]) -> None:
    """Record one delivery's attempt: succeeded, retried later, or failed for good (its
    webhook then disabled, the animators told)."""
    row, code, error, duration_ms = attempt
    at = utcnow()
    d = db.deliveries.c
    db.record_attempt(conn, row.id, at=at, status_code=code, error=error, duration_ms=duration_ms)
    attempts = row.attempts + 1
    if error is None:
        conn.execute(
            update(db.deliveries)
            .where(d.id == row.id)
            .values(
                status="succeeded",
                attempts=attempts,
                last_status_code=code,
                last_error=None,
                delivered_at=at,
                next_attempt_at=None,
            )
        )
        return
    delay = retry_delay(attempts, schedule)
    if delay is not None:
        conn.execute(
            update(db.deliveries)
            .where(d.id == row.id)
            .values(
                attempts=attempts,
                last_status_code=code,
                last_error=error,
                next_attempt_at=at + delay,
            )
        )
        return
    conn.execute(
        update(db.deliveries)
        .where(d.id == row.id)
        .values(
            status="failed",
            attempts=attempts,
            last_status_code=code,
            last_error=error,
            next_attempt_at=None,
        )
    )
    _disable(conn, row.webhook_id, row.tenant, at, error)


def _disable(conn: Any, webhook_id: UUID, tenant: str, at: datetime, error: str) -> None:
    w = db.webhooks.c
    hook = conn.execute(db.webhooks.select().where(w.id == webhook_id)).first()
    if hook is None or hook.status != "active":
        return
    conn.execute(
        update(db.webhooks).where(w.id == webhook_id).values(status="disabled", disabled_at=at)
    )
    log.warning("webhook %s disabled after its last failed delivery", webhook_id)
    db.add_entries(
        conn,
        [
            Entry(
                Recipient.animators(tenant),
                Kind.WEBHOOK_DISABLED,
                "Webhook désactivé",
                f"L'adresse {hook.url} n'a pas répondu après toutes les tentatives ({error}) : "
                "ses livraisons sont suspendues. Relancez une livraison pour la réactiver.",
                f"{webhook_id}:{int(at.timestamp())}",
                hook.network,
                at,
                {"webhook_id": str(webhook_id), "url": hook.url},
            )
        ],
    )


def redeliver(conn: Any, tenant: str, webhook_id: UUID, delivery_id: UUID, now: datetime) -> Any:
    """Send a delivery again (a fresh retry budget, the same ``webhook-id``); re-enables a
    disabled endpoint. None if the delivery is not one of the tenant's endpoint."""
    hook = db.get_webhook(conn, tenant, webhook_id)
    if hook is None:
        return None
    d = db.deliveries.c
    row = conn.execute(
        db.deliveries.select().where(
            d.id == delivery_id, d.webhook_id == webhook_id, d.tenant == tenant
        )
    ).first()
    if row is None:
        return None
    conn.execute(
        update(db.deliveries)
        .where(d.id == delivery_id)
        .values(status="pending", attempts=0, next_attempt_at=now)
    )
    if hook.status == "disabled":
        conn.execute(
            update(db.webhooks)
            .where(db.webhooks.c.id == webhook_id)
            .values(status="active", disabled_at=None)
        )
    return conn.execute(db.deliveries.select().where(d.id == delivery_id)).first()


def redeliver_after(
    conn: Any,
    tenant: str,
    webhook_id: UUID,
    after: int,
    now: datetime,
    *,
    limit: int,
    source: str = "ledger",
) -> int | None:
    """Send again every delivery of an endpoint whose event's position in ``source``'s log is
    above ``after`` (up to ``limit`` of them, in order): an integrator's replay of a range it
    missed. Each producer numbers its own log, so the range is one producer's (its events'
    types start with ``org.trocactif.<source>.``). Each keeps its ``webhook-id``; a disabled
    endpoint is re-enabled. None: not the tenant's endpoint.
    """
    hook = db.get_webhook(conn, tenant, webhook_id)
    if hook is None:
        return None
    d = db.deliveries.c
    ids = list(
        conn.execute(
            select(d.id)
            .where(
                d.webhook_id == webhook_id,
                d.tenant == tenant,
                d.sequence > after,
                d.event_type.startswith(f"{TYPE_PREFIX}.{source}.", autoescape=True),
            )
            .order_by(d.sequence)
            .limit(limit)
        ).scalars()
    )
    if ids:
        conn.execute(
            update(db.deliveries)
            .where(d.id.in_(ids))
            .values(status="pending", attempts=0, next_attempt_at=now)
        )
    if hook.status == "disabled":
        conn.execute(
            update(db.webhooks)
            .where(db.webhooks.c.id == webhook_id)
            .values(status="active", disabled_at=None)
        )
    return len(ids)
