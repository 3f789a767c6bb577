"""The settlement saga with the real ledger: the ledger and the invoices as processes (gunicorn +
worker each) on the environment's database and a bus of their own (RabbitMQ vhost or filesystem).

- the whole saga moves the buyer's unit part to the seller exactly, and the commission to the
  network's fee account;
- the ledger's worker is down while the animator validates: the invoice settles exactly once
  when it returns (and the invoices' worker may restart meanwhile);
- every command and every ledger event of the saga delivered twice: nothing applied twice;
- concurrent accepts cannot push a buyer below its credit limit.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import requests
from kombu import Exchange, Queue

from chassis.auth import ANIMATOR, MEMBER
from chassis.bus import republish
from chassis.testing.metrics import grew, scrape, total
from chassis.testing.processes import free_port
from chassis.testing.services import RunningServices, running_services
from chassis.testing.waiting import eventually
from contracts import gateway as gw
from contracts.topology import platform_topology
from invoices.domain import ids

pytestmark = pytest.mark.e2e


class Saga:
    """The ledger and the invoices as processes, seen from the saga's tests."""

    def __init__(self, services: RunningServices, invoices_worker_metrics: str) -> None:
        self.services = services
        self.ledger_url = services.url("ledger")
        self.invoices_url = services.url("invoices")
        self.tokens = services.tokens
        self.ledger_worker = services.worker("ledger")
        self.invoices_worker = services.worker("invoices")
        #: The invoices worker's own /metrics (TROC_METRICS_PORT, its own folder), as deployed.
        self.invoices_worker_metrics = invoices_worker_metrics

    def publish(self, message: object, *, network: str, tenant: str | None = None) -> None:
        self.services.publish(message, network=network, tenant=tenant)

    def logs(self) -> str:
        return self.services.logs()


@pytest.fixture(scope="module")
def saga(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Saga]:
    tmp = tmp_path_factory.mktemp("saga")
    metrics_port = free_port()
    with running_services(
        tmp,
        ["ledger", "invoices"],
        platform_topology(),
        tag="saga",
        worker_env={
            "invoices": {
                "TROC_METRICS_DIR": str(tmp / "metrics-invoices-worker"),
                "TROC_METRICS_PORT": str(metrics_port),
            }
        },
    ) as services:
        yield Saga(services, f"http://127.0.0.1:{metrics_port}/metrics")


ADDRESS = {"street": "1 rue de la Paix", "postal_code": "75002", "city": "Paris"}


