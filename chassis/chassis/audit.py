"""A service's own audit log of staff actions: its table, how an entry is added and paged, and
the ``GET /audit`` endpoint the gateway merges every service's log from.

Each service records the staff actions it performs, from the token's subject, in its own
database and in the transaction of the change it records (an action that rolls back leaves no
entry). The gateway asks each service with the caller's token (``gateway.audit``) and fills in
the actors' e-mail addresses, which are its own. The ledger keeps its own copy of these pieces.

Imports the chassis only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from flask.views import MethodView
from flask_smorest import Blueprint  # type: ignore[import-untyped]
from marshmallow import Schema, fields, validate
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Engine,
    Index,
    MetaData,
    String,
    Table,
    Uuid,
    and_,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.orm import Session

from chassis.auth import ANIMATOR, INTEGRATOR, OPERATOR, Forbidden, Identity
from chassis.db import UTCDateTime, utcnow
from chassis.schemas import PageQuery
from chassis.tenancy import require_role, require_tenant


def audit_table(metadata: MetaData) -> Table:
    """Append-only: the staff actions the service performed (added and read, never changed)."""
    return Table(
        "audit_entries",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("network", String(40)),
        Column("tenant", String(64)),
        Column("actor_user_id", String(200), nullable=False),
        Column("actor_role", String(20), nullable=False),
        Column("action", String(64), nullable=False),
        Column("target_type", String(32), nullable=False),
        Column("target_id", String(64), nullable=False),
        Column("details", JSON, nullable=False),
        Index("ix_audit_entries_tenant_at", "tenant", "at"),
        Index("ix_audit_entries_at", "at"),
    )


def role_of(identity: Identity) -> str:
    """The role an entry names: the operator's, else the animator's, else the API key's."""
    for role in (OPERATOR, ANIMATOR, INTEGRATOR):
        if identity.has_role(role):
            return role
    return next(iter(identity.roles), "unknown")


def record_audit(
    executor: Connection | Session,
    table: Table,
    identity: Identity,
    *,
    action: str,
    target_type: str,
    target_id: Any,
    network: str | None,
    tenant: str | None,
    at: datetime | None = None,
    **details: Any,
) -> None:
    """Append an entry in the caller's transaction (that of the change it records)."""
    executor.execute(
        insert(table).values(
            id=uuid4(),
            at=at or utcnow(),
            network=network or None,
            tenant=tenant,
            actor_user_id=identity.subject,
            actor_role=role_of(identity),
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            details=json.loads(json.dumps(details, default=str)),
        )
    )


def audit_page(
    conn: Connection,
    table: Table,
    *,
    tenant: str | None,
    action: str | None,
    actor: str | None,
    since: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Entries newest first (one tenant's, or all), as the API shows them, and their count."""
    a = table.c
    cond = []
    if tenant is not None:
        cond.append(a.tenant == tenant)
    if action:
        cond.append(a.action == action)
    if actor:
        cond.append(a.actor_user_id == actor)
    if since is not None:
        cond.append(a.at >= since)
    where = and_(true(), *cond)
    total = conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
    rows = conn.execute(
        select(table).where(where).order_by(a.at.desc(), a.id.desc()).limit(limit).offset(offset)
    ).all()
    return [
        {
            "id": r.id,
            "at": r.at,
            "network": r.network,
            "tenant": r.tenant,
            "actor": {"user_id": r.actor_user_id, "email": None, "role": r.actor_role},
            "action": r.action,
            "target": {"type": r.target_type, "id": r.target_id},
            "details": dict(r.details or {}),
        }
        for r in rows
    ], int(total)


class AuditQuery(PageQuery):
    tenant = fields.String(load_default=None)
    action = fields.String(load_default=None)
    actor = fields.String(load_default=None)
    since = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    # The gateway pages the merged log: it asks each source for up to page x per_page entries.
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=5000))


class AuditEntrySchema(Schema):
    id = fields.UUID(required=True)
    at = fields.DateTime(required=True)
    actor = fields.Dict(required=True)
    action = fields.String(required=True)
    target = fields.Dict(required=True)
    network = fields.String(allow_none=True)
    tenant = fields.String(allow_none=True)
    details = fields.Dict(required=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


def audit_blueprint(service: str, engine: Callable[[], Engine], table: Table) -> Blueprint:
    """``GET /audit?tenant=…``: a tenant's entries (its animators, operators) or all (operators).

    Not a public path: the gateway asks it with the caller's own token.
    """
    blp = Blueprint(
        f"{service}_audit",
        __name__,
        description=f"The staff actions the {service} performed (for the gateway)",
    )

    @blp.route("/audit")
    class Audit(MethodView):
        @blp.arguments(AuditQuery(), location="query")  # type: ignore[untyped-decorator]
        @blp.response(200, AuditPageSchema())  # type: ignore[untyped-decorator]
        def get(self, query: dict[str, Any]) -> dict[str, Any]:
            """The service's audit entries, newest first: a tenant's (its animators) or all"""
            tenant = query["tenant"]
            if tenant is not None:
                if not require_tenant(tenant).has_role(ANIMATOR, OPERATOR):
                    raise Forbidden()
            else:
                require_role(OPERATOR)
            with engine().connect() as conn:
                items, total = audit_page(
                    conn,
                    table,
                    tenant=tenant,
                    action=query["action"],
                    actor=query["actor"],
                    since=query["since"],
                    limit=query["per_page"],
                    offset=(query["page"] - 1) * query["per_page"],
                )
            return {
                "items": items,
                "page": query["page"],
                "per_page": query["per_page"],
                "total": total,
            }

    return blp
