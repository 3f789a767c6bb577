"""Use cases of the API keys: creation, listing, revocation, authentication.

A tenant's key (an animator's) reads that tenant; a network's key (the operator's) reads every
tenant of the network: its token carries the network and no tenant, and each service lets it
into a tenant only if that tenant belongs to the network."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from chassis.auth import INTEGRATOR, Identity
from gateway.db import UnitOfWork
from gateway.domain.apikeys import ApiKey, InvalidApiKey, NetworkApiKey, parse_api_key
from gateway.domain.model import Tenant
from gateway.errors import UnknownResource as NotFound
from gateway.service.audit import record
from gateway.service.common import (
    LAST_USE_RESOLUTION,
    Page,
    TokenPair,
    load_network,
    load_tenant,
)
from gateway.tokens import TokenIssuer

# --- API keys ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApiKeyView:
    key: ApiKey
    tenant: str
    plaintext: str | None = None


@dataclass(frozen=True, slots=True)
class NetworkApiKeyView:
    key: NetworkApiKey
    network: str
    plaintext: str | None = None


def _creator(actor: Identity) -> UUID | None:
    try:
        return UUID(actor.subject)
    except ValueError:
        return None


def create_api_key(
    uow: UnitOfWork,
    tenant_slug: str,
    *,
    name: str,
    scopes: list[str],
    actor: Identity,
    now: datetime,
) -> ApiKeyView:
    """Issue an integrator key for the tenant; the plaintext is returned this once only."""
    try:
        created_by = UUID(actor.subject)
    except ValueError:
        created_by = None
    with uow:
        tenant, _ = load_tenant(uow, tenant_slug)
        key, plaintext = ApiKey.issue(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            name=name,
            scopes=scopes,
            now=now,
            created_by=created_by,
        )
        uow.api_keys.add(key, tenant.slug)
        record(
            uow,
            actor,
            "api_key_created",
            "api_key",
            key.id,
            network=_net_slug(uow, tenant),
            tenant=tenant.slug,
            now=now,
            name=name,
            scopes=sorted(scopes),
        )
        uow.commit()
    return ApiKeyView(key, tenant.slug, plaintext)


def _net_slug(uow: UnitOfWork, tenant: Tenant) -> str | None:
    network = uow.networks.get(tenant.network_id)
    return network.slug if network else None


def list_api_keys(uow: UnitOfWork, tenant_slug: str, page: int, per_page: int) -> Page[ApiKeyView]:
    with uow:
        tenant, _ = load_tenant(uow, tenant_slug)
        keys, total = uow.api_keys.page(tenant.id, page, per_page)
        return Page([ApiKeyView(k, tenant.slug) for k in keys], total)


def revoke_api_key(
    uow: UnitOfWork,
    tenant_slug: str,
    key_uuid: UUID,
    *,
    now: datetime,
    actor: Identity | None = None,
) -> None:
    """Revoke a key for good (revoking twice keeps the first date)."""
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        key = uow.api_keys.get(key_uuid)
        if key is None or key.tenant_id != tenant.id:
            raise NotFound("API key")
        if key.revoked_at is None:
            record(
                uow,
                actor,
                "api_key_revoked",
                "api_key",
                key.id,
                network=network.slug,
                tenant=tenant.slug,
                now=now,
                name=key.name,
            )
        key.revoke(now)
        uow.api_keys.save(key)
        uow.commit()


def create_network_api_key(
    uow: UnitOfWork,
    network_slug: str,
    *,
    name: str,
    scopes: list[str],
    actor: Identity,
    now: datetime,
) -> NetworkApiKeyView:
    """Issue a key reading every tenant of the network; the plaintext is returned this once."""
    with uow:
        network = load_network(uow, network_slug)
        key, plaintext = NetworkApiKey.issue(
            id=uuid.uuid4(),
            network_id=network.id,
            name=name,
            scopes=scopes,
            now=now,
            created_by=_creator(actor),
        )
        uow.network_api_keys.add(key)
        record(
            uow,
            actor,
            "network_api_key_created",
            "api_key",
            key.id,
            network=network.slug,
            tenant=None,
            now=now,
            name=key.name,
            scopes=sorted(s.value for s in key.scopes),
        )
        uow.commit()
    return NetworkApiKeyView(key, network.slug, plaintext)


def list_network_api_keys(
    uow: UnitOfWork, network_slug: str, page: int, per_page: int
) -> Page[NetworkApiKeyView]:
    with uow:
        network = load_network(uow, network_slug)
        keys, total = uow.network_api_keys.page(network.id, page, per_page)
        return Page([NetworkApiKeyView(k, network.slug) for k in keys], total)


def revoke_network_api_key(
    uow: UnitOfWork, network_slug: str, key_uuid: UUID, *, actor: Identity, now: datetime
) -> None:
    """Revoke a network key for good (revoking twice keeps the first date, audited once)."""
    with uow:
        network = load_network(uow, network_slug)
        key = uow.network_api_keys.get(key_uuid)
        if key is None or key.network_id != network.id:
            raise NotFound("API key")
        if key.revoked_at is None:
            record(
                uow,
                actor,
                "network_api_key_revoked",
                "api_key",
                key.id,
                network=network.slug,
                tenant=None,
                now=now,
                name=key.name,
            )
        key.revoke(now)
        uow.network_api_keys.save(key)
        uow.commit()


def authenticate_api_key(uow: UnitOfWork, presented: str, *, now: datetime) -> Identity:
    """The integrator identity of a presented key, or ``InvalidApiKey``/``ApiKeyRevoked``."""
    parsed = parse_api_key(presented)
    with uow:
        key = uow.api_keys.by_key_id(parsed.key_id)
        if key is None:
            return _authenticate_network_key(uow, parsed.key_id, presented, now=now)
        previous_use = key.last_used_at
        key.authenticate(presented, now)
        tenant = uow.tenants.get(key.tenant_id)
        assert tenant is not None
        tenant.ensure_open()
        network = uow.networks.get(tenant.network_id)
        assert network is not None
        if previous_use is None or now - previous_use >= LAST_USE_RESOLUTION:
            uow.api_keys.save(key)
            uow.commit()
    return Identity(
        subject=f"apikey:{key.id}",
        roles=frozenset({INTEGRATOR}),
        tenant=tenant.slug,
        network=network.slug,
        scopes=frozenset(s.value for s in key.scopes),
    )


def _authenticate_network_key(
    uow: UnitOfWork, key_id: str, presented: str, *, now: datetime
) -> Identity:
    """The identity of a network key: the network, and no tenant (inside ``uow``)."""
    key = uow.network_api_keys.by_key_id(key_id)
    if key is None:
        raise InvalidApiKey()
    previous_use = key.last_used_at
    key.authenticate(presented, now)
    network = uow.networks.get(key.network_id)
    assert network is not None  # a foreign key
    if previous_use is None or now - previous_use >= LAST_USE_RESOLUTION:
        uow.network_api_keys.save(key)
        uow.commit()
    return Identity(
        subject=f"apikey:{key.id}",
        roles=frozenset({INTEGRATOR}),
        tenant=None,
        network=network.slug,
        scopes=frozenset(s.value for s in key.scopes),
    )


def network_of_tenant(uow: UnitOfWork, tenant_slug: str) -> str | None:
    """The network of an open tenant (``tenancy.TenantNetworks`` of the gateway's routes): a
    network key reaches no closed tenant, as a closed tenant's own keys are refused."""
    with uow:
        tenant = uow.tenants.by_slug(tenant_slug)
        if tenant is None or tenant.is_closed:
            return None
        network = uow.networks.get(tenant.network_id)
        return network.slug if network else None


def token_for_api_key(
    uow: UnitOfWork, presented: str, *, issuer: TokenIssuer, now: datetime
) -> TokenPair:
    """The client-credentials grant: a short-lived JWT for a valid key (no refresh token)."""
    identity = authenticate_api_key(uow, presented, now=now)
    access = issuer.access_token(identity, ttl=issuer.settings.api_key_token_ttl)
    return TokenPair(access.token, access.expires_in, scope=" ".join(sorted(identity.scopes)))
