"""Payments without an invoice and membership fees, through the gateway, with the gateway, the
ledger, the invoices and the notifications as processes (gunicorn + worker each) on the
environment's PostgreSQL and RabbitMQ.

- a payment request across two tenants: accepted twice (one hold), validated by the payee's
  animators, balances exact, the description on both statements, both feeds and the event log;
- a request declined, a payment rejected: nothing moves;
- a direct payment beyond the payer's available credit: refused (``last_refusal``), balances
  untouched; replayed with its ``Idempotency-Key``: the same payment;
- below the network's threshold the validation is waived;
- ``direct_payments: off`` (the Troc Actif demo) or ``request``: 403 ``direct_payments_off``;
- a membership fee in the unit charged once per member, even when the invoices' worker is killed
  mid-run and restarted (the transfers counted at the ledger, Σ = 0 with the fee account);
- a fee in euros: recorded due, the member told, paid, and the CSV export guarded.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from tests.unit.gateway.builders import make_siret

pytestmark = pytest.mark.e2e

PASSWORD = "Cotisation et paiement 2026!"
ADDRESS = {"street": "4 route de Chartres", "postal_code": "28300", "city": "Mainvilliers"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(
        tmp_path_factory.mktemp("money"),
        services=("gateway", "ledger", "invoices", "notifications"),
        tag="money",
        env={"TROC_INVOICES_FEES_INTERVAL_S": "0.5"},
    ) as running:
        yield running


@dataclass
class Network:
    """A network made through the gateway's API: tenants, animators, members and their logins."""

    platform: Platform
    slug: str
    operator: dict[str, str]
    animators: dict[str, dict[str, str]] = field(default_factory=dict)
    members: dict[str, tuple[str, str, dict[str, str]]] = field(default_factory=dict)
    #: The member's contact e-mail, where the notifications write to it.
    emails: dict[str, str] = field(default_factory=dict)

    def tenant(self, slug: str) -> None:
        self.platform.post(
            f"/networks/{self.slug}/tenants",
            self.operator,
            json={"slug": slug, "name": f"Association {slug}", "departments": ["28"]},
            status=201,
        )
        email = f"animation@{slug}.example.org"
        self.platform.post(
            f"/t/{slug}/users",
            self.operator,
            json={"email": email, "password": PASSWORD, "role": "animator"},
            status=201,
        )
        self.animators[slug] = self.platform.login(email, PASSWORD)

    def member(self, tenant: str, name: str) -> str:
        """Admit a member with a user; its id (the member's login is in ``members``)."""
        handle = uuid.uuid4().hex[:8]
        created = self.platform.post(
            f"/t/{tenant}/members",
            self.animators[tenant],
            json={
                "name": name,
                "siret": make_siret(f"{random.randrange(10**7, 10**8)}"),
                "department": "28",
                "email": f"contact@{handle}.example.org",
                "address": ADDRESS,
            },
            status=201,
        )
        member_id = str(created["id"])
        self.emails[member_id] = f"contact@{handle}.example.org"
        email = f"user-{handle}@example.org"
        self.platform.post(
            f"/t/{tenant}/users",
            self.animators[tenant],
            json={"email": email, "password": PASSWORD, "role": "member", "member_id": member_id},
            status=201,
        )
        self.members[member_id] = (tenant, name, self.platform.login(email, PASSWORD))
        return member_id

    def as_member(self, member_id: str) -> dict[str, str]:
        return self.members[member_id][2]

    def account(self, member_id: str) -> dict[str, Any]:
        tenant = self.members[member_id][0]
        return dict(self.platform.get(f"/t/{tenant}/accounts/{member_id}", self.animators[tenant]))

    def balance(self, member_id: str) -> Decimal:
        return Decimal(self.account(member_id)["balance"])

    def transfers(self, member_id: str) -> list[dict[str, Any]]:
        tenant = self.members[member_id][0]
        page = self.platform.get(
            f"/t/{tenant}/accounts/{member_id}/transfers", self.animators[tenant], per_page=500
        )
        return list(page["items"] if isinstance(page, dict) else page)


