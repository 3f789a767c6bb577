"""Issuing tokens: the gateway is the platform's only token issuer.

Access tokens are EdDSA JWTs signed with the active key of the gateway's ``KeyStore`` (claims
built by ``chassis.auth.identity_claims``, so every service reads them alike). Refresh tokens are
opaque random strings; only their SHA-256 is stored (256 bits of entropy: a fast hash suffices).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from chassis.auth import Identity, identity_claims
from chassis.keys import KeyStore
from gateway.settings import GatewaySettings

REFRESH_TOKEN_PREFIX = "rt_"  # noqa: S105 - a marker telling refresh tokens apart, not a secret
#: Enrol-only tokens: their audience, and their life in seconds.
ENROLMENT_AUDIENCE_SUFFIX = ":totp-enrolment"
ENROLMENT_TTL = 900
#: The scope of the identity of an enrol-only token (it has no role at all).
ENROLMENT_SCOPE = "totp:enrol"


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_in: int


def hash_refresh_token(token: str) -> str:
    """The stored (and looked-up) form of a refresh token."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def new_refresh_token() -> str:
    return REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)


class TokenIssuer:
    """Signs access tokens for identities with the gateway's active key."""

    def __init__(self, keys: KeyStore, settings: GatewaySettings) -> None:
        self.keys = keys
        self.settings = settings

    @property
    def enrolment_audience(self) -> str:
        """The audience of enrol-only tokens: no service, nor the gateway's other routes,
        accepts it (they verify ``aud``)."""
        return f"{self.settings.jwt_audience}{ENROLMENT_AUDIENCE_SUFFIX}"

    def enrolment_token(self, identity: Identity) -> AccessToken:
        """A short token that only reaches the second-factor enrolment endpoints."""
        claims = identity_claims(
            identity,
            issuer=self.settings.jwt_issuer,
            audience=self.enrolment_audience,
            expires_in=ENROLMENT_TTL,
        )
        return AccessToken(self.keys.sign(claims), ENROLMENT_TTL)

    def access_token(self, identity: Identity, *, ttl: int | None = None) -> AccessToken:
        expires_in = ttl or self.settings.access_token_ttl
        claims = identity_claims(
            identity,
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            expires_in=expires_in,
        )
        return AccessToken(self.keys.sign(claims), expires_in)
