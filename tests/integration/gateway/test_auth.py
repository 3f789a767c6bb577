"""Logins, tokens, refresh rotation, password resets, throttling, signing keys, API key grants."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from flask.testing import FlaskClient

from chassis.auth import Identity, TokenVerifier, identity_claims
from chassis.keys import SigningKey
from gateway.bootstrap import GatewayApp
from tests.unit.gateway.test_routing_openapi import assert_valid_openapi

from .conftest import PASSWORD, World, bearer


def _claims(app: GatewayApp, **overrides: object) -> dict[str, object]:
    identity = Identity(subject=str(uuid.uuid4()), roles=frozenset({"operator"}))
    claims = identity_claims(
        identity, issuer=app.settings.jwt_issuer, audience=app.settings.jwt_audience, expires_in=300
    )
    claims.update(overrides)
    return claims


class TestLogin:
    def test_a_password_login_gives_a_bearer_jwt_and_a_refresh_token(self, gw: World) -> None:
        body = gw.login(gw.emails[gw.tenant_a])
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == gw.app.settings.access_token_ttl
        assert body["refresh_token"].startswith("rt_")
        verifier = TokenVerifier(
            gw.app.keys.jwks_path, gw.app.settings.jwt_audience, gw.app.settings.jwt_issuer
        )
        identity = verifier.verify(body["access_token"])
        assert identity.roles == {"animator"}
        assert (identity.tenant, identity.network) == (gw.tenant_a, gw.network)

    def test_me_tells_who_the_token_is(self, gw: World) -> None:
        me = gw.client.get("/me", headers=gw.animator_a).json
        assert me["roles"] == ["animator"]
        assert me["tenant"] == gw.tenant_a
        assert me["user"]["email"] == gw.emails[gw.tenant_a]

    def test_a_form_encoded_login_works_too(self, gw: World) -> None:
        response = gw.client.post(
            "/auth/token",
            data={"grant_type": "password", "email": gw.emails[gw.tenant_a], "password": PASSWORD},
        )
        assert response.status_code == 200, response.json

    def test_wrong_password_and_unknown_account_answer_alike(self, gw: World) -> None:
        wrong = gw.client.post(
            "/auth/token", json={"email": gw.emails[gw.tenant_a], "password": "not the password"}
        )
        unknown = gw.client.post(
            "/auth/token", json={"email": "nobody@example.org", "password": "not the password"}
        )
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json["code"] == unknown.json["code"] == "invalid_credentials"
        assert wrong.json["detail"] == unknown.json["detail"]

    def test_missing_fields_are_named(self, gw: World) -> None:
        response = gw.client.post("/auth/token", json={"email": "x@example.org"})
        assert response.status_code == 422
        assert set(response.json["errors"]) == {"password"}

    def test_repeated_failures_lock_the_account_with_retry_after(self, gw: World) -> None:
        email = gw.emails[gw.tenant_b]
        for _ in range(5):
            response = gw.client.post("/auth/token", json={"email": email, "password": "nope"})
            assert response.status_code == 401
        locked = gw.client.post("/auth/token", json={"email": email, "password": PASSWORD})
        assert locked.status_code == 429
        assert locked.json["code"] == "login_throttled"
        assert 1 <= int(locked.headers["Retry-After"]) <= 30


class TestRefresh:
    def test_a_refresh_token_rotates_and_a_replay_revokes_the_family(self, gw: World) -> None:
        first = gw.login(gw.emails[gw.tenant_a])
        second = gw.client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert second.status_code == 200, second.json
        assert second.json["refresh_token"] != first["refresh_token"]
        assert gw.client.get("/me", headers=bearer(second.json["access_token"])).status_code == 200

        replay = gw.client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert replay.status_code == 400
        assert replay.json["code"] == "invalid_grant"
        # The thief's replay killed the whole family, the legitimate newest token included.
        newest = gw.client.post(
            "/auth/refresh", json={"refresh_token": second.json["refresh_token"]}
        )
        assert newest.status_code == 400

    def test_an_unknown_refresh_token_is_refused(self, gw: World) -> None:
        response = gw.client.post("/auth/refresh", json={"refresh_token": "rt_made-up"})
        assert response.status_code == 400
        assert response.json["code"] == "invalid_grant"


class TestPasswordReset:
    def test_the_answer_is_the_same_for_unknown_addresses(self, gw: World) -> None:
        response = gw.client.post("/auth/password-reset", json={"email": "ghost@example.org"})
        assert response.status_code == 202
        assert response.json == {"status": "accepted"}

    def test_a_reset_link_sets_a_new_password_once_and_ends_sessions(self, gw: World) -> None:
        email = gw.emails[gw.tenant_a]
        session = gw.login(email)
        assert gw.client.post("/auth/password-reset", json={"email": email}).status_code == 202
        token = gw.link_token(email)

        weak = gw.client.post(
            "/auth/password-reset/confirm", json={"token": token, "password": "short"}
        )
        assert weak.status_code == 422
        assert "password" in weak.json["errors"]

        new_password = "Nouvelles-pommes-2027"
        done = gw.client.post(
            "/auth/password-reset/confirm", json={"token": token, "password": new_password}
        )
        assert done.status_code == 200, done.json
        again = gw.client.post(
            "/auth/password-reset/confirm",
            json={"token": token, "password": "Encore-autre-chose-2028"},
        )
        assert again.status_code == 400
        assert again.json["code"] == "reset_token_used"

        assert (
            gw.client.post("/auth/token", json={"email": email, "password": PASSWORD}).status_code
            == 401
        )
        gw.login(email, new_password)
        old = gw.client.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert old.status_code == 400

    def test_a_made_up_reset_token_is_refused(self, gw: World) -> None:
        response = gw.client.post(
            "/auth/password-reset/confirm",
            json={"token": "made-up", "password": "Nouvelles-pommes-2027"},
        )
        assert response.status_code == 400
        assert response.json["code"] == "reset_token_invalid"


class TestTokenRefusals:
    """A gateway route refuses every kind of bad token with 401 (the chassis verifier)."""

    def _refused(self, gw: World, token: str, code: str = "invalid_token") -> None:
        response = gw.client.get("/me", headers=bearer(token))
        assert response.status_code == 401, response.json
        assert response.json["code"] == code
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    def test_a_bad_signature(self, gw: World) -> None:
        active = gw.app.keys.active()
        forger = SigningKey.generate()
        forged = jwt.encode(
            _claims(gw.app),
            forger.private_key,
            algorithm="EdDSA",
            headers={"kid": active.kid, "typ": "at+jwt"},
        )
        self._refused(gw, forged)
        valid = gw.app.keys.sign(_claims(gw.app))
        head, payload, signature = valid.split(".")
        flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
        self._refused(gw, f"{head}.{payload}.{flipped}")

    def test_alg_none(self, gw: World) -> None:
        token = jwt.encode(
            _claims(gw.app),
            None,
            algorithm="none",
            headers={"kid": gw.app.keys.active().kid, "typ": "at+jwt"},
        )
        self._refused(gw, token)

    def test_an_unknown_key_id(self, gw: World) -> None:
        self._refused(gw, SigningKey.generate().sign(_claims(gw.app)))

    def test_an_expired_token(self, gw: World) -> None:
        past = time.time() - 3600
        claims = _claims(gw.app, iat=int(past), exp=int(past) + 60)
        self._refused(gw, gw.app.keys.sign(claims), "token_expired")

    def test_a_wrong_audience_or_issuer(self, gw: World) -> None:
        self._refused(gw, gw.app.keys.sign(_claims(gw.app, aud="another-platform")))
        self._refused(gw, gw.app.keys.sign(_claims(gw.app, iss="someone-else")))

    def test_garbage_and_other_schemes(self, gw: World) -> None:
        self._refused(gw, "not-a-jwt")
        response = gw.client.get("/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert response.status_code == 401

    def test_no_token_at_all(self, gw: World) -> None:
        assert gw.client.get("/me").status_code == 401
        assert gw.client.get(f"/t/{gw.tenant_a}/members").status_code == 401


class TestSigningKeys:
    def test_jwks_is_public_and_holds_both_keys_during_a_rotation(self, gw: World) -> None:
        before = gw.client.get("/.well-known/jwks.json")
        assert before.status_code == 200
        old_kid = gw.app.keys.active().kid
        assert old_kid in {k["kid"] for k in before.json["keys"]}
        assert all("d" not in key for key in before.json["keys"])
        old_token = gw.login(gw.emails[gw.tenant_a])["access_token"]

        new_kid = gw.app.keys.rotate(keep=1).kid
        kids = {k["kid"] for k in gw.client.get("/.well-known/jwks.json").json["keys"]}
        assert {old_kid, new_kid} <= kids
        new_token = gw.login(gw.emails[gw.tenant_a])["access_token"]
        assert jwt.get_unverified_header(new_token)["kid"] == new_kid
        for token in (old_token, new_token):
            assert gw.client.get("/me", headers=bearer(token)).status_code == 200


class TestApiKeyGrant:
    @pytest.fixture
    def key(self, gw: World) -> dict[str, str]:
        response = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys",
            headers=gw.animator_a,
            json={"name": "Logiciel comptable", "scopes": ["ledger:read", "events:read"]},
        )
        assert response.status_code == 201, response.json
        return dict(response.json)

    def test_an_integrator_exchanges_its_key_for_a_short_lived_jwt(
        self, gw: World, key: dict[str, str]
    ) -> None:
        response = gw.client.post("/auth/token", json={"api_key": key["key"]})
        assert response.status_code == 200, response.json
        assert response.json["expires_in"] == gw.app.settings.api_key_token_ttl
        assert response.json["scope"] == "events:read ledger:read"
        assert response.json.get("refresh_token") is None
        me = gw.client.get("/me", headers=bearer(response.json["access_token"])).json
        assert me["roles"] == ["integrator"]
        assert (me["tenant"], me["network"]) == (gw.tenant_a, gw.network)
        assert me["scopes"] == ["events:read", "ledger:read"]
        assert me["user"] is None

    def test_client_credentials_form_grant(self, gw: World, key: dict[str, str]) -> None:
        response = gw.client.post(
            "/auth/token", data={"grant_type": "client_credentials", "client_secret": key["key"]}
        )
        assert response.status_code == 200, response.json

    def test_the_key_works_as_a_bearer_and_records_its_last_use(
        self, gw: World, key: dict[str, str]
    ) -> None:
        assert (
            gw.client.get(f"/t/{gw.tenant_a}/members", headers=bearer(key["key"])).status_code
            == 200
        )
        keys = gw.client.get(f"/t/{gw.tenant_a}/api-keys", headers=gw.animator_a).json["items"]
        listed = next(k for k in keys if k["id"] == key["id"])
        assert listed["last_used_at"] is not None
        assert "key" not in listed

    def test_a_revoked_or_forged_key_is_refused(self, gw: World, key: dict[str, str]) -> None:
        revoked = gw.client.delete(f"/t/{gw.tenant_a}/api-keys/{key['id']}", headers=gw.animator_a)
        assert revoked.status_code == 204
        grant = gw.client.post("/auth/token", json={"api_key": key["key"]})
        assert grant.status_code == 401
        assert grant.json["code"] == "api_key_revoked"
        assert (
            gw.client.get(f"/t/{gw.tenant_a}/members", headers=bearer(key["key"])).status_code
            == 401
        )
        forged = key["key"][:-4] + "0000"
        assert gw.client.post("/auth/token", json={"api_key": forged}).status_code == 401
        assert gw.client.post("/auth/token", json={"api_key": "troc_nope"}).status_code == 401


def test_the_merged_openapi_document_of_the_real_gateway_is_valid(gw_client: FlaskClient) -> None:
    """The gateway's own spec plus the services' (unreachable here: known paths only)."""
    document = gw_client.get("/openapi.json").json
    assert_valid_openapi(document)
    body = document["paths"]["/auth/token"]["post"]["requestBody"]
    assert "application/json" in body["content"]
