"""Events published by the gateway, the authority for networks, tenants and members.

The network and the tenant a fact belongs to travel in the envelope (its ``network`` and
``tenant`` extensions, and the routing key), never inside ``data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from chassis.messages import event


@dataclass(frozen=True, kw_only=True, slots=True)
class Unit:
    """A network's unit of account (the Actif for Troc Actif): never hard-coded."""

    code: str
    name: str
    symbol: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Address:
    """A member's postal address, as invoices print it."""

    street: str
    postal_code: str
    city: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Commission:
    rate: Decimal  # percent of the invoiced amount, e.g. Decimal("5")
    charged_in: Literal["unit", "euro"]


@dataclass(frozen=True, kw_only=True, slots=True)
class MemberCategory:
    """A category of members of a network, with the credit limit (and maximum balance) a member
    of it gets at admission and gets back when a temporary credit limit expires."""

    slug: str
    name: str
    default_credit_limit: Decimal
    max_balance: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class MembershipFee:
    """A network's yearly membership fee: charged in its unit (a ledger transfer to the network's
    fee account) or in euros (a record the association collects outside the platform)."""

    amount: Decimal
    period: Literal["year"] = "year"
    charged_in: Literal["unit", "euro"] = "unit"
    #: ``admission`` (on the anniversary of each member's admission) or a date ``MM-DD``.
    due: str = "admission"
    #: Days a fee in euros may stay unpaid before the animators are told.
    grace_days: int = 30


@dataclass(frozen=True, kw_only=True, slots=True)
class NetworkSettings:
    """A network's settings, as every service keeps a copy of them."""

    slug: str
    name: str
    unit: Unit
    default_credit_limit: Decimal
    payment_modes: list[int]
    hold_expiry_days: int
    vat_settlement: Literal["unit", "euro"]
    commission: Commission
    buyer_acceptance_required: bool = True
    #: Days after which a published need expires unless its author sets another date.
    need_expiry_days: int = 90
    member_categories: list[MemberCategory] = field(default_factory=list)
    #: Manual transfers above this amount wait for a second animator (four eyes); None: off.
    manual_transfer_approval_threshold: Decimal | None = None
    membership_fee: MembershipFee | None = None
    #: Payments without an invoice: ``off``, ``request`` (payment requests by the seller only),
    #: ``both`` (requests, and direct payments by the buyer).
    direct_payments: Literal["off", "request", "both"] = "off"
    #: Payments without an invoice below this amount skip the animators' validation (0: none).
    direct_payments_validation_threshold: Decimal = Decimal(0)


@event("gateway", "network_created")
@dataclass(frozen=True, kw_only=True, slots=True)
class NetworkCreated(NetworkSettings):
    """A network was created with these settings."""


@event("gateway", "network_updated")
@dataclass(frozen=True, kw_only=True, slots=True)
class NetworkUpdated(NetworkSettings):
    """A network's settings changed: the whole new settings, not a difference."""


@dataclass(frozen=True, kw_only=True, slots=True)
class TenantSettings:
    """A tenant as every service keeps a copy of it."""

    slug: str
    name: str
    departments: list[str] = field(default_factory=list)
    #: ``closed``: the operator closed the tenant (logins refused, accounts frozen).
    status: Literal["active", "closed"] = "active"


@event("gateway", "tenant_created")
@dataclass(frozen=True, kw_only=True, slots=True)
class TenantCreated(TenantSettings):
    """A tenant (territorial association) was created in the envelope's network."""


@event("gateway", "tenant_updated")
@dataclass(frozen=True, kw_only=True, slots=True)
class TenantUpdated(TenantSettings):
    """A tenant's name or departments changed: the whole new settings (its slug never does)."""


@event("gateway", "member_admitted")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberAdmitted:
    member_id: UUID
    name: str
    siret: str
    department: str
    email: str
    vat_number: str | None = None
    credit_limit: Decimal | None = None  # None: the category's default, else the network's
    address: Address | None = None
    #: The slug of one of the network's ``member_categories``; None: no category.
    category: str | None = None
    #: The opening maximum balance (the category's); None: none, or the category's as known.
    max_balance: Decimal | None = None


@event("gateway", "member_updated")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberUpdated:
    member_id: UUID
    name: str
    siret: str
    department: str
    email: str
    vat_number: str | None = None
    address: Address | None = None
    category: str | None = None


@event("gateway", "member_suspended")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberSuspended:
    member_id: UUID
    reason: str = ""


@event("gateway", "member_reinstated")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberReinstated:
    member_id: UUID


@event("gateway", "member_left")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberLeft:
    member_id: UUID


@dataclass(frozen=True, kw_only=True, slots=True)
class FederationLinkSettings:
    """A link between two networks, as the ledgers keep a copy of it.

    ``rate``: units of ``network_b`` for one unit of ``network_a``; ``limit_a`` / ``limit_b``:
    how far each network's clearing account for the other may go below zero (its unit).
    """

    link_id: UUID
    network_a: str
    network_b: str
    rate: Decimal
    limit_a: Decimal
    limit_b: Decimal
    status: Literal["active", "suspended"] = "active"


@event("gateway", "federation_link_created")
@dataclass(frozen=True, kw_only=True, slots=True)
class FederationLinkCreated(FederationLinkSettings):
    """Two networks were linked: each ledger opens a clearing account for the other."""


@event("gateway", "federation_link_updated")
@dataclass(frozen=True, kw_only=True, slots=True)
class FederationLinkUpdated(FederationLinkSettings):
    """A link's limits, rate (for future trades) or status changed: the whole new settings."""


@dataclass(frozen=True, kw_only=True, slots=True)
class AccountLink:
    """A single-use link that lets a user choose a password (the notifications e-mail it).

    ``token`` is the secret of the link: the gateway keeps only its hash, the notifications
    put it in the e-mail and nowhere else. This event is never offered to webhooks nor to
    integrators' AMQP users (they read the ledger's, invoices' and listings' events only).
    """

    user_id: UUID
    email: str
    role: str
    token: str
    expires_at: datetime


@event("gateway", "password_reset_requested")
@dataclass(frozen=True, kw_only=True, slots=True)
class PasswordResetRequested(AccountLink):
    """A user asked for a password reset link (short-lived)."""


@event("gateway", "user_invited")
@dataclass(frozen=True, kw_only=True, slots=True)
class UserInvited(AccountLink):
    """An account was created without a password: its owner is invited to choose one."""

    tenant_name: str = ""


@event("gateway", "user_changed")
@dataclass(frozen=True, kw_only=True, slots=True)
class UserChanged:
    """A tenant's user was created or changed (role, state): the notifications keep who the
    animators are and where to write to them. Like the account links, never offered to
    webhooks nor to integrators' AMQP users."""

    user_id: UUID
    email: str
    role: str
    status: Literal["active", "disabled"]
    member_id: UUID | None = None
