"""The load of ``bench/e2e_bench.py``, for locust (headless, bounded, on 127.0.0.1 only).

Two user classes, chosen on the command line (``locust -f bench/locustfile.py TradeUser``):

* ``TradeUser``: one trade after the other, the whole saga through the gateway: the seller drafts
  and issues an invoice; where the network requires it the buyer accepts; the seller polls until
  the invoice awaits validation; an animator of the seller's tenant validates; the seller polls
  until it is settled. Each user keeps to one route (seller, buyer, animator), so N users keep at
  most N invoices in flight (a closed loop, like pgbench's clients).
* ``ReadUser``: the same read (``GET`` of the paths of the plan) as fast as it goes, each request
  with the next token of the plan: the gateway-overhead runs point it at the gateway or directly
  at the service with the same paths and tokens.

The plan (routes with their bearer tokens, or paths and tokens) is a JSON file named by
``BENCH_E2E_PLAN``; what the users saw (every request's exact latency by name, every trade's
timestamps as the API reported them) is written at the end to ``BENCH_E2E_RECORD``. Locust's
own CSV rounds latencies to whole milliseconds: the driver computes its percentiles from the
record instead.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from locust import FastHttpUser, events, task
from locust.env import Environment

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_E2E_PLAN"]).read_text())
RECORD = Path(os.environ["BENCH_E2E_RECORD"])
#: Seconds between two polls of an invoice's state.
POLL_INTERVAL = float(PLAN.get("poll_interval", 0.05))
#: A step of the saga that takes longer than this is counted as a failure of the trade.
STEP_TIMEOUT = float(PLAN.get("step_timeout", 60))

#: States an invoice does not leave: waiting longer for another one is pointless.
END_STATES = frozenset({"settled", "rejected", "disputed", "expired", "cancelled"})

LATENCIES: dict[str, list[float]] = defaultdict(list)
STATUSES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
TRADES: list[dict[str, Any]] = []
FAILURES: list[str] = []
_user_numbers = itertools.count()


@events.request.add_listener
def _record_request(
    name: str, response_time: float, exception: Exception | None, response: Any = None, **_: Any
) -> None:
    LATENCIES[name].append(response_time)
    status = getattr(response, "status_code", None)
    STATUSES[name][str(status) if exception is None else f"{status or 'error'}"] += 1


@events.quitting.add_listener
def _write_record(environment: Environment, **_: Any) -> None:
    RECORD.write_text(
        json.dumps(
            {
                "latencies_ms": LATENCIES,
                "statuses": STATUSES,
                "trades": TRADES,
                "failures": FAILURES[:50],
                "failure_count": len(FAILURES),
            }
        )
    )


class StepFailed(Exception):
    """A step of a trade did not get the expected answer."""


class TradeUser(FastHttpUser):
    """A seller's trades, one after the other, from draft to settlement."""

    def on_start(self) -> None:
        routes = PLAN["routes"]
        self.route: dict[str, Any] = routes[next(_user_numbers) % len(routes)]

    def _headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.route[who + '_token']}"}

    def _call(
        self, method: str, path: str, who: str, name: str, expected: int = 200, body: Any = None
    ) -> dict[str, Any]:
        with self.client.request(
            method, path, json=body, headers=self._headers(who), name=name, catch_response=True
        ) as response:
            ok = response.status_code == expected
            if ok:
                response.success()
            else:
                response.failure(f"{name}: HTTP {response.status_code}")
        if not ok:
            raise StepFailed(f"{name}: HTTP {response.status_code} {(response.text or '')[:200]}")
        data: dict[str, Any] = response.json()
        return data

    def _until(self, path: str, wanted: str) -> dict[str, Any]:
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            invoice = self._call("GET", path, "seller", f"poll {wanted}")
            if invoice["status"] == wanted:
                return invoice
            if invoice["status"] in END_STATES:
                raise StepFailed(f"invoice {invoice['id']} went {invoice['status']}")
            if time.monotonic() > deadline:
                raise StepFailed(f"invoice {invoice['id']} not {wanted} after {STEP_TIMEOUT} s")
            time.sleep(POLL_INTERVAL)

    @task
    def trade(self) -> None:
        route = self.route
        seller_tenant = route["seller_tenant"]
        started = time.time()
        try:
            draft = self._call(
                "POST",
                f"/t/{seller_tenant}/invoices",
                "seller",
                "draft",
                201,
                {
                    "buyer_member_id": route["buyer_id"],
                    "payment_mode": 100,
                    "delivery_date": datetime.now(UTC).date().isoformat(),
                    "lines": [
                        {
                            "description": "Prestation (banc d'essai)",
                            "quantity": "1",
                            "unit_price": "1.00",
                            "vat_rate": "20",
                        }
                    ],
                },
            )
            path = f"/t/{seller_tenant}/invoices/{draft['id']}"
            self._call("POST", f"{path}/issue", "seller", "issue")
            issued = time.time()
            if route["acceptance"]:
                self._call(
                    "POST",
                    f"/t/{route['buyer_tenant']}/invoices/{draft['id']}/accept",
                    "buyer",
                    "accept",
                )
            self._until(path, "awaiting_validation")
            self._call("POST", f"{path}/validate", "animator", "validate")
            settled = self._until(path, "settled")
        except StepFailed as exc:
            FAILURES.append(str(exc))
            return
        TRADES.append(
            {
                "invoice_id": draft["id"],
                "route": route["name"],
                "network": route["network"],
                "started": started,
                "issued": issued,
                "seen_settled": time.time(),
                "validated_at": settled.get("validated_at"),
                "settled_at": settled.get("settled_at"),
            }
        )


class ReadUser(FastHttpUser):
    """The same read again and again, each request with the next token of the plan."""

    def on_start(self) -> None:
        read = PLAN["read"]
        offset = next(_user_numbers)
        self.tokens = itertools.islice(itertools.cycle(read["tokens"]), offset, None)
        self.paths = itertools.islice(itertools.cycle(read["paths"]), offset, None)

    @task
    def read(self) -> None:
        self.client.get(
            next(self.paths), name="read", headers={"Authorization": f"Bearer {next(self.tokens)}"}
        )
