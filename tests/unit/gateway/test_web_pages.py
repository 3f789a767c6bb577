"""The web application's skeleton and member pages on a fake of the public API (test client).

The fake stands at the client's one seam (``install_web(transport=...)``): it records what the
pages send (paths of the session's tenant, the bearer token, bodies) and answers like the API.
The browser tests (``tests/e2e/web``) run the same pages on the real platform.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from gateway.settings import GatewaySettings
from gateway.web import charts, formatting, install_web, secret_key
from gateway.web.blueprint import safe_next
from gateway.web.client import form_field
from gateway.web.pages.dashboard import balance_series
from gateway.web.pages.invoices import parse_lines
from gateway.web.session import Account

API = "http://api.test"
ME = str(uuid.uuid4())
OTHER = str(uuid.uuid4())
CSRF = "the-session-csrf-token"
Answer = tuple[int, Any] | Callable[[dict[str, Any]], tuple[int, Any]]


class FakeApi:
    """``requests.Session``-like: answers ``(method, path)``, records every call."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Answer] = {}
        self.calls: list[dict[str, Any]] = []

    def on(self, method: str, path: str, body: Any, status: int = 200) -> None:
        self.routes[(method, path)] = (status, body)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        path = url.removeprefix(API)
        call = {
            "method": method,
            "path": path,
            "json": kwargs.get("json"),
            "params": kwargs.get("params") or {},
            "headers": kwargs.get("headers") or {},
        }
        self.calls.append(call)
        answer = self.routes.get((method, path), (404, {"code": "not_found", "status": 404}))
        status, body = answer(call) if callable(answer) else answer
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = (
            "application/problem+json" if status >= 400 else "application/json"
        )
        return response

    def paths(self, method: str = "GET") -> list[str]:
        return [c["path"] for c in self.calls if c["method"] == method]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, FakeApi]:
    settings = GatewaySettings.from_env(
        "gateway", {"TROC_VAR_DIR": str(tmp_path_factory.mktemp("web"))}
    )
    fake = FakeApi()
    app = Flask("web-pages-tests")
    install_web(app, settings, transport=fake, api_url=API)
    return app, fake


@pytest.fixture
def fake(web: tuple[Flask, FakeApi]) -> FakeApi:
    web[1].routes.clear()
    web[1].calls.clear()
    return web[1]


@pytest.fixture
def app(web: tuple[Flask, FakeApi], fake: FakeApi) -> Flask:
    return web[0]


def member_client(app: Flask, *, expires_at: float = 4_102_444_800) -> FlaskClient:
    client = app.test_client()
    account = Account(
        email="contact@atelier.example",
        roles=("member",),
        tenant="pie",
        network="troc-actif",
        member_id=ME,
        member_name="Atelier Lumière",
        unit={"code": "ACT", "name": "Actif", "symbol": "Ⓐ"},
    )
    with client.session_transaction() as session:
        session["account"] = dataclasses.asdict(account)
        session["tokens"] = {"access": "access-1", "refresh": "refresh-1", "expires_at": expires_at}
        session["csrf"] = CSRF
    return client


def text_of(response: Any) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def transfer(amount: str, *, incoming: bool, when: str, status: str = "posted") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "payer": OTHER if incoming else ME,
        "payee": ME if incoming else OTHER,
        "amount": amount,
        "status": status,
        "kind": "direct",
        "reference": "Facture F1",
        "created_at": when,
        "posted_at": when,
    }


# --- login, logout, access -----------------------------------------------------------------------


