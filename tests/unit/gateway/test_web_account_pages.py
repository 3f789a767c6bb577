"""The account pages on the fake public API: one's password, the tenant's users, the operator's
own accounts (what they send, what they show, how refusals come back)."""

from __future__ import annotations

import uuid

from flask import Flask

from tests.unit.gateway import test_web_admin_pages as admin
from tests.unit.gateway.test_web_admin_pages import CSRF, FakeApi, problem, signed_in

# The admin pages' fixtures: one app for the module on a fake API, emptied per test.
web, fake, app = admin.web, admin.fake, admin.app

USER_ID = str(uuid.uuid4())


def _users(fake: FakeApi, path: str, status: str = "active") -> None:
    fake.on("GET", path, {"items": [
        {"id": USER_ID, "email": "anne@example.org", "role": "animator", "member_id": None,
         "status": status, "is_active": status == "active", "last_login_at": None},
    ], "page": 1, "per_page": 100, "total": 1})


def test_a_user_changes_their_password(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "member")
    assert "Changer de mot de passe" in client.get("/app/mon-compte").text
    fake.on("POST", "/auth/password", {"status": "password_changed"})
    response = client.post("/app/mon-compte/mot-de-passe", data={
        "csrf_token": CSRF, "current_password": "ancien", "new_password": "Nouveau-mot-2027",
        "new_password_again": "Nouveau-mot-2027"})
    assert response.status_code == 302
    assert fake.sent("POST", "/auth/password") == [
        {"current_password": "ancien", "new_password": "Nouveau-mot-2027"}]


def test_a_wrong_current_password_is_shown_next_to_its_field(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    fake.on("POST", "/auth/password", lambda _r: problem(
        422, "validation_failed", "The request has invalid fields.",
        errors={"current_password": ["this is not your current password"]}))
    response = client.post("/app/mon-compte/mot-de-passe", data={
        "csrf_token": CSRF, "current_password": "faux", "new_password": "Nouveau-mot-2027",
        "new_password_again": "Nouveau-mot-2027"})
    assert response.status_code == 422
    assert 'id="current_password-error"' in response.text or "current_password" in response.text


def test_two_different_new_passwords_are_refused_before_the_api(app: Flask, fake: FakeApi
                                                                ) -> None:
    client = signed_in(app, "animator")
    response = client.post("/app/mon-compte/mot-de-passe", data={
        "csrf_token": CSRF, "current_password": "x", "new_password": "Nouveau-mot-2027",
        "new_password_again": "Autre-mot-2027"})
    assert response.status_code == 422 and "diffèrent" in response.text
    assert fake.sent("POST", "/auth/password") == []


def test_an_animator_disables_and_invites_users(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    _users(fake, "/t/pie/users")
    fake.on("GET", "/t/pie/members", {"items": [], "total": 0})
    page = client.get("/app/utilisateurs")
    assert page.status_code == 200 and "anne@example.org" in page.text and "Désactiver" in page.text
    fake.on("PATCH", f"/t/pie/users/{USER_ID}", {"id": USER_ID, "email": "anne@example.org",
                                                  "status": "disabled"})
    done = client.post(f"/app/utilisateurs/{USER_ID}/desactiver", data={"csrf_token": CSRF})
    assert done.status_code == 302
    assert fake.sent("PATCH", f"/t/pie/users/{USER_ID}") == [{"status": "disabled"}]
    fake.on("POST", "/t/pie/users", {"id": str(uuid.uuid4())}, status=201)
    invited = client.post("/app/utilisateurs", data={"csrf_token": CSRF,
                                                     "email": "new@example.org"})
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
    fake.on("PATCH", f"/users/{USER_ID}", {"id": USER_ID, "email": "anne@example.org",
                                            "status": "active"})
    client.post(f"/app/operateurs/{USER_ID}/activer", data={"csrf_token": CSRF})
    assert fake.sent("PATCH", f"/users/{USER_ID}") == [{"status": "active"}]
    fake.on("POST", "/users", lambda _r: problem(409, "email_taken", "taken",
                                                 errors={"email": ["taken"]}))
    refused = client.post("/app/operateurs", data={"csrf_token": CSRF, "email": "x@example.org"})
    assert refused.status_code == 422
