"""What the gateway's use cases share: the views they answer with, the loading of networks,
tenants and members, and the events they build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID

from chassis.auth import Identity
from chassis.money import to_decimal
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.model import (
    Member,
    Network,
    Tenant,
    User,
)
from gateway.domain.reset import IssuedResetToken
from gateway.errors import UnknownResource as NotFound

T = TypeVar("T")

#: A key's last use is written at most this often: not one database write per API call.
LAST_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret
    totp_enrolment_required: bool = False


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member with the slugs it is known by outside the gateway."""

    member: Member
    tenant: str
    network: str


@dataclass(frozen=True, slots=True)
class UserView:
    user: User
    tenant: str | None
    network: str | None
    #: The association's name, for the pages' header (``/me`` only).
    tenant_name: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int


# --- loading helpers ---------------------------------------------------------------------------


def subject_id(identity: Identity | None) -> UUID | None:
    """The user id a token speaks for (None for an API key or the command line)."""
    if identity is None:
        return None
    try:
        return UUID(identity.subject)
    except ValueError:
        return None


def load_network(uow: UnitOfWork, slug: str, *, lock: bool = False) -> Network:
    network = uow.networks.by_slug(slug, lock=lock)
    if network is None:
        raise NotFound("network")
    return network


def load_tenant(uow: UnitOfWork, slug: str) -> tuple[Tenant, Network]:
    tenant = uow.tenants.by_slug(slug)
    if tenant is None:
        raise NotFound("tenant")
    network = uow.networks.get(tenant.network_id)
    assert network is not None  # a foreign key
    return tenant, network


def load_member(uow: UnitOfWork, tenant: Tenant, member_id: UUID, *, lock: bool = False) -> Member:
    """The tenant's member; another tenant's member is not found (never forbidden)."""
    member = uow.members.get(member_id, lock=lock)
    if member is None or member.tenant_id != tenant.id:
        raise NotFound("member")
    return member


def identity_of(uow: UnitOfWork, user: User, *, token_id: str | None = None) -> Identity:
    """What a user's token says: role, tenant and network slugs, member."""
    tenant = network = None
    if user.tenant_id is not None:
        found = uow.tenants.get(user.tenant_id)
        assert found is not None
        tenant = found.slug
        net = uow.networks.get(found.network_id)
        assert net is not None
        network = net.slug
    return Identity(
        subject=str(user.id),
        roles=frozenset({user.role.value}),
        tenant=tenant,
        network=network,
        member_id=user.member_id,
        token_id=token_id,
    )


# --- events ------------------------------------------------------------------------------------


def address_event(member: Member) -> events.Address:
    return events.Address(
        street=member.address.street,
        postal_code=member.address.postal_code,
        city=member.address.city,
    )


def network_event(cls: type[Any], network: Network) -> Any:
    return cls(
        slug=network.slug,
        name=network.name,
        unit=events.Unit(
            code=network.unit.code, name=network.unit.name, symbol=network.unit.symbol
        ),
        default_credit_limit=to_decimal(network.default_credit_limit),
        payment_modes=list(network.payment_modes),
        hold_expiry_days=network.hold_expiry_days,
        vat_settlement=network.vat_settlement.value,
        commission=events.Commission(
            rate=network.commission.rate, charged_in=network.commission.charged_in.value
        ),
        buyer_acceptance_required=network.buyer_acceptance_required,
        need_expiry_days=network.need_expiry_days,
        member_categories=[
            events.MemberCategory(
                slug=c.slug,
                name=c.name,
                default_credit_limit=to_decimal(c.default_credit_limit),
                max_balance=None if c.max_balance is None else to_decimal(c.max_balance),
            )
            for c in network.member_categories
        ],
        manual_transfer_approval_threshold=(
            None
            if network.manual_transfer_approval_threshold is None
            else to_decimal(network.manual_transfer_approval_threshold)
        ),
        membership_fee=(
            None
            if network.membership_fee is None
            else events.MembershipFee(
                amount=to_decimal(network.membership_fee.amount),
                period="year",
                charged_in=network.membership_fee.charged_in.value,
                due=network.membership_fee.due,
                grace_days=network.membership_fee.grace_days,
            )
        ),
        direct_payments=network.direct_payments,  # type: ignore[arg-type]
        direct_payments_validation_threshold=to_decimal(
            network.direct_payments_validation_threshold
        ),
    )


def emit_admitted(
    uow: UnitOfWork, member: Member, tenant: Tenant, network: Network, credit_limit: int | None
) -> None:
    uow.emit(
        events.MemberAdmitted(
            member_id=member.id,
            name=member.name,
            siret=member.siret,
            department=member.department,
            email=member.email,
            vat_number=member.vat_number,
            address=address_event(member),
            credit_limit=to_decimal(credit_limit) if credit_limit is not None else None,
            category=member.category,
        ),
        network=network.slug,
        tenant=tenant.slug,
        subject=str(member.id),
    )


def emit_account_link(
    uow: UnitOfWork, cls: type[Any], user: User, issued: IssuedResetToken, **extra: Any
) -> None:
    tenant = network = None
    if user.tenant_id is not None:
        tenant, network = tenant_by_id(uow, user.tenant_id)
    uow.emit(
        cls(
            user_id=user.id,
            email=user.email,
            role=user.role.value,
            token=issued.token,
            expires_at=issued.record.expires_at,
            **extra,
        ),
        network=network.slug if network else "",
        tenant=tenant.slug if tenant else None,
        subject=str(user.id),
    )


def emit_user_changed(uow: UnitOfWork, user: User, tenant: Tenant, network: Network) -> None:
    """Tell who a tenant's user is now (created, role or state changed): the notifications
    write to the animators with it."""
    uow.emit(
        events.UserChanged(
            user_id=user.id,
            email=user.email,
            role=user.role.value,
            status="active" if user.is_active else "disabled",
            member_id=user.member_id,
        ),
        network=network.slug,
        tenant=tenant.slug,
        subject=str(user.id),
    )


def tenant_by_id(uow: UnitOfWork, tenant_id: UUID) -> tuple[Tenant, Network]:
    tenant = uow.tenants.get(tenant_id)
    assert tenant is not None  # a foreign key
    network = uow.networks.get(tenant.network_id)
    assert network is not None
    return tenant, network
