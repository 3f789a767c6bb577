"""Four eyes on manual transfers, closed tenants and accounts moving between tenants, through the
ledger's HTTP API on both backends (Python rules on SQLite, PL/pgSQL functions on PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR
from chassis.testing.tokens import TokenFactory
from ledger.api import create_app
from ledger.bootstrap import LedgerApp
from ledger.domain import Network

OpenAccount = Callable[..., uuid.UUID]
Headers = Callable[..., dict[str, str]]


@pytest.fixture
def client(ledger_app: LedgerApp, token_factory: TokenFactory) -> FlaskClient:
    return create_app(token_factory.settings(ledger_app.settings), ledger=ledger_app).test_client()


@pytest.fixture
def guarded(ledger_app: LedgerApp, network: Network) -> Network:
    """The test's network with four eyes above 100.00."""
    net = replace(network, manual_transfer_approval_threshold=10_000)
    with ledger_app.uow() as uow:
        uow.ledger.upsert_network(net)
        uow.commit()
    return net


@pytest.fixture
def staff(token_factory: TokenFactory, network: Network) -> Headers:
    def headers(
        subject: str, role: str = ANIMATOR, tenant: str | None = "pie", **claims: Any
    ) -> dict[str, str]:
        return token_factory.headers(
            role, tenant=tenant, network=network.slug, subject=subject, **claims
        )

    return headers


def _transfer(
    client: FlaskClient,
    headers: dict[str, str],
    payer: uuid.UUID,
    payee: uuid.UUID,
    amount: str,
    key: str | None = None,
) -> Any:
    return client.post(
        "/t/pie/transfers",
        json={"payer": str(payer), "payee": str(payee), "amount": amount},
        headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex},
    )


