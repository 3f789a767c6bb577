"""Who may see the invoices' service, and the pieces of answer its HTTP APIs share.

The invoices (``invoices.api``) and the payments and membership fees (``invoices.payments_api``)
judge their callers with the same roles: the animators and operators of a tenant are its staff,
members see their own, integrators read with the ``invoices:read`` scope. Each API keeps its own
rules of visibility (an invoice's draft, a payment's two tenants) on top of these.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, request

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR, Forbidden, Identity
from chassis.tenancy import require_tenant
from invoices.bootstrap import InvoicesApp
from invoices.domain.model import Party, Refusal


def invoices_app() -> InvoicesApp:
    app: InvoicesApp = current_app.extensions["invoices"]
    return app


def staff(identity: Identity) -> bool:
    return identity.has_role(ANIMATOR, OPERATOR)


def reader(tenant: str) -> Identity:
    """Animators, operators, members (their own), integrators with ``invoices:read``."""
    identity = require_tenant(tenant)
    if staff(identity) or identity.has_role(MEMBER):
        return identity
    if identity.has_role(INTEGRATOR) and identity.has_scope("invoices:read"):
        return identity
    raise Forbidden()


def member_of(identity: Identity) -> UUID | None:
    """The member a member's token speaks for (None for staff and API keys)."""
    if identity.has_role(MEMBER) and not staff(identity):
        return identity.member_id
    return None


def party_view(party: Party) -> dict[str, Any]:
    """A seller, buyer, payer or payee as the APIs show it."""
    return {
        "member_id": party.member_id,
        "tenant": party.tenant,
        "name": party.name,
        "siret": party.siret,
        "vat_number": party.vat_number,
        "address": party.address.as_dict() if party.address else None,
    }


def refusal_view(refusal: Refusal | None) -> dict[str, Any] | None:
    """The ledger's last refusal of a hold (an invoice's, a payment's), as the APIs show it."""
    return {"code": refusal.code, "reason": refusal.reason, "at": refusal.at} if refusal else None


def wants_csv() -> bool:
    """Whether the caller asked for CSV (``Accept: text/csv``) rather than JSON."""
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"
