"""Invoices between the two demo networks, through the gateway, services as processes.

The agricultural exchange (unit GRN, VAT settled in euros, 2 % commission in euros) keeps its
books in a database of its own (``TROC_LEDGER_NETWORK_DATABASES``), Troc Actif (unit ACT, 5 %
commission in its unit) in the ledger's. The operator sets the demo link's rate to 2 (1 ACT =
2 GRN). A member of Agri-échange invoices a Troc Actif member 300.00 GRN excl. VAT: the buyer
sees 150.00 ACT at 0.5 ACT per GRN, accepts, the seller's association validates, and the
ledger's saga moves exactly the frozen amounts on both sides; the buyer's network charges its
5 % on the buyer's side. Then: a refusal on the seller's side (its clearing limit too small:
voided, nothing moves, the invoice goes back to the seller), and the ledger's worker killed
(``kill -9``) while the saga runs and started again (it settles once). Each time both networks'
balances sum to zero (the ledger's invariants command) and the clearing balances mirror.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.testing.databases import service_test_settings
from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually

pytestmark = pytest.mark.e2e

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"
OPERATOR = "operator@demo.trocactif.org"
PIE_ANIMATOR = "animation@pie.demo.trocactif.org"
AGRI_ANIMATOR = "animation@agri-beauce.demo.trocactif.org"
SELLER = "contact@earl-plaine.demo.trocactif.org"
BUYER = "contact@atelier-lumiere.demo.trocactif.org"
ADDRESS = {"street": "4 route de Chartres", "postal_code": "28300", "city": "Mainvilliers"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    folder = tmp_path_factory.mktemp("fedinvoices")
    agri_books = service_test_settings(
        "ledger", folder, database="ledgeragriinv", migrations=MIGRATIONS
    ).database_url
    with running_platform(
        folder,
        services=("gateway", "ledger", "invoices"),
        tag="fedinv",
        env={"TROC_LEDGER_NETWORK_DATABASES": json.dumps({"agri-echange": agri_books})},
    ) as started:
        yield started


class Trade:
    """The demo's two networks seen from the test: logins, the link, balances."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.operator = platform.login(OPERATOR)
        self.pie = platform.login(PIE_ANIMATOR)
        self.agri = platform.login(AGRI_ANIMATOR)
        self.seller_headers = platform.login(SELLER)
        self.buyer_headers = platform.login(BUYER)
        self.seller = self._member("agri-beauce", "EARL de la Plaine", self.agri)
        self.buyer = self._member("pie", "Atelier Lumière Design", self.pie)
        self.link = self._demo_link()

    def _member(self, tenant: str, name: str, headers: dict[str, str]) -> str:
        items = self.platform.get(f"/t/{tenant}/members", headers, per_page=100)["items"]
        (member,) = [m for m in items if m["name"] == name]
        return str(member["id"])

    def _demo_link(self) -> str:
        def opened() -> str | None:
            items = self.platform.get("/federation/links", self.operator)["items"]
            (link,) = [
                i
                for i in items
                if {i["network_a"], i["network_b"]} == {"troc-actif", "agri-echange"}
            ]
            both = link["clearing_balance_a"] is not None and link["clearing_balance_b"] is not None
            return str(link["id"]) if both else None

        found: str = eventually(opened, timeout=60, what="the clearing accounts")
        return found

    def set_link(self, **changes: str) -> None:
        changed = requests.patch(
            f"{self.platform.url}/federation/links/{self.link}",
            headers=self.operator,
            json=changes,
            timeout=15,
        )
        assert changed.status_code == 200, changed.text

    def clearing(self) -> tuple[str, str]:
        shown = self.platform.get(f"/federation/links/{self.link}", self.operator)
        return shown["clearing_balance_a"], shown["clearing_balance_b"]

    def balances(self) -> tuple[str, str]:
        """The buyer's balance (ACT, Troc Actif) and the seller's (GRN, Agri-échange)."""
        buyer = self.platform.get(f"/t/pie/accounts/{self.buyer}", self.pie)
        seller = self.platform.get(f"/t/agri-beauce/accounts/{self.seller}", self.agri)
        return buyer["balance"], seller["balance"]

    def pending(self) -> str:
        return str(self.platform.get(f"/t/pie/accounts/{self.buyer}", self.pie)["pending_debits"])

    def invoice(self, amount: str = "300.00") -> dict[str, Any]:
        """A draft from the Agri-échange seller to the Troc Actif buyer, issued."""
        draft = self.platform.post(
            "/t/agri-beauce/invoices",
            self.seller_headers,
            json={
                "buyer_member_id": self.buyer,
                "payment_mode": 100,
                "delivery_date": time.strftime("%Y-%m-%d"),
                "seller_address": ADDRESS,
                "buyer_address": {
                    "street": "12 rue de la Roquette",
                    "postal_code": "75011",
                    "city": "Paris",
                },
                "lines": [
                    {
                        "description": "Paniers de légumes",
                        "quantity": "1",
                        "unit_price": amount,
                        "vat_rate": "20",
                    }
                ],
            },
            status=201,
        )
        assert (draft["buyer_network"], draft["rate_frozen"]) == ("troc-actif", False)
        path = f"/t/agri-beauce/invoices/{draft['id']}"
        issued: dict[str, Any] = self.platform.post(f"{path}/issue", self.seller_headers)
        assert (issued["status"], issued["rate_frozen"]) == ("issued", True)
        return issued

    def accept_and_validate(self, invoice: dict[str, Any]) -> dict[str, Any]:
        accepted = self.platform.post(f"/t/pie/invoices/{invoice['id']}/accept", self.buyer_headers)
        assert accepted["status"] == "awaiting_validation", accepted
        validated: dict[str, Any] = self.platform.post(
            f"/t/agri-beauce/invoices/{invoice['id']}/validate", self.agri
        )
        assert validated["status"] == "validated", validated
        return validated

    def ended(self, invoice: dict[str, Any], *statuses: str) -> dict[str, Any]:
        path = f"/t/agri-beauce/invoices/{invoice['id']}"

        def done() -> dict[str, Any] | None:
            found: dict[str, Any] = self.platform.get(path, self.agri)
            return found if found["status"] in statuses else None

        found: dict[str, Any] = eventually(done, timeout=90, what=f"invoice {invoice['number']}")
        return found

    def commission(self, tenant: str, number: str, headers: dict[str, str]) -> tuple[str, ...]:
        """The invoice's commission row in ``tenant``'s network: amount, charged_in, side."""
        month = time.strftime("%Y-%m")
        response = requests.get(
            f"{self.platform.url}/t/{tenant}/invoices/commissions",
            params={"month": month},
            headers=headers,
            timeout=15,
        )
        assert response.status_code == 200, response.text
        rows = list(csv.DictReader(io.StringIO(response.text)))
        (row,) = [r for r in rows if r["invoice_number"] == number]
        return row["amount"], row["charged_in"], row["side"]

    def fee_total(self, network: str) -> int:
        found = self.platform.get(f"/networks/{network}/commissions", self.operator)
        return cents(str(found["total"]))

    def invariants(self) -> None:
        checked = self.platform.cli("ledger", "invariants")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert json.loads(checked.stdout.strip().splitlines()[-1]) == {"ok": True, "violations": 0}


def cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


@pytest.fixture(scope="module")
def trade(platform: Platform) -> Trade:
    found = Trade(platform)
    found.set_link(rate="2")  # 1 ACT = 2 GRN: 1 GRN = 0.5 ACT
    return found


def test_an_agri_member_invoices_a_troc_actif_member_and_both_sides_move_exactly(
    trade: Trade,
) -> None:
    buyer_before, seller_before = trade.balances()
    clearing_before = trade.clearing()
    fees_before = trade.fee_total("troc-actif")
    invoice = trade.invoice("300.00")
    # VAT is settled in euros in Agri-échange: the unit part is the amount excl. VAT.
    assert (invoice["unit_part"], invoice["unit"]["code"]) == ("300.00", "GRN")
    assert (invoice["exchange_rate"], invoice["buyer_unit_part"]) == ("0.5", "150.00")
    assert invoice["buyer_unit"]["code"] == "ACT"
    # The buyer's association sees it in its own lists, read only.
    listed = trade.platform.get("/t/pie/invoices", trade.pie, per_page=100)["items"]
    (seen,) = [i for i in listed if i["id"] == invoice["id"]]
    assert (seen["read_only"], seen["buyer_unit_part"]) == (True, "150.00")
    # A change of the link's rate after issue changes nothing of the invoice.
    trade.set_link(rate="4")
    try:
        trade.accept_and_validate(invoice)
        settled = trade.ended(invoice, "settled", "issued")
    finally:
        trade.set_link(rate="2")
    assert settled["status"] == "settled", settled
    assert settled["buyer_commission"]["amount"] == "7.50"  # 5 % of 150.00 ACT excl. VAT

    def moved() -> tuple[str, str] | None:
        now = trade.balances()
        # The buyer pays 150.00 ACT and its network's commission, 7.50 ACT.
        expected = (cents(buyer_before) - 15750, cents(seller_before) + 30000)
        return now if (cents(now[0]), cents(now[1])) == expected else None

    eventually(moved, timeout=60, what="both members' balances")
    a, b = trade.clearing()
    # Troc Actif's clearing account for Agri-échange received 150.00 ACT; Agri-échange's
    # clearing account for Troc Actif paid 300.00 GRN.
    assert cents(a) - cents(clearing_before[0]) == 15000
    assert cents(b) - cents(clearing_before[1]) == -30000
    assert trade.pending() == "0.00"
    # Each network's commission on its own side: Agri-échange's 2 % in euros on the seller,
    # recorded; Troc Actif's 5 % in its unit on the buyer, in its fee account.
    assert trade.commission("agri-beauce", invoice["number"], trade.agri) == (
        "6.00",
        "euro",
        "seller",
    )
    assert trade.commission("pie", invoice["number"], trade.pie) == ("7.50", "unit", "buyer")
    eventually(
        lambda: trade.fee_total("troc-actif") - fees_before == 750,
        timeout=60,
        what="Troc Actif's fee account",
    )
    trade.invariants()


