"""The gateway's settings: the chassis ``Settings`` plus token lifetimes, upload and rate limits.

Like the chassis, this module is the only gateway code that reads ``TROC_*`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from chassis.config import ConfigError, Settings, bool_setting, int_setting
from gateway.proxies import LOOPBACK, TrustedProxies
from gateway.ratelimit import RateLimits, RatePolicy

SERVICE = "gateway"


@dataclass(frozen=True, kw_only=True)
class GatewaySettings(Settings):
    """Settings of a gateway process."""

    service: ClassVar[str] = SERVICE

    #: Lifetime of an access token (seconds): short, since a JWT cannot be recalled.
    access_token_ttl: int = 900
    #: Lifetime of a refresh token (seconds): a month of "remember me".
    refresh_token_ttl: int = 30 * 24 * 3600
    #: Lifetime of the JWT minted for an API key (seconds).
    api_key_token_ttl: int = 300
    #: Largest members CSV accepted by the import (bytes).
    import_max_bytes: int = 1024 * 1024
    #: Token buckets of the public entry point (``TROC_RATE_LIMIT_USER``, ``..._API_KEY``,
    #: ``..._LOGIN``, each ``"<rate per second>/<burst>"``; ``TROC_RATE_LIMITS=0`` turns them off).
    rate_limits: RateLimits = field(default_factory=RateLimits)
    #: Key signing the web application's session cookies (``TROC_WEB_SECRET_KEY``); empty: one
    #: is generated once and kept under the var folder, so every worker process agrees on it.
    web_secret_key: str = ""
    #: Send the session cookie over HTTPS only (``TROC_WEB_COOKIE_SECURE``): set it behind TLS.
    web_cookie_secure: bool = False
    #: Peers whose ``X-Forwarded-For`` names the client (``TROC_TRUSTED_PROXIES``, CIDRs, comma
    #: separated; empty: none). Default: the loopback, where the web pages call the API from.
    trusted_proxies: TrustedProxies = field(default_factory=lambda: TrustedProxies.parse(LOOPBACK))

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {
            "access_token_ttl": int_setting(env, "TROC_ACCESS_TOKEN_TTL", 900, minimum=30),
            "refresh_token_ttl": int_setting(
                env, "TROC_REFRESH_TOKEN_TTL", 30 * 24 * 3600, minimum=60
            ),
            "api_key_token_ttl": int_setting(env, "TROC_API_KEY_TOKEN_TTL", 300, minimum=30),
            "import_max_bytes": int_setting(
                env, "TROC_IMPORT_MAX_BYTES", 1024 * 1024, minimum=1024
            ),
            "rate_limits": _rate_limits(env),
            "web_secret_key": env.get("TROC_WEB_SECRET_KEY", ""),
            "web_cookie_secure": bool_setting(env, "TROC_WEB_COOKIE_SECURE", False),
            "trusted_proxies": _trusted_proxies(env),
        }


def _trusted_proxies(env: Mapping[str, str]) -> TrustedProxies:
    try:
        return TrustedProxies.parse(env.get("TROC_TRUSTED_PROXIES", LOOPBACK))
    except ValueError as exc:
        raise ConfigError(f"TROC_TRUSTED_PROXIES: {exc}") from None


def _rate_limits(env: Mapping[str, str]) -> RateLimits:
    defaults = RateLimits()

    def policy(name: str, default: RatePolicy) -> RatePolicy:
        raw = env.get(name)
        if not raw:
            return default
        try:
            return RatePolicy.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{name}: {exc}") from None

    return RateLimits(
        user=policy("TROC_RATE_LIMIT_USER", defaults.user),
        api_key=policy("TROC_RATE_LIMIT_API_KEY", defaults.api_key),
        login=policy("TROC_RATE_LIMIT_LOGIN", defaults.login),
        enabled=bool_setting(env, "TROC_RATE_LIMITS", True),
    )
