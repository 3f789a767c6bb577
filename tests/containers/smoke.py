"""Container smoke test: the barter flow through the gateway of the compose stack's containers.

Run by ``make container-smoke`` (``deploy/podman/smoke.sh``), which builds the images, boots the
stack (``make up``) on ports of its own and passes it here through ``TROC_SMOKE_*``; never
collected by ``make test`` (the file name is not ``test_*.py``). It fails, never skips, when the
stack is missing.

1. the demo is seeded with the gateway's CLI inside the gateway's container;
2. admission: PIE's animator admits a new member, whose ledger account opens;
3. invoice → hold → validation → settlement, with a signed webhook of each ledger event received
   on the host (on the host's side of the stack's own network) and its signature verified;
4. ``python -m ops.health`` (the health command) in a container;
5. faults mid-flow: more invoices are issued, the ledger worker's container is killed while the
   holds are processed, the broker's container while the validations are; both start again and
   every invoice settles exactly once (one posted transfer each, balances moved once, one
   ``transfer_posted`` event each at the receiver).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.testing.platform import eventually
from tests.chaos.receiver import Receipts, webhook_receiver
from tests.unit.gateway.builders import make_siret, vat_for

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "deploy" / "podman" / "stack.sh"
PASSWORD = "troc-demo"  # noqa: S105 (the documented demo password, DESIGN.md §8)
ANIMATOR = "animation@pie.demo.trocactif.org"
SELLER = "contact@atelier-lumiere.demo.trocactif.org"
POSTED = "org.trocactif.ledger.transfer_posted.v1"
LEDGER_TYPES = [
    f"org.trocactif.ledger.{name}.v1"
    for name in (
        "account_opened",
        "transfer_held",
        "transfer_posted",
        "transfer_refused",
        "transfer_voided",
    )
]
#: Invoices of the fault phase.
FAULT_INVOICES = 4
#: Seconds the flow gets to settle (several times what it takes on a quiet machine).
SETTLE = 180.0


def within(
    check: Callable[[], Any], timeout: float, what: str, stack: Stack, *services: str
) -> Any:
    """``eventually``, and on failure the last log lines of ``services`` in the message."""
    try:
        return eventually(check, timeout, what=what)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n" + "".join(stack.logs(s) for s in services)) from exc


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this through `make container-smoke`")
    return value


class Stack:
    """The running compose stack: its engine, its containers and its gateway."""

    def __init__(self) -> None:
        self.engine = _env("TROC_SMOKE_ENGINE")
        self.project = _env("TROC_SMOKE_PROJECT")
        self.url = _env("TROC_SMOKE_GATEWAY_URL").rstrip("/")
        self._containers: dict[str, str] = {}

    def container(self, service: str) -> str:
        if service not in self._containers:
            found = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
                ["bash", str(STACK), "container", service],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout.strip()
            assert found, f"no container for {service}"
            self._containers[service] = found
        return self._containers[service]

    def run(
        self, *args: str, timeout: float = 120, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 (the engine's CLI, arguments of this file)
            [self.engine, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{self.engine} {' '.join(args)}: exit {result.returncode}\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    def network_gateway(self) -> str:
        """The host's address on the stack's own network (where containers reach the host)."""
        inspected = json.loads(self.run("network", "inspect", f"{self.project}_default").stdout)
        (network,) = inspected
        subnets = network.get("subnets") or network.get("IPAM", {}).get("Config") or []
        for subnet in subnets:
            gateway = subnet.get("gateway") or subnet.get("Gateway")
            if gateway and ":" not in gateway:
                return str(gateway)
        raise AssertionError(f"no IPv4 gateway on {self.project}_default: {network}")

    def healthy(self, service: str) -> bool:
        """Its healthcheck passes; for a worker (none), its metrics listener answers, as the
        Kubernetes liveness probe asks (the worker got past its start-up)."""
        name = self.container(service)
        if self.run("inspect", "-f", "{{.Config.Healthcheck}}", name).stdout.strip() in (
            "",
            "<nil>",
        ):
            probe = (
                "import urllib.request as r; r.urlopen('http://127.0.0.1:9464/metrics', timeout=4)"
            )
            return self.run("exec", name, "python", "-c", probe, check=False).returncode == 0
        if self.engine == "podman":
            return self.run("healthcheck", "run", name, check=False).returncode == 0
        status = self.run("inspect", "-f", "{{.State.Health.Status}}", name, check=False)
        return status.stdout.strip() == "healthy"

    def running(self, service: str) -> bool:
        state = self.run(
            "inspect", "-f", "{{.State.Running}}", self.container(service), check=False
        )
        return state.stdout.strip() == "true"

    def kill_and_restart(self, service: str) -> str:
        """``kill -9`` the service's container; it comes back (restart policy, else started)."""
        self.run("kill", "--signal", "KILL", self.container(service))
        deadline = time.monotonic() + 10
        while not self.running(service) and time.monotonic() < deadline:
            time.sleep(0.5)
        if self.running(service):
            how = "restarted by its restart policy"
        else:  # Podman without systemd leaves it stopped
            self.run("start", self.container(service))
            how = "started again"
        within(lambda: self.healthy(service), 120, f"{service} healthy again", self, service)
        return how

    def logs(self, service: str, lines: int = 60) -> str:
        result = self.run("logs", "--tail", str(lines), self.container(service), check=False)
        return result.stdout + result.stderr

    # --- the API, through the gateway's published port ---

    def login(self, email: str) -> dict[str, str]:
        response = requests.post(
            f"{self.url}/auth/token", timeout=15, json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, (email, response.status_code, response.text)
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def get(self, path: str, headers: dict[str, str], **params: Any) -> Any:
        response = requests.get(f"{self.url}{path}", headers=headers, params=params, timeout=15)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def post(self, path: str, headers: dict[str, str], json: Any = None, status: int = 200) -> Any:
        response = requests.post(f"{self.url}{path}", headers=headers, json=json, timeout=15)
        assert response.status_code == status, (path, response.status_code, response.text)
        return response.json()


@pytest.fixture(scope="module")
def stack() -> Stack:
    running = Stack()
    ready = requests.get(f"{running.url}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    seeded = running.run(
        "exec",
        "-e",
        f"TROC_DEMO_PASSWORD={PASSWORD}",
        running.container("gateway"),
        "python",
        "-m",
        "gateway.cli",
        "seed-demo",
        timeout=300,
    )
    assert "demo data ready" in seeded.stdout, seeded.stdout + seeded.stderr
    return running


@pytest.fixture(scope="module")
def receiver(stack: Stack) -> Iterator[tuple[str, Receipts]]:
    with webhook_receiver(stack.network_gateway()) as served:
        yield served


@pytest.fixture(scope="module")
def trade(stack: Stack, receiver: tuple[str, Receipts]) -> dict[str, Any]:
    """Admission of a new buyer, the receiver subscribed: who trades with whom."""
    base_url, receipts = receiver
    animator = stack.login(ANIMATOR)
    seller = stack.login(SELLER)
    hook = stack.post(
        "/t/pie/webhooks",
        animator,
        status=201,
        json={
            "url": f"{base_url}/hooks/pie",
            "event_types": LEDGER_TYPES,
            "description": "container smoke test receiver",
        },
    )
    receipts.secrets["pie"] = hook["secret"]

    siret = make_siret(f"{uuid.uuid4().int % 90_000_000 + 10_000_000}")
    admitted = stack.post(
        "/t/pie/members",
        animator,
        status=201,
        json={
            "name": f"Boulangerie Conteneur {siret[-5:]}",
            "siret": siret,
            "vat_number": vat_for(siret[:9]),
            "address": "8 rue des Fours, 75011 Paris",
            "department": "75",
            "email": f"contact-{siret}@example.fr",
            "phone": "01 23 45 67 89",
        },
    )
    buyer_id = admitted["id"]
    account = eventually(lambda: stack.get(f"/t/pie/accounts/{buyer_id}", animator), 90)
    assert (account["balance"], account["pending_debits"]) == ("0.00", "0.00"), account
    directory = stack.get("/t/pie/members", animator, scope="network", per_page=100)
    items = directory["items"] if isinstance(directory, dict) else directory
    seller_view = next(m for m in items if m["email"] == SELLER)
    buyer_view = next(m for m in items if m["id"] == buyer_id)
    return {
        "animator": animator,
        "seller": seller,
        "seller_view": seller_view,
        "buyer_view": buyer_view,
        "buyer_id": buyer_id,
        "receipts": receipts,
    }


def _address(member: dict[str, Any]) -> dict[str, str]:
    found = member["address"]
    return {"street": found["street"], "postal_code": found["postal_code"], "city": found["city"]}


def issue(stack: Stack, trade: dict[str, Any], price: str) -> dict[str, Any]:
    """Draft (once the invoices' directory knows the buyer) and issue one invoice of ``price``
    excl. VAT at 20 %; the issued invoice (its hold is requested at once in this network)."""
    body = {
        "buyer_member_id": trade["buyer_id"],
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "seller_address": _address(trade["seller_view"]),
        "buyer_address": _address(trade["buyer_view"]),
        "lines": [
            {
                "description": "Affiches (conteneurs)",
                "quantity": "1",
                "unit_price": price,
                "vat_rate": "20",
            }
        ],
    }

    def draft() -> Any:
        response = requests.post(
            f"{stack.url}/t/pie/invoices", json=body, headers=trade["seller"], timeout=15
        )
        return response.json() if response.status_code == 201 else None

    created = eventually(draft, 90)
    assert created, "the invoices service never learned of the new member"
    issued = stack.post(f"/t/pie/invoices/{created['id']}/issue", trade["seller"])
    assert issued["status"] == "accepted", issued
    return dict(issued)


def status(stack: Stack, trade: dict[str, Any], invoice_id: str) -> str:
    return str(stack.get(f"/t/pie/invoices/{invoice_id}", trade["animator"])["status"])


def posted_events(receipts: Receipts) -> dict[str, list[dict[str, Any]]]:
    """The applied ``transfer_posted`` events, by transfer id."""
    found: dict[str, list[dict[str, Any]]] = {}
    with receipts.lock:
        events = list(receipts.events.get("pie", {}).values())
    for event in events:
        if event["type"] == POSTED:
            found.setdefault(str(event["data"]["transfer_id"]), []).append(event)
    return found


def test_barter_flow_through_the_containers_with_a_verified_webhook(
    stack: Stack, trade: dict[str, Any]
) -> None:
    issued = issue(stack, trade, "100.00")
    invoice_id = issued["id"]
    assert issued["unit_part"] == "120.00"
    within(
        lambda: status(stack, trade, invoice_id) == "awaiting_validation",
        90,
        "the hold",
        stack,
        "invoices-worker",
        "ledger-worker",
    )
    stack.post(f"/t/pie/invoices/{invoice_id}/validate", trade["animator"])
    within(
        lambda: status(stack, trade, invoice_id) == "settled",
        90,
        "the settlement",
        stack,
        "invoices-worker",
        "ledger-worker",
    )
    account = stack.get(f"/t/pie/accounts/{trade['buyer_id']}", trade["animator"])
    assert (account["balance"], account["pending_debits"]) == ("-120.00", "0.00"), account

    receipts: Receipts = trade["receipts"]
    transfer = str(issued["transfer_id"])
    within(
        lambda: transfer in posted_events(receipts),
        90,
        "the signed webhook",
        stack,
        "notifications-worker",
    )
    [event] = posted_events(receipts)[transfer]
    assert event["tenant"] == "pie"
    assert Decimal(str(event["data"]["amount"])) == Decimal("120.00")
    assert receipts.forged == []  # every delivery's signature verified


def test_the_health_command_passes_in_a_container(stack: Stack) -> None:
    result = stack.run(
        "exec",
        stack.container("ledger"),
        "python",
        "-m",
        "ops.health",
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_killed_worker_and_a_killed_broker_mid_flow_still_settle_exactly_once(
    stack: Stack, trade: dict[str, Any]
) -> None:
    animator = trade["animator"]
    before = stack.get(f"/t/pie/accounts/{trade['buyer_id']}", animator)
    prices = [f"{10 * (n + 1)}.00" for n in range(FAULT_INVOICES)]
    invoices = [issue(stack, trade, price) for price in prices]
    faults = [f"ledger-worker: {stack.kill_and_restart('ledger-worker')}"]

    def all_awaiting() -> bool:
        return all(status(stack, trade, i["id"]) == "awaiting_validation" for i in invoices)

    within(all_awaiting, SETTLE, "every hold", stack, "ledger-worker", "invoices-worker")
    for invoice in invoices:
        stack.post(f"/t/pie/invoices/{invoice['id']}/validate", animator)
    faults.append(f"rabbitmq: {stack.kill_and_restart('rabbitmq')}")
    print("faults:", "; ".join(faults))

    def all_settled() -> bool:
        return all(status(stack, trade, i["id"]) == "settled" for i in invoices)

    within(all_settled, SETTLE, "every settlement", stack, "ledger-worker", "invoices-worker")

    # Exactly once: the buyer paid each invoice once, and nothing is left held.
    total = sum(Decimal(i["unit_part"]) for i in invoices)
    after = stack.get(f"/t/pie/accounts/{trade['buyer_id']}", animator)
    assert Decimal(after["balance"]) == Decimal(before["balance"]) - total, (before, after)
    assert after["pending_debits"] == "0.00"
    statement = stack.get(f"/t/pie/accounts/{trade['buyer_id']}/transfers", animator)["items"]
    for invoice in invoices:
        mine = [t for t in statement if t["id"] == invoice["transfer_id"]]
        assert [(t["status"], t["amount"]) for t in mine] == [("posted", invoice["unit_part"])], (
            invoice["id"],
            mine,
        )
    paid = [t for t in statement if t["payer"] == trade["buyer_id"] and t["status"] == "posted"]
    assert len(paid) == 1 + FAULT_INVOICES, paid  # the first test's invoice and these

    # One transfer_posted event per transfer, received and verified once each.
    receipts: Receipts = trade["receipts"]
    wanted = {str(i["transfer_id"]) for i in invoices}
    within(
        lambda: wanted <= set(posted_events(receipts)),
        SETTLE,
        "every webhook",
        stack,
        "notifications-worker",
    )
    events = posted_events(receipts)
    assert {t: len(events[t]) for t in wanted} == dict.fromkeys(wanted, 1)
    assert all(count == 1 for count in receipts.applied.values())
    assert receipts.forged == []
