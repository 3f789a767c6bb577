"""The gateway's settings (token lifetimes, upload and rate limits) and its token issuer."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from chassis.auth import Identity, TokenVerifier
from chassis.config import ConfigError, Settings
from chassis.keys import KeyStore
from gateway.ratelimit import RateLimits, RatePolicy
from gateway.settings import GatewaySettings
from gateway.tokens import TokenIssuer, hash_refresh_token, new_refresh_token


def test_defaults_and_environment(tmp_path: Path) -> None:
    defaults = GatewaySettings.from_env(environ={"TROC_VAR_DIR": str(tmp_path)})
    assert defaults.service_name == "gateway"
    assert (defaults.access_token_ttl, defaults.refresh_token_ttl) == (900, 30 * 24 * 3600)
    assert defaults.jwks == str(tmp_path.resolve() / "keys" / "jwks.json")
    tuned = GatewaySettings.from_env(
        environ={
            "TROC_VAR_DIR": str(tmp_path),
            "TROC_ACCESS_TOKEN_TTL": "60",
            "TROC_API_KEY_TOKEN_TTL": "120",
            "TROC_IMPORT_MAX_BYTES": "2048",
        }
    )
    assert (tuned.access_token_ttl, tuned.api_key_token_ttl, tuned.import_max_bytes) == (
        60,
        120,
        2048,
    )
    with pytest.raises(ConfigError, match="TROC_ACCESS_TOKEN_TTL"):
        GatewaySettings.from_env(environ={"TROC_ACCESS_TOKEN_TTL": "soon"})
    with pytest.raises(ConfigError, match=">= 30"):
        GatewaySettings.from_env(environ={"TROC_ACCESS_TOKEN_TTL": "5"})


def test_rate_limits_from_the_environment(tmp_path: Path) -> None:
    assert GatewaySettings.from_env(environ={}).rate_limits == RateLimits()
    tuned = GatewaySettings.from_env(
        environ={
            "TROC_RATE_LIMIT_USER": "100/200",
            "TROC_RATE_LIMIT_API_KEY": "5/10",
            "TROC_RATE_LIMIT_LOGIN": "1/30",
            "TROC_RATE_LIMITS": "1",
        }
    ).rate_limits
    assert (tuned.user, tuned.api_key, tuned.login, tuned.enabled) == (
        RatePolicy(100, 200),
        RatePolicy(5, 10),
        RatePolicy(1, 30),
        True,
    )
    assert not GatewaySettings.from_env(environ={"TROC_RATE_LIMITS": "0"}).rate_limits.enabled
    with pytest.raises(ConfigError, match="TROC_RATE_LIMIT_USER"):
        GatewaySettings.from_env(environ={"TROC_RATE_LIMIT_USER": "fast"})


def test_plain_settings_become_gateway_settings() -> None:
    plain = Settings(service_name="gateway", jwt_audience="aud", demo_password="x")
    settings = GatewaySettings.of(plain)
    assert isinstance(settings, GatewaySettings)
    assert (settings.jwt_audience, settings.demo_password) == ("aud", "x")
    assert settings.access_token_ttl == 900
    assert GatewaySettings.of(settings) is settings


def test_issued_tokens_verify_with_the_published_keys(tmp_path: Path) -> None:
    settings = GatewaySettings(service_name="gateway", var_dir=tmp_path, access_token_ttl=120)
    keys = KeyStore(tmp_path / "keys")
    keys.ensure()
    member = uuid.uuid4()
    identity = Identity(
        subject="u1",
        roles=frozenset({"member"}),
        tenant="pie",
        network="troc-actif",
        member_id=member,
    )
    access = TokenIssuer(keys, settings).access_token(identity)
    assert access.expires_in == 120
    verified = TokenVerifier(keys.jwks_path, settings.jwt_audience, settings.jwt_issuer).verify(
        access.token
    )
    assert (verified.tenant, verified.network, verified.member_id) == ("pie", "troc-actif", member)


def test_refresh_tokens_are_random_and_stored_hashed() -> None:
    first, second = new_refresh_token(), new_refresh_token()
    assert first != second and first.startswith("rt_")
    assert hash_refresh_token(first) == hash_refresh_token(f" {first} ")
    assert first not in hash_refresh_token(first)
