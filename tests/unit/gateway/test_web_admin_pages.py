"""The animators' and the operator's pages on a fake of the public API (Flask test client).

The pages' only door to the platform is ``gateway.web.client``'s transport: here it is a small
in-memory API that records each call and answers like the real one, so these tests see what the
pages send (bodies, the tenant of the session) and what they show (French labels, refusals,
secrets once). The browser tests in ``tests/e2e/web`` run the same pages on the real platform.
"""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from gateway.settings import GatewaySettings
from gateway.web import install_web
from gateway.web.session import Account

API = "http://api.test"
TENANT = "pie"
MEMBER_ID = str(uuid.uuid4())
ANIMATOR_ID = str(uuid.uuid4())
CSRF = "csrf-token-of-the-test"

Handler = Callable[[dict[str, Any]], tuple[int, Any]]


def problem(status: int, code: str, detail: str = "", **extra: Any) -> tuple[int, Any]:
    return status, {
        "type": "about:blank",
        "status": status,
        "code": code,
        "detail": detail,
        **extra,
    }


@dataclass
class FakeApi:
    """``requests.Session``-like: answers ``(METHOD, path)`` from ``routes``, records calls."""

    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    calls: list[tuple[str, str, Any]] = field(default_factory=list)

    def on(self, method: str, path: str, answer: Handler | Any, status: int = 200) -> None:
        self.routes[(method, path)] = (
            answer if callable(answer) else (lambda _request, a=answer, s=status: (s, a))
        )

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        path = url.removeprefix(API)
        body = kwargs.get("json")
        if kwargs.get("data") is not None:
            body = kwargs["data"]
        if kwargs.get("files"):
            body = {name: part[1] for name, part in kwargs["files"].items()}
        self.calls.append((method, path, body))
        handler = self.routes.get((method, path))
        status, answer = (
            (404, {"code": "not_found", "status": 404})
            if handler is None
            else handler(
                {
                    "json": body,
                    "params": kwargs.get("params") or {},
                    "headers": kwargs.get("headers") or {},
                }
            )
        )
        response = requests.Response()
        response.status_code = status
        response.url = url
        if answer is not None:
            response._content = json.dumps(answer).encode()
            response.headers["Content-Type"] = (
                "application/problem+json" if status >= 400 else "application/json"
            )
        else:
            response._content = b""
        return response

    def sent(self, method: str, path: str) -> list[Any]:
        return [body for m, p, body in self.calls if (m, p) == (method, path)]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, FakeApi]:
    """One app for the module (its templates compile once); the fake is emptied per test."""
    settings = dataclasses.replace(
        GatewaySettings.from_env("gateway", {"TROC_VAR_DIR": str(tmp_path_factory.mktemp("web"))}),
        web_secret_key="a-secret-key-for-the-tests",
    )
    fake = FakeApi()
    flask_app = Flask("web-tests")
    install_web(flask_app, settings, transport=fake, api_url=API)
    return flask_app, fake


@pytest.fixture
def fake(web: tuple[Flask, FakeApi]) -> FakeApi:
    api = web[1]
    api.routes.clear()
    api.calls.clear()
    return api


@pytest.fixture
def app(web: tuple[Flask, FakeApi], fake: FakeApi) -> Flask:
    return web[0]


def signed_in(app: Flask, role: str, tenant: str | None = TENANT) -> FlaskClient:
    client = app.test_client()
    account = Account(
        email=f"{role}@example.org",
        roles=(role,),
        tenant=tenant,
        network="troc-actif" if tenant else None,
        unit={"code": "ACT", "name": "Actif", "symbol": "Ⓐ"},
    )
    with client.session_transaction() as session:
        session["account"] = dataclasses.asdict(account)
        session["tokens"] = {"access": "token", "refresh": "refresh", "expires_at": 4_102_444_800}
        session["csrf"] = CSRF
    return client


@pytest.fixture
def animator(app: Flask) -> FlaskClient:
    return signed_in(app, "animator")


@pytest.fixture
def operator(app: Flask) -> FlaskClient:
    return signed_in(app, "operator", tenant=None)


def page_of(*items: Any) -> dict[str, Any]:
    return {"items": list(items), "page": 1, "per_page": 100, "total": len(items)}


def text_of(response: Any) -> str:
    """The page's text without tags and with single spaces, to read like a person."""
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    )


