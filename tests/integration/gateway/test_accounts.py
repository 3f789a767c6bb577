"""Accounts: reset and invitation links as events, password change, disabling users and
changing roles (a tenant's users and the operator's own), on both backends."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pyotp

from gateway.domain.reset import INVITATION_TTL, RESET_TOKEN_TTL

from .conftest import PASSWORD, World, bearer

NEW_PASSWORD = "Nouvelles-pommes-2027"


def _user_id(gw: World, tenant: str, email: str, headers: dict[str, str]) -> str:
    listed = gw.client.get(f"/t/{tenant}/users", headers=headers, query_string={"per_page": 100})
    assert listed.status_code == 200, listed.json
    return next(u["id"] for u in listed.json["items"] if u["email"] == email)


def _outbox_of(gw: World, event: str, email: str) -> Any:
    return next(
        e
        for e in reversed(gw.events())
        if e.type.split(".")[-2] == event and e.data["email"] == email
    )


class TestResetAndInvitationLinks:
    def test_a_reset_leaves_as_an_event_with_a_short_lived_token(self, gw: World) -> None:
        email = gw.emails[gw.tenant_a]
        assert gw.client.post("/auth/password-reset", json={"email": email}).status_code == 202
        envelope = _outbox_of(gw, "password_reset_requested", email)
        assert envelope.tenant == gw.tenant_a
        assert envelope.data["role"] == "animator"
        expires = envelope.data["expires_at"]
        assert "token" in envelope.data and expires
        assert gw.link_token(email) == envelope.data["token"]

    def test_an_expired_reset_token_is_refused(self, gw: World) -> None:
        email = gw.emails[gw.tenant_a]
        assert gw.client.post("/auth/password-reset", json={"email": email}).status_code == 202
        token = gw.link_token(email)
        later = gw.app.now() + RESET_TOKEN_TTL + timedelta(seconds=1)
        saved = gw.app.clock
        gw.app.clock = lambda: later
        try:
            response = gw.client.post(
                "/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
            )
        finally:
            gw.app.clock = saved
        assert response.status_code == 400
        assert response.json["code"] == "reset_token_expired"

    def test_a_newer_link_supersedes_the_older_one(self, gw: World) -> None:
        email = gw.emails[gw.tenant_a]
        gw.client.post("/auth/password-reset", json={"email": email})
        first = gw.link_token(email)
        gw.client.post("/auth/password-reset", json={"email": email})
        refused = gw.client.post(
            "/auth/password-reset/confirm", json={"token": first, "password": NEW_PASSWORD}
        )
        assert refused.status_code == 400 and refused.json["code"] == "reset_token_used"

    def test_a_user_created_without_password_is_invited(self, gw: World) -> None:
        email = f"invited-{uuid.uuid4().hex[:8]}@example.org"
        created = gw.client.post(
            f"/t/{gw.tenant_a}/users",
            headers=gw.animator_a,
            json={"email": email, "role": "animator"},
        )
        assert created.status_code == 201, created.json
        envelope = _outbox_of(gw, "user_invited", email)
        assert envelope.data["tenant_name"] == "Tenant A"
        # Nobody can log in before the invitation is used (no password is known).
        assert gw.client.post("/auth/token", json={"email": email, "password": ""}).status_code in (
            400,
            401,
            422,
        )
        token = gw.link_token(email, "user_invited")
        later = gw.app.now() + RESET_TOKEN_TTL + timedelta(hours=1)
        assert later < gw.app.now() + INVITATION_TTL  # an invitation outlives a reset link
        saved = gw.app.clock
        gw.app.clock = lambda: later
        try:
            done = gw.client.post(
                "/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
            )
        finally:
            gw.app.clock = saved
        assert done.status_code == 200, done.json
        gw.login(email, NEW_PASSWORD)
        reused = gw.client.post(
            "/auth/password-reset/confirm",
            json={"token": token, "password": "Encore-autre-chose-2028"},
        )
        assert reused.status_code == 400 and reused.json["code"] == "reset_token_used"

    def test_an_operator_is_invited_with_no_tenant(self, gw: World) -> None:
        email = f"op-{uuid.uuid4().hex[:8]}@example.org"
        created = gw.client.post("/users", headers=gw.operator, json={"email": email})
        assert created.status_code == 201, created.json
        assert created.json["role"] == "operator" and created.json["tenant"] is None
        assert gw.link_token(email, "user_invited")
        refused = gw.client.post("/users", headers=gw.animator_a, json={"email": email})
        assert refused.status_code == 403


class TestPasswordChange:
    def test_a_signed_in_user_changes_password_and_other_sessions_end(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        first = gw.login(email)
        second = gw.login(email)
        headers = bearer(second["access_token"])
        wrong = gw.client.post(
            "/auth/password",
            headers=headers,
            json={"current_password": "not-it", "new_password": NEW_PASSWORD},
        )
        assert wrong.status_code == 422 and "current_password" in wrong.json["errors"]
        weak = gw.client.post(
            "/auth/password",
            headers=headers,
            json={"current_password": PASSWORD, "new_password": "short"},
        )
        assert weak.status_code == 422 and "password" in weak.json["errors"]
        done = gw.client.post(
            "/auth/password",
            headers=headers,
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        )
        assert done.status_code == 200, done.json
        for session in (first, second):
            refused = gw.client.post(
                "/auth/refresh", json={"refresh_token": session["refresh_token"]}
            )
            assert refused.status_code == 400
        assert (
            gw.client.post("/auth/token", json={"email": email, "password": PASSWORD}).status_code
            == 401
        )
        gw.login(email, NEW_PASSWORD)

    def test_it_needs_a_signed_in_user(self, gw: World) -> None:
        response = gw.client.post(
            "/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 401


class TestUserAdministration:
    def test_a_disabled_user_can_neither_log_in_nor_refresh(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        session = gw.login(email)
        user_id = _user_id(gw, gw.tenant_a, email, gw.animator_a)
        disabled = gw.client.patch(
            f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.animator_a, json={"status": "disabled"}
        )
        assert disabled.status_code == 200, disabled.json
        assert disabled.json["status"] == "disabled" and disabled.json["is_active"] is False
        refresh = gw.client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert refresh.status_code == 400 and refresh.json["code"] == "invalid_grant"
        login = gw.client.post("/auth/token", json={"email": email, "password": PASSWORD})
        assert login.status_code == 401
        shown = gw.client.get(f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.operator)
        assert shown.json["status"] == "disabled"
        enabled = gw.client.patch(
            f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.operator, json={"status": "active"}
        )
        assert enabled.status_code == 200 and enabled.json["status"] == "active"
        gw.login(email)

    def test_a_role_change_ends_the_sessions_and_needs_a_member(self, gw: World) -> None:
        member = gw.admit()
        email = gw.user(gw.tenant_a, "animator")
        session = gw.login(email)
        user_id = _user_id(gw, gw.tenant_a, email, gw.animator_a)
        url = f"/t/{gw.tenant_a}/users/{user_id}"
        missing = gw.client.patch(url, headers=gw.animator_a, json={"role": "member"})
        assert missing.status_code == 422 and "member_id" in missing.json["errors"]
        changed = gw.client.patch(
            url, headers=gw.animator_a, json={"role": "member", "member_id": member["id"]}
        )
        assert changed.status_code == 200, changed.json
        assert (changed.json["role"], changed.json["member_id"]) == ("member", member["id"])
        assert (
            gw.client.post(
                "/auth/refresh", json={"refresh_token": session["refresh_token"]}
            ).status_code
            == 400
        )
        me = gw.client.get("/me", headers=gw.headers_of(email))
        assert me.json["roles"] == ["member"] and me.json["member_id"] == member["id"]
        back = gw.client.patch(url, headers=gw.animator_a, json={"role": "animator"})
        assert back.json["role"] == "animator" and back.json["member_id"] is None

    def test_who_the_staff_are_leaves_as_user_changed_events(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        user_id = _user_id(gw, gw.tenant_a, email, gw.animator_a)
        gw.client.patch(
            f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.animator_a, json={"status": "disabled"}
        )
        changes = [
            e
            for e in gw.events(gw.tenant_a)
            if e.type.endswith(".user_changed.v1") and e.data["email"] == email
        ]
        assert [(e.data["role"], e.data["status"]) for e in changes] == [
            ("animator", "active"),
            ("animator", "disabled"),
        ]
        assert {e.data["user_id"] for e in changes} == {user_id}
        assert {(e.tenant, e.subject) for e in changes} == {(gw.tenant_a, user_id)}

    def test_nobody_disables_themselves(self, gw: World) -> None:
        email = gw.emails[gw.tenant_a]
        user_id = _user_id(gw, gw.tenant_a, email, gw.animator_a)
        response = gw.client.patch(
            f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.animator_a, json={"status": "disabled"}
        )
        assert response.status_code == 403

    def test_members_and_other_tenants_cannot_touch_users(self, gw: World) -> None:
        member = gw.admit()
        member_email = gw.user(gw.tenant_a, "member", member["id"])
        email = gw.user(gw.tenant_a, "animator")
        user_id = _user_id(gw, gw.tenant_a, email, gw.animator_a)
        url = f"/t/{gw.tenant_a}/users/{user_id}"
        as_member = gw.client.patch(
            url, headers=gw.headers_of(member_email), json={"status": "disabled"}
        )
        assert as_member.status_code == 403
        other = gw.client.patch(url, headers=gw.animator_b, json={"status": "disabled"})
        assert other.status_code in (403, 404)
        # Through its own tenant's path, another tenant's user is not found.
        hidden = gw.client.patch(
            f"/t/{gw.tenant_b}/users/{user_id}", headers=gw.animator_b, json={"status": "disabled"}
        )
        assert hidden.status_code == 404
        assert gw.client.get(url, headers=gw.animator_a).json["status"] == "active"

    def test_the_operator_administers_operator_accounts(self, gw: World) -> None:
        email = f"op-{uuid.uuid4().hex[:8]}@example.org"
        created = gw.client.post(
            "/users", headers=gw.operator, json={"email": email, "password": PASSWORD}
        )
        assert created.status_code == 201, created.json
        user_id = created.json["id"]
        listed = gw.client.get("/users", headers=gw.operator, query_string={"per_page": 100})
        assert listed.status_code == 200
        assert email in {u["email"] for u in listed.json["items"]}
        assert {u["role"] for u in listed.json["items"]} == {"operator"}
        assert {"items", "page", "per_page", "total"} <= set(listed.json)
        session = gw.login(email)
        disabled = gw.client.patch(
            f"/users/{user_id}", headers=gw.operator, json={"status": "disabled"}
        )
        assert disabled.status_code == 200 and disabled.json["status"] == "disabled"
        assert (
            gw.client.post(
                "/auth/refresh", json={"refresh_token": session["refresh_token"]}
            ).status_code
            == 400
        )
        assert gw.client.get("/users", headers=gw.animator_a).status_code == 403
        # A tenant's user is not an operator account.
        animator_id = _user_id(gw, gw.tenant_a, gw.emails[gw.tenant_a], gw.animator_a)
        assert gw.client.get(f"/users/{animator_id}", headers=gw.operator).status_code == 404


class TestAuditLog:
    def test_staff_actions_are_recorded_with_their_actor(self, gw: World) -> None:
        member = gw.admit()
        suspended = gw.client.post(
            f"/t/{gw.tenant_a}/members/{member['id']}/suspend",
            headers=gw.animator_a,
            json={"reason": "impayés"},
        )
        assert suspended.status_code == 200
        email = gw.user(gw.tenant_a, "animator")
        user_id = _user_id(gw, gw.tenant_a, email, gw.animator_a)
        gw.client.patch(
            f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.animator_a, json={"status": "disabled"}
        )
        key = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys",
            headers=gw.animator_a,
            json={"name": "compta", "scopes": ["ledger:read"]},
        ).json
        gw.client.delete(f"/t/{gw.tenant_a}/api-keys/{key['id']}", headers=gw.animator_a)

        log = gw.client.get(
            f"/t/{gw.tenant_a}/audit", headers=gw.animator_a, query_string={"per_page": 100}
        )
        assert log.status_code == 200, log.json
        assert {"items", "page", "per_page", "total", "sources"} <= set(log.json)
        assert log.json["sources"]["gateway"] == "ok"
        actions = [e["action"] for e in log.json["items"]]
        # Newest first.
        assert actions[:6] == [
            "api_key_revoked",
            "api_key_created",
            "user_disabled",
            "user_created",
            "member_suspended",
            "member_admitted",
        ]
        suspension = log.json["items"][4]
        assert suspension["actor"]["email"] == gw.emails[gw.tenant_a]
        assert suspension["actor"]["role"] == "animator"
        assert suspension["target"] == {"type": "member", "id": member["id"]}
        assert suspension["details"] == {"reason": "impayés"}
        assert suspension["tenant"] == gw.tenant_a

    def test_filters_and_pages(self, gw: World) -> None:
        before = gw.app.now()
        for _ in range(3):
            gw.admit()
        url = f"/t/{gw.tenant_a}/audit"
        admitted = gw.client.get(
            url, headers=gw.operator, query_string={"action": "member_admitted", "per_page": 2}
        )
        assert admitted.json["total"] == 3 and len(admitted.json["items"]) == 2
        second = gw.client.get(
            url,
            headers=gw.operator,
            query_string={"action": "member_admitted", "per_page": 2, "page": 2},
        )
        assert len(second.json["items"]) == 1
        ids = {e["id"] for e in admitted.json["items"]} | {e["id"] for e in second.json["items"]}
        assert len(ids) == 3
        by_actor = gw.client.get(
            url, headers=gw.operator, query_string={"actor": gw.emails[gw.tenant_a]}
        )
        assert by_actor.json["total"] >= 3
        assert {e["actor"]["email"] for e in by_actor.json["items"]} == {gw.emails[gw.tenant_a]}
        later = gw.client.get(
            url,
            headers=gw.operator,
            query_string={"since": (before + timedelta(days=1)).isoformat()},
        )
        assert later.json["total"] == 0

    def test_another_tenants_log_is_not_found_and_members_are_refused(self, gw: World) -> None:
        gw.admit()
        other = gw.client.get(f"/t/{gw.tenant_a}/audit", headers=gw.animator_b)
        assert other.status_code == 404
        member = gw.admit()
        member_email = gw.user(gw.tenant_a, "member", member["id"])
        refused = gw.client.get(f"/t/{gw.tenant_a}/audit", headers=gw.headers_of(member_email))
        assert refused.status_code == 403
        assert gw.client.get("/audit", headers=gw.animator_a).status_code == 403

    def test_the_operator_reads_the_whole_log(self, gw: World) -> None:
        gw.client.patch(f"/networks/{gw.network}", headers=gw.operator, json={"name": "Renommé"})
        log = gw.client.get(
            "/audit",
            headers=gw.operator,
            query_string={"action": "network_updated", "per_page": 50},
        )
        assert log.status_code == 200
        mine = [e for e in log.json["items"] if e["target"]["id"] == gw.network]
        assert mine and mine[0]["tenant"] is None and mine[0]["actor"]["role"] == "operator"
        assert mine[0]["details"]["changes"] == {"name": "Renommé"}


def _totp_now(secret: str, gw: World, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(gw.app.now() + timedelta(seconds=30 * steps))


def _enrolled(gw: World, email: str) -> tuple[str, list[str]]:
    headers = gw.headers_of(email)
    started = gw.client.post("/auth/totp", headers=headers)
    assert started.status_code == 201, started.json
    secret = started.json["secret"]
    assert started.json["otpauth_uri"].startswith("otpauth://totp/")
    assert len(started.json["recovery_codes"]) == 10
    wrong = gw.client.post("/auth/totp/confirm", headers=headers, json={"code": "000000"})
    assert wrong.status_code == 401 and wrong.json["code"] == "totp_invalid"
    done = gw.client.post(
        "/auth/totp/confirm", headers=headers, json={"code": _totp_now(secret, gw, -1)}
    )
    assert done.status_code == 200, done.json
    return secret, started.json["recovery_codes"]


def _token(gw: World, email: str, **extra: str) -> Any:
    return gw.client.post("/auth/token", json={"email": email, "password": PASSWORD, **extra})


class TestTwoFactor:
    def test_a_login_needs_the_current_code_once_enrolled(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        secret, _ = _enrolled(gw, email)
        missing = _token(gw, email)
        assert missing.status_code == 401 and missing.json["code"] == "totp_required"
        wrong = _token(gw, email, totp="123456")
        assert wrong.status_code == 401 and wrong.json["code"] == "totp_invalid"
        code = _totp_now(secret, gw)
        ok = _token(gw, email, totp=code)
        assert ok.status_code == 200, ok.json and ok.json["refresh_token"]
        # The same code twice is a replay.
        replay = _token(gw, email, totp=code)
        assert replay.status_code == 401 and replay.json["code"] == "totp_invalid"
        assert _token(gw, email, totp=_totp_now(secret, gw, 1)).status_code == 200

    def test_a_recovery_code_works_once(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        _, codes = _enrolled(gw, email)
        assert _token(gw, email, totp=codes[0].lower()).status_code == 200
        replayed = _token(gw, email, totp=codes[0])
        assert replayed.status_code == 401 and replayed.json["code"] == "totp_invalid"
        assert _token(gw, email, totp=codes[1]).status_code == 200

    def test_wrong_codes_are_throttled_like_passwords(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        _enrolled(gw, email)
        statuses = [_token(gw, email, totp="999999").status_code for _ in range(12)]
        assert statuses[0] == 401 and statuses[-1] == 429, statuses

    def test_a_second_enrolment_is_refused_while_on(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        secret, _ = _enrolled(gw, email)
        headers = bearer(_token(gw, email, totp=_totp_now(secret, gw)).json["access_token"])
        again = gw.client.post("/auth/totp", headers=headers)
        assert again.status_code == 409 and again.json["code"] == "totp_already_enabled"

    def test_staff_of_a_network_requiring_it_get_an_enrol_only_token(self, gw: World) -> None:
        email = gw.user(gw.tenant_a, "animator")
        session = gw.login(email)
        changed = gw.client.patch(
            f"/networks/{gw.network}", headers=gw.operator, json={"staff_2fa_required": True}
        )
        assert changed.status_code == 200 and changed.json["staff_2fa_required"] is True
        try:
            # The old session cannot be prolonged past the new rule.
            refresh = gw.client.post(
                "/auth/refresh", json={"refresh_token": session["refresh_token"]}
            )
            assert refresh.status_code == 400
            limited = _token(gw, email)
            assert limited.status_code == 200, limited.json
            assert limited.json["totp_enrolment_required"] is True
            assert limited.json["refresh_token"] is None
            headers = bearer(limited.json["access_token"])
            # The token reaches nothing but the enrolment.
            assert gw.client.get(f"/t/{gw.tenant_a}/members", headers=headers).status_code in (
                401,
                403,
                404,
            )
            assert gw.client.get(f"/t/{gw.tenant_a}/users", headers=headers).status_code in (
                401,
                403,
                404,
            )
            password = gw.client.post(
                "/auth/password",
                headers=headers,
                json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            )
            assert password.status_code == 403, password.json
            started = gw.client.post("/auth/totp", headers=headers)
            assert started.status_code == 201
            confirmed = gw.client.post(
                "/auth/totp/confirm",
                headers=headers,
                json={"code": _totp_now(started.json["secret"], gw, -1)},
            )
            assert confirmed.status_code == 200
            full = _token(gw, email, totp=_totp_now(started.json["secret"], gw))
            assert full.status_code == 200 and full.json["totp_enrolment_required"] is False
            members = gw.client.get(
                f"/t/{gw.tenant_a}/members", headers=bearer(full.json["access_token"])
            )
            assert members.status_code == 200
            # Members are not staff: nothing changes for them.
            member = gw.admit()
            member_email = gw.user(gw.tenant_a, "member", member["id"])
            assert _token(gw, member_email).json["totp_enrolment_required"] is False
        finally:
            gw.client.patch(
                f"/networks/{gw.network}", headers=gw.operator, json={"staff_2fa_required": False}
            )


class TestTenantAdministration:
    def test_the_operator_reads_and_edits_a_tenant(self, gw: World) -> None:
        url = f"/networks/{gw.network}/tenants/{gw.tenant_a}"
        shown = gw.client.get(url, headers=gw.operator)
        assert shown.status_code == 200 and shown.json["departments"] == ["92", "93", "94"]
        changed = gw.client.patch(
            url,
            headers=gw.operator,
            json={
                "name": "Tenant A renommé",
                "departments": ["92", "93", "94", "95"],
                "contact": {"name": "Accueil", "email": "accueil@example.org"},
            },
        )
        assert changed.status_code == 200, changed.json
        assert changed.json["name"] == "Tenant A renommé"
        assert changed.json["contact"]["email"] == "accueil@example.org"
        assert changed.json["slug"] == gw.tenant_a
        [event] = [e for e in gw.events(gw.tenant_a) if e.type.endswith(".tenant_updated.v1")]
        assert event.data == {
            "slug": gw.tenant_a,
            "name": "Tenant A renommé",
            "departments": ["92", "93", "94", "95"],
            "status": "active",
        }
        log = gw.client.get(
            f"/t/{gw.tenant_a}/audit",
            headers=gw.animator_a,
            query_string={"action": "tenant_updated"},
        )
        assert log.json["items"][0]["actor"]["role"] == "operator"

    def test_bad_values_and_others_are_refused(self, gw: World) -> None:
        url = f"/networks/{gw.network}/tenants/{gw.tenant_a}"
        bad = gw.client.patch(url, headers=gw.operator, json={"departments": ["999"]})
        assert bad.status_code == 422 and "departments" in str(bad.json["errors"])
        assert gw.client.patch(url, headers=gw.animator_a, json={"name": "x"}).status_code == 403
        assert (
            gw.client.get(f"/networks/{gw.network}/tenants/nope", headers=gw.operator).status_code
            == 404
        )
        assert gw.client.get(url, headers=gw.operator).json["name"] == "Tenant A"
