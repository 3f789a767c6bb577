"""Persistence of the notifications: tables and the queries of the feed and the webhooks.

Members (tenant, credit limit) are copies kept from the gateway's and the ledger's events; feed
entries, webhook subscriptions, deliveries (the delivery outbox) and their attempts are the
service's own. Every read of the HTTP API names the tenant of the token.

The webhook secret is stored as is: it must be usable to sign (Standard Webhooks uses a shared
HMAC key, not a hash). Protect the database accordingly; encrypting the column with a key from
the environment is the next step if the database is ever shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    and_,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from chassis.audit import audit_table
from chassis.config import Settings
from chassis.db import UTCDateTime, new_metadata
from chassis.outbox import BigId, messaging_tables
from chassis.retention import Retention, inbox_retention
from notifications.domain import DEFAULT_VALIDATION_MAIL, Audience, Entry, ValidationMail, Viewer

metadata = new_metadata()

members = Table(
    "members",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("network", String(40)),
    Column("tenant", String(64), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("email", String(320), nullable=False, default=""),
    Column("status", String(10), nullable=False, default="active"),
    Column("credit_limit", BigInteger),  # cents, as the ledger last told it
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("key", String(400), nullable=False, unique=True),
    Column("tenant", String(64), nullable=False),
    Column("audience", String(10), nullable=False),
    Column("member_id", Uuid),
    Column("network", String(40)),
    Column("kind", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("subject_id", String(100), nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("read_at", UTCDateTime()),
    Index("ix_notifications_feed", "tenant", "audience", "member_id", "created_at"),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("tenant", String(64), nullable=False, index=True),
    Column("network", String(40)),
    Column("url", String(2000), nullable=False),
    Column("description", String(500), nullable=False, default=""),
    Column("event_types", JSON, nullable=False),
    Column("secret", String(200), nullable=False),
    # After a rotation, the old secret signs too until previous_secret_until (Standard Webhooks
    # lets a webhook-signature header carry several signatures).
    Column("previous_secret", String(200)),
    Column("previous_secret_until", UTCDateTime()),
    Column("status", String(10), nullable=False),  # active, disabled, deleted
    Column("created_by", String(200), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("disabled_at", UTCDateTime()),
)

deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("webhook_id", Uuid, ForeignKey("webhooks.id"), nullable=False),
    Column("tenant", String(64), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("sequence", BigInteger),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending, succeeded, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime()),
    Column("last_status_code", Integer),
    Column("last_error", String(500)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime()),
    Index("uq_deliveries_webhook_event", "webhook_id", "event_id", unique=True),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
    Index("ix_deliveries_webhook", "webhook_id", "created_at"),
    Index("ix_webhook_deliveries_created_at", "created_at"),  # the retention purge
)

attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("delivery_id", Uuid, ForeignKey("webhook_deliveries.id"), nullable=False, index=True),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Column("status_code", Integer),
    Column("error", String(500)),
    Column("duration_ms", Integer, nullable=False, default=0),
)

emails = Table(
    "emails",
    metadata,
    Column("id", Uuid, primary_key=True),
    # None: an account e-mail (reset link, invitation), which has no feed entry.
    Column("notification_id", Uuid, ForeignKey("notifications.id"), nullable=True, unique=True),
    Column("tenant", String(64), nullable=False),
    Column("to_address", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime()),
    Column("last_error", String(500)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Index("ix_emails_due", "status", "next_attempt_at"),
    Index("ix_emails_created_at", "created_at"),  # the retention purge
)

email_preferences = Table(
    "email_preferences",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("tenant", String(64), nullable=False),
    Column("email", Boolean, nullable=False),
)

#: The tenants' staff as the gateway's ``user_changed`` events tell it: whom the validation
#: e-mails go to (animators only; members are reached through their company's address).
staff_users = Table(
    "staff_users",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("tenant", String(64), nullable=False, index=True),
    Column("network", String(40)),
    Column("email", String(320), nullable=False),
    Column("role", String(20), nullable=False),
    Column("status", String(10), nullable=False),  # active, disabled
    Column("updated_at", UTCDateTime(), nullable=False),
)

#: Each animator's choice about the validation e-mails (absent: the default, ``each``).
animator_preferences = Table(
    "animator_preferences",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("tenant", String(64), nullable=False),
    Column("validation_emails", String(10), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

#: The invoices awaiting validation by the seller's animators, from the invoices' events:
#: what the digests list and the reminders recall; closed once validated or otherwise ended.
validations = Table(
    "validations",
    metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("tenant", String(64), nullable=False),
    Column("network", String(40)),
    Column("number", String(40), nullable=False),
    Column("seller_member_id", Uuid, nullable=False),
    Column("buyer_member_id", Uuid, nullable=False),
    Column("unit_part", BigInteger, nullable=False),  # cents
    Column("unit", String(40), nullable=False),
    Column("expires_at", UTCDateTime()),
    Column("waiting_since", UTCDateTime(), nullable=False),
    Column("reminded_at", UTCDateTime()),
    Column("closed_at", UTCDateTime()),
    Index("ix_validations_open", "tenant", "closed_at"),
)

#: The animators' e-mails already queued, by key (``domain.validation_key``, ``reminder_key``,
#: ``digest_key``): a pass, a replay or a restart never sends one twice.
notice_keys = Table(
    "notice_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

#: The networks' names as the gateway's ``network_created`` / ``network_updated`` tell them:
#: webhooks of cross-network transfers name the partner network (migration 0008).
networks = Table(
    "networks",
    metadata,
    Column("slug", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("unit", String(40), nullable=False, default=""),
    Column("updated_at", UTCDateTime(), nullable=False),
)

#: The staff actions the notifications performed (webhook changes).
audit_entries = audit_table(metadata)

outbox_table, outbox_sequence_table, inbox_table = messaging_tables(metadata)


#: The PostgreSQL channel new webhook deliveries and e-mails are announced on (migration 0005):
#: the delivery loop listens, whichever process queued them.
DELIVERIES_CHANNEL = "troc_deliveries"


def retention_policies(settings: Settings) -> list[Retention]:
    """What the notifications forget: processed message ids, deliveries and e-mails that are
    done (succeeded or given up; a pending one stays whatever its age), with their attempts."""
    return [
        inbox_retention(inbox_table, settings.inbox_retention_days),
        Retention(
            deliveries,
            "created_at",
            settings.webhook_retention_days,
            where=deliveries.c.status != "pending",
            children=((attempts, "delivery_id"),),
        ),
        Retention(
            emails, "created_at", settings.email_retention_days, where=emails.c.status != "pending"
        ),
    ]


TABLES = ("members", "notifications", "webhooks", "webhook_deliveries", "webhook_attempts")


# --- members -----------------------------------------------------------------------------------


def upsert_member(conn: Connection, member_id: UUID, **values: Any) -> None:
    if conn.execute(select(members.c.id).where(members.c.id == member_id)).first():
        if values:
            conn.execute(update(members).where(members.c.id == member_id).values(**values))
        return
    values.setdefault("tenant", "")
    conn.execute(insert(members).values(id=member_id, **values))


def upsert_network(conn: Connection, slug: str, **values: Any) -> None:
    """Keep a network's name; an older announcement never overwrites a newer one. The
    consumer applies one batch at a time in one transaction, so no other writer races this."""
    n = networks.c
    known = conn.execute(select(n.updated_at).where(n.slug == slug)).first()
    if known is None:
        conn.execute(insert(networks).values(slug=slug, **values))
    elif known.updated_at <= values["updated_at"]:
        conn.execute(update(networks).where(n.slug == slug).values(**values))


def network_names(conn: Connection, slugs: Sequence[str]) -> dict[str, str]:
    """The names of the networks known among ``slugs``."""
    n = networks.c
    wanted = sorted({s for s in slugs if s})
    if not wanted:
        return {}
    rows = conn.execute(select(n.slug, n.name).where(n.slug.in_(wanted)))
    return {str(slug): str(name) for slug, name in rows}


def tenant_network(engine: Engine, tenant: str) -> str | None:
    """The network of a tenant's members, as their admissions told it (none yet: None)."""
    with engine.connect() as conn:
        network: str | None = conn.execute(
            select(members.c.network)
            .where(members.c.tenant == tenant, members.c.network.is_not(None))
            .limit(1)
        ).scalar()
    return network