def _account(
    client: FlaskClient, headers: dict[str, str], account: uuid.UUID, tenant: str = "pie"
) -> Any:
    response = client.get(f"/t/{tenant}/accounts/{account}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


class TestFourEyes:
    def test_below_the_threshold_a_transfer_posts_at_once(
        self, client: FlaskClient, staff: Headers, guarded: Network, open_account: OpenAccount
    ) -> None:
        payer, payee = open_account(), open_account()
        made = _transfer(client, staff("alice"), payer, payee, "100.00")
        assert made.status_code == 201, made.json
        assert made.json["status"] == "posted" and made.json["approval_required"] is False

    def test_above_it_the_transfer_waits_and_another_animator_approves_once(
        self, client: FlaskClient, staff: Headers, guarded: Network, open_account: OpenAccount
    ) -> None:
        alice, bob = staff("alice"), staff("bob")
        payer, payee = open_account(), open_account()
        key = uuid.uuid4().hex
        made = _transfer(client, alice, payer, payee, "100.01", key)
        assert made.status_code == 201, made.json
        held = made.json
        assert (held["status"], held["approval_required"], held["initiated_by"]) == (
            "pending",
            True,
            "alice",
        )
        assert held["approved_by"] is None
        # A replay answers the same pending transfer.
        again = _transfer(client, alice, payer, payee, "100.01", key)
        assert again.json["id"] == held["id"] and again.json["approval_required"] is True
        # Balances untouched: the amount is only reserved on the payer.
        account = _account(client, alice, payer)
        assert (account["balance"], account["pending_debits"]) == ("0.00", "100.01")
        assert _account(client, alice, payee)["balance"] == "0.00"
        # Listed for the tenant's animators.
        listed = client.get("/t/pie/transfer-approvals", headers=bob)
        assert [t["id"] for t in listed.json["items"]] == [held["id"]]
        # Neither the initiator, nor a member, nor an integrator, nor /post decides.
        for decision in ("approve", "reject"):
            same = client.post(f"/t/pie/transfers/{held['id']}/{decision}", headers=alice)
            assert same.status_code == 403 and same.json["code"] == "same_approver"
        member = staff("m", role=MEMBER, member_id=payer)
        assert (
            client.post(f"/t/pie/transfers/{held['id']}/approve", headers=member).status_code == 403
        )
        integrator = staff("apikey:x", role=INTEGRATOR, scopes=["ledger:read"])
        assert (
            client.post(f"/t/pie/transfers/{held['id']}/approve", headers=integrator).status_code
            == 403
        )
        posted = client.post(f"/t/pie/transfers/{held['id']}/post", headers=bob)
        assert posted.status_code == 409 and posted.json["code"] == "awaiting_approval"
        # Another animator approves: posted once, however often it is asked.
        approved = client.post(f"/t/pie/transfers/{held['id']}/approve", headers=bob)
        assert approved.status_code == 200, approved.json
        assert (approved.json["status"], approved.json["approved_by"]) == ("posted", "bob")
        twice = client.post(f"/t/pie/transfers/{held['id']}/approve", headers=staff("carol"))
        assert twice.status_code == 200 and twice.json["approved_by"] == "bob"
        account = _account(client, alice, payer)
        assert (account["balance"], account["pending_debits"]) == ("-100.01", "0.00")
        assert _account(client, alice, payee)["balance"] == "100.01"
        late = client.post(f"/t/pie/transfers/{held['id']}/reject", headers=staff("carol"))
        assert late.status_code == 409
        assert client.get("/t/pie/transfer-approvals", headers=bob).json["items"] == []
        # Both steps in the audit log, with their actors.
        log = client.get("/audit", headers=bob, query_string={"tenant": "pie"}).json["items"]
        actions = {
            (e["action"], e["actor"]["user_id"]) for e in log if e["target"]["id"] == held["id"]
        }
        assert actions == {("transfer_made", "alice"), ("transfer_approved", "bob")}

    def test_a_rejected_transfer_is_voided_and_nothing_moves(
        self, client: FlaskClient, staff: Headers, guarded: Network, open_account: OpenAccount
    ) -> None:
        payer, payee = open_account(), open_account()
        held = _transfer(client, staff("alice"), payer, payee, "500.00").json
        rejected = client.post(
            f"/t/pie/transfers/{held['id']}/reject",
            headers=staff("bob"),
            json={"reason": "doublon"},
        )
        assert rejected.status_code == 200, rejected.json
        assert (rejected.json["status"], rejected.json["rejected_by"]) == ("voided", "bob")
        again = client.post(f"/t/pie/transfers/{held['id']}/reject", headers=staff("bob"))
        assert again.status_code == 200 and again.json["status"] == "voided"
        account = _account(client, staff("bob"), payer)
        assert (account["balance"], account["pending_debits"]) == ("0.00", "0.00")
        approve = client.post(f"/t/pie/transfers/{held['id']}/approve", headers=staff("carol"))
        assert approve.status_code == 409

    def test_an_ordinary_hold_has_nothing_to_approve(
        self, client: FlaskClient, staff: Headers, guarded: Network, open_account: OpenAccount
    ) -> None:
        payer, payee = open_account(), open_account()
        hold = client.post(
            "/t/pie/transfers",
            json={"payer": str(payer), "payee": str(payee), "amount": "500.00", "hold": True},
            headers={**staff("alice"), "Idempotency-Key": uuid.uuid4().hex},
        )
        assert hold.status_code == 201 and hold.json["approval_required"] is False
        refused = client.post(f"/t/pie/transfers/{hold.json['id']}/approve", headers=staff("bob"))
        assert refused.status_code == 409 and refused.json["code"] == "approval_not_required"


class TestClosedTenants:
    def test_closing_freezes_the_tenants_accounts_and_reopening_thaws_them(
        self, client: FlaskClient, staff: Headers, network: Network, open_account: OpenAccount
    ) -> None:
        tenant = f"t-{uuid.uuid4().hex[:8]}"
        member, other = open_account(tenant), open_account("pie")
        operator = staff("op", role=OPERATOR, tenant=None)
        animator = staff("anim", tenant=tenant)
        closed = client.put(
            f"/tenants/{tenant}/status", json={"status": "closed"}, headers=operator
        )
        assert closed.status_code == 200, closed.json
        assert closed.json == {"tenant": tenant, "status": "closed", "accounts_changed": 1}
        assert _account(client, operator, member, tenant)["status"] == "frozen"
        # no new debit nor credit, from its own tenant or another
        debit = client.post(
            f"/t/{tenant}/transfers",
            json={"payer": str(member), "payee": str(other), "amount": "1.00"},
            headers={**animator, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert debit.status_code == 422 and debit.json["code"] == "account_frozen"
        credit = _transfer(client, staff("alice"), other, member, "1.00")
        assert credit.status_code == 422 and credit.json["code"] == "account_frozen"
        again = client.put(f"/tenants/{tenant}/status", json={"status": "closed"}, headers=operator)
        assert again.json["accounts_changed"] == 0
        reopened = client.put(
            f"/tenants/{tenant}/status", json={"status": "active"}, headers=operator
        )
        assert reopened.json["accounts_changed"] == 1
        assert _account(client, operator, member, tenant)["status"] == "active"
        assert _transfer(client, staff("alice"), other, member, "1.00").status_code == 201
        log = client.get("/audit", headers=operator, query_string={"tenant": tenant}).json
        assert {e["action"] for e in log["items"]} == {"tenant_closed", "tenant_reopened"}

    def test_only_the_operator_closes_a_tenant(self, client: FlaskClient, staff: Headers) -> None:
        refused = client.put("/tenants/pie/status", json={"status": "closed"}, headers=staff("a"))
        assert refused.status_code == 403


class TestMoves:
    def test_an_account_moves_with_its_balance_and_history(
        self, client: FlaskClient, staff: Headers, network: Network, open_account: OpenAccount
    ) -> None:
        target = f"t-{uuid.uuid4().hex[:8]}"
        member, other = open_account("pie"), open_account("pie")
        paid = _transfer(client, staff("alice"), member, other, "40.00").json
        operator = staff("op", role=OPERATOR, tenant=None)
        body = {"from_tenant": "pie", "tenant": target}
        moved = client.post(f"/accounts/{member}/move", json=body, headers=operator)
        assert moved.status_code == 200, moved.json
        assert (moved.json["tenant"], moved.json["balance"]) == (target, "-40.00")
        # idempotent
        assert (
            client.post(f"/accounts/{member}/move", json=body, headers=operator).status_code == 200
        )
        new_animator = staff("anim", tenant=target)
        statement = client.get(f"/t/{target}/accounts/{member}/transfers", headers=new_animator)
        assert [t["id"] for t in statement.json["items"]] == [paid["id"]]
        old = client.get(f"/t/pie/accounts/{member}", headers=staff("alice"))
        assert old.status_code == 404
        for tenant in ("pie", target):
            log = client.get("/audit", headers=operator, query_string={"tenant": tenant}).json
            assert "account_moved" in {e["action"] for e in log["items"]}

    def test_an_account_with_a_pending_hold_does_not_move(
        self, client: FlaskClient, staff: Headers, network: Network, open_account: OpenAccount
    ) -> None:
        member, other = open_account("pie"), open_account("pie")
        hold = client.post(
            "/t/pie/transfers",
            json={"payer": str(member), "payee": str(other), "amount": "5.00", "hold": True},
            headers={**staff("alice"), "Idempotency-Key": uuid.uuid4().hex},
        ).json
        operator = staff("op", role=OPERATOR, tenant=None)
        body = {"from_tenant": "pie", "tenant": f"t-{uuid.uuid4().hex[:8]}"}
        for account in (member, other):  # payer and payee alike
            busy = client.post(f"/accounts/{account}/move", json=body, headers=operator)
            assert busy.status_code == 409 and busy.json["code"] == "member_busy"
        client.post(f"/t/pie/transfers/{hold['id']}/void", headers=staff("alice"), json={})
        assert (
            client.post(f"/accounts/{member}/move", json=body, headers=operator).status_code == 200
        )

    def test_no_account_moves_into_a_closed_tenant(
        self, client: FlaskClient, staff: Headers, network: Network, open_account: OpenAccount
    ) -> None:
        target = f"t-{uuid.uuid4().hex[:8]}"
        member = open_account("pie")
        operator = staff("op", role=OPERATOR, tenant=None)
        client.put(f"/tenants/{target}/status", json={"status": "closed"}, headers=operator)
        refused = client.post(
            f"/accounts/{member}/move",
            json={"from_tenant": "pie", "tenant": target},
            headers=operator,
        )
        assert refused.status_code == 409 and refused.json["code"] == "tenant_closed"
        client.put(f"/tenants/{target}/status", json={"status": "active"}, headers=operator)
