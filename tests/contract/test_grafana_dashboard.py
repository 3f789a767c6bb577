"""The operator's Grafana dashboard: valid JSON, one Prometheus datasource variable, and only
metric names that the code defines (a renamed metric would leave a panel silently empty)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from chassis import metrics
from chassis.testing.databases import service_test_settings

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "troc-actif.json"
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def dashboard() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return document


def expressions() -> list[str]:
    return [
        target["expr"] for panel in dashboard()["panels"] for target in panel.get("targets", [])
    ]


def defined_by_the_code(tmp_path: Path) -> set[str]:
    """Metric names of every process (chassis and ledger) plus one service's scrape."""
    import ledger.consumer  # noqa: F401 (defines the ledger's counters)
    from invoices.api import create_app

    names = {
        f"{family.name}{suffix}"
        for family in metrics.REGISTRY.collect()
        for suffix in SUFFIXES[family.type]
    }
    migrations = ROOT / "services" / "invoices" / "migrations"
    settings = service_test_settings(
        "invoices", tmp_path, migrations=migrations, backend="sqlite", extra={"TROC_LOG_JSON": "0"}
    )
    client = create_app(settings).test_client()
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    names |= {
        sample.name for family in text_string_to_metric_families(text) for sample in family.samples
    }
    return names


def test_the_dashboard_is_a_grafana_model_on_a_prometheus_datasource_variable() -> None:
    model = dashboard()
    variables = {v["name"]: v for v in model["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    panels = [p for p in model["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in model["panels"]}) == len(model["panels"])
    for panel in panels:
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert panel["targets"], panel["title"]
    titles = " ".join(p["title"].lower() for p in panels)
    for topic in (
        "request rate",
        "p99",
        "5xx",
        "dead-lettered",
        "outbox backlog",
        "refusals",
        "invoices by state",
    ):
        assert topic in titles


def test_every_metric_the_dashboard_queries_is_defined_by_the_code(tmp_path: Path) -> None:
    queried = {name for expr in expressions() for name in re.findall(r"\btroc_\w+", expr)}
    assert queried, "the dashboard queries no troc_ metric"
    missing = queried - defined_by_the_code(tmp_path)
    assert not missing, f"the dashboard queries metrics no code defines: {sorted(missing)}"


@pytest.mark.parametrize(
    "name",
    [
        "troc_outbox_backlog",
        "troc_invoices",
        "troc_ledger_transfers_total",
        "troc_bus_messages_dead_lettered_total",
    ],
)
def test_the_dashboard_shows_each_issue_metric(name: str) -> None:
    assert any(name in expr for expr in expressions())
