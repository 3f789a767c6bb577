"""``python -m ops.health`` on the embedded defaults: what it checks and its exit status."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert

from chassis.bus import connection_for, replay_dead_letters
from chassis.config import Settings
from chassis.db import utcnow
from chassis.outbox import messaging_tables
from chassis.topology import declare
from contracts.topology import platform_topology
from ops import health


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
        conn.execute(
            insert(outbox),
            [
                {
                    "message_id": "m",
                    "exchange": "x",
                    "routing_key": "k",
                    "type": "t",
                    "source": "/s",
                    "data": {},
                    "created_at": utcnow() - age,
                }
            ],
        )
    engine.dispose()


def test_nothing_running_fails_and_says_what_was_not_checked(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert health.main([]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["CHECK", "TARGET", "STATUS", "DETAIL"]
    ready = {
        line.split()[1]: line.split()[2] for line in out.splitlines() if line.startswith("ready")
    }
    assert ready == dict.fromkeys(
        ("gateway", "listings", "ledger", "invoices", "notifications"), "FAIL"
    )
    # The embedded bus has its queues counted too (no consumer counts there).
    assert "dead letters  ledger.commands.dlq" in out
    assert "5 failing check(s)" in out


def test_a_dead_letter_on_the_embedded_bus_fails_and_a_replay_clears_it(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings.from_env("ledger")
    with connection_for(settings) as conn:
        declare(platform_topology(), conn)
        conn.Producer().publish(b"{not json", exchange="", routing_key="ledger.commands.dlq")
    assert health.main(["--services", "ledger", "--no-invariants", "--json"]) == 1
    rows = {(r["check"], r["target"]): r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows[("dead letters", "ledger.commands.dlq")]["status"] == "FAIL"
    assert rows[("dead letters", "ledger.commands.dlq")]["detail"].startswith("1 messages")
    assert rows[("queue", "ledger.commands")] == {
        "check": "queue",
        "target": "ledger.commands",
        "status": "ok",
        "detail": "0 messages",
    }
    with connection_for(settings) as conn:
        assert replay_dead_letters("ledger.commands", conn) == 1
    health.main(["--services", "ledger", "--no-invariants", "--json"])
    rows = {(r["check"], r["target"]): r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows[("dead letters", "ledger.commands.dlq")]["status"] == "ok"
    assert rows[("queue", "ledger.commands")]["detail"] == "1 messages"


def test_an_outbox_stuck_longer_than_the_limit_fails(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
        "http://127.0.0.1:15672",
        ("guest", "guest"),
        "/",
    )
    assert health.management_api("amqp://troc:s%40crt@rabbit:5672/troc") == (
        "http://rabbit:15672",
        ("troc", "s@crt"),
        "troc",
    )
    assert health.management_api("amqp://troc:troc@rabbit:5672/troc", "https://mq.example:443") == (
        "https://mq.example:443",
        ("troc", "troc"),
        "troc",
    )


def test_without_the_management_api_the_topology_queues_are_counted_over_amqp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The management plugin off or unreachable: a warning, and AMQP passive declares instead."""
    counted = [("ledger.commands", 3, 0), ("ledger.commands.dlq", 0, 0)]
    monkeypatch.setattr(health, "_declared_queues", lambda settings, timeout: counted)
    settings = Settings(
        service_name="health",
        broker_url="amqp://guest:guest@127.0.0.1:5672//",
        rabbitmq_management_url="http://127.0.0.1:9",
    )
    rows = list(health.check_queues(settings, timeout=1))
    assert rows[0].check == "queues" and rows[0].status == health.WARN
    assert "management API unreachable" in rows[0].detail
    assert rows[1:] == [
        health.Row("queue", "ledger.commands", health.WARN, "3 messages, 0 consumers"),
        health.Row("dead letters", "ledger.commands.dlq", health.OK, "0 messages"),
    ]


def test_unknown_services_are_refused(embedded: Path) -> None:
    with pytest.raises(SystemExit):
        health.main(["--services", "ledgr"])


def test_the_former_command_name_runs_the_same_check(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m chassis.health`` (runbooks, schedules) still runs ``ops.health``."""
    from chassis import health as former

    with pytest.raises(SystemExit) as refused:
        former.main(["--services", "ledgr"])
    assert refused.value.code == 2
    assert "python -m ops.health" in capsys.readouterr().err
