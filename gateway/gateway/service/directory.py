"""Use cases of the networks and their tenants."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from chassis.auth import Identity
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.model import (
    Network,
    Tenant,
)
from gateway.errors import Conflict
from gateway.errors import UnknownResource as NotFound
from gateway.service.audit import record
from gateway.service.common import Page, load_network, load_tenant, network_event

# --- networks and tenants ----------------------------------------------------------------------


def create_network(
    uow: UnitOfWork, data: Mapping[str, Any], *, actor: Identity | None = None
) -> Network:
    """Create a network (operator) and announce it: the ledger learns its unit and limits."""
    network = Network.create(id=uuid.uuid4(), **data)
    with uow:
        if uow.networks.slug_taken(network.slug):
            raise Conflict("slug", f"a network named {network.slug!r} already exists")
        uow.networks.add(network)
        uow.emit(network_event(events.NetworkCreated, network), network=network.slug)
        record(
            uow,
            actor,
            "network_created",
            "network",
            network.slug,
            network=network.slug,
            tenant=None,
            name=network.name,
        )
        uow.commit()
    return network


def update_network(
    uow: UnitOfWork, slug: str, changes: Mapping[str, Any], *, actor: Identity | None = None
) -> Network:
    """Change a network's settings (never its slug) and announce the new settings."""
    with uow:
        network = load_network(uow, slug, lock=True).with_changes(**changes)
        uow.networks.save(network)
        uow.emit(network_event(events.NetworkUpdated, network), network=network.slug)
        record(
            uow,
            actor,
            "network_updated",
            "network",
            network.slug,
            network=network.slug,
            tenant=None,
            changes=dict(changes),
        )
        uow.commit()
    return network


def get_network(uow: UnitOfWork, slug: str) -> Network:
    with uow:
        return load_network(uow, slug)


def list_networks(uow: UnitOfWork, page: int, per_page: int) -> Page[Network]:
    with uow:
        return Page(*uow.networks.page(page, per_page))


def create_tenant(
    uow: UnitOfWork, network_slug: str, data: Mapping[str, Any], *, actor: Identity | None = None
) -> Tenant:
    """Create a territorial association in a network; its slug is unique in the deployment."""
    with uow:
        network = load_network(uow, network_slug)
        tenant = Tenant(
            id=uuid.uuid4(),
            network_id=network.id,
            slug=data.get("slug"),  # type: ignore[arg-type]
            name=data.get("name"),
            departments=data.get("departments"),  # type: ignore[arg-type]
            contact=data.get("contact"),
        )
        if uow.tenants.slug_taken(tenant.slug):
            raise Conflict("slug", f"a tenant named {tenant.slug!r} already exists")
        uow.tenants.add(tenant)
        uow.emit(
            events.TenantCreated(
                slug=tenant.slug, name=tenant.name, departments=list(tenant.departments)
            ),
            network=network.slug,
            tenant=tenant.slug,
        )
        record(
            uow,
            actor,
            "tenant_created",
            "tenant",
            tenant.slug,
            network=network.slug,
            tenant=tenant.slug,
            name=tenant.name,
            departments=list(tenant.departments),
        )
        uow.commit()
    return tenant


def list_tenants(uow: UnitOfWork, network_slug: str, page: int, per_page: int) -> Page[Tenant]:
    with uow:
        network = load_network(uow, network_slug)
        return Page(*uow.tenants.page(network.id, page, per_page))


def network_tenant(uow: UnitOfWork, network_slug: str, tenant_slug: str) -> Tenant:
    """A tenant of a network (a tenant of another network is not found)."""
    with uow:
        network = load_network(uow, network_slug)
        tenant = uow.tenants.by_slug(tenant_slug)
        if tenant is None or tenant.network_id != network.id:
            raise NotFound("tenant")
        return tenant


def update_tenant(
    uow: UnitOfWork,
    network_slug: str,
    tenant_slug: str,
    changes: Mapping[str, Any],
    *,
    actor: Identity | None = None,
) -> Tenant:
    """Change a tenant's name, departments or contact (never its slug); announce the settings
    the other services keep a copy of."""
    with uow:
        network = load_network(uow, network_slug)
        current = uow.tenants.by_slug(tenant_slug)
        if current is None or current.network_id != network.id:
            raise NotFound("tenant")
        values: dict[str, Any] = {
            "name": current.name,
            "departments": current.departments,
            "contact": current.contact,
        }
        values.update({k: v for k, v in changes.items() if k in values})
        tenant = Tenant(
            id=current.id,
            network_id=current.network_id,
            slug=current.slug,
            status=current.status,
            closed_at=current.closed_at,
            **values,
        )
        if tenant == current:
            return tenant
        uow.tenants.save(tenant)
        uow.emit(
            events.TenantUpdated(
                slug=tenant.slug,
                name=tenant.name,
                departments=list(tenant.departments),
                status=tenant.status.value,
            ),
            network=network.slug,
            tenant=tenant.slug,
        )
        record(
            uow,
            actor,
            "tenant_updated",
            "tenant",
            tenant.slug,
            network=network.slug,
            tenant=tenant.slug,
            changes=sorted(k for k in changes if k in values),
        )
        uow.commit()
    return tenant


def get_tenant(uow: UnitOfWork, slug: str) -> tuple[Tenant, Network]:
    with uow:
        return load_tenant(uow, slug)