def get_member(conn: Connection, member_id: UUID) -> Any:
    return conn.execute(select(members).where(members.c.id == member_id)).first()


# --- the feed ----------------------------------------------------------------------------------


def add_entries(conn: Connection, entries: Sequence[Entry]) -> list[tuple[UUID, Entry]]:
    """Write the entries not written before (by key); returns the new ones with their ids."""
    added: list[tuple[UUID, Entry]] = []
    for entry in entries:
        if conn.execute(select(notifications.c.id).where(notifications.c.key == entry.key)).first():
            continue
        r = entry.recipient
        entry_id = uuid4()
        conn.execute(
            insert(notifications).values(
                id=entry_id,
                key=entry.key,
                tenant=r.tenant,
                audience=r.audience.value,
                member_id=r.member_id,
                network=entry.network,
                kind=entry.kind.value,
                title=entry.title,
                body=entry.body,
                subject_id=entry.subject_id,
                data=entry.data,
                created_at=entry.created_at,
            )
        )
        added.append((entry_id, entry))
    return added


def _feed_of(viewer: Viewer) -> Any:
    c = notifications.c
    condition = and_(c.tenant == viewer.tenant, c.audience == viewer.audience.value)
    if viewer.audience is Audience.MEMBER:
        condition = and_(condition, c.member_id == viewer.member_id)
    return condition


