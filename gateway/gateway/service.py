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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID

from argon2 import PasswordHasher

from chassis.auth import INTEGRATOR, Identity
from chassis.money import to_decimal
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.apikeys import ApiKey, InvalidApiKey, parse_api_key
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


def create_network(uow: UnitOfWork, data: Mapping[str, Any]) -> Network:
    """Create a network (operator) and announce it: the ledger learns its unit and limits."""
    network = Network.create(id=uuid.uuid4(), **data)
    with uow:
        if uow.networks.slug_taken(network.slug):
            raise Conflict("slug", f"a network named {network.slug!r} already exists")
        uow.networks.add(network)
        uow.emit(_network_event(events.NetworkCreated, network), network=network.slug)
        uow.commit()
    return network


def update_network(uow: UnitOfWork, slug: str, changes: Mapping[str, Any]) -> Network:
    """Change a network's settings (never its slug) and announce the new settings."""
    with uow:
        network = _network(uow, slug, lock=True).with_changes(**changes)
        uow.networks.save(network)
        uow.emit(_network_event(events.NetworkUpdated, network), network=network.slug)
        uow.commit()
    return network


def get_network(uow: UnitOfWork, slug: str) -> Network:
    with uow:
        return _network(uow, slug)


def list_networks(uow: UnitOfWork, page: int, per_page: int) -> Page[Network]:
    with uow:
        return Page(*uow.networks.page(page, per_page))


def create_tenant(uow: UnitOfWork, network_slug: str, data: Mapping[str, Any]) -> Tenant:
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
        uow.commit()
    return tenant


def list_tenants(uow: UnitOfWork, network_slug: str, page: int, per_page: int) -> Page[Tenant]:
    with uow:
        network = _network(uow, network_slug)
        return Page(*uow.tenants.page(network.id, page, per_page))


def get_tenant(uow: UnitOfWork, slug: str) -> tuple[Tenant, Network]:
    with uow:
        return _tenant(uow, slug)


# --- members -----------------------------------------------------------------------------------


def admit_member(uow: UnitOfWork, tenant_slug: str, data: Mapping[str, Any], *,
                 credit_limit: int | None, now: datetime) -> MemberView:
    """Admit a company (animator): the ledger opens its account on ``member_admitted``."""
    application = MemberApplication.parse(**data)
    with uow:
        tenant, network = _tenant(uow, tenant_slug)
        taken = uow.members.sirets_in_network(network.id, among=[application.siret])
        member = Member.admit(application, id=uuid.uuid4(), tenant=tenant, existing_sirets=taken,
                              now=now)
        uow.members.add(member, tenant.slug)
        _emit_admitted(uow, member, tenant, network, credit_limit)
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


def import_members(uow: UnitOfWork, tenant_slug: str, data: bytes | str, *,
                   now: datetime) -> list[MemberView]:
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
                  changes: Mapping[str, Any]) -> MemberView:
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
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


def _details(member: Member) -> tuple[Any, ...]:
    return (member.name, member.vat_number, member.naf, member.address, member.department,
            member.email, member.phone)


def change_member_status(uow: UnitOfWork, tenant_slug: str, member_id: UUID, action: str, *,
                         now: datetime, reason: str = "") -> MemberView:
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
        uow.commit()
    return MemberView(member, tenant.slug, network.slug)


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
        if "status" in changes and changes["status"] is not None:
            if changes["status"] == "disabled":
                ended = user.is_active
                user.deactivate()
            else:
                if user.member_id is not None:
                    member = uow.members.get(user.member_id)
                    if member is not None and member.status is MemberStatus.LEFT:
                        raise ValidationError("status", "member_left",
                                              "this user's member company left the network")
                user.is_active = True
        if changes.get("role") is not None and changes["role"] != user.role.value:
            if tenant is None:
                raise ValidationError("role", "not_allowed", "an operator stays an operator")
            _change_role(uow, user, Role(changes["role"]), changes.get("member_id"), tenant)
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
    if user_id is None or INTEGRATOR in identity.roles:
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
          now: datetime) -> TokenPair:
    """Check an e-mail and password under the brute-force throttle; issue a token pair."""
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
    throttle.record_success(account=email, ip=client_ip)
    with uow:
        if needs_rehash(user.password_hash, hasher=hasher):
            user.password_hash = hash_password(password, hasher=hasher)
        user.record_login(now)
        uow.users.save(user)
        pair = _issue(uow, issuer, user, family=uuid.uuid4(), now=now)
        uow.commit()
    return pair


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
        uow.commit()
    return ApiKeyView(key, tenant.slug, plaintext)


def list_api_keys(uow: UnitOfWork, tenant_slug: str, page: int,
                  per_page: int) -> Page[ApiKeyView]:
    with uow:
        tenant, _ = _tenant(uow, tenant_slug)
        keys, total = uow.api_keys.page(tenant.id, page, per_page)
        return Page([ApiKeyView(k, tenant.slug) for k in keys], total)


def revoke_api_key(uow: UnitOfWork, tenant_slug: str, key_uuid: UUID, *, now: datetime) -> None:
    """Revoke a key for good (revoking twice keeps the first date)."""
    with uow:
        tenant, _ = _tenant(uow, tenant_slug)
        key = uow.api_keys.get(key_uuid)
        if key is None or key.tenant_id != tenant.id:
            raise NotFound("API key")
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

