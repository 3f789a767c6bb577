"""The gateway's use cases: networks, tenants, members, users, logins, tokens and API keys.

Each function runs one unit of work: load, apply the domain's rules, save, stage the contract
events (``uow.emit``) and commit, so an event leaves if and only if its change is stored.
Imports the domain, the contracts and the chassis' identity types; never Flask or SQLAlchemy
(``gateway.db`` hides the tables behind repositories).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID

from argon2 import PasswordHasher

from chassis.auth import INTEGRATOR, Identity
from chassis.db import utcnow
from chassis.money import to_decimal
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.apikeys import ApiKey, InvalidApiKey, parse_api_key
from gateway.domain.audit import SYSTEM, Actor, AuditEntry
from gateway.domain.csv_import import parse_members_csv
from gateway.domain.errors import Forbidden, ValidationError
from gateway.domain.identifiers import normalize_email
from gateway.domain.model import (
    USER_ROLES,
    Member,
    MemberApplication,
    MemberStatus,
    Network,
    Role,
    Tenant,
    User,
)
from gateway.domain.passwords import hash_password, needs_rehash, waste_verification
from gateway.domain.reset import (
    INVITATION_TTL,
    IssuedResetToken,
    ResetTokenInvalid,
    hash_reset_token,
    issue_reset_token,
)
from gateway.domain.throttle import LoginThrottle
from gateway.domain.totp import (
    TotpInvalid,
    TotpNotPending,
    TotpRequired,
    TotpState,
    hash_recovery_code,
    looks_like_recovery_code,
    matching_step,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
)
from gateway.errors import Conflict, ImportRefused, InvalidCredentials, InvalidGrant
from gateway.errors import UnknownResource as NotFound
from gateway.tokens import TokenIssuer, hash_refresh_token, new_refresh_token

log = logging.getLogger(__name__)

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


def _network(uow: UnitOfWork, slug: str, *, lock: bool = False) -> Network:
    network = uow.networks.by_slug(slug, lock=lock)
    if network is None:
        raise NotFound("network")
    return network


def _tenant(uow: UnitOfWork, slug: str) -> tuple[Tenant, Network]:
    tenant = uow.tenants.by_slug(slug)
    if tenant is None:
        raise NotFound("tenant")
    network = uow.networks.get(tenant.network_id)
    assert network is not None  # a foreign key
    return tenant, network


def _member_of(uow: UnitOfWork, tenant: Tenant, member_id: UUID, *, lock: bool = False) -> Member:
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
    return Identity(subject=str(user.id), roles=frozenset({user.role.value}), tenant=tenant,
                    network=network, member_id=user.member_id, token_id=token_id)


# --- the audit log -----------------------------------------------------------------------------


def _actor(uow: UnitOfWork, identity: Identity | None) -> Actor:
    """The actor of an audit entry: the token's user (its e-mail from the directory)."""
    if identity is None:
        return Actor.system()
    user_id = _subject_id(identity)
    role = next((r for r in ("operator", "animator", "member", INTEGRATOR)
                 if r in identity.roles), SYSTEM)
    user = uow.users.get(user_id) if user_id is not None else None
    return Actor(identity.subject, user.email if user else None, role)


def _record(uow: UnitOfWork, actor: Identity | None, action: str, target_type: str,
            target_id: Any, *, network: str | None, tenant: str | None,
            now: datetime | None = None, **details: Any) -> None:
    """Append an audit entry in the unit of work of the change it records."""
    uow.audit.add(AuditEntry(id=uuid.uuid4(), at=now or utcnow(), actor=_actor(uow, actor),
                             action=action, target_type=target_type, target_id=str(target_id),
                             network=network, tenant=tenant,
                             details={k: _plain(v) for k, v in details.items()}))


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, frozenset, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def audit_log(uow: UnitOfWork, *, tenant_slug: str | None, action: str | None,
              actor: str | None, since: datetime | None, limit: int,
              offset: int = 0) -> Page[AuditEntry]:
    """The gateway's audit entries, newest first: one tenant's, or (None) the deployment's."""
    with uow:
        if tenant_slug is not None:
            _tenant(uow, tenant_slug)
        items, total = uow.audit.newest(tenant=tenant_slug, action=action, actor=actor,
                                        since=since, limit=limit, offset=offset)
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


# --- events ------------------------------------------------------------------------------------


def _address_event(member: Member) -> events.Address:
    return events.Address(street=member.address.street, postal_code=member.address.postal_code,
                          city=member.address.city)


