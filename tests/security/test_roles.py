"""The role dimension of the access matrix, on the whole platform: who of one tenant may do what.

``tests/e2e/gateway/test_tenant_matrix.py`` proves, route by route, that another
tenant's animators, members and integrators get 404 on a tenant's resources. This matrix adds:
- every operation of the merged OpenAPI document, anonymously: 401 (public ones excepted);
- every operation that is not the role's to make, with a valid body and real ids, as a member of
  the same tenant, another member, an integrator (read scopes and webhooks) and an animator
  (the operator's routes): 403 or 404, a problem document, and nothing changes;
- an operation of the document that has no row here fails, so a new route gets one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from chassis.testing.waiting import eventually

from .conftest import TENANT, Attack, problem_of

PUBLIC = {
    ("POST", "/auth/token"),
    ("POST", "/auth/refresh"),
    ("POST", "/auth/password-reset"),
    ("POST", "/auth/password-reset/confirm"),
    ("GET", "/.well-known/jwks.json"),
}
METHODS = ("get", "put", "post", "patch", "delete")


@dataclass
class World:
    """Real resources of PIE for the requests to name."""

    ids: dict[str, str] = field(default_factory=dict)

    def path(self, template: str) -> str:
        values = {"tenant": TENANT, "network": "troc-actif", **self.ids}
        return template.format(**values)


@pytest.fixture(scope="module")
def world(attack: Attack) -> Iterator[World]:
    platform, h = attack.platform, attack.headers
    member, other = attack.members["member"], attack.members["other_member"]
    found = World({"member_id": member, "other_member_id": other})
    listing = platform.post(
        f"/t/{TENANT}/listings",
        h["other_member"],
        status=201,
        json={"kind": "offer", "title": "Location de salle de réunion", "category": "autre"},
    )
    found.ids["other_listing_id"] = listing["id"]
    hold = platform.post(
        f"/t/{TENANT}/transfers",
        {**h["animator"], "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": member, "payee": other, "amount": "2.00", "hold": True},
        status=201,
    )
    found.ids["hold_id"] = hold["id"]
    hook = platform.post(
        f"/t/{TENANT}/webhooks",
        h["animator"],
        status=201,
        json={
            "url": "https://93.184.215.14/roles",
            "event_types": ["org.trocactif.ledger.transfer_posted.v1"],
        },
    )
    found.ids["webhook_id"] = hook["id"]
    key = platform.post(
        f"/t/{TENANT}/api-keys",
        h["animator"],
        status=201,
        json={"name": "roles", "scopes": ["ledger:read"]},
    )
    found.ids["key_id"] = key["id"]
    network_key = platform.post(
        "/networks/troc-actif/api-keys",
        h["operator"],
        status=201,
        json={"name": "roles", "scopes": ["ledger:read"]},
    )
    found.ids["network_key_id"] = network_key["id"]
    users = platform.get(f"/t/{TENANT}/users", h["animator"])
    found.ids["user_id"] = users["items"][0]["id"]
    operators = platform.get("/users", h["operator"])
    found.ids["operator_user_id"] = operators["items"][0]["id"]
    invoice = platform.post(
        f"/t/{TENANT}/invoices",
        h["member"],
        status=201,
        json={
            "buyer_member_id": other,
            "payment_mode": 100,
            "delivery_date": "2026-11-20",
            "lines": [
                {"description": "Roles", "quantity": "1", "unit_price": "10.00", "vat_rate": "20"}
            ],
        },
    )
    platform.post(f"/t/{TENANT}/invoices/{invoice['id']}/issue", h["member"])
    found.ids["invoice_id"] = invoice["id"]
    # Payments without an invoice: opened on the network, then one of each kind.
    response = requests.patch(
        f"{platform.url}/networks/troc-actif",
        headers=h["operator"],
        json={"direct_payments": "both"},
        timeout=15,
    )
    assert response.status_code == 200, response.text

    def payment_request() -> Any:
        response = requests.post(
            f"{platform.url}/t/{TENANT}/payment-requests",
            headers=h["member"],
            json={"payer_member_id": other, "amount": "3.00", "description": "Roles"},
            timeout=15,
        )
        return response.json() if response.status_code == 201 else None

    found.ids["payment_request_id"] = eventually(payment_request)["id"]
    payment = platform.post(
        f"/t/{TENANT}/payments",
        {**h["member"], "Idempotency-Key": uuid.uuid4().hex},
        json={"payee_member_id": other, "amount": "1.00", "description": "Roles"},
        status=201,
    )
    found.ids["payment_id"] = payment["id"]
    (link,) = platform.get("/federation/links", h["operator"])["items"]  # the demo's link
    found.ids["link_id"] = link["id"]
    agri = platform.get("/t/agri-beauce/members", h["operator"])["items"]
    found.ids["agri_member_id"] = agri[0]["id"]
    federated = platform.post(
        f"/federation/links/{link['id']}/transfers",
        {**h["animator"], "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": member, "payee": agri[0]["id"], "amount": "1.00"},
        status=202,
    )
    found.ids["federated_transfer_id"] = federated["id"]
    yield found


# --- anonymous: every operation of the document --------------------------------------------------


def _operations(attack: Attack) -> list[tuple[str, str]]:
    document = requests.get(f"{attack.url}/openapi.json", timeout=30).json()
    return sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    )


def test_every_operation_but_the_public_ones_needs_a_token(attack: Attack) -> None:
    operations = _operations(attack)
    assert len(operations) > 60, operations
    wrong = []
    for method, path in operations:
        url = attack.url + path.replace("{tenant}", TENANT).replace("{network}", "troc-actif")
        for name in (
            "member_id",
            "listing_id",
            "invoice_id",
            "transfer_id",
            "thread_id",
            "webhook_id",
            "delivery_id",
            "notification_id",
            "user_id",
            "key_id",
            "link_id",
        ):
            url = url.replace(f"{{{name}}}", str(uuid.uuid4()))
        response = requests.request(method, url, json={}, timeout=30)
        if (method, path) in PUBLIC:
            if response.status_code == 401:
                wrong.append(f"{method} {path}: public, yet 401")
            continue
        try:
            problem_of(response, 401)
        except AssertionError as exc:
            wrong.append(f"{method} {path}: {exc}")
    assert not wrong, "\n".join(wrong)


# --- a role acting beyond its rights -----------------------------------------------------------

Body = Callable[[Attack, World], Any]
MEMBER_BODY: Body = lambda a, w: {  # noqa: E731
    "name": "Reliure Saint-Jacques",
    "siret": "55210055400013",
    "department": "75",
    "email": "reliure@example.org",
    "address": {"street": "1 rue Saint-Jacques", "postal_code": "75005", "city": "Paris"},
}
NETWORK_BODY: Body = (  # noqa: E731
    lambda a, w: {
        "slug": f"net-{uuid.uuid4().hex[:6]}",
        "name": "Pirate",
        "default_credit_limit": "10.00",
        "unit": {"code": "PIR", "name": "Pirate", "symbol": "P"},
        "payment_modes": [100],
        "hold_expiry_days": 30,
        "vat_settlement": "unit",
    }
)
REASON: Body = lambda a, w: {"reason": "roles matrix"}  # noqa: E731

#: (method, path, body, the roles refused). Roles: member, other_member (of the same tenant, not
#: party to the resource), integrator (API key: read scopes and webhooks), animator.
ROWS: list[tuple[str, str, Body | None, tuple[str, ...]]] = [
    ("POST", "/networks", NETWORK_BODY, ("member", "integrator", "animator")),
    ("GET", "/networks", None, ("member", "integrator", "animator")),
    (
        "PATCH",
        "/networks/{network}",
        lambda a, w: {"name": "Pirate"},
        ("member", "integrator", "animator"),
    ),
    ("GET", "/networks/{network}/tenants", None, ("member", "integrator", "animator")),
    (
        "POST",
        "/networks/{network}/tenants",
        lambda a, w: {"slug": f"t-{uuid.uuid4().hex[:6]}", "name": "Pirate", "departments": ["75"]},
        ("member", "integrator", "animator"),
    ),
    ("GET", "/networks/{network}/tenants/{tenant}", None, ("member", "integrator", "animator")),
    (
        "PATCH",
        "/networks/{network}/tenants/{tenant}",
        lambda a, w: {"name": "Pirate"},
        ("member", "integrator", "animator"),
    ),
    ("POST", "/t/{tenant}/members", MEMBER_BODY, ("member", "integrator")),
    ("POST", "/t/{tenant}/members/import", None, ("member", "integrator")),
    (
        "PATCH",
        "/t/{tenant}/members/{member_id}",
        lambda a, w: {"name": "Pirate"},
        ("member", "other_member", "integrator"),
    ),
    ("POST", "/t/{tenant}/members/{other_member_id}/suspend", REASON, ("member", "integrator")),
    ("POST", "/t/{tenant}/members/{other_member_id}/reinstate", REASON, ("member", "integrator")),
    ("POST", "/t/{tenant}/members/{other_member_id}/leave", REASON, ("member", "integrator")),
    (
        "POST",
        "/t/{tenant}/members/{other_member_id}/move",
        lambda a, w: {"tenant": "fa-mgp"},
        ("member", "integrator", "animator"),
    ),
    (
        "POST",
        "/t/{tenant}/users",
        lambda a, w: {
            "email": f"pirate-{uuid.uuid4().hex[:6]}@example.org",
            "password": "Pirate password 2026!",
            "role": "animator",
        },
        ("member", "integrator"),
    ),
    ("GET", "/t/{tenant}/users", None, ("member", "integrator")),
    ("GET", "/t/{tenant}/users/{user_id}", None, ("member", "integrator")),
    (
        "PATCH",
        "/t/{tenant}/users/{user_id}",
        lambda a, w: {"status": "disabled"},
        ("member", "integrator"),
    ),
    ("GET", "/users", None, ("member", "integrator", "animator")),
    (
        "POST",
        "/users",
        lambda a, w: {"email": f"pirate-{uuid.uuid4().hex[:6]}@example.org"},
        ("member", "integrator", "animator"),
    ),
    ("GET", "/users/{operator_user_id}", None, ("member", "integrator", "animator")),
    (
        "PATCH",
        "/users/{operator_user_id}",
        lambda a, w: {"status": "disabled"},
        ("member", "integrator", "animator"),
    ),
    ("POST", "/auth/totp", None, ("integrator",)),
    ("POST", "/auth/totp/confirm", lambda a, w: {"code": "123456"}, ("integrator",)),
    ("GET", "/t/{tenant}/audit", None, ("member", "other_member", "integrator")),
    ("GET", "/audit", None, ("member", "integrator", "animator")),
    (
        "POST",
        "/auth/password",
        lambda a, w: {"current_password": "troc-demo", "new_password": "Pirate password 2026!"},
        ("integrator",),
    ),
    (
        "POST",
        "/t/{tenant}/api-keys",
        lambda a, w: {"name": "pirate", "scopes": ["ledger:read"]},
        ("member", "integrator"),
    ),
    ("GET", "/t/{tenant}/api-keys", None, ("member", "integrator")),
    (
        "POST",
        "/networks/{network}/api-keys",
        lambda a, w: {"name": "pirate", "scopes": ["ledger:read"]},
        ("member", "integrator", "animator"),
    ),
    ("GET", "/networks/{network}/api-keys", None, ("member", "integrator", "animator")),
    (
        "DELETE",
        "/networks/{network}/api-keys/{network_key_id}",
        None,
        ("member", "integrator", "animator"),
    ),
    ("DELETE", "/t/{tenant}/api-keys/{key_id}", None, ("member", "integrator")),
    ("GET", "/t/{tenant}/accounts", None, ("member",)),
    ("GET", "/t/{tenant}/accounts/{other_member_id}", None, ("member",)),
    ("GET", "/t/{tenant}/accounts/{other_member_id}/transfers", None, ("member",)),
    (
        "PUT",
        "/t/{tenant}/accounts/{member_id}/credit-limit",
        lambda a, w: {"credit_limit": "999999.00"},
        ("member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/transfers",
        lambda a, w: {
            "payer": w.ids["other_member_id"],
            "payee": w.ids["member_id"],
            "amount": "500.00",
        },
        ("member", "other_member", "integrator"),
    ),
    ("GET", "/t/{tenant}/transfers/{hold_id}", None, ("third_member",)),
    ("POST", "/t/{tenant}/transfers/{hold_id}/post", None, ("member", "integrator")),
    (
        "POST",
        "/t/{tenant}/transfers/{hold_id}/void",
        REASON,
        ("member", "other_member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/transfers/{hold_id}/approve",
        None,
        ("member", "other_member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/transfers/{hold_id}/reject",
        REASON,
        ("member", "other_member", "integrator"),
    ),
    ("GET", "/t/{tenant}/transfer-approvals", None, ("member", "other_member", "integrator")),
    ("GET", "/t/{tenant}/accounts/{other_member_id}/credit-limit/history", None, ("member",)),
    (
        "PUT",
        "/t/{tenant}/accounts/{member_id}/max-balance",
        lambda a, w: {"max_balance": None},
        ("member", "other_member", "integrator"),
    ),
    ("GET", "/t/{tenant}/credit-reviews", None, ("member", "integrator")),
    ("GET", "/networks/{network}/fee-account", None, ("member", "integrator", "animator")),
    ("GET", "/networks/{network}/commissions", None, ("member", "integrator", "animator")),
    (
        "POST",
        "/networks/{network}/fee-account/transfers",
        lambda a, w: {
            "payee_member_id": w.ids["member_id"],
            "tenant": TENANT,
            "amount": "0.01",
        },
        ("member", "integrator", "animator"),
    ),
    ("GET", "/t/{tenant}/activity", None, ("member", "integrator")),
    ("GET", "/t/{tenant}/events", None, ("member",)),
    ("GET", "/t/{tenant}/events?source=invoices", None, ("member",)),
    ("GET", "/t/{tenant}/events?source=listings", None, ("member",)),
    ("GET", "/t/{tenant}/invoices/{invoice_id}", None, ("third_member",)),
    (
        "POST",
        "/t/{tenant}/invoices/{invoice_id}/validate",
        None,
        ("member", "other_member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/invoices/{invoice_id}/reject",
        REASON,
        ("member", "other_member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/invoices/bulk/validate",
        lambda a, w: {"invoice_ids": [w.ids["invoice_id"]]},
        ("member", "other_member", "integrator"),
    ),
    ("GET", "/t/{tenant}/invoices/{invoice_id}/pdf", None, ("third_member",)),
    (
        "GET",
        "/t/{tenant}/invoices/statement?member_id={other_member_id}&since=2026-01-01"
        "&until=2027-01-01",
        None,
        ("member",),
    ),
    (
        "GET",
        "/t/{tenant}/invoices/accounting-export?since=2026-01-01&until=2027-01-01",
        None,
        ("member", "other_member"),
    ),
    (
        "GET",
        "/t/{tenant}/invoices/commissions?month=2026-11",
        None,
        ("member", "other_member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/payment-requests",
        lambda a, w: {
            "payer_member_id": w.ids["other_member_id"],
            "amount": "5.00",
            "description": "Roles",
        },
        ("integrator",),
    ),
    ("GET", "/t/{tenant}/payment-requests/{payment_request_id}", None, ("third_member",)),
    *(
        ("POST", f"/t/{{tenant}}/payment-requests/{{payment_request_id}}/{action}", body, roles)
        for action, body, roles in (
            ("accept", None, ("member", "third_member", "integrator", "animator")),
            ("decline", REASON, ("member", "third_member", "integrator", "animator")),
            ("validate", None, ("member", "other_member", "integrator")),
            ("reject", REASON, ("member", "other_member", "integrator")),
        )
    ),
    (
        "POST",
        "/t/{tenant}/payments",
        lambda a, w: {
            "payee_member_id": w.ids["other_member_id"],
            "amount": "5.00",
            "description": "Roles",
        },
        ("integrator",),
    ),
    ("GET", "/t/{tenant}/payments/{payment_id}", None, ("third_member",)),
    (
        "POST",
        "/t/{tenant}/payments/{payment_id}/validate",
        None,
        ("member", "other_member", "integrator"),
    ),
    (
        "POST",
        "/t/{tenant}/payments/{payment_id}/reject",
        REASON,
        ("member", "other_member", "integrator"),
    ),
    ("GET", "/t/{tenant}/fees", None, ("member", "other_member", "integrator")),
    (
        "POST",
        "/t/{tenant}/fees/{payment_id}/paid",
        lambda a, w: {},
        ("member", "other_member", "integrator"),
    ),
    (
        "PATCH",
        "/t/{tenant}/listings/{other_listing_id}",
        lambda a, w: {"title": "Pirate"},
        ("member", "integrator"),
    ),
    ("DELETE", "/t/{tenant}/listings/{other_listing_id}", None, ("member", "integrator")),
    (
        "POST",
        "/t/{tenant}/listings",
        lambda a, w: {
            "kind": "offer",
            "title": "Au nom d'un autre",
            "category": "autre",
            "member_id": w.ids["other_member_id"],
        },
        ("integrator",),
    ),
    (
        "POST",
        "/t/{tenant}/webhooks",
        lambda a, w: {
            "url": "https://93.184.215.14/pirate",
            "event_types": ["org.trocactif.ledger.transfer_posted.v1"],
        },
        ("member",),
    ),
    ("GET", "/t/{tenant}/webhooks", None, ("member",)),
    ("GET", "/t/{tenant}/webhooks/{webhook_id}", None, ("member",)),
    ("DELETE", "/t/{tenant}/webhooks/{webhook_id}", None, ("member",)),
    ("PATCH", "/t/{tenant}/webhooks/{webhook_id}", lambda a, w: {"active": False}, ("member",)),
    ("POST", "/t/{tenant}/webhooks/{webhook_id}/rotate-secret", lambda a, w: {}, ("member",)),
    ("POST", "/t/{tenant}/webhooks/{webhook_id}/redeliver", lambda a, w: {"after": 0}, ("member",)),
    ("GET", "/t/{tenant}/webhooks/{webhook_id}/deliveries", None, ("member",)),
    ("GET", "/t/{tenant}/notifications/preferences?member_id={other_member_id}", None, ("member",)),
    (
        "POST",
        "/federation/links",
        lambda a, w: {
            "network_a": "troc-actif",
            "network_b": "agri-echange",
            "rate": "2",
            "limit_a": "1.00",
            "limit_b": "1.00",
        },
        ("member", "integrator", "animator"),
    ),
    ("GET", "/federation/links", None, ("member", "integrator", "animator")),
    ("GET", "/federation/links/{link_id}", None, ("member", "integrator", "animator")),
    (
        "PATCH",
        "/federation/links/{link_id}",
        lambda a, w: {"status": "suspended"},
        ("member", "integrator", "animator"),
    ),
    (
        "POST",
        "/federation/links/{link_id}/transfers",
        lambda a, w: {
            "payer": w.ids["member_id"],
            "payee": w.ids["agri_member_id"],
            "amount": "1.00",
        },
        ("member", "other_member", "integrator"),
    ),
    (
        "GET",
        "/federation/links/{link_id}/transfers/{federated_transfer_id}",
        None,
        ("member", "other_member", "integrator"),
    ),
    (
        "PUT",
        "/t/{tenant}/notifications/preferences",
        lambda a, w: {"member_id": w.ids["other_member_id"], "email": {"invoice_settled": False}},
        ("member",),
    ),
    (
        "PUT",
        "/t/{tenant}/notifications/preferences",
        lambda a, w: {"validation_emails": "none"},
        ("member", "integrator"),
    ),
]
CASES = [
    pytest.param(method, path, body, role, id=f"{role} {method} {path}")
    for method, path, body, roles in ROWS
    for role in roles
]


@pytest.mark.parametrize("method, path, body, role", CASES)
def test_a_role_beyond_its_rights_is_refused(
    attack: Attack, world: World, method: str, path: str, body: Body | None, role: str
) -> None:
    response = attack.request(
        method,
        world.path(path),
        role,
        json=body(attack, world) if body else None,
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    problem_of(response, (403, 404))


def test_every_operation_of_the_document_has_a_row(attack: Attack) -> None:
    """An operation is in ``ROWS`` or reviewed here: open to every role of the tenant, or whose
    refusals depend on the resource (its author, the parties to an invoice) and are in ``ROWS``
    with real resources."""
    reviewed = {
        ("GET", "/me"),
        ("GET", "/networks/{network}"),
        ("GET", "/t/{tenant}/members"),
        ("GET", "/t/{tenant}/members/{member_id}"),
        # Every role of the tenant sees its network's partners; the clearing positions are
        # given to its animators only (tests/e2e/notifications/test_federation_webhooks.py).
        ("GET", "/t/{tenant}/federation/links"),
        ("GET", "/t/{tenant}/categories"),
        ("GET", "/t/{tenant}/listings"),
        ("GET", "/t/{tenant}/listings/{listing_id}"),
        ("POST", "/t/{tenant}/listings/{listing_id}/contact"),
        ("GET", "/t/{tenant}/listings/{listing_id}/matches"),
        ("GET", "/t/{tenant}/threads"),
        ("GET", "/t/{tenant}/threads/{thread_id}/messages"),
        ("POST", "/t/{tenant}/threads/{thread_id}/messages"),
        ("GET", "/t/{tenant}/members/{member_id}/listings"),
        ("GET", "/t/{tenant}/invoices"),
        ("POST", "/t/{tenant}/invoices"),
        ("GET", "/t/{tenant}/payment-requests"),
        ("GET", "/t/{tenant}/payments"),
        ("GET", "/t/{tenant}/notifications"),
        ("POST", "/t/{tenant}/notifications/{notification_id}/read"),
        ("GET", "/t/{tenant}/accounts/{member_id}"),
        ("GET", "/t/{tenant}/accounts/{member_id}/transfers"),
        ("GET", "/t/{tenant}/transfers/{transfer_id}"),
        ("GET", "/t/{tenant}/invoices/{invoice_id}"),
        ("GET", "/t/{tenant}/invoices/{invoice_id}/pdf"),
        ("PATCH", "/t/{tenant}/listings/{listing_id}"),
        ("DELETE", "/t/{tenant}/listings/{listing_id}"),
        *{
            (m, f"/t/{{tenant}}/invoices/{{invoice_id}}/{a}")
            for m, a in (
                ("POST", "issue"),
                ("POST", "accept"),
                ("POST", "dispute"),
                ("POST", "cancel"),
                ("POST", "euro-payment"),
                ("POST", "validate"),
                ("POST", "reject"),
            )
        },
        ("POST", "/t/{tenant}/transfers/{transfer_id}/post"),
        ("POST", "/t/{tenant}/transfers/{transfer_id}/void"),
        ("GET", "/t/{tenant}/transfers/{transfer_id}"),
        ("GET", "/t/{tenant}/notifications/preferences"),
        ("PUT", "/t/{tenant}/notifications/preferences"),
        ("POST", "/t/{tenant}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"),
        ("POST", "/t/{tenant}/members/{member_id}/suspend"),
        ("POST", "/t/{tenant}/members/{member_id}/reinstate"),
        ("POST", "/t/{tenant}/members/{member_id}/leave"),
    }
    shapes = {(method, _shape(path)) for method, path, _, _ in ROWS}
    shapes |= {(method, _shape(path)) for method, path in reviewed}
    missing = [
        f"{method} {path}"
        for method, path in _operations(attack)
        if (method, path) not in PUBLIC and (method, _shape(path)) not in shapes
    ]
    assert not missing, "operations without a row in the role matrix:\n" + "\n".join(missing)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])