def new_network(platform: Platform, tenants: tuple[str, ...], **settings: Any) -> Network:
    operator = platform.login("operator@demo.trocactif.org")
    slug = f"agri-{uuid.uuid4().hex[:6]}"
    platform.post(
        "/networks",
        operator,
        json={
            "slug": slug,
            "name": "Agri-échange test",
            "unit": {"code": "GRN", "name": "Grain", "symbol": "G"},
            "default_credit_limit": "100.00",
            "payment_modes": [100],
            "hold_expiry_days": 15,
            "vat_settlement": "euro",
            **settings,
        },
        status=201,
    )
    network = Network(platform, slug, operator)
    for tenant in tenants:
        network.tenant(f"{tenant}-{slug[-6:]}")
    return network


def post(
    platform: Platform,
    path: str,
    headers: dict[str, str],
    json: Any = None,
    *,
    status: int | None = None,
) -> requests.Response:
    """POST through the gateway, retried while the services learn of new members (lag)."""

    def attempt() -> list[requests.Response] | None:
        # (a list: a refused Response is falsy, and a refusal may be the answer awaited)
        response = requests.post(f"{platform.url}{path}", headers=headers, json=json, timeout=15)
        lagging = response.status_code in (409, 422, 503) and response.headers.get(
            "Content-Type", ""
        ).startswith("application/problem+json")
        if lagging and response.json().get("code") in (
            "unknown_member",
            "unknown_network",
            "not_yet_known",
        ):
            return None
        return [response]

    answered = eventually(attempt)
    assert answered is not None, platform.logs()
    [response] = answered
    if status is not None:
        assert response.status_code == status, (path, response.status_code, response.text)
    return response


def wait_status(platform: Platform, path: str, headers: dict[str, str], status: str) -> Any:
    def attempt() -> Any:
        body = platform.get(path, headers)
        return body if body["status"] == status else None

    found = eventually(attempt, 45)
    assert found, (path, platform.get(path, headers), platform.logs())
    return found


def wait_accounts(network: Network, *members: str) -> None:
    for member in members:
        tenant = network.members[member][0]

        def opened(member: str = member, tenant: str = tenant) -> bool:
            response = requests.get(
                f"{network.platform.url}/t/{tenant}/accounts/{member}",
                headers=network.animators[tenant],
                timeout=15,
            )
            return response.status_code == 200

        assert eventually(opened), network.platform.logs()


def assert_invariants(platform: Platform) -> None:
    """The ledger's double-entry invariants (Σ = 0 per network, fee accounts included), checked
    by its CLI; tried again while the shared database refuses connections for a moment."""
    outputs: list[str] = []

    def holds() -> bool:
        checked = platform.cli("ledger", "invariants")
        outputs.append(checked.stdout + checked.stderr)
        return checked.returncode == 0

    assert eventually(holds, 60), outputs[-1][-3000:]


# --- payment requests ----------------------------------------------------------------------------