def _network_event(cls: type[Any], network: Network) -> Any:
    return cls(
        slug=network.slug,
        name=network.name,
        unit=events.Unit(code=network.unit.code, name=network.unit.name,
                         symbol=network.unit.symbol),
        default_credit_limit=to_decimal(network.default_credit_limit),
        payment_modes=list(network.payment_modes),
        hold_expiry_days=network.hold_expiry_days,
        vat_settlement=network.vat_settlement.value,
        commission=events.Commission(rate=network.commission.rate,
                                     charged_in=network.commission.charged_in.value),
        buyer_acceptance_required=network.buyer_acceptance_required,
        need_expiry_days=network.need_expiry_days,
    )


def _emit_admitted(uow: UnitOfWork, member: Member, tenant: Tenant, network: Network,
                   credit_limit: int | None) -> None:
    uow.emit(events.MemberAdmitted(
        member_id=member.id, name=member.name,
        siret=member.siret, department=member.department, email=member.email,
        vat_number=member.vat_number, address=_address_event(member),
        credit_limit=to_decimal(credit_limit) if credit_limit is not None else None,
    ), network=network.slug, tenant=tenant.slug, subject=str(member.id))


# --- networks and tenants ----------------------------------------------------------------------


def create_network(uow: UnitOfWork, data: Mapping[str, Any], *,
                   actor: Identity | None = None) -> Network:
    """Create a network (operator) and announce it: the ledger learns its unit and limits."""
    network = Network.create(id=uuid.uuid4(), **data)
    with uow:
        if uow.networks.slug_taken(network.slug):
            raise Conflict("slug", f"a network named {network.slug!r} already exists")
        uow.networks.add(network)
        uow.emit(_network_event(events.NetworkCreated, network), network=network.slug)
        _record(uow, actor, "network_created", "network", network.slug, network=network.slug,
                tenant=None, name=network.name)
        uow.commit()
    return network


def update_network(uow: UnitOfWork, slug: str, changes: Mapping[str, Any], *,
                   actor: Identity | None = None) -> Network:
    """Change a network's settings (never its slug) and announce the new settings."""
    with uow:
        network = _network(uow, slug, lock=True).with_changes(**changes)
        uow.networks.save(network)
        uow.emit(_network_event(events.NetworkUpdated, network), network=network.slug)
        _record(uow, actor, "network_updated", "network", network.slug, network=network.slug,
                tenant=None, changes=dict(changes))
        uow.commit()
    return network


def get_network(uow: UnitOfWork, slug: str) -> Network:
    with uow:
        return _network(uow, slug)


def list_networks(uow: UnitOfWork, page: int, per_page: int) -> Page[Network]:
    with uow:
        return Page(*uow.networks.page(page, per_page))


def create_tenant(uow: UnitOfWork, network_slug: str, data: Mapping[str, Any], *,
                  actor: Identity | None = None) -> Tenant:
    """Create a territorial association in a network; its slug is unique in the deployment."""
    with uow:
        network = _network(uow, network_slug)
        tenant = Tenant(id=uuid.uuid4(), network_id=network.id, slug=data.get("slug"),  # type: ignore[arg-type]
                        name=data.get("name"), departments=data.get("departments"),  # type: ignore[arg-type]
                        contact=data.get("contact"))
        if uow.tenants.slug_taken(tenant.slug):
            raise Conflict("slug", f"a tenant named {tenant.slug!r} already exists")
        uow.tenants.add(tenant)
        uow.emit(events.TenantCreated(slug=tenant.slug, name=tenant.name,
                                      departments=list(tenant.departments)),
                 network=network.slug, tenant=tenant.slug)
        _record(uow, actor, "tenant_created", "tenant", tenant.slug, network=network.slug,
                tenant=tenant.slug, name=tenant.name, departments=list(tenant.departments))
        uow.commit()
    return tenant


def list_tenants(uow: UnitOfWork, network_slug: str, page: int, per_page: int) -> Page[Tenant]:
    with uow:
        network = _network(uow, network_slug)
        return Page(*uow.tenants.page(network.id, page, per_page))


def network_tenant(uow: UnitOfWork, network_slug: str, tenant_slug: str) -> Tenant:
    """A tenant of a network (a tenant of another network is not found)."""
    with uow:
        network = _network(uow, network_slug)
        tenant = uow.tenants.by_slug(tenant_slug)
        if tenant is None or tenant.network_id != network.id:
            raise NotFound("tenant")
        return tenant