def feed(
    conn: Connection, viewer: Viewer, *, unread_only: bool, limit: int, offset: int
) -> tuple[list[Any], int, int]:
    """A page of the viewer's feed, newest first; its total and its unread count."""
    c = notifications.c
    condition = _feed_of(viewer)
    unread = conn.execute(
        select(func.count()).select_from(notifications).where(condition, c.read_at.is_(None))
    ).scalar_one()
    if unread_only:
        condition = and_(condition, c.read_at.is_(None))
    total = conn.execute(
        select(func.count()).select_from(notifications).where(condition)
    ).scalar_one()
    rows = conn.execute(
        select(notifications)
        .where(condition)
        .order_by(c.created_at.desc(), c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), int(total), int(unread)


def mark_read(conn: Connection, viewer: Viewer, entry_id: UUID, now: datetime) -> Any:
    c = notifications.c
    condition = and_(_feed_of(viewer), c.id == entry_id)
    row = conn.execute(select(notifications).where(condition)).first()
    if row is None:
        return None
    if row.read_at is None:
        conn.execute(update(notifications).where(c.id == entry_id).values(read_at=now))
    return conn.execute(select(notifications).where(condition)).first()


# --- webhooks ----------------------------------------------------------------------------------


def get_webhook(conn: Connection, tenant: str, webhook_id: UUID) -> Any:
    c = webhooks.c
    return conn.execute(
        select(webhooks).where(c.id == webhook_id, c.tenant == tenant, c.status != "deleted")
    ).first()


def add_webhook(conn: Connection, **values: Any) -> None:
    conn.execute(insert(webhooks).values(**values))


def delete_webhook(conn: Connection, webhook_id: UUID, now: datetime) -> None:
    conn.execute(
        update(webhooks)
        .where(webhooks.c.id == webhook_id)
        .values(status="deleted", disabled_at=now)
    )


def change_webhook(conn: Connection, webhook_id: UUID, **values: Any) -> None:
    conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(**values))


def webhooks_of(conn: Connection, tenant: str, *, limit: int, offset: int) -> tuple[list[Any], int]:
    c = webhooks.c
    condition = and_(c.tenant == tenant, c.status != "deleted")
    total = conn.execute(select(func.count()).select_from(webhooks).where(condition)).scalar_one()
    rows = conn.execute(
        select(webhooks).where(condition).order_by(c.created_at, c.id).limit(limit).offset(offset)
    ).all()
    return list(rows), int(total)


def live_webhooks(conn: Connection, tenant: str) -> list[Any]:
    """The tenant's endpoints that queue events: active ones, and disabled ones (their queue is
    sent when a redelivery re-enables them, so that nothing is lost meanwhile)."""
    c = webhooks.c
    return list(
        conn.execute(
            select(webhooks).where(c.tenant == tenant, c.status.in_(("active", "disabled")))
        )
    )


