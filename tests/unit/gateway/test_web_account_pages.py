"""The account pages on the fake public API: one's password, the tenant's users, the operator's
own accounts (what they send, what they show, how refusals come back)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask

from tests.unit.gateway import test_web_admin_pages as admin
from tests.unit.gateway.test_web_admin_pages import CSRF, FakeApi, problem, signed_in

# The admin pages' fixtures: one app for the module on a fake API, emptied per test.
web, fake, app = admin.web, admin.fake, admin.app

USER_ID = str(uuid.uuid4())


def _users(fake: FakeApi, path: str, status: str = "active") -> None:
    fake.on(
        "GET",
        path,
        {
            "items": [
                {
                    "id": USER_ID,
                    "email": "anne@example.org",
                    "role": "animator",
                    "member_id": None,
                    "status": status,
                    "is_active": status == "active",
                    "last_login_at": None,
                },
            ],
            "page": 1,
            "per_page": 100,
            "total": 1,
        },
    )


def test_a_user_changes_their_password(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "member")
    assert "Changer de mot de passe" in client.get("/app/mon-compte").text
    fake.on("POST", "/auth/password", {"status": "password_changed"})
    response = client.post(
        "/app/mon-compte/mot-de-passe",
        data={
            "csrf_token": CSRF,
            "current_password": "ancien",
            "new_password": "Nouveau-mot-2027",
            "new_password_again": "Nouveau-mot-2027",
        },
    )
    assert response.status_code == 302
    assert fake.sent("POST", "/auth/password") == [
        {"current_password": "ancien", "new_password": "Nouveau-mot-2027"}
    ]


def test_a_wrong_current_password_is_shown_next_to_its_field(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    fake.on(
        "POST",
        "/auth/password",
        lambda _r: problem(
            422,
            "validation_failed",
            "The request has invalid fields.",
            errors={"current_password": ["this is not your current password"]},
        ),
    )
    response = client.post(
        "/app/mon-compte/mot-de-passe",
        data={
            "csrf_token": CSRF,
            "current_password": "faux",
            "new_password": "Nouveau-mot-2027",
            "new_password_again": "Nouveau-mot-2027",
        },
    )
    assert response.status_code == 422
    assert 'id="current_password-error"' in response.text or "current_password" in response.text


def test_two_different_new_passwords_are_refused_before_the_api(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    response = client.post(
        "/app/mon-compte/mot-de-passe",
        data={
            "csrf_token": CSRF,
            "current_password": "x",
            "new_password": "Nouveau-mot-2027",
            "new_password_again": "Autre-mot-2027",
        },
    )
    assert response.status_code == 422 and "diffèrent" in response.text
    assert fake.sent("POST", "/auth/password") == []


def test_an_animator_disables_and_invites_users(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    _users(fake, "/t/pie/users")
    fake.on("GET", "/t/pie/members", {"items": [], "total": 0})
    page = client.get("/app/utilisateurs")
    assert page.status_code == 200 and "anne@example.org" in page.text and "Désactiver" in page.text
    fake.on(
        "PATCH",
        f"/t/pie/users/{USER_ID}",
        {"id": USER_ID, "email": "anne@example.org", "status": "disabled"},
    )
    done = client.post(f"/app/utilisateurs/{USER_ID}/desactiver", data={"csrf_token": CSRF})
    assert done.status_code == 302
    assert fake.sent("PATCH", f"/t/pie/users/{USER_ID}") == [{"status": "disabled"}]
    fake.on("POST", "/t/pie/users", {"id": str(uuid.uuid4())}, status=201)
    invited = client.post(
        "/app/utilisateurs", data={"csrf_token": CSRF, "email": "new@example.org"}
    )
    assert invited.status_code == 302
    # No password: the API e-mails an invitation.
    assert fake.sent("POST", "/t/pie/users") == [{"email": "new@example.org", "role": "animator"}]


def test_members_cannot_open_the_users_page(app: Flask, fake: FakeApi) -> None:
    assert signed_in(app, "member").get("/app/utilisateurs").status_code == 403


def test_the_operator_manages_operator_accounts(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "operator", tenant=None)
    _users(fake, "/users", status="disabled")
    page = client.get("/app/operateurs")
    assert page.status_code == 200 and "Réactiver" in page.text
    fake.on(
        "PATCH",
        f"/users/{USER_ID}",
        {"id": USER_ID, "email": "anne@example.org", "status": "active"},
    )
    client.post(f"/app/operateurs/{USER_ID}/activer", data={"csrf_token": CSRF})
    assert fake.sent("PATCH", f"/users/{USER_ID}") == [{"status": "active"}]
    fake.on(
        "POST",
        "/users",
        lambda _r: problem(409, "email_taken", "taken", errors={"email": ["taken"]}),
    )
    refused = client.post("/app/operateurs", data={"csrf_token": CSRF, "email": "x@example.org"})
    assert refused.status_code == 422


def _entry(action: str, email: str | None = "anne@example.org") -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "at": "2026-12-06T09:00:00+00:00",
        "action": action,
        "actor": {"user_id": USER_ID, "email": email, "role": "animator"},
        "target": {"type": "member", "id": str(uuid.uuid4())},
        "tenant": "pie",
        "network": "troc-actif",
        "details": {"reason": "impayés"},
    }


def test_an_animator_reads_the_tenants_audit_log_with_filters(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    asked: list[dict[str, object]] = []

    def answer(request: dict[str, Any]) -> tuple[int, Any]:
        asked.append(request["params"])
        return 200, {
            "items": [_entry("member_suspended")],
            "page": 1,
            "per_page": 50,
            "total": 1,
            "sources": {"gateway": "ok", "ledger": "unavailable"},
        }

    fake.on("GET", "/t/pie/audit", answer)
    page = client.get("/app/journal?action=member_suspended&since=2026-12-01")
    assert page.status_code == 200
    assert "Adhérent suspendu" in page.text and "anne@example.org" in page.text
    assert "incomplètes" in page.text  # a source did not answer: said, not hidden
    assert asked == [
        {
            "page": 1,
            "per_page": 50,
            "action": "member_suspended",
            "since": "2026-12-01T00:00:00+00:00",
        }
    ]


def test_the_operator_reads_the_whole_log(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "operator", tenant=None)
    fake.on(
        "GET",
        "/audit",
        {
            "items": [_entry("network_updated", None)],
            "page": 1,
            "per_page": 50,
            "total": 1,
            "sources": {"gateway": "ok"},
        },
    )
    page = client.get("/app/journal")
    assert page.status_code == 200 and "Réseau modifié" in page.text
    assert signed_in(app, "member").get("/app/journal").status_code == 403


def test_a_login_asks_the_code_in_a_second_step(app: Flask, fake: FakeApi) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf"] = CSRF
    sent: list[Any] = []

    def token(request: dict[str, Any]) -> tuple[int, Any]:
        sent.append(request["json"])
        if "totp" not in request["json"]:
            return problem(401, "totp_required", "needs a code")
        if request["json"]["totp"] != "123456":
            return problem(401, "totp_invalid", "wrong code")
        return 200, {
            "access_token": "a",
            "refresh_token": "r",
            "expires_in": 300,
            "token_type": "Bearer",
        }

    fake.on("POST", "/auth/token", token)
    fake.on(
        "GET",
        "/me",
        {
            "subject": USER_ID,
            "roles": ["animator"],
            "tenant": "pie",
            "network": None,
            "member_id": None,
            "user": {"email": "anne@example.org"},
        },
    )
    first = client.post(
        "/", data={"csrf_token": CSRF, "email": "anne@example.org", "password": "secret-password"}
    )
    assert first.status_code == 302 and "/app/connexion/code" in first.headers["Location"]
    with client.session_transaction() as session:
        # Kept for the second step, but never in clear in the (signed, readable) cookie.
        assert "secret-password" not in str(dict(session))
    with client.session_transaction() as session:
        csrf = session["csrf"]
    wrong = client.post("/app/connexion/code", data={"csrf_token": csrf, "code": "000000"})
    assert wrong.status_code == 401
    done = client.post("/app/connexion/code", data={"csrf_token": csrf, "code": "123456"})
    assert done.status_code == 302
    assert sent[-1] == {
        "email": "anne@example.org",
        "password": "secret-password",
        "totp": "123456",
    }


def test_an_enrol_only_login_goes_to_the_enrolment(app: Flask, fake: FakeApi) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf"] = CSRF
    fake.on(
        "POST",
        "/auth/token",
        {
            "access_token": "enrol",
            "refresh_token": None,
            "expires_in": 900,
            "totp_enrolment_required": True,
        },
    )
    first = client.post(
        "/", data={"csrf_token": CSRF, "email": "anne@example.org", "password": "secret-password"}
    )
    assert "/app/double-authentification" in first.headers["Location"]
    page = client.get("/app/double-authentification")
    assert page.status_code == 200 and "Votre réseau demande" in page.text
    fake.on(
        "POST",
        "/auth/totp",
        {
            "secret": "JBSWY3DPEHPK3PXP",
            "recovery_codes": ["AAAA"],
            "otpauth_uri": "otpauth://totp/x",
        },
        status=201,
    )
    with client.session_transaction() as session:
        csrf = session["csrf"]
    started = client.post("/app/double-authentification", data={"csrf_token": csrf})
    assert "JBSWY3DPEHPK3PXP" in started.text and started.headers["Cache-Control"] == "no-store"
    seen: list[str] = []

    def confirm(request: dict[str, Any]) -> tuple[int, Any]:
        seen.append(request["headers"].get("Authorization", ""))
        return 200, {"status": "totp_enabled"}

    fake.on("POST", "/auth/totp/confirm", confirm)
    done = client.post(
        "/app/double-authentification/confirmer", data={"csrf_token": csrf, "code": "123456"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/")
    assert seen == ["Bearer enrol"]  # the enrol-only token, and only it


def test_the_operator_edits_a_tenant(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "operator", tenant=None)
    path = "/networks/troc-actif/tenants/pie"
    fake.on(
        "GET",
        path,
        {
            "id": str(uuid.uuid4()),
            "slug": "pie",
            "network": "troc-actif",
            "name": "PIE",
            "departments": ["75"],
            "contact": None,
        },
    )
    _tenant_lists(fake)
    page = client.get("/app/reseaux/troc-actif/associations/pie")
    assert page.status_code == 200 and 'value="75"' in page.text
    fake.on(
        "PATCH",
        path,
        {
            "id": str(uuid.uuid4()),
            "slug": "pie",
            "network": "troc-actif",
            "name": "Paris Initiative",
            "departments": ["75"],
            "contact": None,
        },
    )
    done = client.post(
        "/app/reseaux/troc-actif/associations/pie",
        data={"csrf_token": CSRF, "name": "Paris Initiative", "departments": "75"},
    )
    assert done.status_code == 302
    assert fake.sent("PATCH", path) == [
        {"name": "Paris Initiative", "departments": ["75"], "contact": None}
    ]


MEMBER_ID = str(uuid.uuid4())


def _tenant_lists(fake: FakeApi) -> None:
    """What the tenant page lists besides the tenant: its members, the network's tenants."""
    fake.on(
        "GET",
        "/t/pie/members",
        {"items": [{"id": MEMBER_ID, "name": "Atelier Lumière"}], "total": 1},
    )
    fake.on(
        "GET",
        "/networks/troc-actif/tenants",
        {
            "items": [
                {"slug": "pie", "name": "PIE", "status": "active"},
                {"slug": "fa-mgp", "name": "France Active MGP", "status": "active"},
                {"slug": "fa-77-91", "name": "France Active 77-91", "status": "closed"},
            ],
            "total": 3,
        },
    )


