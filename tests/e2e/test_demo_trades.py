"""The demo of ``make run`` trades (scripts/demo_trades.py) through the running platform's API:
settled invoices in every association, one paid half in euros, a credit note, invoices in the
animators' queue, notifications; the ledger's invariants hold, and a second run adds nothing."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chassis.testing.platform import Platform, running_platform

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def _demo_trades() -> ModuleType:
    """scripts/demo_trades.py, loaded once (it is a script, not a package's module)."""
    if "demo_trades" in sys.modules:
        return sys.modules["demo_trades"]
    spec = importlib.util.spec_from_file_location(
        "demo_trades", ROOT / "scripts" / "demo_trades.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_trades"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def traded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, list[str]]]:
    with running_platform(tmp_path_factory.mktemp("demo"), tag="demo") as platform:
        done = _demo_trades().seed_trades(platform.url, platform.password, timeout=120)
        yield platform, done


def _invoices(platform: Platform, tenant: str) -> list[dict[str, Any]]:
    headers = platform.login(f"animation@{tenant}.demo.trocactif.org")
    items: list[dict[str, Any]] = platform.get(f"/t/{tenant}/invoices", headers, per_page=100)[
        "items"
    ]
    return items


def test_every_association_has_settled_and_waiting_invoices(
    traded: tuple[Platform, list[str]],
) -> None:
    platform, done = traded
    trades = _demo_trades().TRADES
    assert len(done) == sum(len(t) for t in trades.values())
    for tenant, wanted in trades.items():
        statuses = [i["status"] for i in _invoices(platform, tenant)]
        assert statuses.count("awaiting_validation") == sum(
            t.outcome == "awaiting" for t in wanted
        ), tenant
        assert "settled" in statuses or "cancelled" in statuses, tenant
    pie = _invoices(platform, "pie")
    assert any(i["payment_mode"] == 50 and i["status"] == "settled" for i in pie)
    assert any(i["status"] == "cancelled" for i in pie)
    assert any(i["kind"] == "credit_note" for i in pie)


def test_the_members_are_notified(traded: tuple[Platform, list[str]]) -> None:
    platform, _done = traded
    headers = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    assert platform.get("/t/pie/notifications", headers)["items"]


def test_the_ledger_invariants_hold_and_a_second_run_adds_nothing(
    traded: tuple[Platform, list[str]],
) -> None:
    platform, _done = traded
    env = {
        **platform.service_env("ledger"),
        "TROC_LEDGER_URL": platform.urls["ledger"],
        "TROC_LEDGER_DATABASE_URL": platform.database_urls["ledger"],
    }
    done = subprocess.run(
        [sys.executable, "-m", "ops.health", "--services", "ledger", "--json"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    rows = json.loads(done.stdout)["rows"]
    invariants = [r for r in rows if r["check"] == "invariants"]
    assert invariants and all(r["status"] == "ok" for r in invariants), invariants
    again = _demo_trades().seed_trades(platform.url, platform.password, timeout=30)
    assert all("already traded" in line for line in again)
