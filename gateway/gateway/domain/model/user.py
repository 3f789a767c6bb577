"""A user of the platform: its role, its password and what it may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast
from uuid import UUID

from argon2 import PasswordHasher

from gateway.domain.errors import Forbidden, ValidationError
from gateway.domain.identifiers import (
    validate_email,
)
from gateway.domain.model.fields import (
    USER_ROLES,
    Role,
    choice,
    collect,
    raise_if_any,
)
from gateway.domain.passwords import check_password_rules, hash_password, verify_password

# --- users ------------------------------------------------------------------------------------


@dataclass(slots=True)
class User:
    """A person's account: an operator, an animator of one tenant, or a user of one member.

    One role per account keeps every token unambiguous about its tenant.
    """

    id: UUID
    email: str
    password_hash: str
    role: Role
    created_at: datetime
    tenant_id: UUID | None = None
    member_id: UUID | None = None
    is_active: bool = True
    password_changed_at: datetime | None = None
    last_login_at: datetime | None = None

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        email = collect(errors, lambda: validate_email(self.email))
        role = collect(errors, lambda: choice(self.role, Role, "role"))
        if role is not None and role not in USER_ROLES:
            errors.append(
                ValidationError("role", "unknown_value", "must be operator, animator or member")
            )
        elif role is Role.OPERATOR and (self.tenant_id is not None or self.member_id is not None):
            errors.append(
                ValidationError("role", "bad_scope", "an operator belongs to no tenant or member")
            )
        elif role is Role.ANIMATOR and (self.tenant_id is None or self.member_id is not None):
            errors.append(
                ValidationError("role", "bad_scope", "an animator belongs to exactly one tenant")
            )
        elif role is Role.MEMBER and (self.tenant_id is None or self.member_id is None):
            errors.append(
                ValidationError(
                    "member_id", "required", "a member user belongs to one member company"
                )
            )
        raise_if_any(errors)
        self.email = cast(str, email)
        self.role = cast(Role, role)

    @classmethod
    def register(
        cls,
        *,
        id: UUID,
        email: str,
        password: str,
        role: Role | str,
        now: datetime,
        tenant_id: UUID | None = None,
        member_id: UUID | None = None,
        hasher: PasswordHasher | None = None,
    ) -> User:
        """Create an account, checking the password rules and hashing the password."""
        errors: list[ValidationError] = []
        clean_email = collect(errors, lambda: validate_email(email))
        collect(errors, lambda: check_password_rules(password, email=clean_email))
        raise_if_any(errors)
        return cls(
            id=id,
            email=email,
            password_hash=hash_password(password, hasher=hasher),
            role=role,  # type: ignore[arg-type]
            created_at=now,
            tenant_id=tenant_id,
            member_id=member_id,
            password_changed_at=now,
        )

    def check_password(self, password: str, *, hasher: PasswordHasher | None = None) -> bool:
        """Tell whether `password` is this user's; an inactive account never matches."""
        return self.is_active and verify_password(self.password_hash, password, hasher=hasher)

    def change_password(
        self, new_password: str, now: datetime, *, hasher: PasswordHasher | None = None
    ) -> None:
        """Set a new password that meets the rules (after a reset, or by the user)."""
        check_password_rules(new_password, email=self.email)
        self.password_hash = hash_password(new_password, hasher=hasher)
        self.password_changed_at = now

    def record_login(self, now: datetime) -> None:
        """Remember a successful login."""
        self.last_login_at = now

    def deactivate(self) -> None:
        """Close the account: it can no longer log in (its history stays)."""
        self.is_active = False

    def acts_in_tenant(self, tenant_id: UUID) -> bool:
        """Tell whether this user may act in `tenant_id` at all (operators act everywhere)."""
        return self.role is Role.OPERATOR or self.tenant_id == tenant_id

    def ensure_can_administer(self, tenant_id: UUID) -> None:
        """Raise unless the user runs `tenant_id`: an operator, or an animator of that tenant.

        Admitting members, creating users and API keys all need this.
        """
        if self.role is Role.OPERATOR:
            return
        if self.role is not Role.ANIMATOR or self.tenant_id != tenant_id:
            raise Forbidden("only the tenant's animators (or the operator) may do this")

    def ensure_can_create_user(self, role: Role, tenant_id: UUID | None) -> None:
        """Raise unless this user may create an account of `role` in `tenant_id`.

        The operator creates operators and a tenant's first animators; animators create the
        other animators and the member users of their own tenant.
        """
        if self.role is Role.OPERATOR:
            return
        if role is Role.OPERATOR or tenant_id is None:
            raise Forbidden("only the operator may create operator accounts")
        self.ensure_can_administer(tenant_id)