def update_tenant(uow: UnitOfWork, network_slug: str, tenant_slug: str,
                  changes: Mapping[str, Any], *, actor: Identity | None = None) -> Tenant:
    """Change a tenant's name, departments or contact (never its slug); announce the settings
    the other services keep a copy of."""
    with uow:
        network = _network(uow, network_slug)
        current = uow.tenants.by_slug(tenant_slug)
        if current is None or current.network_id != network.id:
            raise NotFound("tenant")
        values = {"name": current.name, "departments": current.departments,
                  "contact": current.contact}
        values.update({k: v for k, v in changes.items() if k in values})
        tenant = Tenant(id=current.id, network_id=current.network_id, slug=current.slug,
                        **values)
        if tenant == current:
            return tenant
        uow.tenants.save(tenant)
        uow.emit(events.TenantUpdated(slug=tenant.slug, name=tenant.name,
                                      departments=list(tenant.departments)),
                 network=network.slug, tenant=tenant.slug)
        _record(uow, actor, "tenant_updated", "tenant", tenant.slug, network=network.slug,
                tenant=tenant.slug, changes=sorted(k for k in changes if k in values))
        uow.commit()
    return tenant


def get_tenant(uow: UnitOfWork, slug: str) -> tuple[Tenant, Network]:
    with uow:
        return _tenant(uow, slug)


# --- members -----------------------------------------------------------------------------------


def admit_member(uow: UnitOfWork, tenant_slug: str, data: Mapping[str, Any], *,
                 credit_limit: int | None, now: datetime,
                 actor: Identity | None = None) -> MemberView:
    """Admit a company (animator): the ledger opens its account on ``member_admitted``."""
    application = MemberApplication.parse(**data)
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        taken = uow.members.sirets_in_network(network.id, among=[application.siret])
        member = Member.admit(application, id=uuid.uuid4(), tenant=tenant, existing_sirets=taken,
                              now=now)
        uow.members.add(member, tenant.slug)
        _emit_admitted(uow, member, tenant, network, credit_limit)
        _record(uow, actor, "member_admitted", "member", member.id, network=network.slug,
                tenant=tenant.slug, now=now, name=member.name, siret=member.siret)
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


def import_members(uow: UnitOfWork, tenant_slug: str, data: bytes | str, *,
                   now: datetime, actor: Identity | None = None) -> list[MemberView]:
    """Admit every company of a CSV file, or nobody if any row is wrong (one transaction)."""
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
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
            member = Member.admit(application, id=uuid.uuid4(), tenant=tenant,
                                  existing_sirets=(), now=now)
            uow.members.add(member, tenant.slug)
            _emit_admitted(uow, member, tenant, network, None)
            _record(uow, actor, "member_admitted", "member", member.id, network=network.slug,
                    tenant=tenant.slug, now=now, name=member.name, siret=member.siret,
                    imported=True)
            admitted.append(MemberView(member, tenant.slug, network.slug))
        uow.commit()
    return admitted


def get_member(uow: UnitOfWork, tenant_slug: str, member_id: UUID) -> MemberView:
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        return MemberView(_member_of(uow, tenant, member_id), tenant.slug, network.slug)


def find_member(uow: UnitOfWork, tenant_slug: str, siret: str) -> MemberView | None:
    """The tenant's member with this SIRET, if any (the seed's idempotency)."""
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        member = uow.members.by_siret(network.id, siret)
        if member is None or member.tenant_id != tenant.id:
            return None
        return MemberView(member, tenant.slug, network.slug)


def list_members(uow: UnitOfWork, tenant_slug: str, *, network_wide: bool, status: str | None,
                 page: int, per_page: int, updated_since: datetime | None = None
                 ) -> Page[MemberView]:
    """The tenant's members, or the whole network's directory (shared on purpose, §3)."""
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        if network_wide:
            members, total = uow.members.page(network_id=network.id, status=status, page=page,
                                              per_page=per_page, updated_since=updated_since)
        else:
            members, total = uow.members.page(tenant_id=tenant.id, status=status, page=page,
                                              per_page=per_page, updated_since=updated_since)
        slugs = uow.tenants.slugs(m.tenant_id for m in members)
        return Page([MemberView(m, slugs[m.tenant_id], network.slug) for m in members], total)


def update_member(uow: UnitOfWork, tenant_slug: str, member_id: UUID,
                  changes: Mapping[str, Any], *, actor: Identity | None = None) -> MemberView:
    """Amend a member's details (not its SIRET); announce them if anything changed."""
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        member = _member_of(uow, tenant, member_id, lock=True)
        before = _details(member)
        member.amend(tenant=tenant, **changes)
        if _details(member) != before:
            uow.members.save(member)
            uow.emit(events.MemberUpdated(
                member_id=member.id, name=member.name,
                siret=member.siret, department=member.department, email=member.email,
                vat_number=member.vat_number, address=_address_event(member),
            ), network=network.slug, tenant=tenant.slug, subject=str(member.id))
            _record(uow, actor, "member_updated", "member", member.id, network=network.slug,
                    tenant=tenant.slug, changes=sorted(changes))
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


