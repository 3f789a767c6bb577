"""Accounts end to end, every service a real process: the reset link and the invitation leave the
gateway as events and arrive as ``.eml`` files written by the notifications' worker (the
embedded mail folder, as in ``make run``); the link's page sets the password once; a disabled
user can neither log in nor refresh; a signed-in user changes their password; two-factor login;
the audit log assembled from the gateway's and the ledger's entries."""

from __future__ import annotations

import email
import re
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pyotp
import pytest
import requests

from chassis.testing.platform import Platform, eventually, running_platform

pytestmark = pytest.mark.e2e

ANIMATOR = "animation@pie.demo.trocactif.org"
NEW_PASSWORD = "Nouvelles-pommes-2027"
PUBLIC_URL = "https://troc.example.org"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(
        tmp_path_factory.mktemp("accounts"), tag="acc", env={"TROC_PUBLIC_URL": PUBLIC_URL}
    ) as running:
        yield running


def mails_to(platform: Platform, address: str) -> list[EmailMessage]:
    folder = Path(platform.env["TROC_VAR_DIR"]) / "mail"
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        if message["To"] == address:
            found.append(message)
    return found


def link_in(message: EmailMessage) -> tuple[str, str]:
    """The link of an account e-mail, and its token."""
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    match = re.search(
        rf"{re.escape(PUBLIC_URL)}/app/mot-de-passe/nouveau\?token=(\S+)", text.get_content()
    )
    assert match, text.get_content()
    return match.group(0), match.group(1)


def post(
    platform: Platform, path: str, body: dict[str, str], headers: dict[str, str] | None = None
) -> requests.Response:
    return requests.post(f"{platform.url}{path}", json=body, headers=headers or {}, timeout=15)


