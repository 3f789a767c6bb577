"""The end-to-end benchmark's own parts that need no platform: its webhook receiver (signatures,
first arrivals), its summaries and its quick form's options."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from standardwebhooks.webhooks import Webhook

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import e2e_bench  # noqa: E402

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # noqa: S105 (a test secret)


@pytest.fixture
def receiver() -> Iterator[e2e_bench.Receiver]:
    with e2e_bench.Receiver() as running:
        running.secrets["pie"] = SECRET
        yield running


def deliver(
    receiver: e2e_bench.Receiver, tenant: str, event_id: str, invoice_id: str, secret: str = SECRET
) -> int:
    body = json.dumps(
        {
            "id": event_id,
            "type": e2e_bench.SETTLED_TYPE,
            "data": {"invoice_id": invoice_id, "settled_at": "2026-11-26T10:00:00+00:00"},
        }
    )
    now = datetime.now(UTC)
    headers = {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_id, now, body),
        "content-type": "application/cloudevents+json",
    }
    return requests.post(
        f"{receiver.url}/hooks/{tenant}", data=body, headers=headers, timeout=5
    ).status_code


def test_the_receiver_records_first_arrivals_of_signed_deliveries(
    receiver: e2e_bench.Receiver,
) -> None:
    assert deliver(receiver, "pie", "evt-1", "inv-1") == 204
    assert deliver(receiver, "pie", "evt-1", "inv-1") == 204
    arrived, settled = receiver.arrivals["inv-1"]
    assert settled == datetime(2026, 11, 26, 10, tzinfo=UTC).timestamp() < arrived
    assert receiver.counts == {"received": 2, "bad_signature": 0, "redelivered": 1}


def test_the_receiver_refuses_a_bad_signature_or_an_unknown_tenant(
    receiver: e2e_bench.Receiver,
) -> None:
    other = "whsec_" + "c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ="
    assert deliver(receiver, "pie", "evt-2", "inv-2", secret=other) == 401
    assert deliver(receiver, "fa-mgp", "evt-3", "inv-3") == 401
    assert receiver.arrivals == {}
    assert receiver.counts["bad_signature"] == 2


def test_latency_summary_and_quick_options() -> None:
    summary = e2e_bench.latency_summary([float(v) for v in range(1, 101)])
    assert (summary["count"], summary["p50_ms"], summary["p99_ms"]) == (100, 51.0, 99.0)
    assert e2e_bench.latency_summary([])["p50_ms"] is None
    quick = e2e_bench.Options.parse(["--quick", "--reference", "skip"])
    assert (quick.duration, quick.users, quick.tenants, quick.members) == (10, 4, 50, 10)
    full = e2e_bench.Options.parse(["--reference", "skip"])
    assert (full.duration, full.tenants, full.members, full.history_factor) == (45, 1000, 50, 10)


def test_the_soak_lasts_ten_minutes_in_the_full_form_and_the_summary_names_the_targets() -> None:
    assert e2e_bench.Options.parse(["--reference", "skip"]).soak == 600
    assert e2e_bench.Options.parse(["--quick", "--reference", "skip"]).soak == 60
    assert e2e_bench.Options.parse(["--quick", "--soak", "0", "--reference", "skip"]).soak == 0
    bench = e2e_bench.E2EBench(e2e_bench.Options.parse(["--quick", "--reference", "skip"]))

    def scenario(name: str, rate: float, p50: float) -> dict[str, object]:
        return {
            "name": name,
            "settled_per_s": rate,
            "validation_to_settlement": {"p50_ms": p50, "p99_ms": p50 * 2},
            "settlement_to_webhook": {"p50_ms": 40.0},
        }

    bench.scenarios = [
        scenario("base", 4.0, 80.0),
        scenario("tenants", 3.8, 84.0),
        scenario("history", 3.6, 90.0),
    ]
    for s in bench.scenarios:
        s["vs_base"] = {
            "settled_per_s": round(s["settled_per_s"] / 4.0, 2),  # type: ignore[operator]
            "validation_to_settlement_p50": round(
                s["validation_to_settlement"]["p50_ms"] / 80.0, 2
            ),
        }  # type: ignore[index]
    bench.results["gateway_overhead"] = {"rps_ratio": 0.85, "p50_ratio": 1.2}
    bench.results["soak"] = {"outbox_rows_max": 12}
    assert bench.summary() == {
        "scale_settled_ratio": 0.95,
        "scale_p50_ratio": 1.05,
        "history_settled_ratio": 0.9,
        "gateway_rps_ratio": 0.85,
        "gateway_p50_ratio": 1.2,
        "validation_to_settlement_p50_ms": 80.0,
        "settlement_to_webhook_p50_ms": 40.0,
        "outbox_rows_max": 12,
    }


def test_the_soak_line_shows_the_event_logs_growth_apart_from_the_queue() -> None:
    logs = {
        "gateway": {"first": 0, "last": 0},
        "ledger": {"first": 1200, "last": 1900},
        "invoices": {"first": 300, "last": 420},
    }
    assert e2e_bench._log_growth(logs) == "ledger 1200 -> 1900, invoices 300 -> 420"
    assert e2e_bench._log_growth({}) == "none"
