"""Use cases of the links between networks (the operator's): create, change, read.

Each change is announced (``federation_link_created`` / ``federation_link_updated``, the whole
link): each network's ledger opens, or adjusts, its clearing account for the partner.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from chassis.auth import Identity
from chassis.db import utcnow
from chassis.money import to_decimal
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.errors import ValidationError, ValidationErrors
from gateway.domain.model.federation import FederationLink
from gateway.errors import Conflict
from gateway.errors import UnknownResource as NotFound
from gateway.service.audit import record
from gateway.service.common import Page


def _event(cls: type[Any], link: FederationLink) -> Any:
    return cls(
        link_id=link.id,
        network_a=link.network_a,
        network_b=link.network_b,
        rate=link.rate,
        limit_a=to_decimal(link.limit_a),
        limit_b=to_decimal(link.limit_b),
        status=link.status.value,
    )


def create_link(
    uow: UnitOfWork, data: Mapping[str, Any], *, actor: Identity | None = None
) -> FederationLink:
    """Link two networks of the deployment (one link per pair of networks)."""
    link = FederationLink.create(
        id=uuid.uuid4(),
        network_a=data["network_a"],
        network_b=data["network_b"],
        rate=data["rate"],
        limit_a=data["limit_a"],
        limit_b=data["limit_b"],
        now=utcnow(),
    )
    with uow:
        unknown = [
            ValidationError(field, "unknown_network", f"no network named {slug!r}")
            for field, slug in (("network_a", link.network_a), ("network_b", link.network_b))
            if uow.networks.by_slug(slug) is None
        ]
        if unknown:
            raise ValidationErrors(unknown)
        if uow.links.between(link.network_a, link.network_b) is not None:
            raise Conflict("network_b", "these two networks are already linked")
        uow.links.add(link)
        uow.emit(_event(events.FederationLinkCreated, link), network=link.network_a)
        record(
            uow,
            actor,
            "federation_link_created",
            "federation_link",
            link.id,
            network=link.network_a,
            tenant=None,
            network_b=link.network_b,
            rate=str(link.rate),
            limit_a=link.limit_a,
            limit_b=link.limit_b,
        )
        uow.commit()
    return link


def update_link(
    uow: UnitOfWork, link_id: UUID, changes: Mapping[str, Any], *, actor: Identity | None = None
) -> FederationLink:
    """Change a link's limits, its rate (trades already started keep theirs) or its status."""
    with uow:
        link = uow.links.get(link_id, lock=True)
        if link is None:
            raise NotFound("federation link")
        link = link.with_changes(dict(changes), utcnow())
        uow.links.save(link)
        uow.emit(_event(events.FederationLinkUpdated, link), network=link.network_a)
        record(
            uow,
            actor,
            "federation_link_updated",
            "federation_link",
            link.id,
            network=link.network_a,
            tenant=None,
            changes={k: str(v) for k, v in changes.items()},
        )
        uow.commit()
    return link


def get_link(uow: UnitOfWork, link_id: UUID) -> FederationLink:
    with uow:
        link = uow.links.get(link_id)
    if link is None:
        raise NotFound("federation link")
    return link


def list_links(uow: UnitOfWork, page: int, per_page: int) -> Page[FederationLink]:
    with uow:
        return Page(*uow.links.page(page, per_page))


def network_links(uow: UnitOfWork, tenant_slug: str) -> list[tuple[FederationLink, str, str, str]]:
    """The links of a tenant's network: each link, the network's slug, and the partner's name
    and unit name (its slug and « unité » for a partner no longer known)."""
    with uow:
        tenant = uow.tenants.by_slug(tenant_slug)
        network = uow.networks.get(tenant.network_id) if tenant is not None else None
        if network is None:
            raise NotFound("tenant")
        found = []
        for link in uow.links.of_network(network.slug):
            partner_slug = link.network_b if link.network_a == network.slug else link.network_a
            partner = uow.networks.by_slug(partner_slug)
            name, unit = (partner.name, partner.unit.name) if partner else (partner_slug, "unité")
            found.append((link, network.slug, name, unit))
    return found
