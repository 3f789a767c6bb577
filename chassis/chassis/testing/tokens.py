"""Token minting for tests: an in-memory Ed25519 key, its JWKS file, the ``token_factory`` fixture.

Register with ``pytest_plugins = ["chassis.testing.tokens"]``. Each factory has a fresh random
tenant and network, so tests never share data by accident.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import pytest

from chassis.auth import (
    INTEGRATOR,
    MEMBER,
    OPERATOR,
    TOKEN_TYPE,
    Identity,
    TokenVerifier,
    identity_claims,
)
from chassis.config import Settings
from chassis.keys import SigningKey, write_jwks


class _Default:
    """Marker for "use the factory's value" (``None`` means "no value")."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final = _Default()


class TokenFactory:
    """Mint tokens the chassis verifier accepts, for one random tenant and network."""

    def __init__(
        self,
        folder: Path,
        *,
        audience: str | None = None,
        issuer: str | None = None,
        tenant: str | None = None,
        network: str | None = None,
    ) -> None:
        defaults = Settings(service_name="test")
        self.audience = audience or defaults.jwt_audience
        self.issuer = issuer or defaults.jwt_issuer
        self.tenant = tenant or f"t-{uuid.uuid4().hex[:10]}"
        self.network = network or f"n-{uuid.uuid4().hex[:10]}"
        folder.mkdir(parents=True, exist_ok=True)
        self.jwks_path = folder / "jwks.json"
        self.key = SigningKey.generate()
        self.published: list[SigningKey] = [self.key]
        write_jwks(self.jwks_path, self.published)

    def rotate(self) -> SigningKey:
        """Sign with a new key from now on; the previous ones stay published."""
        self.key = SigningKey.generate()
        self.published.insert(0, self.key)
        write_jwks(self.jwks_path, self.published)
        return self.key

    def identity(
        self,
        role: str = MEMBER,
        *,
        roles: Iterable[str] | None = None,
        subject: str | None = None,
        tenant: str | None | _Default = DEFAULT,
        network: str | None | _Default = DEFAULT,
        member_id: uuid.UUID | None | _Default = DEFAULT,
        scopes: Iterable[str] = (),
    ) -> Identity:
        """The identity a token of ``role`` carries (operators get no tenant by default)."""
        role_set = frozenset(roles) if roles is not None else frozenset({role})
        operator_only = role_set == {OPERATOR}
        if isinstance(tenant, _Default):
            tenant = None if operator_only else self.tenant
        if isinstance(network, _Default):
            network = None if operator_only else self.network
        if isinstance(member_id, _Default):
            member_id = uuid.uuid4() if MEMBER in role_set else None
        if subject is None:
            prefix = "key" if INTEGRATOR in role_set else "user"
            subject = f"{prefix}-{uuid.uuid4().hex[:12]}"
        return Identity(
            subject=subject,
            roles=role_set,
            tenant=tenant,
            network=network,
            member_id=member_id,
            scopes=frozenset(scopes),
            token_id=uuid.uuid4().hex,
        )

    def mint(
        self,
        role: str = MEMBER,
        *,
        roles: Iterable[str] | None = None,
        subject: str | None = None,
        tenant: str | None | _Default = DEFAULT,
        network: str | None | _Default = DEFAULT,
        member_id: uuid.UUID | None | _Default = DEFAULT,
        scopes: Iterable[str] = (),
        expires_in: int = 300,
        audience: str | None = None,
        issuer: str | None = None,
        extra_claims: Mapping[str, Any] | None = None,
        drop_claims: Iterable[str] = (),
    ) -> str:
        """A signed access token; ``extra_claims``/``drop_claims`` build broken ones."""
        identity = self.identity(
            role,
            roles=roles,
            subject=subject,
            tenant=tenant,
            network=network,
            member_id=member_id,
            scopes=scopes,
        )
        return self.mint_for(
            identity,
            expires_in=expires_in,
            audience=audience,
            issuer=issuer,
            extra_claims=extra_claims,
            drop_claims=drop_claims,
        )

    def mint_for(
        self,
        identity: Identity,
        *,
        expires_in: int = 300,
        audience: str | None = None,
        issuer: str | None = None,
        extra_claims: Mapping[str, Any] | None = None,
        drop_claims: Iterable[str] = (),
    ) -> str:
        """A signed access token of an existing ``identity``."""
        claims = identity_claims(
            identity,
            issuer=issuer or self.issuer,
            audience=audience or self.audience,
            expires_in=expires_in,
        )
        claims.update(extra_claims or {})
        for name in drop_claims:
            claims.pop(name, None)
        return self.sign(claims)

    def sign(self, claims: Mapping[str, Any], *, token_type: str = TOKEN_TYPE) -> str:
        """Sign raw ``claims`` with the current key."""
        return self.key.sign(claims, token_type=token_type)

    def headers(self, role: str = MEMBER, **mint_options: Any) -> dict[str, str]:
        """``Authorization`` header of a fresh token (same options as :meth:`mint`)."""
        return {"Authorization": f"Bearer {self.mint(role, **mint_options)}"}

    def verifier(self, **options: Any) -> TokenVerifier:
        """A verifier trusting this factory's JWKS file (no refresh rate limit)."""
        options.setdefault("min_refresh_interval", 0.0)
        return TokenVerifier(self.jwks_path, self.audience, self.issuer, **options)

    def settings(self, settings: Settings | None = None, **overrides: Any) -> Settings:
        """``settings`` (or test settings) pointing at this factory's JWKS, audience and issuer."""
        base = settings or Settings(service_name="test", log_json=False)
        return dataclasses.replace(
            base,
            jwks=str(self.jwks_path),
            jwt_audience=self.audience,
            jwt_issuer=self.issuer,
            **overrides,
        )


@pytest.fixture
def token_factory(tmp_path: Path) -> TokenFactory:
    """A :class:`TokenFactory` with its JWKS under the test's ``tmp_path``."""
    return TokenFactory(tmp_path / "keys")
