"""The delivery loop is woken by PostgreSQL when any process queues a delivery or an e-mail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from chassis.db import make_engine, utcnow
from chassis.testing.databases import service_test_settings
from chassis.wakeup import CommitWakeup
from notifications import db

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "notifications" / "migrations"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    settings = service_test_settings(
        "notifications",
        tmp_path_factory.mktemp("wakeup"),
        migrations=MIGRATIONS,
        backend="postgres",
        database="notifications_wakeup",
    )
    engine = make_engine(settings)
    yield engine
    engine.dispose()


def test_a_queued_delivery_wakes_the_delivery_loop(engine: Engine) -> None:
    wake = CommitWakeup(engine, db.DELIVERIES_CHANNEL)
    try:
        wake.start()
        assert wake.wait(10)  # the listener's first ring, once it listens
        webhook = uuid.uuid4()
        now = utcnow()
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
                    "created_at": now,
                },
            )
        assert not wake.wait(0.3)  # a webhook is no delivery
        with engine.begin() as conn:
            conn.execute(
                db.deliveries.insert(),
                {
                    "id": uuid.uuid4(),
                    "webhook_id": webhook,
                    "tenant": "pie",
                    "event_id": uuid.uuid4().hex,
                    "event_type": "t",
                    "body": "{}",
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
        assert wake.wait(5)
    finally:
        wake.close()