def _details(member: Member) -> tuple[Any, ...]:
    return (member.name, member.vat_number, member.naf, member.address, member.department,
            member.email, member.phone)


def change_member_status(uow: UnitOfWork, tenant_slug: str, member_id: UUID, action: str, *,
                         now: datetime, reason: str = "",
                         actor: Identity | None = None) -> MemberView:
    """Suspend, reinstate or record the departure of a member (``action``), and announce it.

    A member who leaves loses its users' access: their accounts are closed and their sessions
    revoked in the same transaction.
    """
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        member = _member_of(uow, tenant, member_id, lock=True)
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
        _record(uow, actor, MEMBER_STATUS_ACTIONS[action], "member", member.id,
                network=network.slug, tenant=tenant.slug, now=now, reason=reason)
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


#: The audit action of each member status change.
MEMBER_STATUS_ACTIONS: dict[str, str] = {"suspend": "member_suspended",
                                         "reinstate": "member_reinstated",
                                         "leave": "member_left"}


# --- users -------------------------------------------------------------------------------------


def create_user(uow: UnitOfWork, tenant_slug: str | None, data: Mapping[str, Any], *,
                actor: Identity | None, hasher: PasswordHasher, now: datetime,
                check_rules: bool = True) -> UserView:
    """Create an account: operators anywhere; a tenant's animators for their own tenant.

    ``actor`` None is the operator's command line. ``check_rules=False`` skips the password
    rules: only the demo seed does that, so every demo account shares one short password.
    """
    if data.get("role") not in USER_ROLES:
        raise ValidationError("role", "unknown_value", "must be operator, animator or member")
    role = Role(data["role"])
    if actor is not None and not actor.is_operator and role is Role.OPERATOR:
        raise Forbidden("only the operator may create operator accounts")
    with uow:
        tenant = network = None
        if tenant_slug is not None:
            tenant, network = _tenant(uow, tenant_slug)
        if role is not Role.OPERATOR and tenant is None:
            raise ValidationError("tenant", "required", "an animator or member belongs to a tenant")
        member_id = data.get("member_id") if role is Role.MEMBER else None
        if role is Role.MEMBER:
            if member_id is None:
                raise ValidationError("member_id", "required",
                                      "a member user belongs to one member company")
            assert tenant is not None
            member = uow.members.get(member_id)
            if member is None or member.tenant_id != tenant.id:
                raise ValidationError("member_id", "unknown_member",
                                      "no member with this id in this tenant")
            if member.status is MemberStatus.LEFT:
                raise ValidationError("member_id", "member_left", "this member left the network")
        elif data.get("member_id") is not None:
            raise ValidationError("member_id", "not_allowed", "only member users have a member_id")
        email = normalize_email(str(data.get("email", "")))
        home = tenant if role is not Role.OPERATOR else None
        invited = data.get("password") is None
        if invited:
            # No password: its owner chooses one through the e-mailed invitation; until then
            # the account's hash is of a random secret nobody knows.
            user = User(id=uuid.uuid4(), email=email,
                        password_hash=hash_password(secrets.token_urlsafe(32), hasher=hasher),
                        role=role, created_at=now, tenant_id=home.id if home else None,
                        member_id=member_id)
        elif check_rules:
            user = User.register(id=uuid.uuid4(), email=email, password=data.get("password"),  # type: ignore[arg-type]
                                 role=role, now=now, tenant_id=home.id if home else None,
                                 member_id=member_id, hasher=hasher)
        else:
            user = User(id=uuid.uuid4(), email=email,
                        password_hash=hash_password(str(data["password"]), hasher=hasher),
                        role=role, created_at=now, tenant_id=home.id if home else None,
                        member_id=member_id, password_changed_at=now)
        if uow.users.email_taken(user.email):
            raise Conflict("email", "an account with this e-mail address already exists",
                           code="email_taken")
        uow.users.add(user, home.slug if home else None)
        if invited:
            issued = issue_reset_token(user.id, now, ttl=INVITATION_TTL)
            uow.reset_tokens.add(issued.record, uuid.uuid4())
            _emit_account_link(uow, events.UserInvited, user, issued,
                               tenant_name=home.name if home else "")
        _record(uow, actor, "user_created", "user", user.id,
                network=network.slug if home and network else None,
                tenant=home.slug if home else None, now=now, email=user.email,
                role=user.role.value, invited=invited)
        uow.commit()
    return UserView(user, home.slug if home else None,
                    network.slug if home and network else None)


def get_user(uow: UnitOfWork, tenant_slug: str, user_id: UUID) -> UserView:
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        user = uow.users.get(user_id)
        if user is None or user.tenant_id != tenant.id:
            raise NotFound("user")
        return UserView(user, tenant.slug, network.slug)


