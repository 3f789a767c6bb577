"""The metrics module: /metrics on every app, route labels, bus counters, scrape-time gauges."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import MetaData, create_engine, insert

from chassis import metrics
from chassis.config import ConfigError, Settings
from chassis.db import utcnow
from chassis.http import create_base_app
from chassis.outbox import messaging_tables
from chassis.testing.processes import free_port
from chassis.testing.tokens import TokenFactory


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples(text).items() if n == name and wanted <= ls)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    factory = TokenFactory(tmp_path / "keys")
    app, _api = create_base_app(factory.settings(service_name="things"), title="T", version="1")

    @app.get("/t/<tenant>/things/<int:thing_id>")
    def thing(tenant: str, thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    return app


def test_metrics_is_public_text_with_latency_by_route_rule_and_status(app: Flask) -> None:
    client = app.test_client()
    before = client.get("/metrics").get_data(as_text=True)
    for thing_id in (1, 2, 3):
        assert client.get(f"/t/pie/things/{thing_id}").status_code == 401  # no token
    client.get("/nowhere/at/all")
    client.open("/healthz", method="BREW")

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    count = "troc_http_request_duration_seconds_count"
    route = {
        "service": "things",
        "route": "/t/<tenant>/things/<int:thing_id>",
        "method": "GET",
        "status": "401",
    }
    assert value(text, count, **route) - value(before, count, **route) == 3
    assert value(text, count, service="things", route="<unmatched>", status="404") >= 1
    assert value(text, count, service="things", method="other") >= 1
    assert "/t/pie/things/1" not in text  # raw paths never become labels
    assert value(text, "troc_http_request_duration_seconds_bucket", le="+Inf", **route) >= 3


def test_bus_counters_and_service_counters_are_exposed() -> None:
    before = metrics.render().decode()
    metrics.count_bus("consumed", "ledger.commands", 3)
    metrics.count_bus("dead_lettered", "ledger.commands")
    text = metrics.render().decode()
    name = "troc_bus_messages_consumed_total"
    assert (
        value(text, name, queue="ledger.commands") - value(before, name, queue="ledger.commands")
        == 3
    )
    assert value(text, "troc_bus_messages_dead_lettered_total", queue="ledger.commands") >= 1


def test_scrape_gauges_are_read_when_scraped_and_a_failing_one_spares_the_scrape(
    app: Flask,
) -> None:
    states = {"draft": 2, "issued": 5}

    def broken() -> list[tuple[list[str], float]]:
        raise RuntimeError("database down")

    metrics.register_scrape_gauge(
        app,
        "troc_test_things",
        "Things by state",
        ["state"],
        lambda: [([k], v) for k, v in states.items()],
    )
    metrics.register_scrape_gauge(app, "troc_test_broken", "Never there", [], broken)
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert value(text, "troc_test_things", state="issued") == 5
    states["issued"] = 6
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert value(text, "troc_test_things", state="issued") == 6
    assert "troc_test_broken" not in text


def test_outbox_backlog_counts_every_kind_of_waiting_row(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/outbox.db")
    metadata = MetaData()
    outbox, sequence, _inbox = messaging_tables(metadata)
    metadata.create_all(engine)
    assert metrics.outbox_backlog(engine, outbox, sequence) == (0, 0.0)
    old = utcnow() - timedelta(minutes=5)
    row = {
        "exchange": "x",
        "routing_key": "k",
        "type": "t",
        "source": "/s",
        "data": {},
        "published_at": None,
        "sequenced": False,
        "tenant": None,
        "sequence": None,
    }
    with engine.begin() as conn:
        conn.execute(
            insert(outbox),
            [
                {**row, "message_id": "published", "created_at": old, "published_at": utcnow()},
                {**row, "message_id": "loose", "created_at": utcnow()},
                {
                    **row,
                    "message_id": "unsequenced",
                    "created_at": utcnow(),
                    "sequenced": True,
                    "tenant": "a",
                },
                {
                    **row,
                    "message_id": "a1",
                    "created_at": old,
                    "sequenced": True,
                    "tenant": "a",
                    "sequence": 1,
                },
                {
                    **row,
                    "message_id": "a2",
                    "created_at": utcnow(),
                    "sequenced": True,
                    "tenant": "a",
                    "sequence": 2,
                },
                {
                    **row,
                    "message_id": "b1",
                    "created_at": old,
                    "sequenced": True,
                    "tenant": "b",
                    "sequence": 1,
                },
            ],
        )
        conn.execute(
            insert(sequence),
            [
                {"tenant": "a", "last": 2, "published": 0},
                {"tenant": "b", "last": 1, "published": 1},
            ],
        )
    count, age = metrics.outbox_backlog(engine, outbox, sequence)
    assert count == 4  # loose, unsequenced, a1, a2
    assert 290 < age < 400

    app = Flask("svc")
    metrics.register_outbox_collector(app, engine, outbox, sequence)
    text = metrics.render(metrics.collectors_of(app)).decode()
    assert value(text, "troc_outbox_backlog", service="svc") == 4
    assert value(text, "troc_outbox_oldest_age_seconds", service="svc") > 290


CHILD = """
import sys
from pathlib import Path
from chassis import metrics
from chassis.config import Settings
metrics.configure(Settings(service_name="things", metrics_dir=Path(sys.argv[1])))
metrics.count_bus("consumed", "child.queue", 7)
"""


def test_processes_add_up_in_the_metrics_folder(tmp_path: Path) -> None:
    """Multiprocess mode: what another process counted shows in this process's scrape."""
    folder = tmp_path / "metrics"
    code = CHILD + "print(metrics.render().decode())"
    subprocess.run([sys.executable, "-c", CHILD, str(folder)], check=True)
    subprocess.run([sys.executable, "-c", CHILD, str(folder)], check=True)
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)], check=True, capture_output=True, text=True
    ).stdout
    assert value(out, "troc_bus_messages_consumed_total", queue="child.queue") == 21
    assert sorted(p.name.split("_")[0] for p in folder.iterdir()) == ["counter"] * 3