def _tenant(status: str = "active") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "slug": "pie",
        "network": "troc-actif",
        "name": "PIE",
        "departments": ["75"],
        "contact": None,
        "status": status,
        "closed_at": "2026-12-06T12:00:00+00:00" if status == "closed" else None,
    }


def test_the_operator_closes_and_reopens_a_tenant(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "operator", tenant=None)
    path = "/networks/troc-actif/tenants/pie"
    fake.on("GET", path, _tenant())
    _tenant_lists(fake)
    page = client.get("/app/reseaux/troc-actif/associations/pie")
    assert "Fermer l&#39;association" in page.text or "Fermer l'association" in page.text
    fake.on("PATCH", path, _tenant("closed"))
    done = client.post(
        "/app/reseaux/troc-actif/associations/pie/statut",
        data={"csrf_token": CSRF, "status": "closed"},
    )
    assert done.status_code == 302
    assert fake.sent("PATCH", path) == [{"status": "closed"}]
    fake.on("GET", path, _tenant("closed"))
    page = client.get("/app/reseaux/troc-actif/associations/pie")
    assert "fermée" in page.text and "Rouvrir" in page.text
    fake.on("PATCH", path, _tenant())
    client.post(
        "/app/reseaux/troc-actif/associations/pie/statut",
        data={"csrf_token": CSRF, "status": "active"},
    )
    assert fake.sent("PATCH", path)[-1] == {"status": "active"}