def test_a_refusal_on_the_sellers_side_voids_both_and_the_seller_may_act(trade: Trade) -> None:
    before, clearing_before = trade.balances(), trade.clearing()
    # Agri-échange (network b) lets its clearing account go only 1.00 further below zero.
    trade.set_link(limit_b=f"{(-cents(clearing_before[1]) + 100) / 100:.2f}")
    try:
        invoice = trade.invoice("50.00")
        trade.accept_and_validate(invoice)
        back = trade.ended(invoice, "issued", "settled")
    finally:
        trade.set_link(limit_b="5000.00")
    assert back["status"] == "issued", back
    assert back["last_refusal"]["code"], back
    assert trade.balances() == before
    assert trade.clearing() == clearing_before
    assert trade.pending() == "0.00"
    trade.invariants()


def test_the_ledger_worker_killed_while_the_saga_runs_settles_once_when_back(
    trade: Trade,
) -> None:
    """``kill -9`` of the ledger's worker as soon as the saga is seen past ``started`` (polled
    every few milliseconds: in practice at ``payer_held``, between the two holds, though a fast
    worker may be further): started again, it settles the invoice once, both sides exactly."""
    buyer_before, seller_before = trade.balances()
    clearing_before = trade.clearing()
    invoice = trade.invoice("80.00")  # 40.00 ACT for the buyer, plus 2.00 ACT commission
    accepted = trade.platform.post(f"/t/pie/invoices/{invoice['id']}/accept", trade.buyer_headers)
    saga_path = f"/federation/links/{trade.link}/transfers/{accepted['transfer_id']}"
    trade.platform.post(f"/t/agri-beauce/invoices/{invoice['id']}/validate", trade.agri)
    deadline, seen = time.monotonic() + 60, ""
    while time.monotonic() < deadline:
        found = requests.get(f"{trade.platform.url}{saga_path}", headers=trade.agri, timeout=5)
        seen = found.json()["status"] if found.status_code == 200 else ""
        if seen and seen != "started":
            break
        time.sleep(0.005)
    trade.platform.kill("ledger-worker")
    assert seen and seen != "started", seen
    try:
        time.sleep(1)
    finally:
        trade.platform.restart("ledger-worker")
    settled = trade.ended(invoice, "settled", "issued")
    assert settled["status"] == "settled", settled

    def moved() -> tuple[str, str] | None:
        now = trade.balances()
        expected = (cents(buyer_before) - 4200, cents(seller_before) + 8000)
        return now if (cents(now[0]), cents(now[1])) == expected else None

    eventually(moved, timeout=60, what="both members' balances")
    a, b = trade.clearing()
    assert (cents(a) - cents(clearing_before[0]), cents(b) - cents(clearing_before[1])) == (
        4000,
        -8000,
    )
    saga = trade.platform.get(saga_path, trade.agri)
    assert saga["status"] == "posted", saga
    trade.invariants()