def list_users(uow: UnitOfWork, tenant_slug: str, page: int, per_page: int) -> Page[UserView]:
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        users, total = uow.users.page(tenant.id, page, per_page)
        return Page([UserView(u, tenant.slug, network.slug) for u in users], total)


def _subject_id(identity: Identity | None) -> UUID | None:
    """The user id a token speaks for (None for an API key or the command line)."""
    if identity is None:
        return None
    try:
        return UUID(identity.subject)
    except ValueError:
        return None


def update_user(uow: UnitOfWork, tenant_slug: str | None, user_id: UUID,
                changes: Mapping[str, Any], *, actor: Identity, now: datetime) -> UserView:
    """Disable or enable an account, or change its role (a tenant's, or the operator's own).

    A disabled account cannot log in and its refresh tokens die at once; a role change also
    ends its sessions, since every token states the role. Nobody changes their own account
    this way (an animator could not lock the tenant out by mistake, nor promote themselves).
    """
    with uow:
        tenant = network = None
        if tenant_slug is not None:
            tenant, network = _tenant(uow, tenant_slug)
        user = uow.users.get(user_id, lock=True)
        home = tenant.id if tenant is not None else None
        if user is None or user.tenant_id != home or (home is None
                                                       and user.role is not Role.OPERATOR):
            raise NotFound("user")
        if _subject_id(actor) == user.id:
            raise Forbidden("you cannot disable your own account or change your own role")
        ended = False
        where = {"network": network.slug if network else None,
                 "tenant": tenant.slug if tenant else None, "now": now}
        if "status" in changes and changes["status"] is not None:
            if changes["status"] == "disabled":
                ended = user.is_active
                if user.is_active:
                    _record(uow, actor, "user_disabled", "user", user.id, **where,
                            email=user.email)
                user.deactivate()
            else:
                if user.member_id is not None:
                    member = uow.members.get(user.member_id)
                    if member is not None and member.status is MemberStatus.LEFT:
                        raise ValidationError("status", "member_left",
                                              "this user's member company left the network")
                if not user.is_active:
                    _record(uow, actor, "user_enabled", "user", user.id, **where,
                            email=user.email)
                user.is_active = True
        if changes.get("role") is not None and changes["role"] != user.role.value:
            if tenant is None:
                raise ValidationError("role", "not_allowed", "an operator stays an operator")
            before = user.role.value
            _change_role(uow, user, Role(changes["role"]), changes.get("member_id"), tenant)
            _record(uow, actor, "user_role_changed", "user", user.id, **where,
                    email=user.email, old_role=before, role=user.role.value,
                    member_id=user.member_id)
            ended = True
        uow.users.save(user)
        if ended:
            uow.refresh_tokens.revoke_for_user(user.id, now)
        uow.commit()
    return UserView(user, tenant.slug if tenant else None, network.slug if network else None)


def _change_role(uow: UnitOfWork, user: User, role: Role, member_id: UUID | None,
                 tenant: Tenant) -> None:
    if role is Role.MEMBER:
        if member_id is None:
            raise ValidationError("member_id", "required",
                                  "a member user belongs to one member company")
        member = uow.members.get(member_id)
        if member is None or member.tenant_id != tenant.id:
            raise ValidationError("member_id", "unknown_member",
                                  "no member with this id in this tenant")
        if member.status is MemberStatus.LEFT:
            raise ValidationError("member_id", "member_left", "this member left the network")
        user.role, user.member_id = role, member_id
    elif role is Role.ANIMATOR:
        user.role, user.member_id = role, None
    else:
        raise ValidationError("role", "unknown_value", "must be animator or member")


def get_operator_user(uow: UnitOfWork, user_id: UUID) -> UserView:
    with uow:
        user = uow.users.get(user_id)
        if user is None or user.role is not Role.OPERATOR:
            raise NotFound("user")
        return UserView(user, None, None)


def list_operator_users(uow: UnitOfWork, page: int, per_page: int) -> Page[UserView]:
    """The operator's own accounts (those of no tenant)."""
    with uow:
        users, total = uow.users.page(None, page, per_page)
        return Page([UserView(u, None, None) for u in users], total)


