"""Trade in the demo of ``make run``: invoices settled, one paid half in euros, a credit note,
invoices waiting for the animators, and the notifications these bring.

It drives the running platform through the gateway's public HTTP API, as the members and
animators would from the pages: each invoice is drafted and issued by the seller, validated by
the tenant's animator, settled by the ledger through the bus. So every invariant holds (the
ledger posts every transfer itself). Idempotent: a tenant whose first demo seller already has
invoices is left as it is, so ``make run`` may run it on every start.

Usage: python scripts/demo_trades.py [--url http://127.0.0.1:8000] [--timeout 120]
Standard library and requests only (installed with the platform).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import requests

T = TypeVar("T")
DOMAIN = "demo.trocactif.org"


@dataclass(frozen=True)
class Trade:
    """One invoice of the demo: who sells what to whom, and where it ends."""

    seller: str  # the company's demo handle: contact@<handle>.demo.trocactif.org
    buyer: str
    description: str
    amount: str  # excluding VAT, in the network's unit
    outcome: str  # "settled", "awaiting" (the animator's queue) or "credited" (settled, cancelled)
    payment_mode: int = 100
    days_ago: int = 0  # the delivery date, days before today


TRADES: dict[str, tuple[Trade, ...]] = {
    "pie": (
        Trade(
            "atelier-lumiere",
            "bles-dor",
            "Identité visuelle de la boutique",
            "420.00",
            "settled",
            days_ago=150,
        ),
        Trade(
            "bles-dor",
            "imprimerie-marais",
            "Buffet de l'inauguration (40 couverts)",
            "260.00",
            "settled",
            days_ago=110,
        ),
        Trade(
            "imprimerie-marais",
            "atelier-lumiere",
            "Impression de 2 000 catalogues",
            "380.00",
            "settled",
            payment_mode=50,
            days_ago=75,
        ),
        Trade(
            "atelier-lumiere",
            "imprimerie-marais",
            "Maquette de flyers",
            "120.00",
            "credited",
            days_ago=40,
        ),
        Trade(
            "bles-dor",
            "atelier-lumiere",
            "Viennoiseries pour un séminaire",
            "95.00",
            "awaiting",
            days_ago=3,
        ),
    ),
    "fa-mgp": (
        Trade(
            "menuiserie-dubois",
            "saveurs-saint-denis",
            "Comptoir en chêne sur mesure",
            "560.00",
            "settled",
            days_ago=200,
        ),
        Trade(
            "creteil-conseil",
            "menuiserie-dubois",
            "Bilan et liasse fiscale 2025",
            "480.00",
            "settled",
            days_ago=95,
        ),
        Trade(
            "saveurs-saint-denis",
            "creteil-conseil",
            "Cocktail de fin d'année",
            "310.00",
            "awaiting",
            days_ago=2,
        ),
    ),
    "initiactive-95": (
        Trade(
            "garage-cergy",
            "jardins-versailles",
            "Révision de deux utilitaires",
            "340.00",
            "settled",
            days_ago=130,
        ),
        Trade(
            "jardins-versailles",
            "garage-cergy",
            "Aménagement paysager du parking",
            "450.00",
            "awaiting",
            days_ago=5,
        ),
    ),
    "fa-77-91": (
        Trade(
            "brasserie-melun",
            "evry-digital",
            "Bières pour un salon professionnel",
            "220.00",
            "settled",
            days_ago=160,
        ),
        Trade(
            "evry-digital",
            "brasserie-melun",
            "Refonte du site de vente en ligne",
            "640.00",
            "settled",
            days_ago=60,
        ),
    ),
}
ADDRESS_FALLBACK = {"street": "1 rue de la Paix", "postal_code": "75002", "city": "Paris"}


class DemoError(RuntimeError):
    """The platform refused a step of the demo."""


def eventually(check: Callable[[], T | None], timeout: float, what: str) -> T:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except (requests.RequestException, DemoError, KeyError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise DemoError(f"timed out waiting for {what}")
        time.sleep(0.5)


class Client:
    """One demo user's session of the gateway's API."""

    def __init__(self, base: str, email: str, password: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.trust_env = False
        response = self.session.post(
            f"{base}/auth/token", timeout=15, json={"email": email, "password": password}
        )
        if response.status_code != 200:
            raise DemoError(f"login of {email}: {response.status_code} {response.text[:200]}")
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        self.me: dict[str, Any] = self.call("GET", "/me")

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base}{path}", timeout=30, **kwargs)
        if response.status_code >= 400:
            raise DemoError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None


def _member(client: Client, tenant: str, member_id: str) -> dict[str, Any]:
    member: dict[str, Any] = client.call("GET", f"/t/{tenant}/members/{member_id}")
    return member


def _address(member: dict[str, Any]) -> dict[str, str]:
    address = member.get("address") or {}
    return {key: str(address.get(key) or ADDRESS_FALLBACK[key]) for key in ADDRESS_FALLBACK}


def _trade(tenant: str, trade: Trade, clients: dict[str, Client], animator: Client) -> str:
    seller, buyer = clients[trade.seller], clients[trade.buyer]
    seller_member = _member(seller, tenant, seller.me["member_id"])
    buyer_member = _member(seller, tenant, buyer.me["member_id"])
    delivered = (datetime.now(UTC) - timedelta(days=trade.days_ago)).date().isoformat()
    invoice = seller.call(
        "POST",
        f"/t/{tenant}/invoices",
        json={
            "buyer_member_id": buyer.me["member_id"],
            "payment_mode": trade.payment_mode,
            "delivery_date": delivered,
            "seller_address": _address(seller_member),
            "buyer_address": _address(buyer_member),
            "lines": [
                {
                    "description": trade.description,
                    "quantity": "1",
                    "unit_price": trade.amount,
                    "vat_rate": "20",
                }
            ],
        },
    )
    path = f"/t/{tenant}/invoices/{invoice['id']}"
    number = str(seller.call("POST", f"{path}/issue").get("number") or invoice["id"])

    def status() -> str:
        return str(animator.call("GET", path)["status"])

    if (
        eventually(
            lambda: status() if status() in {"awaiting_validation", "accepted", "issued"} else None,
            60,
            "the invoice",
        )
        == "issued"
    ):
        buyer.call("POST", f"{path}/accept")  # a network where the buyer accepts first
    eventually(lambda: status() == "awaiting_validation", 60, "the buyer's hold")
    if trade.outcome == "awaiting":
        return f"{number} waits for validation"
    animator.call("POST", f"{path}/validate")
    eventually(lambda: status() == "settled", 90, "the settlement")
    if trade.outcome == "credited":
        cancelled = seller.call(
            "POST", f"{path}/cancel", json={"reason": "Prestation annulée à la demande du client"}
        )
        note = f"/t/{tenant}/invoices/{cancelled['credit_note_id']}"
        eventually(
            lambda: animator.call("GET", note).get("reversal_status") == "posted",
            90,
            "the credit note's reversal",
        )
        return f"{number} settled, then cancelled by a credit note"
    return f"{number} settled"


def seed_trades(base: str, password: str, timeout: float) -> list[str]:
    """Trade in every demo tenant that has not traded yet; return what was done."""
    done: list[str] = []
    for tenant, trades in TRADES.items():
        handles = {h for t in trades for h in (t.seller, t.buyer)}
        clients = {h: Client(base, f"contact@{h}.{DOMAIN}", password) for h in sorted(handles)}
        animator = Client(base, f"animation@{tenant}.{DOMAIN}", password)
        first = clients[trades[0].seller]
        if first.call("GET", f"/t/{tenant}/invoices", params={"per_page": 1})["total"]:
            done.append(f"{tenant}: already traded, left as it is")
            continue
        for client in clients.values():  # the ledger opens the accounts from the bus
            account = f"/t/{tenant}/accounts/{client.me['member_id']}"
            eventually(
                lambda path=account, by=animator: by.call("GET", path),
                timeout,
                f"the ledger account of {client.me['user']['email']}",
            )
        for trade in trades:
            done.append(
                f"{tenant}: {trade.seller} -> {trade.buyer}: "
                f"{_trade(tenant, trade, clients, animator)}"
            )
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    port = os.environ.get("TROC_GATEWAY_PORT", "8000")
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}", help="the gateway")
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds to wait for the ledger to open the demo accounts",
    )
    args = parser.parse_args(argv)
    password = os.environ.get("TROC_DEMO_PASSWORD", "troc-demo")
    try:
        for line in seed_trades(args.url.rstrip("/"), password, args.timeout):
            print(f"  {line}")
    except (DemoError, requests.RequestException) as exc:
        print(f"demo_trades: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
