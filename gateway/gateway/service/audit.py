"""The gateway's audit log: the entry each staff action appends in its own unit of work, and
the reading of the log (its filters by actor, the actors' e-mail addresses)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from chassis.auth import INTEGRATOR, Identity
from chassis.db import utcnow
from gateway.db import UnitOfWork
from gateway.domain.audit import SYSTEM, Actor, AuditEntry
from gateway.domain.identifiers import normalize_email
from gateway.service.common import Page, load_tenant, subject_id

# --- the audit log -----------------------------------------------------------------------------


def actor_of(uow: UnitOfWork, identity: Identity | None) -> Actor:
    """The actor of an audit entry: the token's user (its e-mail from the directory)."""
    if identity is None:
        return Actor.system()
    user_id = subject_id(identity)
    role = next(
        (r for r in ("operator", "animator", "member", INTEGRATOR) if r in identity.roles), SYSTEM
    )
    user = uow.users.get(user_id) if user_id is not None else None
    return Actor(identity.subject, user.email if user else None, role)


def record(
    uow: UnitOfWork,
    actor: Identity | None,
    action: str,
    target_type: str,
    target_id: Any,
    *,
    network: str | None,
    tenant: str | None,
    now: datetime | None = None,
    **details: Any,
) -> None:
    """Append an audit entry in the unit of work of the change it records."""
    uow.audit.add(
        AuditEntry(
            id=uuid.uuid4(),
            at=now or utcnow(),
            actor=actor_of(uow, actor),
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            network=network,
            tenant=tenant,
            details={k: _plain(v) for k, v in details.items()},
        )
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, frozenset, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def audit_log(
    uow: UnitOfWork,
    *,
    tenant_slug: str | None,
    action: str | None,
    actor: str | None,
    since: datetime | None,
    limit: int,
    offset: int = 0,
) -> Page[AuditEntry]:
    """The gateway's audit entries, newest first: one tenant's, or (None) the deployment's."""
    with uow:
        if tenant_slug is not None:
            load_tenant(uow, tenant_slug)
        items, total = uow.audit.newest(
            tenant=tenant_slug,
            action=action,
            actor=actor,
            since=since,
            limit=limit,
            offset=offset,
        )
        return Page(items, total)


def actor_key(uow: UnitOfWork, actor: str | None) -> str | None:
    """An audit ``actor`` filter as every source knows it: an e-mail becomes its user's id."""
    if not actor or "@" not in actor:
        return actor
    with uow:
        user = uow.users.by_email(normalize_email(actor))
    return str(user.id) if user is not None else actor


def user_emails(uow: UnitOfWork, user_ids: Iterable[str]) -> dict[str, str]:
    """The e-mail addresses of users by id (ids that are not users' are left out)."""
    ids = []
    for raw in user_ids:
        try:
            ids.append(UUID(raw))
        except ValueError:
            continue
    with uow:
        return {str(k): v for k, v in uow.users.emails_of(ids).items()}