def change_password(uow: UnitOfWork, identity: Identity, current_password: str,
                    new_password: str, *, client_ip: str | None, throttle: LoginThrottle,
                    hasher: PasswordHasher, now: datetime) -> None:
    """A signed-in user changes their password; every refresh token of theirs dies.

    The current password is checked under the login throttle, so a stolen access token does
    not become a way to guess it.
    """
    user_id = _subject_id(identity)
    if user_id is None or INTEGRATOR in identity.roles or not identity.roles:
        raise Forbidden("only a user account has a password")
    with uow:
        user = uow.users.get(user_id)
    if user is None:
        raise NotFound("user")
    throttle.ensure_allowed(account=user.email, ip=client_ip)
    if not user.check_password(current_password, hasher=hasher):
        throttle.record_failure(account=user.email, ip=client_ip)
        raise ValidationError("current_password", "wrong_password",
                              "this is not your current password")
    throttle.record_success(account=user.email, ip=client_ip)
    with uow:
        user = uow.users.get(user_id, lock=True)
        assert user is not None
        user.change_password(new_password, now, hasher=hasher)
        uow.users.save(user)
        uow.reset_tokens.cancel_pending(user.id, now)
        uow.refresh_tokens.revoke_for_user(user.id, now)
        uow.commit()


def me(uow: UnitOfWork, identity: Identity) -> UserView | None:
    """The account behind a user's token (None for an API key's)."""
    if INTEGRATOR in identity.roles:
        return None
    try:
        user_id = UUID(identity.subject)
    except ValueError:
        return None
    with uow:
        user = uow.users.get(user_id)
        if user is None:
            return None
        tenant = uow.tenants.by_slug(identity.tenant) if identity.tenant else None
        return UserView(user, identity.tenant, identity.network,
                        tenant.name if tenant is not None else None)


# --- logins and tokens -------------------------------------------------------------------------


def _issue(uow: UnitOfWork, issuer: TokenIssuer, user: User, *, family: UUID,
           now: datetime) -> TokenPair:
    access = issuer.access_token(identity_of(uow, user))
    refresh = new_refresh_token()
    uow.refresh_tokens.add(token_id=uuid.uuid4(), user_id=user.id, family_id=family,
                           token_hash=hash_refresh_token(refresh), issued_at=now,
                           expires_at=now + timedelta(seconds=issuer.settings.refresh_token_ttl))
    return TokenPair(access.token, access.expires_in, refresh)


def login(uow: UnitOfWork, *, email: str, password: str, client_ip: str | None,
          throttle: LoginThrottle, issuer: TokenIssuer, hasher: PasswordHasher,
          now: datetime, totp: str | None = None) -> TokenPair:
    """Check an e-mail, password and (when the account has one) second factor under the
    brute-force throttle; issue a token pair.

    A wrong TOTP or recovery code counts as a failed login, like a wrong password. A staff
    account whose network requires a second factor it has not set up gets an enrol-only token.
    """
    throttle.ensure_allowed(account=email, ip=client_ip)
    # The throttle writes in transactions of its own, so none is held open around it (SQLite
    # has a single writer), nor around the deliberately slow password check.
    with uow:
        user = uow.users.by_email(normalize_email(email))
    if user is None:
        waste_verification(password, hasher=hasher)
    if user is None or not user.check_password(password, hasher=hasher):
        throttle.record_failure(account=email, ip=client_ip)
        raise InvalidCredentials()
    refused: TotpInvalid | None = None
    enrolment: TokenPair | None = None
    with uow:
        state = uow.two_factor.get(user.id, lock=True)
        if state is not None and state.enabled:
            if not totp:
                raise TotpRequired()
            if not _second_factor_ok(uow, state, totp, now):
                refused = TotpInvalid()
        elif _must_enrol(uow, user):
            token = issuer.enrolment_token(identity_of(uow, user))
            enrolment = TokenPair(token.token, token.expires_in, totp_enrolment_required=True)
        if refused is None and enrolment is None:
            if needs_rehash(user.password_hash, hasher=hasher):
                user.password_hash = hash_password(password, hasher=hasher)
            user.record_login(now)
            uow.users.save(user)
            pair = _issue(uow, issuer, user, family=uuid.uuid4(), now=now)
            uow.commit()
    if refused is not None:
        throttle.record_failure(account=email, ip=client_ip)
        raise refused
    throttle.record_success(account=email, ip=client_ip)
    return enrolment or pair


def _second_factor_ok(uow: UnitOfWork, state: TotpState, code: str, now: datetime) -> bool:
    """Accept a TOTP code of a later step than the last one, or spend a recovery code."""
    assert state.secret is not None
    step = matching_step(state.secret, code, now, after=state.last_step)
    if step is not None:
        state.last_step = step
        uow.two_factor.save(state)
        return True
    if looks_like_recovery_code(code):
        return uow.two_factor.use_recovery_code(state.user_id, hash_recovery_code(code), now)  # type: ignore[arg-type]
    return False


