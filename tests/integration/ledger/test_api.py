"""The ledger's HTTP API: contracts of DESIGN.md §6, roles, tenancy, idempotency."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER
from chassis.messages import envelope_for
from chassis.outbox import OutboxRelay
from chassis.testing.tokens import TokenFactory
from contracts import gateway as gw
from ledger.api import create_app
from ledger.bootstrap import LedgerApp
from ledger.consumer import LedgerConsumer
from ledger.db import outbox_sequence_table, outbox_table
from ledger.domain import Network

OpenAccount = Callable[..., uuid.UUID]


@pytest.fixture
def client(ledger_app: LedgerApp, token_factory: TokenFactory) -> FlaskClient:
    app = create_app(token_factory.settings(ledger_app.settings), ledger=ledger_app)
    return app.test_client()


@pytest.fixture
def auth(token_factory: TokenFactory, network: Network) -> Callable[..., dict[str, str]]:
    def headers(role: str = ANIMATOR, tenant: str = "pie", **options: object) -> dict[str, str]:
        return token_factory.headers(role, tenant=tenant, network=network.slug, **options)

    return headers


def post_transfer(client: FlaskClient, headers: dict[str, str], key: str, **body: object):
    return client.post("/t/pie/transfers", headers={**headers, "Idempotency-Key": key}, json=body)


class TestTransfers:
    def test_an_animator_moves_actifs_and_a_replay_returns_the_first_result(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account("fa-mgp")
        body = {
            "payer": str(buyer),
            "payee": str(seller),
            "amount": "125.50",
            "reference": "Facture F2026-000001",
        }
        first = post_transfer(client, auth(), "k-1", **body)
        assert first.status_code == 201, first.json
        assert first.json["status"] == "posted"
        assert first.json["amount"] == "125.50"
        again = post_transfer(client, auth(), "k-1", **body)
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json == first.json
        account = client.get(f"/t/pie/accounts/{buyer}", headers=auth()).json
        assert account["balance"] == "-125.50"
        assert account["available"] == "874.50"
        assert account["unit"] == "ACT"

    def test_the_same_key_with_another_body_is_a_conflict(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        post_transfer(client, auth(), "k-2", payer=str(buyer), payee=str(seller), amount="1.00")
        response = post_transfer(
            client, auth(), "k-2", payer=str(buyer), payee=str(seller), amount="2.00"
        )
        assert response.status_code == 409
        assert response.json["code"] == "idempotency_conflict"
        assert response.headers["Content-Type"] == "application/problem+json"

    def test_refusals_are_typed_problems(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=10_000), open_account()
        response = post_transfer(
            client, auth(), "k-3", payer=str(buyer), payee=str(seller), amount="100.01"
        )
        assert response.status_code == 422
        assert response.json["code"] == "insufficient_credit"
        assert "100.00" in response.json["detail"]

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"amount": 12.5}, "amount"),
            ({"amount": "-3.00"}, "amount"),
            ({"amount": "1.001"}, "amount"),
            ({"amount": "abc"}, "amount"),
            ({"payee": "not-a-uuid"}, "payee"),
            ({"kind": "reversal"}, "reverses"),
        ],
    )
    def test_bad_input_names_the_field(
        self,
        client: FlaskClient,
        auth,
        open_account: OpenAccount,
        body: dict[str, object],
        field: str,
    ) -> None:
        buyer, seller = open_account(), open_account()
        payload = {"payer": str(buyer), "payee": str(seller), "amount": "1.00", **body}
        response = post_transfer(client, auth(), f"bad-{uuid.uuid4()}", **payload)
        assert response.status_code == 422
        assert field in response.json["errors"]
        assert client.get(f"/t/pie/accounts/{buyer}", headers=auth()).json["balance"] == "0.00"

    @pytest.mark.parametrize(
        "change",
        [
            {"amount": 0},
            {"amount": "0.00"},
            {"amount": True},
            {"amount": None},
            {"payer": None},
            {"payer": 5},
            {"reference": "x" * 201},
            {"reference": None},
            {"kind": "hold"},
            {"kind": "correction", "hold": True},
            {"hold": "maybe"},
            {"expires_at": "2030-01-01T00:00:00"},
            {"expires_at": "2030-01-01T00:00:00Z"},
            {"reverses": str(uuid.UUID(int=7))},
            {"unknown": 1},
        ],
    )
    def test_refused_bodies_get_the_schemas_problem_documents(
        self, client: FlaskClient, auth, open_account: OpenAccount, change: dict[str, object]
    ) -> None:
        """The route decodes with a compiled fast path; its refusals stay the schema's."""
        from chassis.http import flatten_errors
        from ledger.schemas import TransferInSchema

        buyer, seller = open_account(), open_account()
        body = {"payer": str(buyer), "payee": str(seller), "amount": "1.00", **change}
        response = post_transfer(client, auth(), f"bad-{uuid.uuid4()}", **body)
        assert response.status_code == 422
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json["code"] == "validation_failed"
        assert response.json["errors"] == flatten_errors(TransferInSchema().validate(body))

    def test_a_body_that_is_not_json_is_refused_as_before(self, client: FlaskClient, auth) -> None:
        for data, content_type in (
            (b"{", "application/json"),
            (b"[]", "application/json"),
            (b"payer=1", "application/x-www-form-urlencoded"),
        ):
            response = client.post(
                "/t/pie/transfers",
                data=data,
                content_type=content_type,
                headers={**auth(), "Idempotency-Key": str(uuid.uuid4())},
            )
            assert response.status_code in {400, 422}
            assert response.headers["Content-Type"] == "application/problem+json"

    def test_the_route_keeps_its_openapi_description(self, client: FlaskClient) -> None:
        operation = client.get("/openapi.json").json["paths"]["/t/{tenant}/transfers"]["post"]
        body = operation["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/TransferIn"
        }
        assert "422" in operation["responses"] and "201" in operation["responses"]
        assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])

    def test_an_idempotency_key_is_required(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        response = client.post(
            "/t/pie/transfers",
            headers=auth(),
            json={"payer": str(buyer), "payee": str(seller), "amount": "1"},
        )
        assert response.status_code == 400
        assert response.json["code"] == "idempotency_key_required"

    def test_hold_then_post_over_http(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        held = post_transfer(
            client, auth(), "h-1", payer=str(buyer), payee=str(seller), amount="40.00", hold=True
        )
        assert held.status_code == 201 and held.json["status"] == "pending"
        assert held.json["expires_at"] is not None
        account = client.get(f"/t/pie/accounts/{buyer}", headers=auth()).json
        assert (account["pending_debits"], account["available"]) == ("40.00", "960.00")
        posted = client.post(f"/t/pie/transfers/{held.json['id']}/post", headers=auth())
        assert posted.status_code == 200 and posted.json["status"] == "posted"
        voided = client.post(
            f"/t/pie/transfers/{held.json['id']}/void", headers=auth(), json={"reason": "too late"}
        )
        assert voided.status_code == 409
        assert voided.json["code"] == "invalid_transfer_state"


class TestWhoMayDoWhat:
    def test_without_a_token_nothing_is_served(
        self, client: FlaskClient, open_account: OpenAccount
    ) -> None:
        response = client.get(f"/t/pie/accounts/{open_account()}")
        assert response.status_code == 401
        assert response.json["code"] == "unauthenticated"

    def test_a_member_reads_its_own_account_only(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        mine, theirs = open_account(), open_account()
        headers = auth(MEMBER, member_id=mine)
        assert client.get(f"/t/pie/accounts/{mine}", headers=headers).status_code == 200
        assert client.get(f"/t/pie/accounts/{theirs}", headers=headers).status_code == 404
        assert client.get(f"/t/pie/accounts/{theirs}/transfers", headers=headers).status_code == 404
        response = post_transfer(
            client, headers, "m-1", payer=str(mine), payee=str(theirs), amount="1.00"
        )
        assert response.status_code == 403

    def test_an_integrator_reads_with_its_scope_and_cannot_write(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        account = open_account()
        reader = auth(INTEGRATOR, scopes=["ledger:read"])
        assert client.get(f"/t/pie/accounts/{account}", headers=reader).status_code == 200
        assert (
            client.get(
                f"/t/pie/accounts/{account}", headers=auth(INTEGRATOR, scopes=["events:read"])
            ).status_code
            == 403
        )
        response = post_transfer(
            client, reader, "i-1", payer=str(account), payee=str(open_account()), amount="1.00"
        )
        assert response.status_code == 403
        assert (
            client.put(
                f"/t/pie/accounts/{account}/credit-limit",
                headers=reader,
                json={"credit_limit": "0"},
            ).status_code
            == 403
        )

    def test_another_tenant_sees_nothing_and_moves_nothing(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        a_member, b_member = open_account("pie"), open_account("fa-mgp")
        outsider = auth(tenant="fa-mgp")
        assert client.get(f"/t/pie/accounts/{a_member}", headers=outsider).status_code == 404
        assert client.get(f"/t/fa-mgp/accounts/{a_member}", headers=outsider).status_code == 404
        assert client.get("/t/pie/events", headers=outsider).status_code == 404
        response = client.post(
            "/t/fa-mgp/transfers",
            headers={**outsider, "Idempotency-Key": "x-1"},
            json={"payer": str(a_member), "payee": str(b_member), "amount": "5.00"},
        )
        assert response.status_code == 422
        assert response.json["code"] == "unknown_account"
        assert client.get(f"/t/pie/accounts/{a_member}", headers=auth()).json["balance"] == "0.00"


class TestStatementAndCreditLimit:
    def test_statement_in_json_and_csv(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        for i in range(3):
            post_transfer(
                client,
                auth(),
                f"s-{i}",
                payer=str(buyer),
                payee=str(seller),
                amount=f"{i + 1}.00",
                reference=f"ref {i}",
            )
        page = client.get(f"/t/pie/accounts/{buyer}/transfers?per_page=2", headers=auth())
        assert page.status_code == 200
        assert [t["amount"] for t in page.json["items"]] == ["3.00", "2.00"]
        assert (page.json["page"], page.json["per_page"], page.json["total"]) == (1, 2, 3)
        assert "X-Total-Count" not in page.headers and "Deprecation" not in page.headers
        legacy = client.get(
            f"/t/pie/accounts/{buyer}/transfers?per_page=2",
            headers={**auth(), "Troc-List-Shape": "legacy"},
        )
        assert [t["amount"] for t in legacy.json] == ["3.00", "2.00"]
        assert legacy.headers["X-Total-Count"] == "3"
        assert legacy.headers["Deprecation"].startswith("@")
        exported = client.get(
            f"/t/pie/accounts/{buyer}/transfers", headers={**auth(), "Accept": "text/csv"}
        )
        assert exported.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
        assert sorted(r["debit"] for r in rows) == ["1.00", "2.00", "3.00"]

    def test_a_reference_is_never_a_formula_in_the_csv(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        post_transfer(
            client,
            auth(),
            "formula",
            payer=str(buyer),
            payee=str(seller),
            amount="4.00",
            reference='=HYPERLINK("http://evil.example","x")',
        )
        exported = client.get(
            f"/t/pie/accounts/{buyer}/transfers", headers={**auth(), "Accept": "text/csv"}
        )
        rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
        assert [r["reference"] for r in rows] == ['\'=HYPERLINK("http://evil.example","x")']
        assert [r["debit"] for r in rows] == ["4.00"]

    def test_the_csv_names_the_counterparty_from_the_member_events(
        self,
        client: FlaskClient,
        auth,
        open_account: OpenAccount,
        ledger_app: LedgerApp,
        network: Network,
    ) -> None:
        buyer = open_account()
        seller = uuid.uuid4()
        consumer = LedgerConsumer(ledger_app)

        def deliver(message: object) -> None:
            consumer.handle_batch(
                [envelope_for(message, source="tests", network=network.slug, tenant="pie")]
            )

        deliver(
            gw.MemberAdmitted(
                member_id=seller,
                name="Imprimerie Dupont",
                siret="73282932000074",
                department="92",
                email="contact@example.org",
            )
        )
        deliver(
            gw.MemberUpdated(
                member_id=seller,
                name="=Imprimerie Dupont & Fils",
                siret="73282932000074",
                department="92",
                email="contact@example.org",
            )
        )
        post_transfer(
            client,
            auth(),
            "named",
            payer=str(buyer),
            payee=str(seller),
            amount="7.00",
            reference="Affiches",
        )
        exported = client.get(
            f"/t/pie/accounts/{buyer}/transfers", headers={**auth(), "Accept": "text/csv"}
        )
        [row] = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
        assert (row["counterparty"], row["counterparty_name"], row["counterparty_siret"]) == (
            str(seller),
            "'=Imprimerie Dupont & Fils",
            "73282932000074",
        )

    def test_an_animator_changes_a_credit_limit(
        self, client: FlaskClient, auth, open_account: OpenAccount
    ) -> None:
        account = open_account()
        response = client.put(
            f"/t/pie/accounts/{account}/credit-limit",
            headers=auth(),
            json={"credit_limit": "2500.00"},
        )
        assert response.status_code == 200
        assert response.json["credit_limit"] == "2500.00"
        member = auth(MEMBER, member_id=account)
        assert (
            client.put(
                f"/t/pie/accounts/{account}/credit-limit",
                headers=member,
                json={"credit_limit": "9999.00"},
            ).status_code
            == 403
        )


def test_the_event_log_is_gap_free_per_tenant_and_replayable(
    client: FlaskClient, auth, ledger_app: LedgerApp, open_account: OpenAccount
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    buyer, seller = open_account(tenant), open_account("fa-mgp")
    headers = auth(tenant=tenant)
    for i in range(3):
        response = client.post(
            f"/t/{tenant}/transfers",
            headers={**headers, "Idempotency-Key": f"e-{i}"},
            json={"payer": str(buyer), "payee": str(seller), "amount": "1.00"},
        )
        assert response.status_code == 201
    relay = OutboxRelay(ledger_app.engine, outbox_table, outbox_sequence_table, lambda batch: None)
    while relay.assign_sequences():
        pass
    log = client.get(f"/t/{tenant}/events", headers=headers).json
    types = [e["type"] for e in log["items"]]
    assert (
        types
        == ["org.trocactif.ledger.account_opened.v1"]
        + ["org.trocactif.ledger.transfer_posted.v1"] * 3
    )
    assert [e["sequence"] for e in log["items"]] == [f"{n:020d}" for n in (1, 2, 3, 4)]
    assert [e["data"]["sequence"] for e in log["items"]] == [1, 2, 3, 4]  # deprecated copy
    assert {e["tenant"] for e in log["items"]} == {tenant}
    assert {e["source"] for e in log["items"]} == {f"/t/{tenant}/ledger"}
    assert log["items"][1]["data"]["amount"] == "1.00"
    rest = client.get(f"/t/{tenant}/events?after=2", headers=headers).json
    assert [e["sequence"] for e in rest["items"]] == [f"{n:020d}" for n in (3, 4)]
    assert rest["next_after"] == 4
    old = client.get(
        f"/t/{tenant}/events?after=2", headers={**headers, "Troc-List-Shape": "legacy"}
    )
    assert old.headers["Deprecation"].startswith("@")
    assert old.json == {"events": rest["items"], "next_after": 4}
    other = client.get(f"/t/{tenant}/events?source=invoices", headers=headers)
    assert other.status_code == 422 and "query.source" in other.json["errors"]
    unknown = client.get(f"/t/{tenant}/events?source=gateway", headers=headers)
    assert unknown.status_code == 422 and "query.source" in unknown.json["errors"]
