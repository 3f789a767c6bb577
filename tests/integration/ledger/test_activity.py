"""A tenant's activity and the history of credit limits, through the ledger's HTTP API, on both
stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR
from chassis.db import utcnow
from chassis.testing.tokens import TokenFactory
from ledger.api import create_app
from ledger.bootstrap import LedgerApp
from ledger.db import transfers
from ledger.domain import Network, first_month, month_keys

OpenAccount = Callable[..., uuid.UUID]
Headers = Callable[..., dict[str, str]]


@pytest.fixture
def client(ledger_app: LedgerApp, token_factory: TokenFactory) -> FlaskClient:
    app = create_app(token_factory.settings(ledger_app.settings), ledger=ledger_app)
    return app.test_client()


@pytest.fixture
def tenant() -> str:
    """A tenant of its own: the activity sums everything a tenant did in the shared database."""
    return f"act-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def auth(token_factory: TokenFactory, network: Network, tenant: str) -> Headers:
    def headers(role: str = ANIMATOR, tenant: str = tenant, **options: object) -> dict[str, str]:
        return token_factory.headers(role, tenant=tenant, network=network.slug, **options)

    return headers


def move(
    client: FlaskClient,
    headers: dict[str, str],
    tenant: str,
    payer: uuid.UUID,
    payee: uuid.UUID,
    amount: str,
    **extra: object,
) -> dict[str, object]:
    response = client.post(
        f"/t/{tenant}/transfers",
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": str(payer), "payee": str(payee), "amount": amount, **extra},
    )
    assert response.status_code == 201, response.json
    return dict(response.json)


class TestActivity:
    def test_volume_trades_and_active_members_per_month_and_the_credit_in_use(
        self,
        client: FlaskClient,
        auth: Headers,
        open_account: OpenAccount,
        ledger_app: LedgerApp,
        tenant: str,
    ) -> None:
        a, b, idle = open_account(tenant), open_account(tenant), open_account(tenant)
        outsider = open_account(f"other-{uuid.uuid4().hex[:6]}")
        move(client, auth(), tenant, a, b, "100.00")  # inside the tenant
        move(client, auth(), tenant, b, outsider, "50.00")  # to another tenant
        move(client, auth(), tenant, a, outsider, "7.25", hold=True)  # pending: not traded
        mistake = move(client, auth(), tenant, a, b, "30.00")
        move(client, auth(), tenant, b, a, "30.00", kind="reversal", reverses=mistake["id"])
        earlier = move(client, auth(), tenant, a, b, "12.50")
        # One trade of two months ago, to see the months apart on both databases.
        two_months_ago = first_month(utcnow(), 3) + timedelta(days=3, hours=5)
        with ledger_app.engine.begin() as conn:
            conn.execute(
                update(transfers)
                .where(transfers.c.id == uuid.UUID(str(earlier["id"])))
                .values(posted_at=two_months_ago)
            )

        response = client.get(f"/t/{tenant}/activity?months=4", headers=auth())

        assert response.status_code == 200, response.json
        body = response.json
        assert [m["month"] for m in body["months"]] == month_keys(utcnow(), 4)
        this_month, last_month, before = body["months"][-1], body["months"][-2], body["months"][-3]
        # 100 + 50 + 30 - 30 (the reversal takes its trade back); the hold has not moved.
        assert this_month == {
            "month": month_keys(utcnow(), 1)[0],
            "volume": "150.00",
            "transfers": 3,
            "active_members": 2,
        }
        assert last_month["volume"] == "0.00" and last_month["transfers"] == 0
        assert before == {
            "month": two_months_ago.strftime("%Y-%m"),
            "volume": "12.50",
            "transfers": 1,
            "active_members": 2,
        }
        # a: -100 - 30 + 30 - 12.50 = -112.50; b: +100 - 50 + 30 - 30 + 12.50 = 62.50.
        assert body["outstanding_credit"] == "112.50"
        assert body["members"] == 3 and body["members_in_debit"] == 1
        assert body["credit_limits"] == "3000.00"
        assert body["unit"] == "ACT"
        assert idle  # opened, never traded: counted as a member, never as active

    def test_a_tenant_without_trades_has_empty_months(
        self, client: FlaskClient, auth: Headers, tenant: str
    ) -> None:
        body = client.get(f"/t/{tenant}/activity", headers=auth()).json
        assert len(body["months"]) == 12
        assert {(m["volume"], m["transfers"], m["active_members"]) for m in body["months"]} == {
            ("0.00", 0, 0)
        }
        assert (body["members"], body["outstanding_credit"]) == (0, "0.00")

    def test_only_animators_and_the_operator_read_it(
        self, client: FlaskClient, auth: Headers, tenant: str
    ) -> None:
        url = f"/t/{tenant}/activity"
        assert client.get(url, headers=auth(OPERATOR, tenant=None)).status_code == 200
        assert client.get(url, headers=auth(MEMBER)).status_code == 403
        assert client.get(url, headers=auth(INTEGRATOR, scopes=["ledger:read"])).status_code == 403
        other = client.get(url, headers=auth(tenant="fa-mgp"))
        assert other.status_code == 404
        assert other.headers["Content-Type"] == "application/problem+json"

    @pytest.mark.parametrize("months", ["0", "37", "douze"])
    def test_the_number_of_months_is_checked(
        self, client: FlaskClient, auth: Headers, tenant: str, months: str
    ) -> None:
        response = client.get(f"/t/{tenant}/activity?months={months}", headers=auth())
        assert response.status_code == 422
        assert "months" in str(response.json)


class TestCreditLimitHistory:
    def test_each_change_records_who_when_and_from_what_to_what(
        self,
        client: FlaskClient,
        auth: Headers,
        token_factory: TokenFactory,
        network: Network,
        open_account: OpenAccount,
        tenant: str,
    ) -> None:
        member = open_account(tenant)
        url = f"/t/{tenant}/accounts/{member}/credit-limit"
        animator = token_factory.identity(ANIMATOR, tenant=tenant, network=network.slug)
        headers = {"Authorization": f"Bearer {token_factory.mint_for(animator)}"}
        first = client.put(
            url, headers=headers, json={"credit_limit": "2500.00", "reason": "Bon payeur"}
        )
        assert first.status_code == 200, first.json
        assert (
            client.put(url, headers=headers, json={"credit_limit": "2500.00"}).status_code == 200
        )  # unchanged: nothing to record
        assert (
            client.put(
                url, headers=auth(OPERATOR, tenant=None), json={"credit_limit": "500.00"}
            ).status_code
            == 200
        )

        history = client.get(f"{url}/history", headers=auth())

        assert history.status_code == 200, history.json
        assert history.json["total"] == 3
        latest, change, opening = history.json["items"]
        assert (latest["old_credit_limit"], latest["credit_limit"]) == ("2500.00", "500.00")
        assert latest["changed_by_role"] == OPERATOR
        assert change == {
            **change,
            "old_credit_limit": "1000.00",
            "credit_limit": "2500.00",
            "changed_by": animator.subject,
            "changed_by_role": ANIMATOR,
            "reason": "Bon payeur",
            "account_id": str(member),
        }
        assert opening["old_credit_limit"] is None and opening["credit_limit"] == "1000.00"
        assert opening["changed_by"] is None
        assert latest["changed_at"] >= change["changed_at"] >= opening["changed_at"]

    def test_a_refused_change_leaves_no_trace(
        self, client: FlaskClient, auth: Headers, open_account: OpenAccount, tenant: str
    ) -> None:
        member, other = open_account(tenant), open_account(tenant)
        move(client, auth(), tenant, member, other, "600.00")
        url = f"/t/{tenant}/accounts/{member}/credit-limit"
        refused = client.put(url, headers=auth(), json={"credit_limit": "100.00"})
        assert refused.status_code == 422
        assert refused.json["code"] == "credit_limit_too_low"
        assert client.get(f"{url}/history", headers=auth()).json["total"] == 1

    def test_a_member_reads_its_own_history_and_nobody_elses(
        self, client: FlaskClient, auth: Headers, open_account: OpenAccount, tenant: str
    ) -> None:
        mine, theirs = open_account(tenant), open_account(tenant)
        member = auth(MEMBER, member_id=mine)
        base = f"/t/{tenant}/accounts"
        assert client.get(f"{base}/{mine}/credit-limit/history", headers=member).status_code == 200
        assert (
            client.get(f"{base}/{theirs}/credit-limit/history", headers=member).status_code == 404
        )
        assert (
            client.get(
                f"{base}/{mine}/credit-limit/history", headers=auth(tenant="fa-mgp")
            ).status_code
            == 404
        )
        assert (
            client.put(
                f"{base}/{mine}/credit-limit", headers=member, json={"credit_limit": "1.00"}
            ).status_code
            == 403
        )