MEMBER = {
    "id": MEMBER_ID,
    "tenant": TENANT,
    "network": "troc-actif",
    "name": "Atelier Lumière",
    "siret": "73282932000074",
    "department": "75",
    "email": "contact@atelier.example",
    "status": "admitted",
    "address": {"street": "1 rue de la Paix", "postal_code": "75002", "city": "Paris"},
    "admitted_at": "2026-11-02T09:00:00+00:00",
}
ACCOUNT = {
    "member_id": MEMBER_ID,
    "network": "troc-actif",
    "unit": "ACT",
    "balance": "-250.00",
    "available": "750.00",
    "pending_debits": "0.00",
    "pending_credits": "0.00",
    "credit_limit": "1000.00",
    "status": "active",
}


def with_member(fake: FakeApi, **member: Any) -> None:
    base = f"/t/{TENANT}"
    fake.on("GET", f"{base}/members", page_of({**MEMBER, **member}))
    fake.on("GET", f"{base}/members/{MEMBER_ID}", {**MEMBER, **member})
    fake.on("GET", f"{base}/accounts", page_of(ACCOUNT))
    fake.on("GET", f"{base}/accounts/{MEMBER_ID}", ACCOUNT)
    fake.on(
        "GET",
        f"{base}/users",
        page_of({"id": ANIMATOR_ID, "email": "animation@pie.example", "role": "animator"}),
    )
    fake.on(
        "GET",
        f"{base}/accounts/{MEMBER_ID}/credit-limit/history",
        page_of(
            {
                "account_id": MEMBER_ID,
                "old_credit_limit": "1000.00",
                "credit_limit": "1500.00",
                "changed_by": ANIMATOR_ID,
                "changed_by_role": "animator",
                "reason": "Bon payeur",
                "changed_at": "2026-11-20T10:00:00+00:00",
            },
            {
                "account_id": MEMBER_ID,
                "old_credit_limit": None,
                "credit_limit": "1000.00",
                "changed_by": None,
                "changed_by_role": None,
                "reason": "",
                "changed_at": "2026-11-02T09:00:00+00:00",
            },
        ),
    )