def _must_enrol(uow: UnitOfWork, user: User) -> bool:
    """Whether a staff user must set up a second factor before anything else.

    An animator: when its network requires it. The operator: when any network does.
    """
    if user.role is Role.ANIMATOR and user.tenant_id is not None:
        _, network = _tenant_by_id(uow, user.tenant_id)
        return network.staff_2fa_required
    if user.role is Role.OPERATOR:
        return uow.networks.any_requires_staff_2fa()
    return False


def start_totp_enrolment(uow: UnitOfWork, identity: Identity, *, issuer_name: str,
                         now: datetime) -> dict[str, Any]:
    """A new secret (pending until confirmed) and ten recovery codes, shown this once."""
    user_id = _subject_id(identity)
    if user_id is None or INTEGRATOR in identity.roles:
        raise Forbidden("only a user account has a second factor")
    with uow:
        user = uow.users.get(user_id)
        if user is None or not user.is_active:
            raise NotFound("user")
        state = uow.two_factor.get(user.id, lock=True) or TotpState(user_id=user.id)
        if state.enabled:
            raise Conflict("totp", "two-factor login is already on for this account",
                           code="totp_already_enabled")
        state.pending_secret = new_secret()
        codes = new_recovery_codes()
        uow.two_factor.save(state)
        uow.two_factor.replace_recovery_codes(user.id, [hash_recovery_code(c) for c in codes])
        uow.commit()
    return {"secret": state.pending_secret, "recovery_codes": codes,
            "otpauth_uri": provisioning_uri(state.pending_secret, user.email, issuer_name)}


def confirm_totp_enrolment(uow: UnitOfWork, identity: Identity, code: str, *,
                           now: datetime) -> None:
    """Turn two-factor login on with a first code of the pending secret."""
    user_id = _subject_id(identity)
    if user_id is None or INTEGRATOR in identity.roles:
        raise Forbidden("only a user account has a second factor")
    with uow:
        state = uow.two_factor.get(user_id, lock=True)
        if state is None or state.pending_secret is None:
            raise TotpNotPending()
        step = matching_step(state.pending_secret, code, now, after=None)
        if step is None:
            raise TotpInvalid()
        state.secret, state.pending_secret = state.pending_secret, None
        state.enabled_at, state.last_step = now, step
        uow.two_factor.save(state)
        user = uow.users.get(user_id)
        tenant = network = None
        if user is not None and user.tenant_id is not None:
            tenant, network = _tenant_by_id(uow, user.tenant_id)
        _record(uow, identity, "totp_enabled", "user", user_id,
                network=network.slug if network else None,
                tenant=tenant.slug if tenant else None, now=now)
        uow.commit()


def refresh(uow: UnitOfWork, token: str, *, issuer: TokenIssuer, now: datetime) -> TokenPair:
    """Rotate a refresh token; replaying a rotated one revokes its whole family (theft)."""
    with uow:
        row = uow.refresh_tokens.by_hash(hash_refresh_token(token))
        if row is None or row.revoked_at is not None:
            raise InvalidGrant()
        if row.used_at is not None:
            log.warning("refresh_token_reused", extra={"family": str(row.family_id)})
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant("this refresh token was already used; log in again")
        if row.expires_at <= now:
            raise InvalidGrant("this refresh token has expired; log in again")
        user = uow.users.get(row.user_id)
        if user is None or not user.is_active:
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant()
        state = uow.two_factor.get(user.id)
        if (state is None or not state.enabled) and _must_enrol(uow, user):
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant("your network now requires two-factor login; log in again")
        uow.refresh_tokens.mark_used(row.id, now)
        pair = _issue(uow, issuer, user, family=row.family_id, now=now)
        uow.commit()
    return pair


def request_password_reset(uow: UnitOfWork, email: str, *, now: datetime) -> None:
    """Have a reset link e-mailed if the address has an active account; say nothing either way.

    The link leaves as a ``password_reset_requested`` event, in the transaction that stores the
    token's hash: the notifications service writes the e-mail.
    """
    with uow:
        user = uow.users.by_email(normalize_email(email))
        if user is None or not user.is_active:
            return
        uow.reset_tokens.cancel_pending(user.id, now)
        issued = issue_reset_token(user.id, now)
        uow.reset_tokens.add(issued.record, uuid.uuid4())
        _emit_account_link(uow, events.PasswordResetRequested, user, issued)
        uow.commit()


def _emit_account_link(uow: UnitOfWork, cls: type[Any], user: User, issued: IssuedResetToken,
                       **extra: Any) -> None:
    tenant = network = None
    if user.tenant_id is not None:
        tenant, network = _tenant_by_id(uow, user.tenant_id)
    uow.emit(cls(user_id=user.id, email=user.email, role=user.role.value, token=issued.token,
                 expires_at=issued.record.expires_at, **extra),
             network=network.slug if network else "", tenant=tenant.slug if tenant else None,
             subject=str(user.id))