def test_forgot_password_mail_link_new_password_login(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    address = f"reset-{uuid.uuid4().hex[:8]}@example.org"
    platform.post(
        "/t/pie/users",
        animator,
        status=201,
        json={"email": address, "password": "Ancien-mot-de-passe-2026", "role": "animator"},
    )
    assert post(platform, "/auth/password-reset", {"email": address}).status_code == 202
    [message] = eventually(lambda: mails_to(platform, address))
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    url, token = link_in(message)

    # The link opens the web page, which carries the token into its form.
    page = requests.get(url.replace(PUBLIC_URL, platform.url), timeout=15)
    assert page.status_code == 200 and token in page.text

    done = post(
        platform, "/auth/password-reset/confirm", {"token": token, "password": NEW_PASSWORD}
    )
    assert done.status_code == 200, done.text
    reused = post(
        platform, "/auth/password-reset/confirm", {"token": token, "password": "Encore-autre-2028"}
    )
    assert reused.status_code == 400 and reused.json()["code"] == "reset_token_used"
    platform.login(address, NEW_PASSWORD)


def test_a_user_created_without_password_is_invited_by_mail(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    address = f"invited-{uuid.uuid4().hex[:8]}@example.org"
    platform.post("/t/pie/users", animator, status=201, json={"email": address, "role": "animator"})
    [message] = eventually(lambda: mails_to(platform, address))
    assert message["Subject"] == "Votre compte sur la plateforme vous attend"
    _, token = link_in(message)
    assert (
        post(
            platform, "/auth/password-reset/confirm", {"token": token, "password": NEW_PASSWORD}
        ).status_code
        == 200
    )
    platform.login(address, NEW_PASSWORD)


def test_a_disabled_user_cannot_refresh_nor_log_in(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    address = f"disabled-{uuid.uuid4().hex[:8]}@example.org"
    user = platform.post(
        "/t/pie/users",
        animator,
        status=201,
        json={"email": address, "password": NEW_PASSWORD, "role": "animator"},
    )
    session = post(platform, "/auth/token", {"email": address, "password": NEW_PASSWORD}).json()
    changed = requests.patch(
        f"{platform.url}/t/pie/users/{user['id']}",
        headers=animator,
        json={"status": "disabled"},
        timeout=15,
    )
    assert changed.status_code == 200 and changed.json()["status"] == "disabled"
    refreshed = post(platform, "/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["code"] == "invalid_grant"
    login = post(platform, "/auth/token", {"email": address, "password": NEW_PASSWORD})
    assert login.status_code == 401


def test_a_signed_in_user_changes_password(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    address = f"change-{uuid.uuid4().hex[:8]}@example.org"
    platform.post(
        "/t/pie/users",
        animator,
        status=201,
        json={"email": address, "password": NEW_PASSWORD, "role": "animator"},
    )
    headers = platform.login(address, NEW_PASSWORD)
    changed = post(
        platform,
        "/auth/password",
        {"current_password": NEW_PASSWORD, "new_password": "Encore-autre-2028"},
        headers,
    )
    assert changed.status_code == 200, changed.text
    platform.login(address, "Encore-autre-2028")


def test_the_audit_log_merges_the_gateway_and_the_ledger(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    members = platform.get("/t/pie/members", animator, per_page=100)["items"]
    payer, payee = members[0]["id"], members[1]["id"]
    made = requests.post(
        f"{platform.url}/t/pie/transfers",
        timeout=15,
        headers={**animator, "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": payer, "payee": payee, "amount": "3.00"},
    )
    assert made.status_code == 201, made.text
    me = platform.get("/me", animator)
    assert made.json()["initiated_by"] == me["subject"]
    platform.post(f"/t/pie/members/{payee}/suspend", animator, json={"reason": "audit"})
    platform.post(f"/t/pie/members/{payee}/reinstate", animator, json={"reason": "audit"})

    log = platform.get("/t/pie/audit", animator, per_page=3)
    assert log["sources"] == {
        "gateway": "ok",
        "ledger": "ok",
        "invoices": "ok",
        "notifications": "ok",
    }
    assert [e["action"] for e in log["items"]] == [
        "member_reinstated",
        "member_suspended",
        "transfer_made",
    ]
    transfer = log["items"][2]
    assert transfer["actor"] == {"user_id": me["subject"], "email": ANIMATOR, "role": "animator"}
    assert transfer["target"] == {"type": "transfer", "id": made.json()["id"]}
    assert log["total"] >= 3
    page_two = platform.get("/t/pie/audit", animator, per_page=2, page=2)
    assert page_two["items"][0]["id"] == transfer["id"]
    ledger_only = platform.get("/t/pie/audit", animator, action="transfer_made", per_page=50)
    assert {e["action"] for e in ledger_only["items"]} == {"transfer_made"}

    operator = platform.login("operator@demo.trocactif.org")
    everything = platform.get("/audit", operator, actor=ANIMATOR, per_page=50)
    assert {"transfer_made", "member_suspended"} <= {e["action"] for e in everything["items"]}

    other = requests.get(
        f"{platform.url}/t/pie/audit",
        timeout=15,
        headers=platform.login("animation@fa-mgp.demo.trocactif.org"),
    )
    assert other.status_code == 404


def test_forgot_password_then_login_with_a_second_factor(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    address = f"totp-{uuid.uuid4().hex[:8]}@example.org"
    platform.post(
        "/t/pie/users",
        animator,
        status=201,
        json={"email": address, "password": NEW_PASSWORD, "role": "animator"},
    )
    headers = platform.login(address, NEW_PASSWORD)
    enrolment = platform.post("/auth/totp", headers, status=201)
    totp = pyotp.TOTP(enrolment["secret"])
    previous = totp.at(time.time() - 30)
    platform.post("/auth/totp/confirm", headers, json={"code": previous})

    assert post(platform, "/auth/password-reset", {"email": address}).status_code == 202
    [message] = eventually(lambda: mails_to(platform, address))
    _, token = link_in(message)
    assert (
        post(
            platform,
            "/auth/password-reset/confirm",
            {"token": token, "password": "Encore-autre-2028"},
        ).status_code
        == 200
    )

    credentials = {"email": address, "password": "Encore-autre-2028"}
    required = post(platform, "/auth/token", credentials)
    assert required.status_code == 401 and required.json()["code"] == "totp_required"
    wrong = post(platform, "/auth/token", {**credentials, "totp": "000000"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "totp_invalid"
    assert post(platform, "/auth/token", {**credentials, "totp": totp.now()}).status_code == 200
    recovery = enrolment["recovery_codes"][0]
    assert post(platform, "/auth/token", {**credentials, "totp": recovery}).status_code == 200
    replayed = post(platform, "/auth/token", {**credentials, "totp": recovery})
    assert replayed.status_code == 401 and replayed.json()["code"] == "totp_invalid"