def test_a_request_accepted_twice_and_validated_moves_the_amount_once(platform: Platform) -> None:
    network = new_network(platform, ("beauce", "perche"), direct_payments="both")
    beauce, perche = list(network.animators)
    seller = network.member(beauce, "EARL de la Plaine")
    buyer = network.member(perche, "GAEC des Trois Chênes")
    wait_accounts(network, seller, buyer)
    created = post(
        platform,
        f"/t/{beauce}/payment-requests",
        network.as_member(seller),
        {"payer_member_id": buyer, "amount": "30.00", "description": "Paille, 2 tonnes"},
        status=201,
    ).json()
    assert created["status"] == "requested" and created["payer_tenant"] == perche
    path = f"/t/{perche}/payment-requests/{created['id']}"
    first = platform.post(f"{path}/accept", network.as_member(buyer))
    second = requests.post(
        f"{platform.url}{path}/accept", headers=network.as_member(buyer), timeout=15
    )
    assert second.status_code == 200 and second.headers.get("Idempotent-Replayed") == "true"
    assert second.json()["transfer_id"] == first["transfer_id"] and second.json()["attempt"] == 1
    # only the payee's animators validate
    platform.post(
        f"/t/{perche}/payment-requests/{created['id']}/validate",
        network.animators[perche],
        status=403,
    )
    seller_path = f"/t/{beauce}/payment-requests/{created['id']}"
    wait_status(platform, seller_path, network.animators[beauce], "awaiting_validation")
    assert Decimal(network.account(buyer)["pending_debits"]) == Decimal("30.00")
    platform.post(f"{seller_path}/validate", network.animators[beauce])
    settled = wait_status(platform, seller_path, network.as_member(seller), "settled")
    assert network.balance(seller) == Decimal("30.00")
    assert network.balance(buyer) == Decimal("-30.00")
    for member in (seller, buyer):
        [transfer] = [t for t in network.transfers(member) if t["id"] == settled["transfer_id"]]
        assert "Paille, 2 tonnes" in transfer["reference"] and transfer["status"] == "posted"
        tenant, _name, headers = network.members[member]

        def told(tenant: str = tenant, headers: dict[str, str] = headers) -> bool:
            feed = platform.get(f"/t/{tenant}/notifications", headers)
            items = feed["items"] if isinstance(feed, dict) else feed
            return any(e["kind"] == "payment_settled" for e in items)

        assert eventually(told), platform.logs()
    log = platform.get(f"/t/{beauce}/events", network.animators[beauce], after=0)
    events = log["items"] if "items" in log else log["events"]
    assert any(
        e["type"].endswith("transfer_posted.v1")
        and e["data"]["transfer_id"] == settled["transfer_id"]
        for e in events
    )
    assert_invariants(platform)


def test_a_declined_request_and_a_rejected_payment_move_nothing(platform: Platform) -> None:
    network = new_network(platform, ("beauce",), direct_payments="both")
    [tenant] = network.animators
    seller = network.member(tenant, "EARL du Moulin")
    buyer = network.member(tenant, "SCEA des Blés")
    wait_accounts(network, seller, buyer)
    created = post(
        platform,
        f"/t/{tenant}/payment-requests",
        network.as_member(seller),
        {"payer_member_id": buyer, "amount": "20.00", "description": "Semences"},
        status=201,
    ).json()
    path = f"/t/{tenant}/payment-requests/{created['id']}"
    # the payee cannot accept its own request
    platform.post(f"{path}/accept", network.as_member(seller), status=403)
    declined = platform.post(f"{path}/decline", network.as_member(buyer), {"reason": "non livré"})
    assert declined["status"] == "declined"
    platform.post(f"{path}/accept", network.as_member(buyer), status=409)
    paid = post(
        platform,
        f"/t/{tenant}/payments",
        {**network.as_member(buyer), "Idempotency-Key": uuid.uuid4().hex},
        {"payee_member_id": seller, "amount": "25.00", "description": "Fourrage"},
        status=201,
    ).json()
    payment_path = f"/t/{tenant}/payments/{paid['id']}"
    wait_status(platform, payment_path, network.animators[tenant], "awaiting_validation")
    rejected = platform.post(
        f"{payment_path}/reject", network.animators[tenant], {"reason": "doublon"}
    )
    assert rejected["status"] == "rejected"

    def released() -> bool:
        return Decimal(network.account(buyer)["pending_debits"]) == 0

    assert eventually(released), platform.logs()
    assert network.balance(seller) == network.balance(buyer) == 0