def _tenant_by_id(uow: UnitOfWork, tenant_id: UUID) -> tuple[Tenant, Network]:
    tenant = uow.tenants.get(tenant_id)
    assert tenant is not None  # a foreign key
    network = uow.networks.get(tenant.network_id)
    assert network is not None
    return tenant, network


def confirm_password_reset(uow: UnitOfWork, token: str, new_password: str, *,
                           hasher: PasswordHasher, now: datetime) -> None:
    """Set a new password with a reset token (once); every session of the user ends."""
    with uow:
        record = uow.reset_tokens.by_hash(hash_reset_token(token))
        if record is None:
            raise ResetTokenInvalid()
        record.redeem(token, now)
        user = uow.users.get(record.user_id, lock=True)
        if user is None or not user.is_active:
            raise ResetTokenInvalid()
        user.change_password(new_password, now, hasher=hasher)
        uow.reset_tokens.save(record)
        uow.users.save(user)
        uow.refresh_tokens.revoke_for_user(user.id, now)
        uow.commit()


# --- API keys ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApiKeyView:
    key: ApiKey
    tenant: str
    plaintext: str | None = None


def create_api_key(uow: UnitOfWork, tenant_slug: str, *, name: str, scopes: list[str],
                   actor: Identity, now: datetime) -> ApiKeyView:
    """Issue an integrator key for the tenant; the plaintext is returned this once only."""
    try:
        created_by = UUID(actor.subject)
    except ValueError:
        created_by = None
    with uow:
        tenant, _ = _tenant(uow, tenant_slug)
        key, plaintext = ApiKey.issue(id=uuid.uuid4(), tenant_id=tenant.id, name=name,
                                      scopes=scopes, now=now, created_by=created_by)
        uow.api_keys.add(key, tenant.slug)
        _record(uow, actor, "api_key_created", "api_key", key.id, network=_net_slug(uow, tenant),
                tenant=tenant.slug, now=now, name=name, scopes=sorted(scopes))
        uow.commit()
    return ApiKeyView(key, tenant.slug, plaintext)


def _net_slug(uow: UnitOfWork, tenant: Tenant) -> str | None:
    network = uow.networks.get(tenant.network_id)
    return network.slug if network else None


def list_api_keys(uow: UnitOfWork, tenant_slug: str, page: int,
                  per_page: int) -> Page[ApiKeyView]:
    with uow:
        tenant, _ = _tenant(uow, tenant_slug)
        keys, total = uow.api_keys.page(tenant.id, page, per_page)
        return Page([ApiKeyView(k, tenant.slug) for k in keys], total)


def revoke_api_key(uow: UnitOfWork, tenant_slug: str, key_uuid: UUID, *, now: datetime,
                   actor: Identity | None = None) -> None:
    """Revoke a key for good (revoking twice keeps the first date)."""
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        key = uow.api_keys.get(key_uuid)
        if key is None or key.tenant_id != tenant.id:
            raise NotFound("API key")
        if key.revoked_at is None:
            _record(uow, actor, "api_key_revoked", "api_key", key.id, network=network.slug,
                    tenant=tenant.slug, now=now, name=key.name)
        key.revoke(now)
        uow.api_keys.save(key)
        uow.commit()


def authenticate_api_key(uow: UnitOfWork, presented: str, *, now: datetime) -> Identity:
    """The integrator identity of a presented key, or ``InvalidApiKey``/``ApiKeyRevoked``."""
    parsed = parse_api_key(presented)
    with uow:
        key = uow.api_keys.by_key_id(parsed.key_id)
        if key is None:
            raise InvalidApiKey()
        previous_use = key.last_used_at
        key.authenticate(presented, now)
        tenant = uow.tenants.get(key.tenant_id)
        assert tenant is not None
        network = uow.networks.get(tenant.network_id)
        assert network is not None
        if previous_use is None or now - previous_use >= LAST_USE_RESOLUTION:
            uow.api_keys.save(key)
            uow.commit()
    return Identity(subject=f"apikey:{key.id}", roles=frozenset({INTEGRATOR}), tenant=tenant.slug,
                    network=network.slug, scopes=frozenset(s.value for s in key.scopes))


def token_for_api_key(uow: UnitOfWork, presented: str, *, issuer: TokenIssuer,
                      now: datetime) -> TokenPair:
    """The client-credentials grant: a short-lived JWT for a valid key (no refresh token)."""
    identity = authenticate_api_key(uow, presented, now=now)
    access = issuer.access_token(identity, ttl=issuer.settings.api_key_token_ttl)
    return TokenPair(access.token, access.expires_in, scope=" ".join(sorted(identity.scopes)))

