"""Staff controls end to end, every service a real process behind the gateway: four eyes on
manual transfers above the network's threshold, closing (and reopening) a tenant, and moving a
member to another tenant of its network.

Each test builds its own network through the operator (tenants, animators, members), so the
demo's data is only used to try a move across networks.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from chassis.testing.platform import Platform, eventually, running_platform
from tests.unit.gateway.builders import make_siret

pytestmark = pytest.mark.e2e

OPERATOR = "operator@demo.trocactif.org"
PASSWORD = "Quatre-yeux-valent-mieux-2026"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(tmp_path_factory.mktemp("staff"), tag="staff") as running:
        yield running


def call(
    platform: Platform, method: str, path: str, headers: dict[str, str], json: Any = None
) -> requests.Response:
    return requests.request(method, f"{platform.url}{path}", headers=headers, json=json, timeout=20)


def problem(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


@dataclass
class Network:
    """A network of the test's own: two open tenants (``a`` in Paris, ``b`` in the 92)."""

    platform: Platform
    slug: str
    operator: dict[str, str]
    tenants: dict[str, str] = field(default_factory=dict)

    def animator(self, tenant: str) -> tuple[str, dict[str, str]]:
        """A new animator of the tenant: its user id and bearer headers."""
        email = f"anim-{uuid.uuid4().hex[:8]}@example.org"
        user = self.platform.post(
            f"/t/{self.tenants[tenant]}/users",
            self.operator,
            status=201,
            json={"email": email, "password": PASSWORD, "role": "animator"},
        )
        return str(user["id"]), self.platform.login(email, PASSWORD)

    def member(self, tenant: str, animator: dict[str, str]) -> tuple[str, str]:
        """A new member of the tenant (its ledger account open) and its user's e-mail."""
        slug = self.tenants[tenant]
        department = "75" if tenant == "a" else "92"
        member = self.platform.post(
            f"/t/{slug}/members",
            animator,
            status=201,
            json={
                "name": f"Atelier {uuid.uuid4().hex[:6]}",
                "siret": make_siret(f"{random.randrange(10**8):08d}"),
                "department": department,
                "email": f"contact-{uuid.uuid4().hex[:6]}@example.org",
                "address": {
                    "street": "1 rue de la Paix",
                    "postal_code": "75002" if tenant == "a" else "92100",
                    "city": "Paris" if tenant == "a" else "Boulogne",
                },
            },
        )
        member_id = str(member["id"])
        email = f"user-{uuid.uuid4().hex[:8]}@example.org"
        self.platform.post(
            f"/t/{slug}/users",
            animator,
            status=201,
            json={"email": email, "password": PASSWORD, "role": "member", "member_id": member_id},
        )
        eventually(
            lambda: call(self.platform, "GET", f"/t/{slug}/accounts/{member_id}", animator).ok,
            what=f"the ledger account of {member_id}",
        )
        return member_id, email


@pytest.fixture
def network(platform: Platform) -> Network:
    operator = platform.login(OPERATOR)
    slug = f"fe-{uuid.uuid4().hex[:8]}"
    platform.post(
        "/networks",
        operator,
        status=201,
        json={
            "slug": slug,
            "name": "Quatre yeux",
            "unit": {"code": "QY", "name": "Quatre", "symbol": "Q"},
            "default_credit_limit": "1000.00",
            "payment_modes": [100, 50],
            "hold_expiry_days": 30,
            "vat_settlement": "unit",
            "manual_transfer_approval_threshold": "100.00",
        },
    )
    found = Network(platform, slug, operator)
    for key, departments in (("a", ["75"]), ("b", ["92"])):
        tenant = f"{slug}-{key}"
        platform.post(
            f"/networks/{slug}/tenants",
            operator,
            status=201,
            json={"slug": tenant, "name": f"Association {key.upper()}", "departments": departments},
        )
        found.tenants[key] = tenant
    return found


def transfer(
    platform: Platform, tenant: str, headers: dict[str, str], payer: str, payee: str, amount: str
) -> requests.Response:
    return call(
        platform,
        "POST",
        f"/t/{tenant}/transfers",
        {**headers, "Idempotency-Key": uuid.uuid4().hex},
        {"payer": payer, "payee": payee, "amount": amount, "reference": "Régularisation"},
    )


def account(platform: Platform, tenant: str, headers: dict[str, str], member: str) -> Any:
    return platform.get(f"/t/{tenant}/accounts/{member}", headers)


