"""Token tampering: a forged, altered, expired or misdirected token gets 401, at the gateway and at
each service called directly (every service verifies tokens itself: the gateway is not the only
wall). The control signs the same claims with the platform's real key and gets through, so each
401 is the verifier's doing and not a wrong path.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests

from chassis.keys import KeyStore, SigningKey

from .conftest import TENANT, Attack, problem_of


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return (
        jwt.get_unverified_header(token),
        jwt.decode(token, options={"verify_signature": False}),
        signature,
    )


def _keys(attack: Attack) -> KeyStore:
    return KeyStore(Path(attack.platform.env["TROC_VAR_DIR"]) / "keys")


def _animator_claims(attack: Attack) -> dict[str, Any]:
    token = attack.headers["animator"]["Authorization"].removeprefix("Bearer ")
    return _parts(token)[1]


def _fresh(claims: dict[str, Any], **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {**claims, "iat": now, "exp": now + 300, **changes}


def alg_none(attack: Attack) -> str:
    header, claims, _ = _parts(attack.headers["animator"]["Authorization"].split()[1])
    return f"{_b64({**header, 'alg': 'none'})}.{_b64(claims)}."


def wrong_key(attack: Attack) -> str:
    """Signed by a key of the attacker's, under the real key's id."""
    real = _keys(attack).active()
    forged = SigningKey.generate()
    return jwt.encode(
        _fresh(_animator_claims(attack)),
        forged.private_key,
        algorithm="EdDSA",
        headers={"kid": real.kid, "typ": "at+jwt"},
    )


def hmac_with_the_public_key(attack: Attack) -> str:
    """Algorithm confusion: HS256 keyed with the published public key."""
    real = _keys(attack).active()
    header = {"alg": "HS256", "kid": real.kid, "typ": "at+jwt"}
    signing_input = f"{_b64(header)}.{_b64(_fresh(_animator_claims(attack)))}"
    secret = json.dumps(real.public_jwk(), sort_keys=True).encode()
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _resigned_payload(attack: Attack, **changes: Any) -> str:
    """The real token's header and signature over changed claims."""
    token = attack.headers["animator"]["Authorization"].split()[1]
    header, _, signature = token.split(".")
    return f"{header}.{_b64({**_animator_claims(attack), **changes})}.{signature}"


def other_tenant(attack: Attack) -> str:
    return _resigned_payload(attack, tenant="fa-mgp")


def promoted_to_operator(attack: Attack) -> str:
    return _resigned_payload(attack, roles=["operator"], tenant=None)


def expired(attack: Attack) -> str:
    now = int(time.time())
    return _keys(attack).sign({**_animator_claims(attack), "iat": now - 7200, "exp": now - 3600})


def other_audience(attack: Attack) -> str:
    return _keys(attack).sign(_fresh(_animator_claims(attack), aud="another-platform"))


def other_issuer(attack: Attack) -> str:
    return _keys(attack).sign(_fresh(_animator_claims(attack), iss="https://evil.example"))


def without_expiry(attack: Attack) -> str:
    claims = _fresh(_animator_claims(attack))
    del claims["exp"]
    return _keys(attack).sign(claims)


def not_a_jwt(attack: Attack) -> str:
    return "a" * 40


def unknown_api_key(attack: Attack) -> str:
    header = attack.headers["integrator"]["Authorization"].split()[1]
    return header[:-6] + "AAAAAA"


FORGERIES: dict[str, Callable[[Attack], str]] = {
    "alg none": alg_none,
    "wrong key": wrong_key,
    "HS256 with the public key": hmac_with_the_public_key,
    "tenant changed": other_tenant,
    "roles changed": promoted_to_operator,
    "expired": expired,
    "other audience": other_audience,
    "other issuer": other_issuer,
    "no expiry": without_expiry,
    "not a JWT": not_a_jwt,
    "unknown API key": unknown_api_key,
}


def _targets(attack: Attack) -> dict[str, str]:
    """One read per service, through the gateway and directly at the service."""
    member = attack.members["member"]
    paths = {
        "gateway": "/me",
        "ledger": f"/t/{TENANT}/accounts/{member}",
        "listings": f"/t/{TENANT}/listings",
        "invoices": f"/t/{TENANT}/invoices",
        "notifications": f"/t/{TENANT}/webhooks",
    }
    urls = {f"{service} via gateway": f"{attack.url}{path}" for service, path in paths.items()}
    urls.update(
        {
            f"{service} directly": f"{attack.platform.urls[service]}{path}"
            for service, path in paths.items()
            if service != "gateway"
        }
    )
    return urls


def test_the_control_token_signed_with_the_real_key_gets_through(attack: Attack) -> None:
    token = _keys(attack).sign(_fresh(_animator_claims(attack)))
    for target, url in _targets(attack).items():
        response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert response.status_code == 200, (target, response.text)


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_tampered_token_gets_401_everywhere(attack: Attack, forgery: str) -> None:
    token = FORGERIES[forgery](attack)
    for target, url in _targets(attack).items():
        if target.endswith("directly") and forgery == "unknown API key":
            continue  # API keys are the gateway's; services only know JWTs (covered above)
        response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        problem = problem_of(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), target
        assert problem["code"] in {
            "invalid_token",
            "token_expired",
            "invalid_api_key",
            "unauthenticated",
        }, (target, problem)


@pytest.mark.parametrize(
    "scheme", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "bearer  " + "x" * 7000]
)
def test_odd_authorization_headers_get_401(attack: Attack, scheme: str) -> None:
    response = requests.get(
        f"{attack.url}/t/{TENANT}/invoices", headers={"Authorization": scheme}, timeout=30
    )
    problem_of(response, 401)
