"""The gateway's directory: networks, tenants, members and users, with the rules that guard them.

Standard library (and the sibling domain modules) only; no Flask, no SQLAlchemy. Money is integer
cents, rates are `Decimal` percents. Constructors validate and normalise their fields and raise
`ValidationErrors` naming every bad field at once; the `create`/`parse` class methods take raw
API or CSV values.

One module per aggregate (``network``, ``tenant``, ``member``, ``user``) over ``fields``, the
shared enumerations and the field checks they are built from."""

from __future__ import annotations

from gateway.domain.model.fields import (
    MAX_CENTS,
    PAYMENT_MODES,
    USER_ROLES,
    ChargedIn,
    MemberStatus,
    Role,
    VatSettlement,
)
from gateway.domain.model.member import Address, Member, MemberApplication, ensure_siret_not_taken
from gateway.domain.model.network import Commission, MemberCategory, MembershipFee, Network, Unit
from gateway.domain.model.tenant import Contact, Tenant, TenantClosed, TenantStatus
from gateway.domain.model.user import User

__all__ = [
    "MAX_CENTS",
    "PAYMENT_MODES",
    "USER_ROLES",
    "Address",
    "ChargedIn",
    "Commission",
    "MembershipFee",
    "Contact",
    "Member",
    "MemberApplication",
    "MemberCategory",
    "MemberStatus",
    "Network",
    "Role",
    "Tenant",
    "TenantClosed",
    "TenantStatus",
    "Unit",
    "User",
    "VatSettlement",
    "ensure_siret_not_taken",
]
