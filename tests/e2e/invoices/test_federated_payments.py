"""A direct payment between the two demo networks, through the gateway, services as processes.

The same demo as the cross-network invoices (``test_federation``): Agri-échange (unit GRN) keeps
its books in a database of its own, Troc Actif (unit ACT) in the ledger's, and the operator sets
the link's rate to 2 (1 ACT = 2 GRN). The operator lets Troc Actif's members pay without an
invoice; a Troc Actif member then pays an Agri-échange member 40.00 ACT directly: the response
shows the payee's side (80.00 GRN at 2, frozen), nothing is held, the payee's association
validates, and the ledger's saga moves exactly the two frozen amounts. Then a refusal on the
payee's side (its clearing limit too small): the payment ends refused with the reason and
nothing moves. Each time both networks' balances sum to zero (the ledger's invariants command)
and the clearing balances mirror.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.testing.databases import service_test_settings
from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually

from .test_federation import Trade, cents

pytestmark = pytest.mark.e2e

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    folder = tmp_path_factory.mktemp("fedpayments")
    agri_books = service_test_settings(
        "ledger", folder, database="ledgeragripay", migrations=MIGRATIONS
    ).database_url
    with running_platform(
        folder,
        services=("gateway", "ledger", "invoices"),
        tag="fedpay",
        env={"TROC_LEDGER_NETWORK_DATABASES": json.dumps({"agri-echange": agri_books})},
    ) as started:
        yield started


@pytest.fixture(scope="module")
def trade(platform: Platform) -> Trade:
    found = Trade(platform)
    found.set_link(rate="2")  # 1 ACT = 2 GRN
    allowed = requests.patch(
        f"{platform.url}/networks/troc-actif",
        headers=found.operator,
        json={"direct_payments": "both"},
        timeout=15,
    )
    assert allowed.status_code == 200, allowed.text
    return found


def pay(trade: Trade, amount: str) -> dict[str, Any]:
    """The Troc Actif member pays the Agri-échange member ``amount`` ACT (once the invoices
    service has learnt that Troc Actif allows direct payments)."""
    body = {"payee_member_id": trade.seller, "amount": amount, "description": "Paille, 2 t"}
    headers = {**trade.buyer_headers, "Idempotency-Key": uuid.uuid4().hex}

    def created() -> dict[str, Any] | None:
        response = requests.post(
            f"{trade.platform.url}/t/pie/payments", headers=headers, json=body, timeout=15
        )
        if response.status_code == 403 and response.json()["code"] == "direct_payments_off":
            return None
        assert response.status_code == 201, response.text
        found: dict[str, Any] = response.json()
        return found

    payment: dict[str, Any] = eventually(created, timeout=60, what="direct payments allowed")
    return payment


def ended(trade: Trade, payment: dict[str, Any], *statuses: str) -> dict[str, Any]:
    path = f"/t/agri-beauce/payments/{payment['id']}"

    def done() -> dict[str, Any] | None:
        found: dict[str, Any] = trade.platform.get(path, trade.agri)
        return found if found["status"] in statuses else None

    found: dict[str, Any] = eventually(done, timeout=90, what=f"payment {payment['id']}")
    return found


def test_a_troc_actif_member_pays_an_agri_member_and_both_sides_move_exactly(
    trade: Trade,
) -> None:
    buyer_before, seller_before = trade.balances()
    clearing_before = trade.clearing()
    payment = pay(trade, "40.00")
    assert (payment["amount"], payment["unit"], payment["payee_network"]) == (
        "40.00",
        "ACT",
        "agri-echange",
    )
    assert (payment["exchange_rate"], payment["converted_amount"]) == ("2", "80.00")
    assert (payment["converted_unit"], payment["rate_frozen"]) == ("GRN", True)
    assert payment["status"] == "awaiting_validation", payment
    assert trade.pending() == "0.00"  # nothing held before validation
    # A change of the link's rate after creation changes nothing of the payment.
    trade.set_link(rate="4")
    try:
        path = f"/t/agri-beauce/payments/{payment['id']}/validate"
        validated = trade.platform.post(path, trade.agri)
        assert validated["status"] == "validated", validated
        settled = ended(trade, payment, "settled", "refused")
    finally:
        trade.set_link(rate="2")
    assert settled["status"] == "settled", settled

    def moved() -> tuple[str, str] | None:
        now = trade.balances()
        expected = (cents(buyer_before) - 4000, cents(seller_before) + 8000)
        return now if (cents(now[0]), cents(now[1])) == expected else None

    eventually(moved, timeout=60, what="both members' balances")
    a, b = trade.clearing()
    # Troc Actif's clearing account for Agri-échange received 40.00 ACT; Agri-échange's
    # clearing account for Troc Actif paid 80.00 GRN.
    assert cents(a) - cents(clearing_before[0]) == 4000
    assert cents(b) - cents(clearing_before[1]) == -8000
    assert trade.pending() == "0.00"
    # The payer's association sees it settled in its own tenant.
    seen = trade.platform.get(f"/t/pie/payments/{payment['id']}", trade.pie)
    assert (seen["status"], seen["converted_amount"]) == ("settled", "80.00")
    trade.invariants()


def test_a_refusal_on_the_payees_side_refuses_the_payment_and_moves_nothing(
    trade: Trade,
) -> None:
    before, clearing_before = trade.balances(), trade.clearing()
    # Agri-échange (network b) lets its clearing account go only 1.00 further below zero.
    trade.set_link(limit_b=f"{(-cents(clearing_before[1]) + 100) / 100:.2f}")
    try:
        payment = pay(trade, "40.00")
        trade.platform.post(f"/t/agri-beauce/payments/{payment['id']}/validate", trade.agri)
        refused = ended(trade, payment, "refused", "settled")
    finally:
        trade.set_link(limit_b="5000.00")
    assert refused["status"] == "refused", refused
    assert refused["last_refusal"]["code"], refused
    assert trade.balances() == before
    assert trade.clearing() == clearing_before
    assert trade.pending() == "0.00"
    trade.invariants()
