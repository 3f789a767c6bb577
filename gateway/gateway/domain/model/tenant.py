"""A tenant (a territorial association) and its contact."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from gateway.domain.errors import DomainError, ValidationError
from gateway.domain.identifiers import (
    validate_departments,
    validate_email,
    validate_phone,
    validate_slug,
)
from gateway.domain.model.fields import (
    collect,
    label,
    optional,
    raise_if_any,
    set_field,
)

# --- tenants ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """Who to reach at an organisation; every part is optional."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        name = collect(
            errors,
            lambda: optional(self.name, lambda v, f: label(v, f, max_length=100), "contact.name"),
        )
        email = collect(errors, lambda: optional(self.email, validate_email, "contact.email"))
        phone = collect(errors, lambda: optional(self.phone, validate_phone, "contact.phone"))
        raise_if_any(errors)
        set_field(self, "name", name)
        set_field(self, "email", email)
        set_field(self, "phone", phone)

    @classmethod
    def from_mapping(cls, raw: Contact | Mapping[str, Any] | None) -> Contact | None:
        """Build a contact from ``{"name", "email", "phone"}``; None stays None."""
        if raw is None or isinstance(raw, Contact):
            return raw
        if not isinstance(raw, Mapping):
            raise ValidationError(
                "contact", "invalid_type", "must be an object {name, email, phone}"
            )
        return cls(name=raw.get("name"), email=raw.get("email"), phone=raw.get("phone"))


class TenantStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class TenantClosed(DomainError):
    """The tenant is closed: its users cannot sign in, its API keys do not work, nothing moves
    into it."""

    code = "tenant_closed"

    def __init__(self, message: str = "this association is closed") -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Tenant:
    """A territorial association of a network, covering some departments.

    Tenant-scoped paths are ``/t/<tenant slug>/…`` with no network in them, so a tenant's slug is
    unique across the whole deployment (a database constraint, not a rule checkable here).
    """

    id: UUID
    network_id: UUID
    slug: str
    name: str
    departments: tuple[str, ...]
    contact: Contact | None = None
    #: Closed by the operator: nothing is deleted, and reopening it restores everything.
    status: TenantStatus = TenantStatus.ACTIVE
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        slug = collect(errors, lambda: validate_slug(self.slug))
        name = collect(errors, lambda: label(self.name, "name", max_length=100))
        departments = collect(errors, lambda: validate_departments(self.departments))
        contact = collect(errors, lambda: Contact.from_mapping(self.contact))
        raise_if_any(errors)
        set_field(self, "slug", slug)
        set_field(self, "name", name)
        set_field(self, "departments", departments)
        set_field(self, "contact", contact)
        if not isinstance(self.status, TenantStatus):
            status = self.status
            if status not in {s.value for s in TenantStatus}:
                raise ValidationError("status", "unknown_value", "must be 'active' or 'closed'")
            set_field(self, "status", TenantStatus(status))

    @property
    def is_closed(self) -> bool:
        return self.status is TenantStatus.CLOSED

    def with_status(self, status: TenantStatus | str, now: datetime) -> Tenant:
        """The tenant closed (``closed_at`` now) or reopened; the same status changes nothing."""
        wanted = TenantStatus(status)
        if wanted is self.status:
            return self
        return replace(
            self, status=wanted, closed_at=now if wanted is TenantStatus.CLOSED else None
        )

    def ensure_open(self) -> None:
        """Raise ``TenantClosed`` when the operator closed the tenant."""
        if self.is_closed:
            raise TenantClosed(f"{self.name} is closed")

    def covers(self, department: str) -> bool:
        """Tell whether the tenant covers a (validated) department code."""
        return department in self.departments

    def ensure_covers(self, department: str, field: str = "department") -> None:
        """Raise unless the tenant covers `department`: members join the tenant of their area."""
        if not self.covers(department):
            covered = ", ".join(self.departments)
            raise ValidationError(
                field,
                "not_covered",
                f"department {department} is not covered by {self.name} (covers {covered})",
            )
