"""Use cases of the operator's changes of tenancy: closing (and reopening) a tenant, and moving
a member to another tenant of its network.

The ledger keeps the money side of both (frozen accounts, the account's tenant); it is asked
first, over HTTP with the operator's token (``LedgerTenancy``), inside the gateway's unit of
work: if it refuses or does not answer, nothing of the gateway changes. Both calls are
idempotent on the ledger's side, so a change the gateway failed to commit after the ledger
applied it is completed by doing it again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from chassis.auth import Identity
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.model import Tenant, TenantStatus
from gateway.errors import Conflict, Unprocessable
from gateway.errors import UnknownResource as NotFound
from gateway.service.audit import record
from gateway.service.common import MemberView, address_event, load_member, load_network


class LedgerTenancy(Protocol):
    """What the gateway asks the ledger when tenancy changes (``gateway.ledger_client``)."""

    def set_tenant_status(self, tenant: str, status: str, network: str) -> None: ...

    def move_account(self, member_id: UUID, from_tenant: str, to_tenant: str) -> None: ...


def set_tenant_status(
    uow: UnitOfWork,
    network_slug: str,
    tenant_slug: str,
    status: str,
    *,
    ledger: LedgerTenancy,
    now: datetime,
    actor: Identity | None = None,
) -> Tenant:
    """Close a tenant (its users cannot sign in or refresh, its API keys stop working, its
    members' accounts are frozen in the ledger; nothing is deleted) or reopen it."""
    with uow:
        network = load_network(uow, network_slug)
        current = uow.tenants.by_slug(tenant_slug)
        if current is None or current.network_id != network.id:
            raise NotFound("tenant")
        tenant = current.with_status(status, now)
        # Asked even when the status is unchanged: it completes a change half made before.
        ledger.set_tenant_status(tenant.slug, tenant.status.value, network.slug)
        if tenant == current:
            return tenant
        uow.tenants.save(tenant)
        closed = tenant.status is TenantStatus.CLOSED
        if closed:
            # Signed-in sessions end with their access token: no refresh token survives.
            for user_id in uow.users.ids_of_tenant(tenant.id):
                uow.refresh_tokens.revoke_for_user(user_id, now)
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
            "tenant_closed" if closed else "tenant_reopened",
            "tenant",
            tenant.slug,
            network=network.slug,
            tenant=tenant.slug,
            now=now,
        )
        uow.commit()
    return tenant


def move_member(
    uow: UnitOfWork,
    tenant_slug: str,
    member_id: UUID,
    target_slug: str,
    *,
    ledger: LedgerTenancy,
    now: datetime,
    actor: Identity | None = None,
) -> MemberView:
    """Move a member, its users and its ledger account to another tenant of the same network.

    Refused for an unknown tenant, another network's (422, field ``tenant``), a closed one
    (409 ``tenant_closed``), and by the ledger while a hold on the account is pending (409
    ``member_busy``: invoices in flight settle first, where they were accepted). The listings
    and invoices services' copies follow through ``member_updated``, published in the new
    tenant. Both tenants' audit logs record the move.
    """
    with uow:
        source = uow.tenants.by_slug(tenant_slug)
        if source is None:
            raise NotFound("tenant")
        member = load_member(uow, source, member_id, lock=True)
        target = uow.tenants.by_slug(target_slug)
        if target is None:
            raise Unprocessable("tenant", "unknown_tenant", f"no tenant named {target_slug!r}")
        if target.network_id != source.network_id:
            raise Unprocessable(
                "tenant", "cross_network", "a member moves only within its own network"
            )
        if target.id == source.id:
            raise Unprocessable("tenant", "same_tenant", "the member already is in this tenant")
        if target.is_closed:
            raise Conflict("tenant", f"{target.name} is closed", code="tenant_closed")
        network = uow.networks.get(source.network_id)
        assert network is not None  # a foreign key
        ledger.move_account(member.id, source.slug, target.slug)
        member.move_to(target.id, now)
        uow.members.move(member, target.slug)
        users = uow.users.move_member_users(member.id, target.id, target.slug)
        uow.emit(
            events.MemberUpdated(
                member_id=member.id,
                name=member.name,
                siret=member.siret,
                department=member.department,
                email=member.email,
                vat_number=member.vat_number,
                address=address_event(member),
            ),
            network=network.slug,
            tenant=target.slug,
            subject=str(member.id),
        )
        for tenant in (source, target):
            record(
                uow,
                actor,
                "member_moved",
                "member",
                member.id,
                network=network.slug,
                tenant=tenant.slug,
                now=now,
                name=member.name,
                from_tenant=source.slug,
                to_tenant=target.slug,
                users=len(users),
            )
        uow.commit()
    return MemberView(member, target.slug, network.slug)
