"""Retention: old rows that are done leave in batches; pending and recent ones stay."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import create_engine, func, select

from chassis.config import Settings
from chassis.db import utcnow
from chassis.retention import Retention, inbox_retention, purge, purge_table
from notifications import db as notifications_db


def test_settings_have_defaults_and_read_the_environment() -> None:
    defaults = Settings.from_env("ledger", {})
    assert (
        defaults.inbox_retention_days,
        defaults.webhook_retention_days,
        defaults.email_retention_days,
        defaults.login_failure_retention_days,
    ) == (14, 30, 30, 7)
    chosen = Settings.from_env(
        "ledger", {"TROC_INBOX_RETENTION_DAYS": "3", "TROC_WEBHOOK_RETENTION_DAYS": "0"}
    )
    assert (chosen.inbox_retention_days, chosen.webhook_retention_days) == (3, 0)


def test_the_inbox_forgets_old_ids_in_batches_and_keeps_recent_ones() -> None:
    engine = create_engine("sqlite://")
    inbox = notifications_db.inbox_table
    notifications_db.metadata.create_all(engine)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            inbox.insert(),
            [
                {
                    "message_id": f"old-{i}",
                    "consumer": "c",
                    "processed_at": now - timedelta(days=20, seconds=i),
                }
                for i in range(25)
            ]
            + [
                {"message_id": f"new-{i}", "consumer": "c", "processed_at": now - timedelta(days=1)}
                for i in range(5)
            ],
        )
    assert purge_table(engine, inbox_retention(inbox, 14), now, batch=10) == 25
    with engine.connect() as conn:
        left = sorted(conn.execute(select(inbox.c.message_id)).scalars())
    assert left == [f"new-{i}" for i in range(5)]
    assert purge_table(engine, inbox_retention(inbox, 0), now) == 0  # 0 days: kept forever


def test_deliveries_that_are_done_leave_with_their_attempts_pending_ones_stay() -> None:
    engine = create_engine("sqlite://")
    db = notifications_db
    db.metadata.create_all(engine)
    now = utcnow()
    old = now - timedelta(days=45)
    webhook = uuid.uuid4()

    def delivery(status: str, created: Any) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "webhook_id": webhook,
            "tenant": "pie",
            "event_id": uuid.uuid4().hex,
            "event_type": "t",
            "body": "{}",
            "status": status,
            "attempts": 1,
            "created_at": created,
        }

    rows = [
        delivery("succeeded", old),
        delivery("failed", old),
        delivery("pending", old),
        delivery("succeeded", now),
    ]
    with engine.begin() as conn:
        conn.execute(
            db.webhooks.insert(),
            {
                "id": webhook,
                "tenant": "pie",
                "url": "https://example.org/hook",
                "secret": "s",
                "event_types": [],
                "status": "active",
                "created_at": old,
            },
        )
        conn.execute(db.deliveries.insert(), rows)
        conn.execute(
            db.attempts.insert(),
            [
                {
                    "delivery_id": r["id"],
                    "attempted_at": r["created_at"],
                    "status_code": 200,
                    "duration_ms": 3,
                }
                for r in rows
            ],
        )
    settings = Settings(service_name="notifications")
    removed = purge(engine, db.retention_policies(settings), now)
    assert removed == {"inbox": 0, "webhook_deliveries": 2, "emails": 0}
    with engine.connect() as conn:
        statuses = sorted(conn.execute(select(db.deliveries.c.status)).scalars())
        attempts = conn.execute(select(func.count()).select_from(db.attempts)).scalar()
    assert statuses == ["pending", "succeeded"]
    assert attempts == 2
    assert Retention(db.emails, "created_at", 30).name == "emails"
