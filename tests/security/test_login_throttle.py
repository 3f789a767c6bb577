"""Brute force on ``POST /auth/token``: after 5 failures an account is locked (429 with
Retry-After, even for the right password), after 20 failures an address is; the answers never
tell whether an account exists. Each test guesses from a loopback address of its own.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests

from .conftest import TENANT, Attack, client_from, problem_of

ACCOUNT_FREE_FAILURES = 5  # gateway.domain.throttle.ACCOUNT_POLICY
ADDRESS_FREE_FAILURES = 20  # gateway.domain.throttle.IP_POLICY
STRONG_PASSWORD = "Brute-force-resistant 2026!"  # noqa: S105 (a test user's)


def _user(attack: Attack) -> str:
    """A fresh member user of PIE, so that locking it out disturbs no other test."""
    email = f"target-{uuid.uuid4().hex[:8]}@atelier-lumiere.example"
    attack.platform.post(
        f"/t/{TENANT}/users",
        attack.headers["animator"],
        status=201,
        json={
            "email": email,
            "password": STRONG_PASSWORD,
            "role": "member",
            "member_id": attack.members["member"],
        },
    )
    return email


def _login(
    client: requests.Session, attack: Attack, email: str, password: str
) -> requests.Response:
    return client.post(
        f"{attack.url}/auth/token", json={"email": email, "password": password}, timeout=60
    )


def _shape(response: requests.Response) -> tuple[int, str, str, str | None]:
    """What an attacker sees of a refusal, without the per-request ids."""
    body: dict[str, Any] = response.json()
    return (
        response.status_code,
        body["code"],
        body["detail"],
        response.headers.get("Retry-After") and "set",
    )


def test_an_account_locks_after_five_failures_and_the_right_password_waits_too(
    attack: Attack,
) -> None:
    email = _user(attack)
    with client_from() as client:
        for attempt in range(ACCOUNT_FREE_FAILURES):
            # Case and spaces do not make another account for the throttle.
            spelled = email.upper() if attempt % 2 else f" {email}"
            problem = problem_of(_login(client, attack, spelled, f"guess-{attempt}"), 401)
            assert problem["code"] == "invalid_credentials"
        locked = _login(client, attack, email, STRONG_PASSWORD)
        problem = problem_of(locked, 429)
        assert problem["code"] == "login_throttled"
        assert 1 <= int(locked.headers["Retry-After"]) <= 60
    with client_from() as elsewhere:  # the account's lock holds from any address
        problem_of(_login(elsewhere, attack, email, STRONG_PASSWORD), 429)


def test_refusals_are_the_same_whether_or_not_the_account_exists(attack: Attack) -> None:
    existing, missing = _user(attack), f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    seen: dict[str, list[tuple[int, str, str, str | None]]] = {}
    for email in (existing, missing):
        with client_from() as client:
            seen[email] = [
                _shape(_login(client, attack, email, f"guess-{n}"))
                for n in range(ACCOUNT_FREE_FAILURES + 1)
            ]
    assert seen[existing] == seen[missing]
    assert seen[missing][-1][:2] == (429, "login_throttled")
    with client_from() as client:
        resets = [
            client.post(f"{attack.url}/auth/password-reset", json={"email": email}, timeout=60)
            for email in (existing, missing)
        ]
    assert [(r.status_code, r.json()) for r in resets] == [(202, {"status": "accepted"})] * 2


def test_an_address_locks_after_twenty_failures_on_any_accounts(attack: Attack) -> None:
    email = _user(attack)
    with client_from() as attacker:
        for attempt in range(ADDRESS_FREE_FAILURES):
            sprayed = f"spray-{attempt}-{uuid.uuid4().hex[:6]}@example.org"
            problem_of(_login(attacker, attack, sprayed, "Password1!"), 401)
        # The address is locked, whoever it tries: even a real account with its password.
        problem = problem_of(_login(attacker, attack, email, STRONG_PASSWORD), 429)
        assert problem["code"] == "login_throttled"
    with client_from() as colleague:  # another address is not
        assert _login(colleague, attack, email, STRONG_PASSWORD).status_code == 200
