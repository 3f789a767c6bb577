"""Tenancy: the acting identity and tenant of the current request or message, guards, ORM net.

The HTTP edge sets :data:`current_identity`; workers enter :func:`tenant_scope`. Guards raise the
errors of :mod:`chassis.auth`; another tenant's resource is a 404, never a 403. The
``do_orm_execute`` hook of :func:`install_tenant_filter` is a safety net under the repositories'
explicit filters, after SQLAlchemy's ``filter_public`` example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

from sqlalchemy import String, event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)

from chassis.auth import (
    ANIMATOR,
    INTEGRATOR,
    OPERATOR,
    Forbidden,
    Identity,
    NotFound,
    TenantOutOfReach,
    Unauthenticated,
)

current_identity: ContextVar[Identity | None] = ContextVar("current_identity", default=None)
current_tenant: ContextVar[str | None] = ContextVar("current_tenant", default=None)

#: ``network_of(tenant)``: the network of a tenant as this service knows it (None: unknown).
TenantNetworks = Callable[[str], str | None]
#: The service's :data:`TenantNetworks`, set by the HTTP edge for each request: what lets a
#: network-scoped API key reach the tenants of its network (and only those).
current_tenant_networks: ContextVar[TenantNetworks | None] = ContextVar(
    "current_tenant_networks", default=None
)

#: Execution option that lets one statement read every tenant (cross-tenant jobs, operators).
ALL_TENANTS: Final = "all_tenants"


def require_identity() -> Identity:
    """The acting identity, or :class:`Unauthenticated`."""
    identity = current_identity.get()
    if identity is None:
        raise Unauthenticated()
    return identity


def active_tenant() -> str | None:
    """The tenant in force: an explicit :func:`tenant_scope`, else the identity's own tenant."""
    tenant = current_tenant.get()
    if tenant is not None:
        return tenant
    identity = current_identity.get()
    return None if identity is None else identity.tenant


@contextmanager
def identity_scope(identity: Identity | None) -> Iterator[Identity | None]:
    """Act as ``identity`` inside the block (tests, internal calls)."""
    token = current_identity.set(identity)
    try:
        yield identity
    finally:
        current_identity.reset(token)


@contextmanager
def tenant_scope(tenant: str) -> Iterator[str]:
    """Work inside ``tenant``; refused (404) if the acting identity cannot reach it."""
    identity = current_identity.get()
    if identity is not None and not identity.can_access_tenant(
        tenant, current_tenant_networks.get()
    ):
        raise NotFound()
    token = current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        current_tenant.reset(token)


def require_role(*roles: str) -> Identity:
    """The identity if it holds one of ``roles``, else :class:`Forbidden` (operators included)."""
    identity = require_identity()
    if not identity.has_role(*roles):
        raise Forbidden()
    return identity


def require_scope(scope: str) -> Identity:
    """The identity if it carries ``scope`` (API keys), else :class:`Forbidden`."""
    identity = require_identity()
    if scope not in identity.scopes:
        raise Forbidden("insufficient_scope", f"This action needs the '{scope}' scope.")
    return identity


def require_tenant(tenant_slug: str) -> Identity:
    """The identity if it may reach ``tenant_slug``, else a :class:`NotFound` revealing nothing."""
    identity = require_identity()
    if not identity.can_access_tenant(tenant_slug, current_tenant_networks.get()):
        if identity.is_network_key:
            raise TenantOutOfReach(tenant_slug)
        raise NotFound()
    return identity


def require_event_reader(tenant_slug: str) -> Identity:
    """Who reads a tenant's event logs: its animators, operators, integrators with
    ``events:read``; anyone else of the tenant is :class:`Forbidden`."""
    identity = require_tenant(tenant_slug)
    if identity.has_role(ANIMATOR, OPERATOR):
        return identity
    if identity.has_role(INTEGRATOR) and identity.has_scope("events:read"):
        return identity
    raise Forbidden()


class TenantScoped:
    """Mixin of tenant-owned models: the indexed ``tenant`` column the safety net filters on."""

    tenant: Mapped[str] = mapped_column(String(64), index=True, nullable=False)


def _filter_by_tenant(state: ORMExecuteState) -> None:
    # Relationship and column loads are skipped: with_loader_criteria propagates to them from
    # the statement that loaded the parent objects.
    if (
        not state.is_select
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get(ALL_TENANTS, False)
    ):
        return
    tenant = active_tenant()
    if tenant is None:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant == tenant,
            include_aliases=True,
        )
    )


def install_tenant_filter(target: sessionmaker[Any] | type[Session] | Session) -> None:
    """Filter ORM SELECTs of :class:`TenantScoped` models by the tenant in force.

    ``target`` is a ``sessionmaker``, a ``Session`` subclass or a session; installing twice is a
    no-op. Bypass for one statement with ``execution_options(all_tenants=True)``.
    """
    if not event.contains(target, "do_orm_execute", _filter_by_tenant):
        event.listen(target, "do_orm_execute", _filter_by_tenant)