def test_the_operator_moves_a_member_to_an_open_tenant(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "operator", tenant=None)
    fake.on("GET", "/networks/troc-actif/tenants/pie", _tenant())
    _tenant_lists(fake)
    page = client.get("/app/reseaux/troc-actif/associations/pie")
    # the other open tenants are offered, the closed one is not
    assert 'value="fa-mgp"' in page.text and 'value="fa-77-91"' not in page.text
    move = f"/t/pie/members/{MEMBER_ID}/move"
    fake.on("POST", move, {"id": MEMBER_ID, "name": "Atelier Lumière", "tenant": "fa-mgp"})
    done = client.post(
        "/app/reseaux/troc-actif/associations/pie/deplacer",
        data={"csrf_token": CSRF, "member_id": MEMBER_ID, "tenant": "fa-mgp"},
    )
    assert done.status_code == 302
    assert fake.sent("POST", move) == [{"tenant": "fa-mgp"}]


def test_a_refused_move_says_why_in_french(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "operator", tenant=None)
    fake.on("GET", "/networks/troc-actif/tenants/pie", _tenant())
    _tenant_lists(fake)
    fake.on(
        "POST",
        f"/t/pie/members/{MEMBER_ID}/move",
        lambda _r: problem(409, "member_busy", "account has pending holds"),
    )
    refused = client.post(
        "/app/reseaux/troc-actif/associations/pie/deplacer",
        data={"csrf_token": CSRF, "member_id": MEMBER_ID, "tenant": "fa-mgp"},
    )
    assert refused.status_code == 422 and "réservations en cours" in refused.text
    missing = client.post(
        "/app/reseaux/troc-actif/associations/pie/deplacer",
        data={"csrf_token": CSRF, "member_id": MEMBER_ID, "tenant": ""},
    )
    assert missing.status_code == 422 and "association d&#39;arrivée" in missing.text