def test_the_login_page_is_french_and_labelled(app: Flask) -> None:
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="fr">' in html
    assert re.search(r'<label for="email">E-mail</label>', html)
    assert re.search(r'<label for="password">Mot de passe</label>', html)
    assert '<button type="submit" class="primary">Se connecter</button>' in html
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_login_signs_in_with_the_users_tenant_and_unit(app: Flask, fake: FakeApi) -> None:
    fake.on(
        "POST",
        "/auth/token",
        {
            "access_token": "access-1",
            "refresh_token": "refresh-1",
            "expires_in": 900,
            "token_type": "Bearer",
        },
    )
    fake.on(
        "GET",
        "/me",
        {
            "roles": ["member"],
            "tenant": "pie",
            "network": "troc-actif",
            "member_id": ME,
            "user": {"email": "contact@atelier.example"},
        },
    )
    fake.on(
        "GET",
        "/networks/troc-actif",
        {
            "unit": {"code": "ACT", "name": "Actif", "symbol": "Ⓐ"},
            "payment_modes": [100, 50],
            "vat_settlement": "unit",
        },
    )
    fake.on("GET", f"/t/pie/members/{ME}", {"id": ME, "name": "Atelier Lumière"})
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf"]
    response = client.post(
        "/", data={"csrf_token": token, "email": "contact@atelier.example", "password": "troc-demo"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/app"
    assert fake.calls[0]["json"] == {"email": "contact@atelier.example", "password": "troc-demo"}
    assert fake.calls[1]["headers"]["Authorization"] == "Bearer access-1"
    assert fake.calls[0]["headers"]["X-Forwarded-For"] == "127.0.0.1"  # the browser's
    with client.session_transaction() as session:
        assert session["account"]["tenant"] == "pie"
        assert session["account"]["unit"]["name"] == "Actif"
        assert session["csrf"] != token  # a new session after the login
    assert client.get("/app").headers["Location"] == "/app/tableau-de-bord"


def test_wrong_credentials_are_told_in_french_and_nothing_is_kept(
    app: Flask, fake: FakeApi
) -> None:
    fake.on("POST", "/auth/token", {"code": "invalid_credentials", "status": 401}, status=401)
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf"]
    response = client.post(
        "/", data={"csrf_token": token, "email": "x@example.org", "password": "wrong"}
    )
    assert response.status_code == 401
    assert "E-mail ou mot de passe incorrect." in text_of(response)
    with client.session_transaction() as session:
        assert "account" not in session


def test_a_form_without_the_sessions_token_is_refused(app: Flask, fake: FakeApi) -> None:
    response = app.test_client().post("/", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 400 and "Le formulaire a expiré" in text_of(response)
    assert fake.calls == []
    client = member_client(app)
    refused = client.post("/app/deconnexion", data={"csrf_token": "another"})
    assert refused.status_code == 400
    assert client.post("/app/deconnexion", data={"csrf_token": CSRF}).status_code == 302


def test_pages_need_a_login_and_the_right_role(app: Flask) -> None:
    response = app.test_client().get("/app/factures?role=seller")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?next=/app/factures?role%3Dseller"
    forbidden = member_client(app).get("/app/validation")
    assert forbidden.status_code == 403 and "Accès refusé" in text_of(forbidden)


def test_the_next_page_is_always_a_local_page() -> None:
    assert safe_next("/app/factures?role=buyer") == "/app/factures?role=buyer"
    for unsafe in ("https://evil.example/app/x", "//evil.example/app", "/auth/token", None):
        assert safe_next(unsafe) is None


def test_an_expired_access_token_is_refreshed_before_the_call(app: Flask, fake: FakeApi) -> None:
    fake.on(
        "POST",
        "/auth/refresh",
        {"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 900},
    )
    fake.on("GET", "/t/pie/notifications", {"items": [], "unread": 0, "total": 0})
    client = member_client(app, expires_at=time.time() - 1)
    assert client.get("/app/notifications").status_code == 200
    assert fake.calls[0]["json"] == {"refresh_token": "refresh-1"}
    assert fake.calls[1]["headers"]["Authorization"] == "Bearer access-2"
    with client.session_transaction() as session:
        assert session["tokens"]["refresh"] == "refresh-2"


def test_a_refused_refresh_sends_back_to_the_login(app: Flask, fake: FakeApi) -> None:
    fake.on("POST", "/auth/refresh", {"code": "invalid_grant", "status": 400}, status=400)
    response = member_client(app, expires_at=time.time() - 1).get("/app/notifications")
    assert response.status_code == 302 and response.headers["Location"].startswith(
        "/?next=/app/notifications&expired=1"
    )


# --- member pages --------------------------------------------------------------------------------


def test_the_dashboard_shows_french_amounts_in_the_networks_unit(app: Flask, fake: FakeApi) -> None:
    fake.on(
        "GET",
        f"/t/pie/accounts/{ME}",
        {
            "balance": "1234.50",
            "available": "2234.50",
            "pending_debits": "0.00",
            "pending_credits": "40.00",
            "credit_limit": "1000.00",
        },
    )
    fake.on(
        "GET",
        f"/t/pie/accounts/{ME}/transfers",
        {
            "items": [transfer("1234.50", incoming=True, when="2026-11-20T10:00:00+00:00")],
            "page": 1,
            "per_page": 50,
            "total": 1,
        },
    )
    fake.on("GET", "/t/pie/members", {"items": [{"id": OTHER, "name": "Boulangerie"}], "total": 1})
    response = member_client(app).get("/app/tableau-de-bord")
    text = text_of(response)
    assert response.status_code == 200
    assert "1\u202f234,50\u00a0Actifs" in text and "40,00\u00a0Actifs" in text
    assert "Boulangerie" in text and "20/11/2026 à 11:00" in text
    assert "<svg" in response.get_data(as_text=True)
    assert all(c["headers"]["Authorization"] == "Bearer access-1" for c in fake.calls)
    assert {p.split("/")[2] for p in fake.paths()} == {"pie"}


def test_a_transfer_with_a_partner_network_names_it_rather_than_an_id(
    app: Flask, fake: FakeApi
) -> None:
    clearing = str(uuid.uuid4())
    fake.on(
        "GET",
        f"/t/pie/accounts/{ME}",
        {
            "balance": "-50.00",
            "available": "950.00",
            "pending_debits": "0.00",
            "pending_credits": "0.00",
            "credit_limit": "1000.00",
        },
    )
    paid = transfer("50.00", incoming=False, when="2026-11-20T10:00:00+00:00")
    fake.on("GET", f"/t/pie/accounts/{ME}/transfers", {"items": [{**paid, "payee": clearing}]})
    fake.on("GET", "/t/pie/members", {"items": [{"id": OTHER, "name": "Boulangerie"}], "total": 1})
    fake.on(
        "GET",
        "/t/pie/federation/links",
        {
            "items": [
                {
                    "link_id": str(uuid.uuid4()),
                    "network": "troc-actif",
                    "partner_network": "agri-echange",
                    "partner_network_name": "Agri-échange",
                    "partner_unit": "Grain",
                    "clearing_account": clearing,
                    "rate": "2",
                    "limit": None,
                    "clearing_balance": None,
                    "available": None,
                    "status": "active",
                }
            ]
        },
    )
    text = text_of(member_client(app).get("/app/tableau-de-bord"))
    assert "Réseau partenaire : Agri-échange" in text
    assert clearing not in text


def test_the_partner_networks_are_read_only_for_a_counterpart_not_in_the_directory(
    app: Flask, fake: FakeApi
) -> None:
    fake.on(
        "GET",
        f"/t/pie/accounts/{ME}",
        {
            "balance": "0.00",
            "available": "1000.00",
            "pending_debits": "0.00",
            "pending_credits": "0.00",
            "credit_limit": "1000.00",
        },
    )
    fake.on(
        "GET",
        f"/t/pie/accounts/{ME}/transfers",
        {"items": [transfer("5.00", incoming=True, when="2026-11-20T10:00:00+00:00")]},
    )
    fake.on("GET", "/t/pie/members", {"items": [{"id": OTHER, "name": "Boulangerie"}], "total": 1})
    assert member_client(app).get("/app/tableau-de-bord").status_code == 200
    assert "/t/pie/federation/links" not in fake.paths()


def test_a_page_the_api_does_not_show_is_not_found(app: Flask, fake: FakeApi) -> None:
    invoice = str(uuid.uuid4())
    response = member_client(app).get(f"/app/factures/{invoice}")
    assert response.status_code == 404 and "Introuvable" in text_of(response)
    assert fake.paths() == [f"/t/pie/invoices/{invoice}"]


def test_refused_fields_are_shown_in_french_next_to_them(app: Flask, fake: FakeApi) -> None:
    fake.on(
        "GET",
        "/t/pie/categories",
        {
            "items": [{"slug": "photo-video", "label": "Photo", "group": "Communication"}],
            "page": 1,
            "per_page": 500,
            "total": 1,
        },
    )
    fake.on(
        "POST",
        "/t/pie/listings",
        {
            "code": "validation_failed",
            "status": 422,
            "errors": {
                "json.price.amount": ["Not a valid number."],
                "json.title": ["Shorter than minimum length 3."],
            },
        },
        status=422,
    )
    response = member_client(app).post(
        "/app/mes-annonces/nouvelle",
        data={
            "csrf_token": CSRF,
            "kind": "offer",
            "title": "Ab",
            "category": "photo-video",
            "price-type": "fixed",
            "price-amount": "douze",
            "payment_modes": "100",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="price-amount-error">Saisissez un nombre.' in html
    assert 'id="title-error">Au moins 3 caractères.' in html
    assert 'value="douze"' in html  # what was typed stays in the form
    [sent] = [c["json"] for c in fake.calls if c["method"] == "POST"]
    assert sent["price"] == {"type": "fixed", "amount": "douze"} and sent["kind"] == "offer"


def test_an_invoice_draft_sends_the_filled_lines(app: Flask, fake: FakeApi) -> None:
    created = str(uuid.uuid4())
    fake.on("POST", "/t/pie/invoices", {"id": created}, status=201)
    response = member_client(app).post(
        "/app/factures/nouvelle",
        data={
            "csrf_token": CSRF,
            "buyer_member_id": OTHER,
            "payment_mode": "100",
            "delivery_date": "2026-11-20",
            "lines-0-description": "Logo",
            "lines-0-quantity": "1,5",
            "lines-0-unit_price": "1 200,00",
            "lines-0-vat_rate": "20",
            "lines-1-description": "",
            "lines-1-quantity": "",
            "lines-1-unit_price": "",
            "lines-1-vat_rate": "20",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(created)
    body = fake.calls[-1]["json"]
    assert body["lines"] == [
        {"description": "Logo", "quantity": "1.5", "unit_price": "1200.00", "vat_rate": "20"}
    ]
    assert (body["buyer_member_id"], body["payment_mode"]) == (OTHER, 100)


def test_several_invoices_are_validated_at_once(app: Flask, fake: FakeApi) -> None:
    client = app.test_client()
    account = Account(
        email="a@pie.example",
        roles=("animator",),
        tenant="pie",
        network="troc-actif",
        unit={"name": "Actif"},
    )
    with client.session_transaction() as session:
        session["account"] = dataclasses.asdict(account)
        session["tokens"] = {"access": "a", "refresh": "r", "expires_at": 4_102_444_800}
        session["csrf"] = CSRF
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    fake.on(
        "POST",
        "/t/pie/invoices/bulk/validate",
        {
            "validated": 1,
            "results": [
                {"invoice_id": ids[0], "status": "awaiting_validation"},
                {"invoice_id": ids[1], "code": "invalid_transition"},
            ],
        },
    )
    response = client.post("/app/validation", data={"csrf_token": CSRF, "invoice_ids": ids})
    assert response.status_code == 302
    assert fake.calls[-1]["json"] == {"invoice_ids": ids}
    fake.on("GET", "/t/pie/invoices", {"items": [], "total": 0})
    fake.on("GET", "/t/pie/transfer-approvals", {"items": [], "total": 0})
    fake.on("GET", "/t/pie/members", {"items": [], "total": 0})
    text = text_of(client.get("/app/validation"))
    assert "1 facture(s) validée(s)." in text and "1 facture(s) n&#39;ont pas pu" in text


# --- formatting, charts, helpers -----------------------------------------------------------------


def test_french_amounts_and_dates(app: Flask) -> None:
    with app.test_request_context():
        assert formatting.units("1234.5", "Actif") == "1\u202f234,50\u00a0Actifs"
        assert formatting.units("1.50", "Actif") == "1,50\u00a0Actif"
        assert formatting.euros("-0.5") == "-0,50\u00a0€"
        assert formatting.date_fr("2026-08-01") == "1 août 2026"
        assert formatting.datetime_fr("2026-01-15T23:30:00+00:00") == "16/01/2026 à 00:30"
        assert formatting.label("awaiting_validation", "invoice_status") == (
            "En attente de validation"
        )


def test_the_balance_series_walks_back_from_todays_balance() -> None:
    statement = [
        transfer("100.00", incoming=False, when="2026-11-03T10:00:00+00:00"),
        transfer("999.00", incoming=True, when="2026-11-02T10:00:00+00:00", status="pending"),
        transfer("250.00", incoming=True, when="2026-11-01T10:00:00+00:00"),
    ]
    series = balance_series(statement, Decimal("150.00"), ME)
    assert [value for _, value in series] == [
        Decimal("0.00"),
        Decimal("250.00"),
        Decimal("150.00"),
        Decimal("150.00"),
    ]
    chart = charts.line_chart(series, value_label=str, date_label=formatting.date_fr)
    assert chart is not None and chart.x_ticks[0].label == "1 novembre 2026"
    assert [t.label for t in chart.y_ticks] == ["0", "100", "200", "300"]
    bars = charts.bar_chart([("oct.", Decimal(-50)), ("nov.", Decimal(200))], value_label=str)
    assert bars is not None and [b.negative for b in bars.bars] == [True, False]
    assert charts.line_chart([], value_label=str, date_label=str) is None
    single = charts.line_chart([(datetime.now(UTC), Decimal(0))], value_label=str, date_label=str)
    assert single is not None


def test_api_field_names_become_form_field_names() -> None:
    assert form_field("json.lines.0.quantity") == "lines-0-quantity"
    assert form_field("query.kind") == "kind"
    assert form_field("price.amount") == "price-amount"
    from werkzeug.datastructures import MultiDict

    assert parse_lines(
        MultiDict(
            {
                "lines-0-description": "",
                "lines-0-quantity": "",
                "lines-0-unit_price": "",
                "lines-1-description": "A",
                "lines-1-quantity": "2",
                "lines-1-unit_price": "3,5",
                "lines-1-vat_rate": "5.5",
            }
        )
    ) == [{"description": "A", "quantity": "2", "unit_price": "3.5", "vat_rate": "5.5"}]


def test_the_session_key_is_generated_once_for_every_worker(tmp_path: Path) -> None:
    settings = GatewaySettings.from_env("gateway", {"TROC_VAR_DIR": str(tmp_path)})
    first = secret_key(settings)
    assert len(first) >= 40 and secret_key(settings) == first
    assert (tmp_path / "keys" / "web-secret-key").stat().st_mode & 0o077 == 0
    assert secret_key(dataclasses.replace(settings, web_secret_key="given")) == "given"


def test_a_thread_is_shown_only_from_the_members_own_threads(app: Flask, fake: FakeApi) -> None:
    thread = {
        "id": str(uuid.uuid4()),
        "listing_id": str(uuid.uuid4()),
        "listing_title": "Logo",
        "listing_kind": "offer",
        "author_member_id": ME,
        "requester_member_id": OTHER,
        "counterpart_member_id": OTHER,
        "counterpart_name": "Boulangerie",
        "created_at": "2026-11-20T10:00:00+00:00",
        "message_count": 1,
        "last_message_at": "2026-11-20T10:00:00+00:00",
    }
    fake.on("GET", "/t/pie/threads", {"items": [thread], "total": 1})
    fake.on(
        "GET",
        f"/t/pie/threads/{thread['id']}/messages",
        {
            "items": [
                {
                    "id": str(uuid.uuid4()),
                    "thread_id": thread["id"],
                    "sender_member_id": OTHER,
                    "body": "Bonjour",
                    "created_at": "2026-11-20T10:00:00+00:00",
                }
            ],
            "total": 1,
        },
    )
    client = member_client(app)
    shown = client.get(f"/app/messages/{thread['id']}")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Bonjour" in html
    assert f"acheteur={OTHER}" in html  # the author invoices the member who wrote
    assert client.get(f"/app/messages/{uuid.uuid4()}").status_code == 404


def test_a_listing_is_paused_and_put_back(app: Flask, fake: FakeApi) -> None:
    listing = str(uuid.uuid4())
    fake.on("PATCH", f"/t/pie/listings/{listing}", {"id": listing})
    client = member_client(app)
    for status in ("paused", "active"):
        response = client.post(
            f"/app/mes-annonces/{listing}/statut", data={"csrf_token": CSRF, "status": status}
        )
        assert response.status_code == 302
    assert [c["json"] for c in fake.calls] == [{"status": "paused"}, {"status": "active"}]


def test_a_dispute_needs_a_reason_and_the_api_decides_the_rest(app: Flask, fake: FakeApi) -> None:
    invoice = str(uuid.uuid4())
    fake.on(
        "GET",
        f"/t/pie/invoices/{invoice}",
        {
            "id": invoice,
            "number": "F2026-000007",
            "status": "issued",
            "seller_member_id": OTHER,
            "buyer_member_id": ME,
            "seller": {"name": "Atelier"},
            "buyer": {"name": "Moi"},
            "payment_mode": 100,
            "unit": {"name": "Actif"},
            "lines": [],
            "delivery_date": "2026-11-20",
            "total_excl_vat": "100.00",
            "total_vat": "20.00",
            "total_incl_vat": "120.00",
            "unit_part": "120.00",
            "euro_part": "0.00",
        },
    )
    client = member_client(app)
    refused = client.post(f"/app/factures/{invoice}/contester", data={"csrf_token": CSRF})
    assert refused.status_code == 422 and "Indiquez le motif" in text_of(refused)
    assert fake.paths("POST") == []
    fake.on("POST", f"/t/pie/invoices/{invoice}/dispute", {"id": invoice})
    done = client.post(
        f"/app/factures/{invoice}/contester",
        data={"csrf_token": CSRF, "reason": "Livraison incomplète"},
    )
    assert done.status_code == 302
    assert fake.calls[-1]["json"] == {"reason": "Livraison incomplète"}


# --- payments without an invoice ------------------------------------------------------------------


def test_payer_sends_a_direct_payment_with_an_idempotency_key(app: Flask, fake: FakeApi) -> None:
    fake.on("GET", "/t/pie/members", {"items": [{"id": OTHER, "name": "Boulangerie"}], "total": 1})
    created = str(uuid.uuid4())
    fake.on("POST", "/t/pie/payments", {"id": created}, status=201)
    client = member_client(app)
    form = client.get("/app/paiements/payer")
    assert form.status_code == 200
    page = text_of(form)
    assert "Payer" in page and "Bénéficiaire" in page and "Boulangerie" in page
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form.get_data(as_text=True))
    assert key
    sent = client.post(
        "/app/paiements/payer",
        data={
            "csrf_token": CSRF,
            "idempotency_key": key.group(1),
            "payee_member_id": OTHER,
            "amount": "1 234,50",
            "description": "Location de matériel",
        },
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/app/paiements/paiement/{created}")
    [call] = [c for c in fake.calls if c["method"] == "POST"]
    assert call["json"] == {
        "payee_member_id": OTHER,
        "amount": "1234.50",
        "description": "Location de matériel",
    }
    assert call["headers"]["Idempotency-Key"] == key.group(1)


def test_a_refused_payment_request_is_shown_in_french(app: Flask, fake: FakeApi) -> None:
    fake.on("GET", "/t/pie/members", {"items": [{"id": OTHER, "name": "Boulangerie"}], "total": 1})
    fake.on(
        "POST",
        "/t/pie/payment-requests",
        {"status": 403, "code": "direct_payments_off", "detail": "off"},
        status=403,
    )
    client = member_client(app)
    assert "Demander un paiement" in text_of(client.get("/app/paiements/demander"))
    refused = client.post(
        "/app/paiements/demander",
        data={
            "csrf_token": CSRF,
            "payer_member_id": OTHER,
            "amount": "10",
            "description": "Pain",
        },
    )
    assert refused.status_code == 403
    assert "sans facture" in text_of(refused)


def test_a_payment_with_a_partner_network_names_it_and_shows_both_units(
    app: Flask, fake: FakeApi
) -> None:
    payment = {
        "id": str(uuid.uuid4()),
        "kind": "direct",
        "status": "awaiting_validation",
        "network": "troc-actif",
        "tenant": "agri-beauce",
        "payer_member_id": ME,
        "payee_member_id": OTHER,
        "payer": {"name": "Atelier Lumière"},
        "payee": {"name": "EARL de la Plaine"},
        "amount": "40.00",
        "unit": "ACT",
        "payer_network": "troc-actif",
        "payee_network": "agri-echange",
        "converted_amount": "80.00",
        "converted_unit": "GRN",
        "exchange_rate": "2",
        "description": "Paille",
        "last_refusal": None,
        "created_at": "2026-11-20T10:00:00+00:00",
    }
    fake.on("GET", "/t/pie/payment-requests", {"items": [], "total": 0})
    fake.on("GET", "/t/pie/payments", {"items": [payment], "total": 1})
    fake.on(
        "GET",
        "/t/pie/federation/links",
        {"items": [{"partner_network": "agri-echange", "partner_network_name": "Agri-échange"}]},
    )
    page = text_of(member_client(app).get("/app/paiements"))
    assert "EARL de la Plaine Réseau partenaire : Agri-échange" in page
    assert "Atelier Lumière Réseau partenaire" not in page
    assert "40,00\xa0Actifs soit 80,00&nbsp;GRN " in page