@dataclass
class Trade:
    """A network with a seller and buyers, seen from the tests' side of the API."""

    saga: Saga
    network: str
    tenant: str
    seller: uuid.UUID
    buyers: list[uuid.UUID]

    def member(self, member: uuid.UUID) -> dict[str, str]:
        return self.saga.tokens.headers(
            MEMBER, tenant=self.tenant, network=self.network, member_id=member
        )

    def animator(self) -> dict[str, str]:
        return self.saga.tokens.headers(ANIMATOR, tenant=self.tenant, network=self.network)

    def account(self, member: uuid.UUID) -> dict[str, Any]:
        response = requests.get(
            f"{self.saga.ledger_url}/t/{self.tenant}/accounts/{member}",
            headers=self.animator(),
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def fees(self) -> dict[str, Any]:
        """The seller's transfers by id (its commission is one of them)."""
        response = requests.get(
            f"{self.saga.ledger_url}/t/{self.tenant}/accounts/{self.seller}/transfers",
            headers=self.animator(),
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return {t["id"]: t for t in response.json()["items"]}

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.saga.invoices_url}/t/{self.tenant}/invoices/{invoice_id}",
            headers=self.animator(),
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def status(self, invoice_id: str) -> str:
        return str(self.invoice(invoice_id)["status"])

    def issue(self, buyer: uuid.UUID, amount: str = "100.00", rate: str = "20") -> str:
        base = f"{self.saga.invoices_url}/t/{self.tenant}/invoices"
        body = {
            "buyer_member_id": str(buyer),
            "payment_mode": 100,
            "delivery_date": "2026-11-20",
            "seller_address": ADDRESS,
            "buyer_address": ADDRESS,
            "lines": [
                {
                    "description": "Prestation",
                    "quantity": "1",
                    "unit_price": amount,
                    "vat_rate": rate,
                }
            ],
        }
        created = requests.post(base, json=body, headers=self.member(self.seller), timeout=10)
        assert created.status_code == 201, created.text
        invoice_id = str(created.json()["id"])
        issued = requests.post(
            f"{base}/{invoice_id}/issue", headers=self.member(self.seller), timeout=10
        )
        assert issued.status_code == 200, issued.text
        return invoice_id

    def act(
        self, invoice_id: str, action: str, headers: dict[str, str], json: Any = None
    ) -> dict[str, Any]:
        response = requests.post(
            f"{self.saga.invoices_url}/t/{self.tenant}/invoices/{invoice_id}/{action}",
            headers=headers,
            json=json,
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return dict(response.json())


def new_trade(saga: Saga, buyers: int = 1, credit_limit: str = "1000.00") -> Trade:
    network, tenant = f"net-{uuid.uuid4().hex[:8]}", f"t-{uuid.uuid4().hex[:8]}"
    saga.publish(
        gw.NetworkCreated(
            slug=network,
            name="Troc Actif",
            unit=gw.Unit(code="ACT", name="Actif", symbol="A"),
            default_credit_limit=Decimal(credit_limit),
            payment_modes=[100, 50],
            hold_expiry_days=30,
            vat_settlement="unit",
            commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
        ),
        network=network,
    )
    trade = Trade(saga, network, tenant, uuid.uuid4(), [uuid.uuid4() for _ in range(buyers)])
    for member in (trade.seller, *trade.buyers):
        saga.publish(
            gw.MemberAdmitted(
                member_id=member,
                name=f"Entreprise {str(member)[:6]}",
                siret="81234567100015",
                department="75",
                email="contact@example.org",
                vat_number="FR12812345671",
            ),
            network=network,
            tenant=tenant,
        )
    for member in (trade.seller, *trade.buyers):
        assert eventually(lambda m=member: trade.account(m)), saga.logs()
    # The invoices' copy of the directory has arrived once the seller can draft.
    body = {
        "buyer_member_id": str(trade.buyers[0]),
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "lines": [
            {"description": "essai", "quantity": "1", "unit_price": "1.00", "vat_rate": "20"}
        ],
    }
    assert eventually(
        lambda: (
            requests.post(
                f"{saga.invoices_url}/t/{tenant}/invoices",
                headers=trade.member(trade.seller),
                timeout=10,
                json=body,
            ).status_code
            == 201
        )
    ), saga.logs()
    return trade


def settle(trade: Trade, invoice_id: str, buyer: uuid.UUID) -> None:
    trade.act(invoice_id, "accept", trade.member(buyer))
    assert eventually(lambda: trade.status(invoice_id) == "awaiting_validation"), trade.saga.logs()
    trade.act(invoice_id, "validate", trade.animator())
    assert eventually(lambda: trade.status(invoice_id) == "settled"), trade.saga.logs()


def test_the_saga_moves_exactly_the_unit_part_and_charges_the_commission(saga: Saga) -> None:
    web_before = scrape(f"{saga.invoices_url}/metrics")
    worker_before = eventually(lambda: scrape(saga.invoices_worker_metrics))
    trade = new_trade(saga)
    buyer = trade.buyers[0]
    invoice_id = trade.issue(buyer, "250.00")  # 300.00 incl. VAT, all in the unit
    settle(trade, invoice_id, buyer)
    web, worker = scrape(f"{saga.invoices_url}/metrics"), scrape(saga.invoices_worker_metrics)
    # Invoices by state (counted when scraped), the web's requests, the worker's bus messages.
    assert grew(web_before, web, "troc_invoices", state="settled") >= 1
    assert (
        grew(
            web_before,
            web,
            "troc_http_request_duration_seconds_count",
            route="/t/<tenant>/invoices/<uuid:invoice_id>/validate",
            status="200",
        )
        == 1
    )
    assert (
        grew(
            worker_before,
            worker,
            "troc_bus_messages_consumed_total",
            service="invoices",
            queue="invoices.ledger.events",
        )
        >= 2
    )  # the hold placed, the transfer posted
    assert total(worker, "troc_bus_messages_dead_lettered_total", service="invoices") == 0
    assert ("troc_outbox_backlog", frozenset({("service", "invoices")})) in worker
    fee_id = str(ids.commission_transfer_id(uuid.UUID(invoice_id)))
    assert eventually(lambda: fee_id in trade.fees()), saga.logs()
    assert trade.account(buyer)["balance"] == "-300.00"
    assert trade.account(seller := trade.seller)["balance"] == "287.50"  # 300 - 5 % of 250
    assert trade.account(seller)["pending_credits"] == "0.00"
    assert trade.fees()[fee_id]["kind"] == "fee"
    assert eventually(lambda: trade.invoice(invoice_id)["commission"]["amount"] == "12.50")


def test_the_ledger_down_while_the_animator_validates_settles_once_when_it_returns(
    saga: Saga,
) -> None:
    trade = new_trade(saga)
    buyer = trade.buyers[0]
    invoice_id = trade.issue(buyer, "100.00")
    trade.act(invoice_id, "accept", trade.member(buyer))
    assert eventually(lambda: trade.status(invoice_id) == "awaiting_validation"), saga.logs()
    saga.ledger_worker.stop()
    try:
        validated = trade.act(invoice_id, "validate", trade.animator())
        assert validated["status"] == "validated"
        # Validating again (a retry from the UI) changes nothing.
        trade.act(invoice_id, "validate", trade.animator())
        time.sleep(1.0)
        assert trade.status(invoice_id) == "validated"
        assert trade.account(buyer)["balance"] == "0.00"
        saga.invoices_worker.stop()  # the invoices' worker restarts too, meanwhile
        saga.invoices_worker.start()
    finally:
        saga.ledger_worker.start()
    assert eventually(lambda: trade.status(invoice_id) == "settled", timeout=60), saga.logs()
    assert trade.account(buyer)["balance"] == "-120.00"
    assert trade.account(buyer)["pending_debits"] == "0.00"
    statement = requests.get(
        f"{saga.ledger_url}/t/{trade.tenant}/accounts/{buyer}/transfers",
        headers=trade.animator(),
        timeout=10,
    ).json()["items"]
    assert [t["status"] for t in statement] == ["posted"]


@contextlib.contextmanager
def every_message_twice(saga: Saga) -> Iterator[list[int]]:
    """Copy every ledger command and every ledger event into the queues that consume them, so
    each is delivered twice (same message id: at-least-once delivery)."""
    commands = Exchange("ledger.commands", type="direct")
    facts = Exchange("ledger.events", type="topic")
    taps = [
        (
            Queue("test.tap.commands", commands, routing_key="hold_transfer.v1", auto_delete=True),
            "ledger.commands",
        ),
        (
            Queue("test.tap.events", facts, routing_key="#", auto_delete=True),
            "invoices.ledger.events",
        ),
    ]
    copied = [0]
    stop = threading.Event()
    ready = threading.Event()

    def run() -> None:
        with saga.services.bus() as conn:
            channel = conn.channel()
            queue = taps[0][0].bind(channel)
            queue.declare()
            for key in ("post_transfer.v1", "void_transfer.v1", "transfer.v1"):
                queue.bind_to(commands, routing_key=key)
            taps[1][0].bind(channel).declare()
            targets = {tap.name: target for tap, target in taps}

            def on_message(message: Any) -> None:
                from_events = message.delivery_info.get("exchange") == "ledger.events"
                target = targets["test.tap.events" if from_events else "test.tap.commands"]
                republish(channel, message, target, dict(message.headers or {}))
                copied[0] += 1
                message.ack()

            consumer = conn.Consumer([tap for tap, _ in taps], on_message=on_message, accept=None)
            consumer.consume()
            ready.set()
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    conn.drain_events(timeout=0.2)
            consumer.cancel()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield copied
    finally:
        stop.set()
        thread.join(timeout=10)


def test_every_saga_message_delivered_twice_is_applied_once(saga: Saga) -> None:
    trade = new_trade(saga, buyers=2)
    buyer, poor = trade.buyers
    with every_message_twice(saga) as copied:
        settled = trade.issue(buyer, "100.00")
        settle(trade, settled, buyer)
        fee_id = str(ids.commission_transfer_id(uuid.UUID(settled)))
        assert eventually(lambda: fee_id in trade.fees()), saga.logs()
        # A refused hold (the poor buyer), then a cancelled settled invoice (its reversal).
        refused = trade.issue(poor, "2000.00")
        trade.act(refused, "accept", trade.member(poor))
        assert eventually(lambda: trade.invoice(refused)["last_refusal"] is not None)
        cancelled = trade.act(
            settled, "cancel", trade.member(trade.seller), json={"reason": "erreur"}
        )
        note = cancelled["credit_note_id"]
        assert eventually(lambda: trade.invoice(note)["reversal_status"] == "posted"), saga.logs()
        time.sleep(1.0)  # let the last copies arrive
    assert copied[0] >= 8
    invoice = trade.invoice(refused)
    assert (invoice["status"], invoice["last_refusal"]["code"]) == ("issued", "insufficient_credit")
    assert trade.status(settled) == "cancelled"
    # Paid once (120.00), paid back once, commission once (5 % of 100.00).
    assert trade.account(buyer)["balance"] == "0.00"
    assert trade.account(trade.seller)["balance"] == "-5.00"
    assert trade.account(poor)["pending_debits"] == "0.00"
    kinds = sorted(t["kind"] for t in trade.fees().values() if t["status"] == "posted")
    assert kinds == ["fee", "hold", "reversal"]


def test_concurrent_accepts_cannot_push_a_buyer_below_its_credit_limit(saga: Saga) -> None:
    trade = new_trade(saga, credit_limit="1000.00")
    buyer = trade.buyers[0]
    invoices = [trade.issue(buyer, "250.00") for _ in range(6)]  # 300.00 each: 3 fit in 1000
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda i: trade.act(i, "accept", trade.member(buyer)), invoices))

    def outcome() -> dict[str, int] | None:
        statuses = [trade.invoice(i) for i in invoices]
        if any(s["status"] == "accepted" for s in statuses):
            return None
        held = sum(s["status"] == "awaiting_validation" for s in statuses)
        refused = sum(s["status"] == "issued" and s["last_refusal"] is not None for s in statuses)
        return {"held": held, "refused": refused}

    assert eventually(outcome) == {"held": 3, "refused": 3}, saga.logs()
    account = trade.account(buyer)
    assert account["pending_debits"] == "900.00" and account["available"] == "100.00"
    queue = requests.get(
        f"{saga.invoices_url}/t/{trade.tenant}/invoices",
        params={"status": "awaiting_validation"},
        headers=trade.animator(),
        timeout=10,
    ).json()
    assert queue["total"] == 3
    assert eventually(
        lambda: (
            requests.get(
                f"{saga.invoices_url}/t/{trade.tenant}/invoices",
                params={"status": "awaiting_validation"},
                headers=trade.animator(),
                timeout=10,
            ).json()["items"][0]["queue"]["buyer_available"]
            == "100.00"
        )
    )
