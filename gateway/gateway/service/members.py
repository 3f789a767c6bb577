"""Use cases of the member companies: admission (one or a CSV of them), changes, suspension,
reinstatement, leaving."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from chassis.auth import Identity
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.csv_import import parse_members_csv
from gateway.domain.model import (
    Member,
    MemberApplication,
)
from gateway.errors import ImportRefused
from gateway.service.audit import record
from gateway.service.common import (
    MemberView,
    Page,
    address_event,
    emit_admitted,
    load_member,
    load_tenant,
)

# --- members -----------------------------------------------------------------------------------


def admit_member(
    uow: UnitOfWork,
    tenant_slug: str,
    data: Mapping[str, Any],
    *,
    credit_limit: int | None,
    now: datetime,
    actor: Identity | None = None,
) -> MemberView:
    """Admit a company (animator): the ledger opens its account on ``member_admitted``."""
    data = dict(data)
    category = data.pop("category", None)
    application = MemberApplication.parse(**data)
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        taken = uow.members.sirets_in_network(network.id, among=[application.siret])
        member = Member.admit(
            application, id=uuid.uuid4(), tenant=tenant, existing_sirets=taken, now=now
        )
        member.category = network.ensure_category(category)
        uow.members.add(member, tenant.slug)
        emit_admitted(uow, member, tenant, network, credit_limit)
        record(
            uow,
            actor,
            "member_admitted",
            "member",
            member.id,
            network=network.slug,
            tenant=tenant.slug,
            now=now,
            name=member.name,
            siret=member.siret,
        )
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


def import_members(
    uow: UnitOfWork,
    tenant_slug: str,
    data: bytes | str,
    *,
    now: datetime,
    actor: Identity | None = None,
) -> list[MemberView]:
    """Admit every company of a CSV file, or nobody if any row is wrong (one transaction)."""
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        # Only the file's SIRETs are looked up among the network's, so that an import costs the
        # same in a network of 50,000 members as in a new one; a second reading reports the
        # taken ones, line by line.
        report = parse_members_csv(data, tenant=tenant, existing_sirets=())
        taken = uow.members.sirets_in_network(network.id, among=report.sirets)
        if taken:
            report = parse_members_csv(data, tenant=tenant, existing_sirets=taken)
        if not report.ok:
            raise ImportRefused(report)
        admitted = []
        for application in report.applications:
            member = Member.admit(
                application, id=uuid.uuid4(), tenant=tenant, existing_sirets=(), now=now
            )
            uow.members.add(member, tenant.slug)
            emit_admitted(uow, member, tenant, network, None)
            record(
                uow,
                actor,
                "member_admitted",
                "member",
                member.id,
                network=network.slug,
                tenant=tenant.slug,
                now=now,
                name=member.name,
                siret=member.siret,
                imported=True,
            )
            admitted.append(MemberView(member, tenant.slug, network.slug))
        uow.commit()
    return admitted


def get_member(uow: UnitOfWork, tenant_slug: str, member_id: UUID) -> MemberView:
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        return MemberView(load_member(uow, tenant, member_id), tenant.slug, network.slug)


def find_member(uow: UnitOfWork, tenant_slug: str, siret: str) -> MemberView | None:
    """The tenant's member with this SIRET, if any (the seed's idempotency)."""
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        member = uow.members.by_siret(network.id, siret)
        if member is None or member.tenant_id != tenant.id:
            return None
        return MemberView(member, tenant.slug, network.slug)


def list_members(
    uow: UnitOfWork,
    tenant_slug: str,
    *,
    network_wide: bool,
    status: str | None,
    page: int,
    per_page: int,
    updated_since: datetime | None = None,
) -> Page[MemberView]:
    """The tenant's members, or the whole network's directory (shared on purpose, §3)."""
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        if network_wide:
            members, total = uow.members.page(
                network_id=network.id,
                status=status,
                page=page,
                per_page=per_page,
                updated_since=updated_since,
            )
        else:
            members, total = uow.members.page(
                tenant_id=tenant.id,
                status=status,
                page=page,
                per_page=per_page,
                updated_since=updated_since,
            )
        slugs = uow.tenants.slugs(m.tenant_id for m in members)
        return Page([MemberView(m, slugs[m.tenant_id], network.slug) for m in members], total)


def update_member(
    uow: UnitOfWork,
    tenant_slug: str,
    member_id: UUID,
    changes: Mapping[str, Any],
    *,
    actor: Identity | None = None,
) -> MemberView:
    """Amend a member's details (not its SIRET); announce them if anything changed."""
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        member = load_member(uow, tenant, member_id, lock=True)
        before = _details(member)
        details = dict(changes)
        if "category" in details:
            category = network.ensure_category(details.pop("category"))
            member.ensure_has_not_left()
            member.category = category
        member.amend(tenant=tenant, **details)
        if _details(member) != before:
            uow.members.save(member)
            uow.emit(
                events.MemberUpdated(
                    member_id=member.id,
                    name=member.name,
                    siret=member.siret,
                    department=member.department,
                    email=member.email,
                    vat_number=member.vat_number,
                    address=address_event(member),
                    category=member.category,
                ),
                network=network.slug,
                tenant=tenant.slug,
                subject=str(member.id),
            )
            record(
                uow,
                actor,
                "member_updated",
                "member",
                member.id,
                network=network.slug,
                tenant=tenant.slug,
                changes=sorted(changes),
            )
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


def _details(member: Member) -> tuple[Any, ...]:
    return (
        member.name,
        member.vat_number,
        member.naf,
        member.address,
        member.department,
        member.email,
        member.phone,
        member.category,
    )


def change_member_status(
    uow: UnitOfWork,
    tenant_slug: str,
    member_id: UUID,
    action: str,
    *,
    now: datetime,
    reason: str = "",
    actor: Identity | None = None,
) -> MemberView:
    """Suspend, reinstate or record the departure of a member (``action``), and announce it.

    A member who leaves loses its users' access: their accounts are closed and their sessions
    revoked in the same transaction.
    """
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        member = load_member(uow, tenant, member_id, lock=True)
        where = {"network": network.slug, "tenant": tenant.slug, "subject": str(member.id)}
        if action == "suspend":
            member.suspend(now)
            uow.emit(events.MemberSuspended(member_id=member.id, reason=reason), **where)
        elif action == "reinstate":
            member.reinstate(now)
            uow.emit(events.MemberReinstated(member_id=member.id), **where)
        elif action == "leave":
            member.leave(now)
            for user in uow.users.of_member(member.id):
                user.deactivate()
                uow.users.save(user)
                uow.refresh_tokens.revoke_for_user(user.id, now)
            uow.emit(events.MemberLeft(member_id=member.id), **where)
        else:
            raise ValueError(f"unknown member action {action!r}")
        uow.members.save(member)
        record(
            uow,
            actor,
            MEMBER_STATUS_ACTIONS[action],
            "member",
            member.id,
            network=network.slug,
            tenant=tenant.slug,
            now=now,
            reason=reason,
        )
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


#: The audit action of each member status change.
MEMBER_STATUS_ACTIONS: dict[str, str] = {
    "suspend": "member_suspended",
    "reinstate": "member_reinstated",
    "leave": "member_left",
}