def enqueue(
    conn: Connection,
    webhook_id: UUID,
    tenant: str,
    *,
    event_id: str,
    event_type: str,
    sequence: int | None,
    body: str,
    now: datetime,
) -> bool:
    """Queue one delivery of an event to an endpoint, once per (endpoint, event)."""
    c = deliveries.c
    if conn.execute(select(c.id).where(c.webhook_id == webhook_id, c.event_id == event_id)).first():
        return False
    conn.execute(
        insert(deliveries).values(
            id=uuid4(),
            webhook_id=webhook_id,
            tenant=tenant,
            event_id=event_id,
            event_type=event_type,
            sequence=sequence,
            body=body,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return True


def deliveries_of(
    conn: Connection, webhook_id: UUID, *, limit: int, offset: int
) -> tuple[list[Any], int]:
    c = deliveries.c
    total = conn.execute(
        select(func.count()).select_from(deliveries).where(c.webhook_id == webhook_id)
    ).scalar_one()
    rows = conn.execute(
        select(deliveries)
        .where(c.webhook_id == webhook_id)
        .order_by(c.created_at.desc(), c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), int(total)


def attempts_of(conn: Connection, delivery_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
    found: dict[UUID, list[Any]] = {i: [] for i in delivery_ids}
    if not delivery_ids:
        return found
    rows = conn.execute(
        select(attempts)
        .where(attempts.c.delivery_id.in_(list(delivery_ids)))
        .order_by(attempts.c.id)
    ).all()
    for row in rows:
        found[row.delivery_id].append(row)
    return found


def claim_due(conn: Connection, now: datetime, lease_until: datetime, limit: int) -> list[Any]:
    """Take due pending deliveries of active endpoints, pushing their next attempt to the lease
    end so that another worker does not send them meanwhile."""
    d, w = deliveries.c, webhooks.c
    query = (
        select(deliveries.c.id)
        .join(webhooks, w.id == d.webhook_id)
        .where(d.status == "pending", d.next_attempt_at <= now, w.status == "active")
        .order_by(d.next_attempt_at, d.sequence, d.created_at)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(of=deliveries, skip_locked=True)
    ids = [row.id for row in conn.execute(query)]
    if not ids:
        return []
    conn.execute(update(deliveries).where(d.id.in_(ids)).values(next_attempt_at=lease_until))
    return list(
        conn.execute(
            select(
                deliveries,
                w.url,
                w.secret,
                w.previous_secret,
                w.previous_secret_until,
                w.status.label("webhook_status"),
            )
            .join(webhooks, w.id == d.webhook_id)
            .where(d.id.in_(ids))
            .order_by(d.sequence, d.created_at)
        )
    )


def record_attempt(
    conn: Connection,
    delivery_id: UUID,
    *,
    at: datetime,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
) -> None:
    conn.execute(
        insert(attempts).values(
            delivery_id=delivery_id,
            attempted_at=at,
            status_code=status_code,
            error=(error or None) and error[:500],
            duration_ms=duration_ms,
        )
    )


# --- e-mail preferences ------------------------------------------------------------------------


def email_preferences_of(conn: Connection, member_id: UUID) -> dict[str, bool]:
    """The kinds a member chose about (absent: e-mailed, the default)."""
    p = email_preferences.c
    rows = conn.execute(select(p.kind, p.email).where(p.member_id == member_id))
    return {row.kind: bool(row.email) for row in rows}


def set_email_preferences(
    conn: Connection, tenant: str, member_id: UUID, choices: dict[str, bool]
) -> None:
    p = email_preferences.c
    for kind, wanted in choices.items():
        done = conn.execute(
            update(email_preferences)
            .where(p.member_id == member_id, p.kind == kind)
            .values(email=wanted, tenant=tenant)
        )
        if not done.rowcount:
            conn.execute(
                insert(email_preferences).values(
                    member_id=member_id, kind=kind, tenant=tenant, email=wanted
                )
            )


# --- the animators and their validation e-mails ------------------------------------------------


def upsert_staff_user(conn: Connection, user_id: str, **values: Any) -> None:
    u = staff_users.c
    if conn.execute(select(u.user_id).where(u.user_id == user_id)).first():
        conn.execute(update(staff_users).where(u.user_id == user_id).values(**values))
    else:
        conn.execute(insert(staff_users).values(user_id=user_id, **values))


def validation_mail_of(conn: Connection, user_id: str) -> ValidationMail:
    p = animator_preferences.c
    chosen = conn.execute(
        select(p.validation_emails).where(p.user_id == user_id)
    ).scalar_one_or_none()
    return ValidationMail(chosen) if chosen else DEFAULT_VALIDATION_MAIL


def set_validation_mail(
    conn: Connection, tenant: str, user_id: str, choice: ValidationMail, now: datetime
) -> None:
    p = animator_preferences.c
    values = {"tenant": tenant, "validation_emails": choice.value, "updated_at": now}
    done = conn.execute(update(animator_preferences).where(p.user_id == user_id).values(**values))
    if not done.rowcount:
        conn.execute(insert(animator_preferences).values(user_id=user_id, **values))


def validators(conn: Connection, tenant: str | None = None) -> list[tuple[Any, ValidationMail]]:
    """The active animators (of ``tenant``, or all) with their choice of validation e-mails."""
    u, p = staff_users.c, animator_preferences.c
    query = (
        select(staff_users, p.validation_emails)
        .select_from(staff_users.outerjoin(animator_preferences, p.user_id == u.user_id))
        .where(u.role == "animator", u.status == "active")
        .order_by(u.tenant, u.email)
    )
    if tenant is not None:
        query = query.where(u.tenant == tenant)
    return [
        (row, ValidationMail(row.validation_emails or DEFAULT_VALIDATION_MAIL))
        for row in conn.execute(query)
    ]


def claim_notice(conn: Connection, key: str, now: datetime) -> bool:
    """Take ``key`` for an e-mail about to be queued in this transaction; False if taken
    before (by another pass, before a restart, or by a concurrent worker, which waits for
    the first to commit and then finds it taken)."""
    if conn.dialect.name == "postgresql":
        taken = conn.execute(
            pg_insert(notice_keys)
            .values(key=key, created_at=now)
            .on_conflict_do_nothing()
            .returning(notice_keys.c.key)
        ).first()
        return taken is not None
    if conn.execute(select(notice_keys.c.key).where(notice_keys.c.key == key)).first():
        return False
    conn.execute(insert(notice_keys).values(key=key, created_at=now))
    return True


def open_validation(conn: Connection, invoice_id: UUID, **values: Any) -> None:
    """Note an invoice as awaiting validation (again, after a refused hold was placed anew)."""
    v = validations.c
    if conn.execute(select(v.invoice_id).where(v.invoice_id == invoice_id)).first():
        conn.execute(
            update(validations)
            .where(v.invoice_id == invoice_id)
            .values(closed_at=None, **{k: x for k, x in values.items() if k != "waiting_since"})
        )
    else:
        conn.execute(insert(validations).values(invoice_id=invoice_id, **values))


def close_validation(conn: Connection, invoice_id: UUID, now: datetime) -> None:
    v = validations.c
    conn.execute(
        update(validations)
        .where(v.invoice_id == invoice_id, v.closed_at.is_(None))
        .values(closed_at=now)
    )


def waiting_validations(conn: Connection, tenant: str, now: datetime) -> list[Any]:
    """The tenant's invoices still awaiting validation (hold not expired), oldest first."""
    v = validations.c
    return list(
        conn.execute(
            select(validations)
            .where(
                v.tenant == tenant,
                v.closed_at.is_(None),
                (v.expires_at.is_(None)) | (v.expires_at > now),
            )
            .order_by(v.waiting_since, v.number)
        )
    )


def reminders_due(conn: Connection, now: datetime, lead: timedelta, limit: int = 100) -> list[Any]:
    """Open validations whose hold expires within ``lead`` and that were not recalled yet."""
    v = validations.c
    return list(
        conn.execute(
            select(validations)
            .where(
                v.closed_at.is_(None),
                v.reminded_at.is_(None),
                v.expires_at.is_not(None),
                v.expires_at > now,
                v.expires_at <= now + lead,
            )
            .order_by(v.expires_at)
            .limit(limit)
        )
    )


def mark_reminded(conn: Connection, invoice_id: UUID, now: datetime) -> None:
    v = validations.c
    conn.execute(update(validations).where(v.invoice_id == invoice_id).values(reminded_at=now))