def test_a_direct_payment_beyond_available_credit_is_refused_untouched(
    platform: Platform,
) -> None:
    network = new_network(platform, ("beauce",), direct_payments="both")
    [tenant] = network.animators
    payee = network.member(tenant, "EARL des Sources")
    payer = network.member(tenant, "GAEC du Val")
    wait_accounts(network, payee, payer)
    key = uuid.uuid4().hex
    headers = {**network.as_member(payer), "Idempotency-Key": key}
    body = {"payee_member_id": payee, "amount": "150.00", "description": "Tracteur, 3 jours"}
    created = post(platform, f"/t/{tenant}/payments", headers, body, status=201).json()
    replay = post(platform, f"/t/{tenant}/payments", headers, body, status=200)
    assert replay.json()["id"] == created["id"]
    assert replay.headers.get("Idempotent-Replayed") == "true"
    conflict = post(
        platform, f"/t/{tenant}/payments", headers, {**body, "amount": "1.00"}, status=409
    )
    assert conflict.json()["code"] == "idempotency_conflict"
    refused = wait_status(
        platform, f"/t/{tenant}/payments/{created['id']}", network.as_member(payer), "refused"
    )
    assert refused["last_refusal"]["code"] == "insufficient_credit"
    for member in (payer, payee):
        account = network.account(member)
        assert Decimal(account["balance"]) == 0
        assert Decimal(account["pending_debits"]) == Decimal(account["pending_credits"]) == 0
    missing_key = post(
        platform, f"/t/{tenant}/payments", network.as_member(payer), body, status=400
    )
    assert missing_key.json()["code"] == "idempotency_key_required"


def test_below_the_threshold_the_validation_is_waived(platform: Platform) -> None:
    network = new_network(
        platform,
        ("beauce",),
        direct_payments="both",
        direct_payments_validation_threshold="10.00",
    )
    [tenant] = network.animators
    payee = network.member(tenant, "EARL des Peupliers")
    payer = network.member(tenant, "GAEC de la Source")
    wait_accounts(network, payee, payer)
    small = post(
        platform,
        f"/t/{tenant}/payments",
        {**network.as_member(payer), "Idempotency-Key": uuid.uuid4().hex},
        {"payee_member_id": payee, "amount": "9.99", "description": "Oeufs"},
        status=201,
    ).json()
    assert small["validation_required"] is False
    wait_status(
        platform, f"/t/{tenant}/payments/{small['id']}", network.as_member(payer), "settled"
    )
    large = post(
        platform,
        f"/t/{tenant}/payments",
        {**network.as_member(payer), "Idempotency-Key": uuid.uuid4().hex},
        {"payee_member_id": payee, "amount": "10.00", "description": "Lait"},
        status=201,
    ).json()
    assert large["validation_required"] is True
    wait_status(
        platform,
        f"/t/{tenant}/payments/{large['id']}",
        network.animators[tenant],
        "awaiting_validation",
    )
    assert network.balance(payee) == Decimal("9.99")
    assert network.balance(payer) == Decimal("-9.99")


def test_a_network_without_direct_payments_refuses_them_with_a_clear_code(
    platform: Platform,
) -> None:
    seller = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    animator = platform.login("animation@pie.demo.trocactif.org")
    directory = platform.get("/t/pie/members", animator, per_page=100)
    other = next(m for m in directory["items"] if m["name"] != "Atelier Lumière Design")
    refused = post(
        platform,
        "/t/pie/payment-requests",
        seller,
        {"payer_member_id": other["id"], "amount": "5.00", "description": "Essai"},
        status=403,
    )
    assert refused.json()["code"] == "direct_payments_off"
    network = new_network(platform, ("beauce",), direct_payments="request")
    [tenant] = network.animators
    payee = network.member(tenant, "EARL Request")
    payer = network.member(tenant, "GAEC Request")
    direct = post(
        platform,
        f"/t/{tenant}/payments",
        {**network.as_member(payer), "Idempotency-Key": uuid.uuid4().hex},
        {"payee_member_id": payee, "amount": "5.00", "description": "Essai"},
        status=403,
    )
    assert direct.json()["code"] == "direct_payments_off"


# --- membership fees -----------------------------------------------------------------------------


