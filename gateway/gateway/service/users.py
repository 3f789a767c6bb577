"""Use cases of the users: creation, reading, changes, passwords, the signed-in user."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher

from chassis.auth import INTEGRATOR, Identity
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.errors import Forbidden, ValidationError
from gateway.domain.identifiers import normalize_email
from gateway.domain.model import (
    USER_ROLES,
    MemberStatus,
    Role,
    Tenant,
    User,
)
from gateway.domain.passwords import hash_password
from gateway.domain.reset import (
    INVITATION_TTL,
    issue_reset_token,
)
from gateway.domain.throttle import LoginThrottle
from gateway.errors import Conflict
from gateway.errors import UnknownResource as NotFound
from gateway.service.audit import record
from gateway.service.common import (
    Page,
    UserView,
    emit_account_link,
    emit_user_changed,
    load_tenant,
    subject_id,
)

log = logging.getLogger(__name__)


# --- users -------------------------------------------------------------------------------------


def create_user(
    uow: UnitOfWork,
    tenant_slug: str | None,
    data: Mapping[str, Any],
    *,
    actor: Identity | None,
    hasher: PasswordHasher,
    now: datetime,
    check_rules: bool = True,
) -> UserView:
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
            tenant, network = load_tenant(uow, tenant_slug)
        if role is not Role.OPERATOR and tenant is None:
            raise ValidationError("tenant", "required", "an animator or member belongs to a tenant")
        member_id = data.get("member_id") if role is Role.MEMBER else None
        if role is Role.MEMBER:
            if member_id is None:
                raise ValidationError(
                    "member_id", "required", "a member user belongs to one member company"
                )
            assert tenant is not None
            member = uow.members.get(member_id)
            if member is None or member.tenant_id != tenant.id:
                raise ValidationError(
                    "member_id", "unknown_member", "no member with this id in this tenant"
                )
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
            user = User(
                id=uuid.uuid4(),
                email=email,
                password_hash=hash_password(secrets.token_urlsafe(32), hasher=hasher),
                role=role,
                created_at=now,
                tenant_id=home.id if home else None,
                member_id=member_id,
            )
        elif check_rules:
            user = User.register(
                id=uuid.uuid4(),
                email=email,
                password=data.get("password"),  # type: ignore[arg-type]
                role=role,
                now=now,
                tenant_id=home.id if home else None,
                member_id=member_id,
                hasher=hasher,
            )
        else:
            user = User(
                id=uuid.uuid4(),
                email=email,
                password_hash=hash_password(str(data["password"]), hasher=hasher),
                role=role,
                created_at=now,
                tenant_id=home.id if home else None,
                member_id=member_id,
                password_changed_at=now,
            )
        if uow.users.email_taken(user.email):
            raise Conflict(
                "email", "an account with this e-mail address already exists", code="email_taken"
            )
        uow.users.add(user, home.slug if home else None)
        if home is not None and network is not None:
            emit_user_changed(uow, user, home, network)
        if invited:
            issued = issue_reset_token(user.id, now, ttl=INVITATION_TTL)
            uow.reset_tokens.add(issued.record, uuid.uuid4())
            emit_account_link(
                uow, events.UserInvited, user, issued, tenant_name=home.name if home else ""
            )
        record(
            uow,
            actor,
            "user_created",
            "user",
            user.id,
            network=network.slug if home and network else None,
            tenant=home.slug if home else None,
            now=now,
            email=user.email,
            role=user.role.value,
            invited=invited,
        )
        uow.commit()
    return UserView(user, home.slug if home else None, network.slug if home and network else None)


def get_user(uow: UnitOfWork, tenant_slug: str, user_id: UUID) -> UserView:
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        user = uow.users.get(user_id)
        if user is None or user.tenant_id != tenant.id:
            raise NotFound("user")
        return UserView(user, tenant.slug, network.slug)


def list_users(uow: UnitOfWork, tenant_slug: str, page: int, per_page: int) -> Page[UserView]:
    with uow:
        tenant, network = load_tenant(uow, tenant_slug)
        users, total = uow.users.page(tenant.id, page, per_page)
        return Page([UserView(u, tenant.slug, network.slug) for u in users], total)


def update_user(
    uow: UnitOfWork,
    tenant_slug: str | None,
    user_id: UUID,
    changes: Mapping[str, Any],
    *,
    actor: Identity,
    now: datetime,
) -> UserView:
    """Disable or enable an account, or change its role (a tenant's, or the operator's own).

    A disabled account cannot log in and its refresh tokens die at once; a role change also
    ends its sessions, since every token states the role. Nobody changes their own account
    this way (an animator could not lock the tenant out by mistake, nor promote themselves).
    """
    with uow:
        tenant = network = None
        if tenant_slug is not None:
            tenant, network = load_tenant(uow, tenant_slug)
        user = uow.users.get(user_id, lock=True)
        home = tenant.id if tenant is not None else None
        if (
            user is None
            or user.tenant_id != home
            or (home is None and user.role is not Role.OPERATOR)
        ):
            raise NotFound("user")
        if subject_id(actor) == user.id:
            raise Forbidden("you cannot disable your own account or change your own role")
        ended = False
        where: dict[str, Any] = {
            "network": network.slug if network else None,
            "tenant": tenant.slug if tenant else None,
            "now": now,
        }
        if "status" in changes and changes["status"] is not None:
            if changes["status"] == "disabled":
                ended = user.is_active
                if user.is_active:
                    record(uow, actor, "user_disabled", "user", user.id, **where, email=user.email)
                user.deactivate()
            else:
                if user.member_id is not None:
                    member = uow.members.get(user.member_id)
                    if member is not None and member.status is MemberStatus.LEFT:
                        raise ValidationError(
                            "status", "member_left", "this user's member company left the network"
                        )
                if not user.is_active:
                    record(uow, actor, "user_enabled", "user", user.id, **where, email=user.email)
                user.is_active = True
        if changes.get("role") is not None and changes["role"] != user.role.value:
            if tenant is None:
                raise ValidationError("role", "not_allowed", "an operator stays an operator")
            before = user.role.value
            _change_role(uow, user, Role(changes["role"]), changes.get("member_id"), tenant)
            record(
                uow,
                actor,
                "user_role_changed",
                "user",
                user.id,
                **where,
                email=user.email,
                old_role=before,
                role=user.role.value,
                member_id=user.member_id,
            )
            ended = True
        uow.users.save(user)
        if tenant is not None and network is not None:
            emit_user_changed(uow, user, tenant, network)
        if ended:
            uow.refresh_tokens.revoke_for_user(user.id, now)
        uow.commit()
    return UserView(user, tenant.slug if tenant else None, network.slug if network else None)


def _change_role(
    uow: UnitOfWork, user: User, role: Role, member_id: UUID | None, tenant: Tenant
) -> None:
    if role is Role.MEMBER:
        if member_id is None:
            raise ValidationError(
                "member_id", "required", "a member user belongs to one member company"
            )
        member = uow.members.get(member_id)
        if member is None or member.tenant_id != tenant.id:
            raise ValidationError(
                "member_id", "unknown_member", "no member with this id in this tenant"
            )
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


def change_password(
    uow: UnitOfWork,
    identity: Identity,
    current_password: str,
    new_password: str,
    *,
    client_ip: str | None,
    throttle: LoginThrottle,
    hasher: PasswordHasher,
    now: datetime,
) -> None:
    """A signed-in user changes their password; every refresh token of theirs dies.

    The current password is checked under the login throttle, so a stolen access token does
    not become a way to guess it.
    """
    user_id = subject_id(identity)
    if user_id is None or INTEGRATOR in identity.roles or not identity.roles:
        raise Forbidden("only a user account has a password")
    with uow:
        user = uow.users.get(user_id)
    if user is None:
        raise NotFound("user")
    throttle.ensure_allowed(account=user.email, ip=client_ip)
    if not user.check_password(current_password, hasher=hasher):
        throttle.record_failure(account=user.email, ip=client_ip)
        raise ValidationError(
            "current_password", "wrong_password", "this is not your current password"
        )
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
        return UserView(
            user, identity.tenant, identity.network, tenant.name if tenant is not None else None
        )
