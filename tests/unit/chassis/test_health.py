"""``python -m chassis.health`` on the embedded defaults: what it checks and its exit status."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert

from chassis import health
from chassis.db import utcnow
from chassis.outbox import messaging_tables


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TROC_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("TROC_BROKER_URL", "filesystem://")
    monkeypatch.delenv("TROC_DATABASE_URL", raising=False)
    for service in ("gateway", "listings", "ledger", "invoices", "notifications"):
        monkeypatch.delenv(f"TROC_{service.upper()}_DATABASE_URL", raising=False)
        monkeypatch.setenv(f"TROC_{service.upper()}_URL", "http://127.0.0.1:9")
    return tmp_path


def outbox_db(folder: Path, service: str, *, age: timedelta) -> None:
    engine = create_engine(f"sqlite:///{folder}/{service}.db")
    metadata = MetaData()
    outbox, _sequence, _inbox = messaging_tables(metadata)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(outbox), [{"message_id": "m", "exchange": "x", "routing_key": "k",
                                       "type": "t", "source": "/s", "data": {},
                                       "created_at": utcnow() - age}])
    engine.dispose()


def test_nothing_running_fails_and_says_what_was_not_checked(
        embedded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert health.main([]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["CHECK", "TARGET", "STATUS", "DETAIL"]
    for service in ("gateway", "listings", "ledger", "invoices", "notifications"):
        assert f"ready       {service}" in out
    assert "no RabbitMQ (embedded bus)" in out
    assert "5 failing check(s)" in out


def test_an_outbox_stuck_longer_than_the_limit_fails(
        embedded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outbox_db(embedded, "gateway", age=timedelta(minutes=10))
    outbox_db(embedded, "listings", age=timedelta(seconds=1))
    assert health.main(["--services", "gateway,listings", "--json"]) == 1
    rows = {(r["check"], r["target"]): r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows[("outbox", "gateway")]["status"] == "FAIL"
    assert rows[("outbox", "gateway")]["detail"].startswith("1 unpublished, oldest 6")
    assert rows[("outbox", "listings")]["status"] == "ok"
    assert rows[("ready", "gateway")]["status"] == "FAIL"


def test_the_management_api_is_found_from_the_broker_url() -> None:
    assert health.management_api("amqp://guest:guest@127.0.0.1:5672//") == (
        "http://127.0.0.1:15672", ("guest", "guest"), "/")
    assert health.management_api("amqp://troc:s%40crt@rabbit:5672/troc") == (
        "http://rabbit:15672", ("troc", "s@crt"), "troc")


def test_unknown_services_are_refused(embedded: Path) -> None:
    with pytest.raises(SystemExit):
        health.main(["--services", "ledgr"])
