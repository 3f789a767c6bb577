"""The ledger's staff actions: who made a manual transfer (``initiated_by``), and its audit log
(read by the gateway, which merges every service's), on both backends."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from chassis.auth import ANIMATOR, MEMBER, OPERATOR
from chassis.testing.tokens import TokenFactory
from ledger.api import create_app
from ledger.bootstrap import LedgerApp
from ledger.domain import Network

OpenAccount = Callable[..., uuid.UUID]


@pytest.fixture
def client(ledger_app: LedgerApp, token_factory: TokenFactory) -> FlaskClient:
    return create_app(token_factory.settings(ledger_app.settings), ledger=ledger_app).test_client()


@pytest.fixture
def staff(token_factory: TokenFactory, network: Network) -> Callable[..., dict[str, str]]:
    def headers(subject: str, role: str = ANIMATOR, tenant: str | None = "pie") -> dict[str, str]:
        return token_factory.headers(role, tenant=tenant, network=network.slug, subject=subject)

    return headers


def test_a_manual_transfer_names_its_initiator_and_is_audited(
    client: FlaskClient, staff, open_account: OpenAccount
) -> None:
    alice = str(uuid.uuid4())
    payer, payee = open_account(), open_account()
    key = uuid.uuid4().hex
    body = {"payer": str(payer), "payee": str(payee), "amount": "12.00", "reference": "Régul"}
    made = client.post(
        "/t/pie/transfers", json=body, headers={**staff(alice), "Idempotency-Key": key}
    )
    assert made.status_code == 201, made.json
    assert made.json["initiated_by"] == alice
    # A replay, even by someone else, keeps the first initiator and audits nothing more.
    again = client.post(
        "/t/pie/transfers", json=body, headers={**staff(str(uuid.uuid4())), "Idempotency-Key": key}
    )
    assert again.json["initiated_by"] == alice
    shown = client.get(f"/t/pie/transfers/{made.json['id']}", headers=staff(alice))
    assert shown.json["initiated_by"] == alice

    log = client.get("/audit", headers=staff(alice), query_string={"tenant": "pie", "actor": alice})
    assert log.status_code == 200, log.json
    [entry] = log.json["items"]
    assert entry["action"] == "transfer_made"
    assert entry["actor"] == {"user_id": alice, "email": None, "role": "animator"}
    assert entry["target"] == {"type": "transfer", "id": made.json["id"]}
    assert entry["details"]["amount"] == "12.00"


def test_a_refused_manual_transfer_is_not_audited(
    client: FlaskClient, staff, open_account: OpenAccount
) -> None:
    carol = str(uuid.uuid4())
    payer, payee = open_account(), open_account()
    body = {"payer": str(payer), "payee": str(payee), "amount": "999999.00"}
    refused = client.post(
        "/t/pie/transfers", json=body, headers={**staff(carol), "Idempotency-Key": "too-much"}
    )
    assert refused.status_code == 422, refused.json
    assert refused.json["code"] == "insufficient_credit"
    log = client.get("/audit", headers=staff(carol), query_string={"tenant": "pie", "actor": carol})
    assert log.json["items"] == []
    # The details of an audited one are those the log has always shown.
    made = client.post(
        "/t/pie/transfers",
        json={**body, "amount": "0.05", "reference": "Régul « été »"},
        headers={**staff(carol), "Idempotency-Key": "small"},
    )
    [entry] = client.get(
        "/audit", headers=staff(carol), query_string={"tenant": "pie", "actor": carol}
    ).json["items"]
    assert entry["details"] == {
        "payer": str(payer),
        "payee": str(payee),
        "amount": "0.05",
        "kind": "direct",
        "status": made.json["status"],
        "reference": "Régul « été »",
        "approval_required": False,
    }


def test_holds_posted_and_credit_limits_changed_by_staff_are_audited(
    client: FlaskClient, staff, open_account: OpenAccount
) -> None:
    bob = str(uuid.uuid4())
    payer, payee = open_account(), open_account()
    held = client.post(
        "/t/pie/transfers",
        headers={**staff(bob), "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": str(payer), "payee": str(payee), "amount": "5.00", "hold": True},
    )
    assert held.status_code == 201
    posted = client.post(f"/t/pie/transfers/{held.json['id']}/post", headers=staff(bob))
    assert posted.status_code == 200 and posted.json["status"] == "posted"
    limit = client.put(
        f"/t/pie/accounts/{payer}/credit-limit",
        headers=staff(bob),
        json={"credit_limit": "2000.00", "reason": "bon payeur"},
    )
    assert limit.status_code == 200
    log = client.get("/audit", headers=staff(bob), query_string={"tenant": "pie", "actor": bob})
    assert [e["action"] for e in log.json["items"]] == [
        "credit_limit_changed",
        "hold_posted",
        "transfer_made",
    ]
    assert log.json["items"][0]["details"]["credit_limit"] == "2000.00"
    only = client.get(
        "/audit",
        headers=staff(bob),
        query_string={"tenant": "pie", "actor": bob, "action": "hold_posted"},
    )
    assert only.json["total"] == 1


def test_the_log_of_a_tenant_is_its_animators_and_the_whole_log_the_operators(
    client: FlaskClient, staff, token_factory: TokenFactory, network: Network
) -> None:
    other = client.get(
        "/audit", headers=staff(str(uuid.uuid4()), tenant="fa-mgp"), query_string={"tenant": "pie"}
    )
    assert other.status_code == 404
    member = token_factory.headers(
        MEMBER, tenant="pie", network=network.slug, member_id=uuid.uuid4()
    )
    assert client.get("/audit", headers=member, query_string={"tenant": "pie"}).status_code == 403
    assert client.get("/audit", headers=staff(str(uuid.uuid4()))).status_code == 403
    everything = client.get("/audit", headers=staff(str(uuid.uuid4()), OPERATOR, None))
    assert everything.status_code == 200