def test_four_eyes_above_the_threshold(platform: Platform, network: Network) -> None:
    tenant = network.tenants["a"]
    alice_id, alice = network.animator("a")
    bob_id, bob = network.animator("a")
    payer, payer_email = network.member("a", alice)
    payee, _ = network.member("a", alice)

    below = transfer(platform, tenant, alice, payer, payee, "100.00")
    assert below.status_code == 201 and below.json()["status"] == "posted"

    made = transfer(platform, tenant, alice, payer, payee, "250.00")
    assert made.status_code == 201, made.text
    held = made.json()
    assert held["status"] == "pending" and held["approval_required"] is True
    assert held["initiated_by"] == alice_id and held["approved_by"] is None
    # balances untouched until the approval: only reserved on the payer
    before = account(platform, tenant, alice, payer)
    assert (before["balance"], before["pending_debits"]) == ("-100.00", "250.00")
    assert account(platform, tenant, alice, payee)["balance"] == "100.00"

    path = f"/t/{tenant}/transfers/{held['id']}"
    problem(call(platform, "POST", f"{path}/approve", alice), 403, "same_approver")
    problem(call(platform, "POST", f"{path}/reject", alice, {}), 403, "same_approver")
    member = platform.login(payer_email, PASSWORD)
    assert call(platform, "POST", f"{path}/approve", member).status_code == 403
    problem(call(platform, "POST", f"{path}/post", bob), 409, "awaiting_approval")
    waiting = platform.get(f"/t/{tenant}/transfer-approvals", bob)
    assert [t["id"] for t in waiting["items"]] == [held["id"]]

    approved = call(platform, "POST", f"{path}/approve", bob)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["approved_by"]) == ("posted", bob_id)
    twice = call(platform, "POST", f"{path}/approve", bob)
    assert twice.status_code == 200 and twice.json()["status"] == "posted"
    after = account(platform, tenant, alice, payer)
    assert (after["balance"], after["pending_debits"]) == ("-350.00", "0.00")  # posted once
    assert account(platform, tenant, alice, payee)["balance"] == "350.00"
    shown = platform.get(path, alice)
    assert (shown["initiated_by"], shown["approved_by"]) == (alice_id, bob_id)

    rejected_one = transfer(platform, tenant, bob, payer, payee, "300.00").json()
    rejected = call(
        platform,
        "POST",
        f"/t/{tenant}/transfers/{rejected_one['id']}/reject",
        alice,
        {"reason": "doublon"},
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "voided"
    assert rejected.json()["rejected_by"] == alice_id
    assert account(platform, tenant, alice, payer)["pending_debits"] == "0.00"

    # both steps in the tenant's audit log, with their actors
    log = platform.get(f"/t/{tenant}/audit", alice, per_page=100)["items"]
    seen = {(e["action"], e["actor"]["user_id"]) for e in log if e["target"]["id"] == held["id"]}
    assert seen == {("transfer_made", alice_id), ("transfer_approved", bob_id)}
    assert any(e["action"] == "transfer_rejected" for e in log)


def test_a_closed_tenant_refuses_logins_keys_and_money(
    platform: Platform, network: Network
) -> None:
    a, b = network.tenants["a"], network.tenants["b"]
    _, anim_a = network.animator("a")
    _, anim_b = network.animator("b")
    payer, _ = network.member("a", anim_a)
    member_b, member_email = network.member("b", anim_b)
    session = call(
        platform, "POST", "/auth/token", {}, {"email": member_email, "password": PASSWORD}
    )
    refresh_token = session.json()["refresh_token"]
    key = platform.post(
        f"/t/{b}/api-keys", anim_b, status=201, json={"name": "crm", "scopes": ["ledger:read"]}
    )
    keyed = {"Authorization": f"Bearer {key['key']}"}
    assert call(platform, "GET", f"/t/{b}/accounts/{member_b}", keyed).status_code == 200

    tenant_path = f"/networks/{network.slug}/tenants/{b}"
    closed = call(platform, "PATCH", tenant_path, network.operator, {"status": "closed"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert closed.json()["name"] == "Association B"  # the other fields are kept

    login = call(platform, "POST", "/auth/token", {}, {"email": member_email, "password": PASSWORD})
    problem(login, 403, "tenant_closed")
    problem(
        call(platform, "POST", "/auth/refresh", {}, {"refresh_token": refresh_token}),
        403,
        "tenant_closed",
    )
    problem(call(platform, "GET", f"/t/{b}/accounts/{member_b}", keyed), 401, "tenant_closed")
    # the operator still reads everything; the account is frozen, nothing was deleted
    frozen = account(platform, b, network.operator, member_b)
    assert frozen["status"] == "frozen"
    assert platform.get(f"/t/{b}/members/{member_b}", network.operator)["id"] == member_b
    problem(transfer(platform, a, anim_a, payer, member_b, "10.00"), 422, "account_frozen")
    actions = {e["action"] for e in platform.get("/audit", network.operator, per_page=100)["items"]}
    assert "tenant_closed" in actions

    reopened = call(platform, "PATCH", tenant_path, network.operator, {"status": "active"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "active"
    platform.login(member_email, PASSWORD)
    assert account(platform, b, network.operator, member_b)["status"] == "active"
    assert transfer(platform, a, anim_a, payer, member_b, "10.00").status_code == 201
    assert call(platform, "GET", f"/t/{b}/accounts/{member_b}", keyed).status_code == 200


def test_a_member_moves_with_its_account_users_and_history(
    platform: Platform, network: Network
) -> None:
    a, b = network.tenants["a"], network.tenants["b"]
    _, anim_a = network.animator("a")
    _, anim_b = network.animator("b")
    member, email = network.member("a", anim_a)
    other, _ = network.member("a", anim_a)
    paid = transfer(platform, a, anim_a, member, other, "60.00").json()
    move_path = f"/t/{a}/members/{member}/move"

    # refusals first: nothing moves
    problem(
        call(platform, "POST", move_path, network.operator, {"tenant": "pie"}), 422, "cross_network"
    )
    problem(
        call(platform, "POST", move_path, network.operator, {"tenant": "nowhere-xyz"}),
        422,
        "unknown_tenant",
    )
    assert call(platform, "POST", move_path, anim_a, {"tenant": b}).status_code == 403
    hold = call(
        platform,
        "POST",
        f"/t/{a}/transfers",
        {**anim_a, "Idempotency-Key": uuid.uuid4().hex},
        {"payer": member, "payee": other, "amount": "5.00", "hold": True},
    ).json()
    problem(call(platform, "POST", move_path, network.operator, {"tenant": b}), 409, "member_busy")
    platform.post(f"/t/{a}/transfers/{hold['id']}/void", anim_a, json={"reason": "test"})
    closed = f"/networks/{network.slug}/tenants/{b}"
    call(platform, "PATCH", closed, network.operator, {"status": "closed"})
    problem(
        call(platform, "POST", move_path, network.operator, {"tenant": b}), 409, "tenant_closed"
    )
    call(platform, "PATCH", closed, network.operator, {"status": "active"})

    moved = call(platform, "POST", move_path, network.operator, {"tenant": b})
    assert moved.status_code == 200, moved.text
    assert moved.json()["tenant"] == b
    # the account follows with its balance and its history
    assert account(platform, b, anim_b, member)["balance"] == "-60.00"
    statement = platform.get(f"/t/{b}/accounts/{member}/transfers", anim_b)
    assert paid["id"] in [t["id"] for t in statement["items"]]
    assert call(platform, "GET", f"/t/{a}/members/{member}", anim_a).status_code == 404
    assert platform.get(f"/t/{b}/members/{member}", anim_b)["id"] == member
    # its user signs in to the new tenant, whose listings service knows the member
    user = platform.login(email, PASSWORD)
    assert platform.get("/me", user)["tenant"] == b

    def publishes() -> bool:
        response = call(
            platform,
            "POST",
            f"/t/{b}/listings",
            user,
            {"kind": "offer", "title": "Reliure d'art", "category": "autre"},
        )
        return response.status_code == 201

    eventually(publishes, what="a listing of the moved member in its new tenant")
    # both associations' animators see the move in their audit log
    for tenant, headers in ((a, anim_a), (b, anim_b)):
        log = platform.get(f"/t/{tenant}/audit", headers, per_page=100)["items"]
        assert "member_moved" in {e["action"] for e in log}, tenant


# --- the web pages, as a browser would post their forms ------------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_session(platform: Platform, email: str) -> requests.Session:
    """A signed-in session of the web app (the login form, its CSRF token, the cookie)."""
    session = requests.Session()
    page = session.get(f"{platform.url}/", timeout=20)
    match = CSRF.search(page.text)
    assert match, page.text[:500]
    signed = session.post(
        f"{platform.url}/",
        data={"csrf_token": match.group(1), "email": email, "password": PASSWORD},
        timeout=20,
    )
    assert signed.status_code == 200 and "/app" in signed.url, signed.url
    return session


def test_the_validation_page_approves_another_animators_transfer(
    platform: Platform, network: Network
) -> None:
    tenant = network.tenants["a"]
    alice_id, alice = network.animator("a")
    bob_email = f"anim-{uuid.uuid4().hex[:8]}@example.org"
    platform.post(
        f"/t/{tenant}/users",
        network.operator,
        status=201,
        json={"email": bob_email, "password": PASSWORD, "role": "animator"},
    )
    payer, _ = network.member("a", alice)
    payee, _ = network.member("a", alice)
    held = transfer(platform, tenant, alice, payer, payee, "180.00").json()
    assert held["approval_required"] is True

    bob = web_session(platform, bob_email)
    page = bob.get(f"{platform.url}/app/validation", timeout=20)
    assert page.status_code == 200
    assert "Virements à approuver" in page.text and held["id"] in page.text
    token = CSRF.search(page.text)
    assert token
    done = bob.post(
        f"{platform.url}/app/validation/virements/{held['id']}/approuver",
        data={"csrf_token": token.group(1)},
        timeout=20,
    )
    assert done.status_code == 200 and "approuvé" in done.text
    assert held["id"] not in done.text.split("Virements à approuver", 1)[1]
    shown = platform.get(f"/t/{tenant}/transfers/{held['id']}", alice)
    assert shown["status"] == "posted" and shown["initiated_by"] == alice_id
