"""Use cases of the networks and their tenants."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.model import (
    Network,
    Tenant,
)
from gateway.errors import Conflict
from gateway.service.common import Page, load_network, load_tenant, network_event

# --- networks and tenants ----------------------------------------------------------------------


def create_network(uow: UnitOfWork, data: Mapping[str, Any]) -> Network:
    """Create a network (operator) and announce it: the ledger learns its unit and limits."""
    network = Network.create(id=uuid.uuid4(), **data)
    with uow:
        if uow.networks.slug_taken(network.slug):
            raise Conflict("slug", f"a network named {network.slug!r} already exists")
        uow.networks.add(network)
        uow.emit(network_event(events.NetworkCreated, network), network=network.slug)
        uow.commit()
    return network


def update_network(uow: UnitOfWork, slug: str, changes: Mapping[str, Any]) -> Network:
    """Change a network's settings (never its slug) and announce the new settings."""
    with uow:
        network = load_network(uow, slug, lock=True).with_changes(**changes)
        uow.networks.save(network)
        uow.emit(network_event(events.NetworkUpdated, network), network=network.slug)
        uow.commit()
    return network


def get_network(uow: UnitOfWork, slug: str) -> Network:
    with uow:
        return load_network(uow, slug)


def list_networks(uow: UnitOfWork, page: int, per_page: int) -> Page[Network]:
    with uow:
        return Page(*uow.networks.page(page, per_page))


def create_tenant(uow: UnitOfWork, network_slug: str, data: Mapping[str, Any]) -> Tenant:
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
        uow.commit()
    return tenant


def list_tenants(uow: UnitOfWork, network_slug: str, page: int, per_page: int) -> Page[Tenant]:
    with uow:
        network = load_network(uow, network_slug)
        return Page(*uow.tenants.page(network.id, page, per_page))


def get_tenant(uow: UnitOfWork, slug: str) -> tuple[Tenant, Network]:
    with uow:
        return load_tenant(uow, slug)