class TestMembers:
    def test_the_list_shows_statuses_and_balances_in_the_unit(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        with_member(fake, status="suspended")
        response = animator.get("/app/adherents")
        assert response.status_code == 200
        text = text_of(response)
        assert "Atelier Lumière" in text
        assert "Suspendu" in text
        assert "-250,00 Actifs" in text

    def test_admission_sends_the_form_to_the_tenant_of_the_session(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on("POST", f"/t/{TENANT}/members", {**MEMBER, "name": "Studio Rivoli"}, 201)
        response = animator.post(
            "/app/adherents/nouveau",
            data={
                "csrf_token": CSRF,
                "name": "Studio Rivoli",
                "siret": "73282932000074",
                "address": "10 rue de Rivoli, 75004 Paris",
                "department": "75",
                "email": "bonjour@rivoli.example",
                "credit_limit": "1 500,00",
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/app/adherents/{MEMBER_ID}")
        (body,) = fake.sent("POST", f"/t/{TENANT}/members")
        assert body["credit_limit"] == "1500.00"
        assert "vat_number" not in body  # blank fields are not sent

    def test_a_refused_admission_shows_the_field_in_french_and_keeps_the_input(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on(
            "POST",
            f"/t/{TENANT}/members",
            lambda _r: problem(
                422,
                "validation_failed",
                "The request has invalid fields.",
                errors={"siret": ["Missing data for required field."]},
            ),
        )
        response = animator.post(
            "/app/adherents/nouveau",
            data={"csrf_token": CSRF, "name": "Studio Rivoli", "siret": ""},
        )
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Ce champ est obligatoire." in html
        assert 'value="Studio Rivoli"' in html
        assert 'aria-invalid="true"' in html

    def test_a_form_without_its_csrf_token_is_refused(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        response = animator.post("/app/adherents/nouveau", data={"name": "X"})
        assert response.status_code == 400
        assert fake.sent("POST", f"/t/{TENANT}/members") == []

    def test_the_credit_limit_history_says_who_when_and_from_what_to_what(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        with_member(fake)
        text = text_of(animator.get(f"/app/adherents/{MEMBER_ID}"))
        assert "animation@pie.example" in text
        assert "1 000,00 Actifs" in text.replace("\u202f", " ")
        assert "Bon payeur" in text
        assert "Ouverture du compte" in text
        assert "20/11/2026" in text

    def test_a_member_just_admitted_waits_for_its_account(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        with_member(fake)
        del fake.routes[("GET", f"/t/{TENANT}/accounts/{MEMBER_ID}")]  # the ledger: 404
        response = animator.get(f"/app/adherents/{MEMBER_ID}")
        assert response.status_code == 200
        assert "en cours d'ouverture" in text_of(response)

    def test_a_credit_limit_change_goes_to_the_ledger_with_its_reason(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        with_member(fake)
        fake.on(
            "PUT",
            f"/t/{TENANT}/accounts/{MEMBER_ID}/credit-limit",
            {**ACCOUNT, "credit_limit": "2000.00"},
        )
        response = animator.post(
            f"/app/adherents/{MEMBER_ID}/decouvert",
            data={"csrf_token": CSRF, "credit_limit": "2 000", "reason": "Croissance"},
        )
        assert response.status_code == 302
        assert fake.sent("PUT", f"/t/{TENANT}/accounts/{MEMBER_ID}/credit-limit") == [
            {"credit_limit": "2000", "reason": "Croissance", "expires_on": None, "review_on": None}
        ]

    def test_a_temporary_credit_limit_goes_with_its_dates(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        with_member(fake)
        fake.on("PUT", f"/t/{TENANT}/accounts/{MEMBER_ID}/credit-limit", ACCOUNT)
        animator.post(
            f"/app/adherents/{MEMBER_ID}/decouvert",
            data={
                "csrf_token": CSRF,
                "credit_limit": "5000",
                "expires_on": "2027-01-01",
                "review_on": "2026-12-15",
            },
        )
        [sent] = fake.sent("PUT", f"/t/{TENANT}/accounts/{MEMBER_ID}/credit-limit")
        assert (sent["expires_on"], sent["review_on"]) == ("2027-01-01", "2026-12-15")

    def test_a_limit_below_what_is_used_is_refused_on_the_page(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        with_member(fake)
        fake.on(
            "PUT",
            f"/t/{TENANT}/accounts/{MEMBER_ID}/credit-limit",
            lambda _r: problem(
                422, "credit_limit_too_low", "the account already uses 250.00 of credit"
            ),
        )
        response = animator.post(
            f"/app/adherents/{MEMBER_ID}/decouvert",
            data={"csrf_token": CSRF, "credit_limit": "100"},
        )
        assert response.status_code == 422
        assert "250.00" in text_of(response)
        assert 'value="100"' in response.get_data(as_text=True)

    def test_suspend_and_reinstate(self, animator: FlaskClient, fake: FakeApi) -> None:
        fake.on(
            "POST", f"/t/{TENANT}/members/{MEMBER_ID}/suspend", {**MEMBER, "status": "suspended"}
        )
        response = animator.post(
            f"/app/adherents/{MEMBER_ID}/suspendre", data={"csrf_token": CSRF, "reason": "Impayés"}
        )
        assert response.status_code == 302
        assert fake.sent("POST", f"/t/{TENANT}/members/{MEMBER_ID}/suspend") == [
            {"reason": "Impayés"}
        ]

    def test_an_import_refused_shows_the_report_line_by_line(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on(
            "POST",
            f"/t/{TENANT}/members/import",
            lambda _r: problem(
                422,
                "import_refused",
                "2 rows have errors",
                valid_rows=3,
                ignored_columns=[],
                rows=[
                    {
                        "line": 4,
                        "field": "siret",
                        "code": "unknown_code",
                        "message": "SIRET 123 has a wrong key",
                    },
                    {
                        "line": 5,
                        "field": "department",
                        "code": "not_covered",
                        "message": "department 92 is not covered",
                    },
                ],
                errors={"line 4.siret": ["SIRET 123 has a wrong key"]},
            ),
        )
        response = animator.post(
            "/app/adherents/import",
            content_type="multipart/form-data",
            data={"csrf_token": CSRF, "fichier": (_csv(b"name;siret\nX;123\n"), "liste.csv")},
        )
        assert response.status_code == 422
        text = text_of(response)
        assert "Aucun adhérent n'a été importé" in text
        assert "4 SIRET SIRET 123 has a wrong key" in text
        assert "5 Département Département hors du territoire de l'association." in text
        (sent,) = fake.sent("POST", f"/t/{TENANT}/members/import")
        assert sent["file"] == b"name;siret\nX;123\n"

    def test_an_import_accepted_lists_the_admitted_members(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on("POST", f"/t/{TENANT}/members/import", {"admitted": 1, "members": [MEMBER]}, 201)
        response = animator.post(
            "/app/adherents/import",
            content_type="multipart/form-data",
            data={"csrf_token": CSRF, "fichier": (_csv(b"x"), "l.csv")},
        )
        assert response.status_code == 200
        assert "1 adhérent(s) admis" in text_of(response)


def _csv(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


class TestActivity:
    def test_charts_and_their_table_show_the_same_months(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        months = [
            {
                "month": f"2026-{m:02d}",
                "volume": f"{m * 100}.00",
                "transfers": m,
                "active_members": m % 4,
            }
            for m in range(1, 13)
        ]
        fake.on(
            "GET",
            f"/t/{TENANT}/activity",
            lambda r: (
                200,
                {
                    "tenant": TENANT,
                    "unit": "ACT",
                    "months": months[-int(r["params"]["months"]) :],
                    "members": 12,
                    "members_in_debit": 3,
                    "outstanding_credit": "1250.00",
                    "credit_limits": "12000.00",
                },
            ),
        )
        response = animator.get("/app/activite")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count("<svg") == 2
        assert html.count('<rect class="bar') == 24
        assert 'role="img"' in html and "<title>Volume échangé par mois" in html
        text = text_of(response)
        assert "novembre 2026" in text and "1 100,00 Actifs" in text.replace("\u202f", " ")
        assert "1 250,00 Actifs" in text.replace("\u202f", " ")

    def test_the_period_is_one_of_the_offered_ones(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        seen: list[dict[str, Any]] = []

        def answer(request: dict[str, Any]) -> tuple[int, Any]:
            seen.append(request["params"])
            return 200, {
                "tenant": TENANT,
                "unit": "ACT",
                "members": 0,
                "members_in_debit": 0,
                "outstanding_credit": "0.00",
                "credit_limits": "0.00",
                "months": [
                    {"month": "2026-11", "volume": "0.00", "transfers": 0, "active_members": 0}
                ],
            }

        fake.on("GET", f"/t/{TENANT}/activity", answer)
        animator.get("/app/activite?mois=6")
        animator.get("/app/activite?mois=999")
        assert [p["months"] for p in seen] == [6, 12]

    def test_each_link_shows_the_partner_and_the_clearing_accounts_position(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on("GET", f"/t/{TENANT}/activity", activity_of())
        fake.on(
            "GET",
            f"/t/{TENANT}/federation/links",
            {
                "items": [
                    {
                        "link_id": str(uuid.uuid4()),
                        "network": "troc-actif",
                        "partner_network": "agri-echange",
                        "partner_network_name": "Agri-échange",
                        "partner_unit": "Grain",
                        "clearing_account": str(uuid.uuid4()),
                        "rate": "0.5",
                        "limit": "5000.00",
                        "clearing_balance": "-1200.00",
                        "available": "3800.00",
                        "status": "suspended",
                    }
                ]
            },
        )
        response = animator.get("/app/activite")
        assert response.status_code == 200
        text = text_of(response).replace("\u202f", " ")
        row = re.search(r"Agri-échange .*?Suspendu", text)
        assert row is not None, text
        assert "-1 200,00 Actifs" in row.group(0)
        assert "5 000,00 Actifs" in row.group(0) and "3 800,00 Actifs" in row.group(0)
        assert "1 Actif = 0,5 Grain" in row.group(0)
        assert 'data-partner="agri-echange"' in response.get_data(as_text=True)

    def test_a_network_without_links_says_so_and_links_unknown_leave_the_page_up(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on("GET", f"/t/{TENANT}/activity", activity_of())
        fake.on("GET", f"/t/{TENANT}/federation/links", {"items": []})
        assert "n'est lié à aucun autre réseau" in text_of(animator.get("/app/activite"))
        fake.on(
            "GET",
            f"/t/{TENANT}/federation/links",
            lambda _r: problem(503, "service_unavailable"),
        )
        response = animator.get("/app/activite")
        assert response.status_code == 200
        assert "ne peuvent pas être affichés" in text_of(response)


def activity_of() -> dict[str, Any]:
    return {
        "tenant": TENANT,
        "unit": "ACT",
        "members": 0,
        "members_in_debit": 0,
        "outstanding_credit": "0.00",
        "credit_limits": "0.00",
        "months": [{"month": "2026-11", "volume": "0.00", "transfers": 0, "active_members": 0}],
    }


class TestIntegrations:
    def test_a_new_webhook_shows_its_secret_once_and_is_not_cached(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on("GET", f"/t/{TENANT}/webhooks", page_of())
        fake.on(
            "POST",
            f"/t/{TENANT}/webhooks",
            {
                "id": str(uuid.uuid4()),
                "url": "https://compta.example/hook",
                "status": "active",
                "event_types": ["org.trocactif.ledger.transfer_posted.v1"],
                "description": "",
                "created_at": "2026-11-26T10:00:00+00:00",
                "secret": "whsec_c2VjcmV0",
            },
            201,
        )
        response = animator.post(
            "/app/integrations/webhooks",
            data={
                "csrf_token": CSRF,
                "url": "https://compta.example/hook",
                "event_types": ["org.trocactif.ledger.transfer_posted.v1"],
            },
        )
        assert response.status_code == 201
        assert response.headers["Cache-Control"] == "no-store"
        assert "whsec_c2VjcmV0" in response.get_data(as_text=True)
        assert "whsec_" not in animator.get("/app/integrations/webhooks").get_data(as_text=True)

    def test_a_webhook_needs_an_event(self, animator: FlaskClient, fake: FakeApi) -> None:
        fake.on("GET", f"/t/{TENANT}/webhooks", page_of())
        response = animator.post(
            "/app/integrations/webhooks",
            data={"csrf_token": CSRF, "url": "https://compta.example/hook"},
        )
        assert response.status_code == 422
        assert "Choisissez au moins un événement." in text_of(response)
        assert fake.sent("POST", f"/t/{TENANT}/webhooks") == []

    def test_the_delivery_log_and_a_redelivery(self, animator: FlaskClient, fake: FakeApi) -> None:
        hook, delivery = str(uuid.uuid4()), str(uuid.uuid4())
        base = f"/t/{TENANT}/webhooks/{hook}"
        fake.on(
            "GET",
            base,
            {
                "id": hook,
                "url": "https://compta.example/hook",
                "status": "disabled",
                "description": "",
                "event_types": ["org.trocactif.invoices.invoice_settled.v1"],
                "created_at": "2026-11-26T10:00:00+00:00",
                "disabled_at": "2026-11-26T11:00:00+00:00",
            },
        )
        fake.on(
            "GET",
            f"{base}/deliveries",
            page_of(
                {
                    "id": delivery,
                    "event_id": "e1",
                    "event_type": "org.trocactif.invoices.invoice_settled.v1",
                    "sequence": 7,
                    "status": "failed",
                    "attempts": 5,
                    "last_status_code": 500,
                    "last_error": None,
                    "created_at": "2026-11-26T10:05:00+00:00",
                    "attempt_log": [],
                }
            ),
        )
        text = text_of(animator.get(f"/app/integrations/webhooks/{hook}"))
        assert "Facture réglée" in text and "Échec" in text and "HTTP 500" in text
        fake.on("POST", f"{base}/deliveries/{delivery}/redeliver", {"status": "pending"})
        response = animator.post(
            f"/app/integrations/webhooks/{hook}/livraisons/{delivery}/renvoyer",
            data={"csrf_token": CSRF},
        )
        assert response.status_code == 302
        assert len(fake.sent("POST", f"{base}/deliveries/{delivery}/redeliver")) == 1

    def test_an_api_key_is_shown_once_and_revoked(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        key_id = str(uuid.uuid4())
        fake.on("GET", f"/t/{TENANT}/api-keys", page_of())
        fake.on(
            "POST",
            f"/t/{TENANT}/api-keys",
            {
                "id": key_id,
                "tenant": TENANT,
                "name": "Compta",
                "prefix": "troc_ab12",
                "scopes": ["ledger:read"],
                "key": "troc_ab12.s3cr3t",
            },
            201,
        )
        response = animator.post(
            "/app/integrations/cles-api",
            data={"csrf_token": CSRF, "name": "Compta", "scopes": ["ledger:read"]},
        )
        assert response.status_code == 201
        assert response.headers["Cache-Control"] == "no-store"
        assert "troc_ab12.s3cr3t" in response.get_data(as_text=True)
        assert fake.sent("POST", f"/t/{TENANT}/api-keys") == [
            {"name": "Compta", "scopes": ["ledger:read"]}
        ]
        fake.on("DELETE", f"/t/{TENANT}/api-keys/{key_id}", None, 204)
        assert (
            animator.post(
                f"/app/integrations/cles-api/{key_id}/revoquer", data={"csrf_token": CSRF}
            ).status_code
            == 302
        )


class TestOperator:
    def test_a_network_is_created_with_its_unit_and_rules(
        self, operator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on("POST", "/networks", {"slug": "agri", "name": "Agri-échange"}, 201)
        response = operator.post(
            "/app/reseaux",
            data={
                "csrf_token": CSRF,
                "slug": "agri",
                "name": "Agri-échange",
                "unit-code": "AGR",
                "unit-name": "Agro",
                "unit-symbol": "",
                "default_credit_limit": "500,00",
                "payment_modes": ["100"],
                "hold_expiry_days": "15",
                "vat_settlement": "euro",
                "commission-rate": "2,5",
                "commission-charged_in": "euro",
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/app/reseaux/agri")
        assert fake.sent("POST", "/networks") == [
            {
                "slug": "agri",
                "name": "Agri-échange",
                "unit": {"code": "AGR", "name": "Agro", "symbol": ""},
                "default_credit_limit": "500.00",
                "payment_modes": [100],
                "hold_expiry_days": 15,
                "vat_settlement": "euro",
                "commission": {"rate": "2.5", "charged_in": "euro"},
                "buyer_acceptance_required": False,
                "direct_payments": "off",
                "direct_payments_validation_threshold": "0",
            }
        ]

    def test_a_tenant_is_created_in_its_network(self, operator: FlaskClient, fake: FakeApi) -> None:
        network = {
            "slug": "agri",
            "name": "Agri-échange",
            "default_credit_limit": "500.00",
            "unit": {"code": "AGR", "name": "Agro", "symbol": ""},
            "payment_modes": [100],
            "hold_expiry_days": 15,
            "vat_settlement": "euro",
            "commission": {"rate": "2.5", "charged_in": "euro"},
        }
        fake.on("GET", "/networks/agri", network)
        fake.on("GET", "/networks/agri/tenants", page_of())
        fake.on("POST", "/networks/agri/tenants", {"slug": "agri-37", "name": "Touraine"}, 201)
        response = operator.post(
            "/app/reseaux/agri",
            data={
                "csrf_token": CSRF,
                "slug": "agri-37",
                "name": "Touraine",
                "departments": "37, 41",
            },
        )
        assert response.status_code == 302
        assert fake.sent("POST", "/networks/agri/tenants") == [
            {"slug": "agri-37", "name": "Touraine", "departments": ["37", "41"]}
        ]
        assert "500,00 Agros" in text_of(operator.get("/app/reseaux/agri"))

    def test_an_animator_login_is_given_to_a_tenant_of_the_network_only(
        self, operator: FlaskClient, fake: FakeApi
    ) -> None:
        fake.on(
            "GET",
            "/networks/agri",
            {
                "slug": "agri",
                "name": "Agri-échange",
                "default_credit_limit": "500.00",
                "unit": {"code": "AGR", "name": "Agro", "symbol": "A"},
                "payment_modes": [100],
                "hold_expiry_days": 15,
                "vat_settlement": "euro",
                "commission": {"rate": "2.5", "charged_in": "euro"},
            },
        )
        fake.on(
            "GET",
            "/networks/agri/tenants",
            page_of({"slug": "agri-37", "name": "Touraine", "departments": ["37"]}),
        )
        fake.on("POST", "/t/agri-37/users", {"id": str(uuid.uuid4())}, 201)
        form = {"csrf_token": CSRF, "email": "anim@tours.example", "password": "x" * 16}
        refused = operator.post("/app/reseaux/agri/animateurs", data={**form, "tenant": "pie"})
        assert refused.status_code == 422
        assert "Choisissez une association du réseau." in text_of(refused)
        assert fake.sent("POST", "/t/pie/users") == []
        created = operator.post("/app/reseaux/agri/animateurs", data={**form, "tenant": "agri-37"})
        assert created.status_code == 302
        assert fake.sent("POST", "/t/agri-37/users") == [
            {"email": "anim@tours.example", "role": "animator", "password": "x" * 16}
        ]

    def test_a_networks_page_shows_its_links_with_both_clearing_balances(
        self, operator: FlaskClient, fake: FakeApi
    ) -> None:
        troc = {
            "slug": "troc-actif",
            "name": "Troc Actif",
            "default_credit_limit": "1000.00",
            "unit": {"code": "ACT", "name": "Actif", "symbol": ""},
            "payment_modes": [100],
            "hold_expiry_days": 30,
            "vat_settlement": "unit",
            "commission": {"rate": "5", "charged_in": "unit"},
        }
        agri = {**troc, "slug": "agri", "name": "Agri-échange"}
        agri["unit"] = {"code": "AGR", "name": "Agro", "symbol": ""}
        other = {**troc, "slug": "autre", "name": "Autre réseau"}
        fake.on("GET", "/networks/troc-actif", troc)
        fake.on("GET", "/networks/troc-actif/tenants", page_of())
        fake.on("GET", "/networks", page_of(troc, agri, other))
        link = {
            "id": str(uuid.uuid4()),
            "rate": "2",
            "status": "active",
            "created_at": "2026-12-01T10:00:00+00:00",
            "updated_at": "2026-12-01T10:00:00+00:00",
        }
        fake.on(
            "GET",
            "/federation/links",
            page_of(
                {
                    **link,
                    "network_a": "agri",
                    "network_b": "troc-actif",
                    "limit_a": "300.00",
                    "limit_b": "5000.00",
                    "clearing_balance_a": "240.00",
                    "clearing_balance_b": "-120.00",
                },
                {
                    **link,
                    "id": str(uuid.uuid4()),
                    "network_a": "agri",
                    "network_b": "autre",
                    "limit_a": "1.00",
                    "limit_b": "1.00",
                    "clearing_balance_a": "0.00",
                    "clearing_balance_b": "0.00",
                },
            ),
        )
        response = operator.get("/app/reseaux/troc-actif")
        assert response.status_code == 200
        text = text_of(response).replace("\u202f", " ")
        assert "Réseaux partenaires" in text and "Autre réseau" not in text
        row = re.search(r"Agri-échange \(agri\).*?Actif ", text)
        assert row is not None, text
        assert "-120,00 Actifs limite 5 000,00 Actifs" in row.group(0)
        assert "240,00 Agros limite 300,00 Agros" in row.group(0)
        assert "1 Agro = 2 Actif" in row.group(0)

    def test_an_animator_cannot_open_the_operators_pages(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        assert animator.get("/app/reseaux").status_code == 403
        assert fake.calls == []

    def test_the_operator_cannot_open_a_tenants_pages(
        self, operator: FlaskClient, fake: FakeApi
    ) -> None:
        assert operator.get("/app/adherents").status_code == 403
        assert fake.calls == []


# --- four eyes: manual transfers waiting for a second animator ----------------------------------


def test_the_validation_page_lists_transfers_to_approve_and_sends_the_decision(
    app: Flask, fake: FakeApi
) -> None:
    client = signed_in(app, "animator")
    payer, payee, transfer = (str(uuid.uuid4()) for _ in range(3))
    fake.on("GET", "/t/pie/invoices", {"items": [], "total": 0})
    fake.on(
        "GET",
        "/t/pie/members",
        {"items": [{"id": payer, "name": "Atelier Lumière"}, {"id": payee, "name": "Imprimerie"}]},
    )
    fake.on(
        "GET",
        "/t/pie/transfer-approvals",
        {
            "items": [
                {
                    "id": transfer,
                    "payer": payer,
                    "payee": payee,
                    "amount": "1500.00",
                    "status": "pending",
                    "approval_required": True,
                    "reference": "Correction de novembre",
                    "created_at": "2026-12-06T11:00:00+00:00",
                    "initiated_by": str(uuid.uuid4()),
                }
            ],
            "total": 1,
        },
    )
    page = client.get("/app/validation")
    assert page.status_code == 200
    for text in ("Virements à approuver", "Atelier Lumière", "Imprimerie", "Approuver", "Rejeter"):
        assert text in page.text
    approve = f"/t/pie/transfers/{transfer}/approve"
    fake.on("POST", approve, {"id": transfer, "amount": "1500.00", "status": "posted"})
    done = client.post(f"/app/validation/virements/{transfer}/approuver", data={"csrf_token": CSRF})
    assert done.status_code == 302 and fake.sent("POST", approve) == [{}]
    reject = f"/t/pie/transfers/{transfer}/reject"
    fake.on("POST", reject, lambda _r: problem(403, "same_approver", "same animator"))
    client.post(f"/app/validation/virements/{transfer}/rejeter", data={"csrf_token": CSRF})
    assert fake.sent("POST", reject) == [{"reason": ""}]
    fake.on("GET", "/t/pie/transfer-approvals", {"items": [], "total": 0})
    after = client.get("/app/validation")
    assert "un autre animateur doit l" in after.text  # the refusal, in French
    assert "Aucun virement n" in after.text


def test_a_member_cannot_open_the_validation_page(app: Flask, fake: FakeApi) -> None:
    response = signed_in(app, "member").get("/app/validation")
    assert response.status_code == 403
    assert not any(path.endswith("/transfer-approvals") for _m, path, _b in fake.calls)


class TestMoneyProducts:
    def test_the_credit_reviews_list_the_lines_due_in_french(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        seen: list[dict[str, Any]] = []

        def answer(request: dict[str, Any]) -> tuple[int, Any]:
            seen.append(request["params"])
            return 200, page_of(
                {
                    "member_id": MEMBER_ID,
                    "name": "Atelier Lumière",
                    "kind": "expiry",
                    "due_on": "2027-01-01",
                    "category": "association",
                    "balance": "-1000.00",
                    "available": "4000.00",
                    "credit_limit": "5000.00",
                    "standing_credit_limit": "300.00",
                    "credit_limit_expires_on": "2027-01-01",
                    "credit_limit_review_on": None,
                }
            )

        fake.on("GET", f"/t/{TENANT}/credit-reviews", answer)
        response = animator.get("/app/revisions-credit")
        assert response.status_code == 200
        text = text_of(response).replace("\u202f", " ")
        assert "Révisions de lignes de crédit" in text
        assert "Atelier Lumière" in text and "Fin du découvert temporaire" in text
        assert "1 janvier 2027" in text or "1er janvier 2027" in text
        assert "sous le futur découvert" in text
        assert seen[0]["days"] == 30

    def test_a_credit_line_due_in_the_feed_links_to_the_reviews(
        self, animator: FlaskClient, fake: FakeApi
    ) -> None:
        entry = {
            "id": str(uuid.uuid4()),
            "kind": "credit_line_due",
            "audience": "animators",
            "title": "Ligne de crédit à revoir",
            "body": "Le découvert autorisé de 3000.00 ACT de Atelier Lumière est à revoir.",
            "read": False,
            "created_at": "2026-12-06T09:00:00+00:00",
            "data": {"member_id": MEMBER_ID, "link": "/app/revisions-credit"},
        }
        fake.on("GET", f"/t/{TENANT}/notifications", {**page_of(entry), "unread": 1})
        response = animator.get("/app/notifications")
        assert response.status_code == 200
        # the entry's own link (the menu links to the page too)
        assert '<a href="/app/revisions-credit">Voir</a>' in response.get_data(as_text=True)

    def test_no_line_due_says_so(self, animator: FlaskClient, fake: FakeApi) -> None:
        fake.on("GET", f"/t/{TENANT}/credit-reviews", page_of())
        assert "Aucune ligne de crédit" in text_of(animator.get("/app/revisions-credit"))

    def _fee_account(self, fake: FakeApi) -> None:
        fake.on(
            "GET",
            "/networks/troc-actif",
            {
                "slug": "troc-actif",
                "name": "Troc Actif",
                "unit": {"code": "ACT", "name": "Actif", "symbol": "A"},
            },
        )
        fees = str(uuid.uuid4())
        fake.on(
            "GET",
            "/networks/troc-actif/fee-account",
            {
                "account_id": fees,
                "network": "troc-actif",
                "unit": "ACT",
                "balance": "34.55",
                "items": [
                    {
                        "id": str(uuid.uuid4()),
                        "payer": MEMBER_ID,
                        "payee": fees,
                        "amount": "34.55",
                        "status": "posted",
                        "kind": "fee",
                        "reference": "F2026-0001",
                        "created_at": "2026-11-26T10:00:00+00:00",
                        "posted_at": "2026-11-26T10:00:00+00:00",
                    }
                ],
                "page": 1,
                "per_page": 25,
                "total": 1,
            },
        )
        fake.on(
            "GET",
            "/networks/troc-actif/commissions",
            {
                "network": "troc-actif",
                "unit": "ACT",
                "total": "34.55",
                "items": [{"tenant": "pie", "month": "2026-11", "amount": "34.55", "transfers": 1}],
            },
        )
        fake.on(
            "GET",
            "/networks/troc-actif/tenants",
            page_of({"slug": "pie", "name": "Paris Initiative Entreprise"}),
        )

    def test_the_fee_account_shows_balance_commissions_and_statement(
        self, operator: FlaskClient, fake: FakeApi
    ) -> None:
        self._fee_account(fake)
        response = operator.get("/app/reseaux/troc-actif/compte-de-frais")
        assert response.status_code == 200
        text = text_of(response).replace("\u202f", " ")
        assert "Compte de frais du réseau" in text and "34,55 Actifs" in text
        assert "2026-11" in text and "Commission" in text and "F2026-0001" in text

    def test_a_transfer_out_sends_its_key_and_a_refusal_stays_on_the_page(
        self, operator: FlaskClient, fake: FakeApi
    ) -> None:
        self._fee_account(fake)
        keys: list[str] = []

        def refuse(request: dict[str, Any]) -> tuple[int, Any]:
            keys.append(request["headers"]["Idempotency-Key"])
            return problem(422, "insufficient_credit", "available credit 34.55")

        fake.on("POST", "/networks/troc-actif/fee-account/transfers", refuse)
        form = {
            "csrf_token": CSRF,
            "tenant": "pie",
            "payee_member_id": MEMBER_ID,
            "amount": "50.00",
            "reference": "prix",
            "key": "cle-du-formulaire",
        }
        response = operator.post("/app/reseaux/troc-actif/compte-de-frais", data=form)
        assert response.status_code == 422
        assert keys == ["cle-du-formulaire"]
        assert fake.sent("POST", "/networks/troc-actif/fee-account/transfers") == [
            {"tenant": "pie", "payee_member_id": MEMBER_ID, "amount": "50.00", "reference": "prix"}
        ]

    def test_the_fee_account_is_the_operator_s(self, animator: FlaskClient) -> None:
        assert animator.get("/app/reseaux/troc-actif/compte-de-frais").status_code in (302, 403)