def test_a_fee_in_the_unit_is_charged_once_even_when_the_worker_is_killed(
    platform: Platform,
) -> None:
    network = new_network(
        platform,
        ("beauce",),
        membership_fee={
            "amount": "12.00",
            "period": "year",
            "charged_in": "unit",
            "due": "admission",
        },
    )
    [tenant] = network.animators
    members = [network.member(tenant, f"Exploitation {i:02d}") for i in range(12)]
    wait_accounts(network, *members)

    def some_charged() -> bool:
        fees = platform.get(f"/t/{tenant}/fees", network.animators[tenant], per_page=100)
        return fees["total"] > 0

    assert eventually(some_charged), platform.logs()
    platform.kill("invoices-worker")  # chaos: mid-run, whatever it was doing
    platform.restart("invoices-worker")
    year = str(datetime.now(ZoneInfo("Europe/Paris")).year)

    def all_charged() -> bool:
        fees = platform.get(f"/t/{tenant}/fees", network.animators[tenant], per_page=100)
        return fees["total"] == len(members) and all(
            f["status"] == "charged" for f in fees["items"]
        )

    assert eventually(all_charged, 60), platform.logs()
    # a few more passes of the schedule charge nothing more
    platform.kill("invoices-worker")
    platform.restart("invoices-worker")
    total = Decimal(0)
    for member in members:
        fees = [t for t in network.transfers(member) if t["kind"] == "fee"]
        assert len(fees) == 1, fees
        assert fees[0]["reference"] == f"Cotisation {year}" and fees[0]["amount"] == "12.00"
        total += network.balance(member)
    # Σ = 0 in the network: the members' balances are what the fee account received
    assert total == Decimal("-12.00") * len(members)
    listed = platform.get(f"/t/{tenant}/fees", network.animators[tenant], per_page=100)
    assert {f["key"] for f in listed["items"]} == {f"fee:{m}:{year}" for m in members}
    assert_invariants(platform)


def test_a_fee_in_euros_is_due_told_paid_and_exported_guarded(platform: Platform) -> None:
    today = datetime.now(ZoneInfo("Europe/Paris"))
    network = new_network(
        platform,
        ("beauce",),
        membership_fee={
            "amount": "90.00",
            "charged_in": "euro",
            "due": today.strftime("%m-%d"),
            "grace_days": 15,
        },
    )
    [tenant] = network.animators
    honest = network.member(tenant, "EARL Honnête")
    network.member(tenant, '=HYPERLINK("https://example.org")')
    animator = network.animators[tenant]

    def due() -> Any:
        fees = platform.get(f"/t/{tenant}/fees", animator, status="due")
        return fees if fees["total"] == 2 else None

    fees = eventually(due, 45)
    assert fees, platform.logs()
    assert {f["charged_in"] for f in fees["items"]} == {"euro"}
    assert network.balance(honest) == 0  # nothing moves in the unit
    fee = next(f for f in fees["items"] if f["member_id"] == honest)
    paid = platform.post(f"/t/{tenant}/fees/{fee['id']}/paid", animator, {})
    assert paid["status"] == "paid" and paid["paid_on"] == today.date().isoformat()
    again = requests.post(
        f"{platform.url}/t/{tenant}/fees/{fee['id']}/paid", headers=animator, json={}, timeout=15
    )
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert platform.get(f"/t/{tenant}/fees", animator, status="paid")["total"] == 1
    exported = requests.get(
        f"{platform.url}/t/{tenant}/fees",
        headers={**animator, "Accept": "text/csv"},
        timeout=15,
    )
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["member_name"] for r in rows} == {
        "EARL Honnête",
        '\'=HYPERLINK("https://example.org")',
    }
    assert {r["currency"] for r in rows} == {"EUR"}
    # the member is told (feed entry, e-mailed), in French
    headers = network.as_member(honest)

    def told() -> Any:
        feed = platform.get(f"/t/{tenant}/notifications", headers)
        items = feed["items"] if isinstance(feed, dict) else feed
        return next((e for e in items if e["kind"] == "membership_fee"), None)

    entry = eventually(told)
    assert entry and "Cotisation" in entry["title"] and "à régler" in entry["title"]

    def mailed() -> bool:
        for path in (Path(platform.env["TROC_VAR_DIR"]) / "mail").glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if network.emails[honest] in str(message["To"]) and "Cotisation" in str(
                message["Subject"]
            ):
                return True
        return False

    assert eventually(mailed), platform.logs()
    # a member does not see the association's fee list
    platform.post(f"/t/{tenant}/fees/{fee['id']}/paid", headers, {}, status=403)