def test_from_env_puts_each_service_in_its_own_metrics_folder(tmp_path: Path) -> None:
    env = {"TROC_VAR_DIR": str(tmp_path)}
    assert Settings.from_env("ledger", env).metrics_dir == tmp_path / "metrics" / "ledger"
    env["TROC_METRICS_DIR"] = str(tmp_path / "m")
    assert Settings.from_env("invoices", env).metrics_dir == tmp_path / "m" / "invoices"
    assert Settings(service_name="x").metrics_dir is None


def test_the_metrics_port_is_off_by_default_and_a_service_may_have_its_own() -> None:
    assert Settings.from_env("ledger", {}).metrics_port == 0
    env = {"TROC_METRICS_PORT": "9464", "TROC_LEDGER_METRICS_PORT": "9465"}
    assert Settings.from_env("ledger", env).metrics_port == 9465
    assert Settings.from_env("invoices", env).metrics_port == 9464
    with pytest.raises(ConfigError, match="TROC_METRICS_PORT"):
        Settings.from_env("ledger", {"TROC_METRICS_PORT": "70000"})
    assert metrics.serve_worker_metrics(Settings(service_name="things")) is None


def test_a_worker_serves_its_counters_and_gauges_on_its_own_port() -> None:
    port = free_port()
    settings = Settings(service_name="things", host="127.0.0.1", metrics_port=port)
    gauge = metrics.ScrapeGauge(
        "troc_test_worker_gauge", "A worker's gauge", ["kind"], lambda: [(["a"], 4.0)]
    )
    server = metrics.serve_worker_metrics(settings, [gauge])
    assert server is not None
    try:
        metrics.declare_bus_queues(["worker.declared"])
        before = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert (
            value(before, "troc_bus_messages_dead_lettered_total", queue="worker.declared") == 0
        )  # present before the first message
        metrics.count_bus("consumed", "worker.declared", 2)
        after = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        name = "troc_bus_messages_consumed_total"
        assert (
            value(after, name, queue="worker.declared")
            - value(before, name, queue="worker.declared")
            == 2
        )
        assert value(after, "troc_test_worker_gauge", kind="a") == 4
        with pytest.raises(ConfigError, match=f"TROC_METRICS_PORT {port}"):
            metrics.serve_worker_metrics(settings)  # the port is taken
    finally:
        server.close()


def test_clear_directory_removes_the_multiprocess_files_only(tmp_path: Path) -> None:
    for name in ("counter_1.db", "histogram_2.db", "keep.txt"):
        (tmp_path / name).write_text("x")
    assert metrics.clear_directory(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


# --- who may scrape ------------------------------------------------------------------------------


def _metrics_app(tmp_path: Path, *, anonymous: bool, token: str = "") -> Flask:
    from dataclasses import replace

    settings = replace(
        TokenFactory(tmp_path / "keys").settings(service_name="edge"), metrics_token=token
    )
    app, _api = create_base_app(settings, title="T", version="1", anonymous_metrics=anonymous)
    return app


def test_a_public_port_serves_metrics_to_the_loopback_only(tmp_path: Path) -> None:
    """The gateway's port faces the internet: no metrics there without the token."""
    client = _metrics_app(tmp_path, anonymous=False).test_client()
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 404 and outside.mimetype == "application/problem+json"
    # Behind a proxy the gateway trusts, the client is in REMOTE_ADDR and the peer kept aside.
    proxied = client.get(
        "/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1", "troc.peer": "10.0.0.7"}
    )
    assert proxied.status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200


def test_with_a_token_every_scrape_must_send_it(tmp_path: Path) -> None:
    client = _metrics_app(tmp_path, anonymous=False, token="s3cret-metrics").test_client()
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 401
    wrong = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
    scraped = client.get(
        "/metrics", environ_base=outside, headers={"Authorization": "Bearer s3cret-metrics"}
    )
    assert scraped.status_code == 200 and b"troc_http_request_duration_seconds" in scraped.data


def test_an_internal_service_serves_its_metrics_to_its_network(tmp_path: Path) -> None:
    client = _metrics_app(tmp_path, anonymous=True).test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200
