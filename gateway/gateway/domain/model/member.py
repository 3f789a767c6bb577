"""A member company: its application, its address and the rules of its life cycle."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from gateway.domain.errors import InvalidTransition, ValidationError
from gateway.domain.identifiers import (
    ensure_identifiers_consistent,
    siren_of,
    validate_department,
    validate_email,
    validate_naf,
    validate_phone,
    validate_siret,
    validate_vat_number,
)
from gateway.domain.model.fields import (
    MemberStatus,
    collect,
    label,
    optional,
    raise_if_any,
    set_field,
)
from gateway.domain.model.tenant import Tenant

# --- members ----------------------------------------------------------------------------------

_ADDRESS = re.compile(r"^(?P<street>.+?)[\s,]+(?P<postal_code>\d{5})[\s,]+(?P<city>\S.*)$")


@dataclass(frozen=True, slots=True)
class Address:
    """A French postal address, structured as invoices (Factur-X) need it."""

    street: str
    postal_code: str
    city: str

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        street = collect(errors, lambda: label(self.street, "address.street", max_length=200))
        postal = collect(
            errors, lambda: label(self.postal_code, "address.postal_code", max_length=10)
        )
        if postal is not None:
            postal = postal.replace(" ", "")
            if not (len(postal) == 5 and postal.isascii() and postal.isdigit()):
                errors.append(
                    ValidationError(
                        "address.postal_code", "bad_format", "a French postal code has 5 digits"
                    )
                )
        city = collect(errors, lambda: label(self.city, "address.city", max_length=100))
        raise_if_any(errors)
        set_field(self, "street", street)
        set_field(self, "postal_code", postal)
        set_field(self, "city", city)

    @classmethod
    def parse(cls, text: object, field: str = "address") -> Address:
        """Read a one-line address ``"12 rue de la Paix, 75002 Paris"`` (street, code, city)."""
        line = label(text, field, max_length=320)
        match = _ADDRESS.match(line)
        if match is None:
            raise ValidationError(
                field,
                "bad_format",
                "write the address as street, postal code and city: 12 rue de la Paix, 75002 Paris",
            )
        return cls(
            street=match["street"].rstrip(" ,"),
            postal_code=match["postal_code"],
            city=match["city"],
        )

    @classmethod
    def from_value(cls, raw: Address | Mapping[str, Any] | str) -> Address:
        """Build an address from an `Address`, a ``{street, postal_code, city}`` or one line."""
        if isinstance(raw, Address):
            return raw
        if isinstance(raw, Mapping):
            return cls(
                street=raw.get("street"),  # type: ignore[arg-type]
                postal_code=raw.get("postal_code"),  # type: ignore[arg-type]
                city=raw.get("city"),  # type: ignore[arg-type]
            )
        return cls.parse(raw)

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True, slots=True)
class MemberApplication:
    """The validated details of a company asking to join: what admission and CSV import share.

    SIRET, VAT number and NAF code are normalised; the VAT number, when given, must be the one
    of the SIRET's company. Whether the department is the tenant's and the SIRET is new to the
    network is checked at admission, where the tenant and the directory are known.
    """

    name: str
    siret: str
    address: Address
    department: str
    email: str
    vat_number: str | None = None
    naf: str | None = None
    phone: str | None = None

    @property
    def siren(self) -> str:
        """The company's SIREN, the first nine digits of its SIRET."""
        return siren_of(self.siret)

    @classmethod
    def parse(
        cls,
        *,
        name: object,
        siret: object,
        address: object,
        department: object,
        email: object,
        vat_number: object = None,
        naf: object = None,
        phone: object = None,
    ) -> MemberApplication:
        """Validate raw values; raise `ValidationErrors` naming every bad field."""
        errors: list[ValidationError] = []
        clean_name = collect(errors, lambda: label(name, "name", max_length=200))
        clean_siret = collect(errors, lambda: validate_siret(siret))
        clean_vat = collect(errors, lambda: optional(vat_number, validate_vat_number, "vat_number"))
        clean_naf = collect(errors, lambda: optional(naf, validate_naf, "naf"))
        clean_address = collect(errors, lambda: Address.from_value(address))  # type: ignore[arg-type]
        clean_department = collect(errors, lambda: validate_department(department))
        clean_email = collect(errors, lambda: validate_email(email))
        clean_phone = collect(errors, lambda: optional(phone, validate_phone, "phone"))
        if clean_siret is not None and clean_vat is not None:
            collect(
                errors,
                lambda: ensure_identifiers_consistent(siret=clean_siret, vat_number=clean_vat),
            )
        raise_if_any(errors)
        return cls(
            name=clean_name,  # type: ignore[arg-type]
            siret=clean_siret,  # type: ignore[arg-type]
            address=clean_address,  # type: ignore[arg-type]
            department=clean_department,  # type: ignore[arg-type]
            email=clean_email,  # type: ignore[arg-type]
            vat_number=clean_vat,
            naf=clean_naf,
            phone=clean_phone,
        )


def ensure_siret_not_taken(
    siret: str, existing_sirets: Collection[str], field: str = "siret"
) -> None:
    """Raise if a member of the network already has this SIRET: one establishment, one account."""
    if siret in existing_sirets:
        raise ValidationError(
            field, "duplicate", f"a member of this network already has SIRET {siret}"
        )


#: Member fields an animator may amend after admission (the SIRET is the member's identity).
_AMENDABLE = frozenset({"name", "vat_number", "naf", "address", "department", "email", "phone"})


@dataclass(slots=True)
class Member:
    """A member company of a tenant, as the directory records it."""

    id: UUID
    tenant_id: UUID
    network_id: UUID
    name: str
    siret: str
    address: Address
    department: str
    email: str
    admitted_at: datetime
    vat_number: str | None = None
    naf: str | None = None
    phone: str | None = None
    status: MemberStatus = MemberStatus.ADMITTED
    status_changed_at: datetime | None = None
    #: When its details or status last changed (set by the store; the ``updated_since`` feed).
    updated_at: datetime | None = None
    #: One of its network's member categories (checked against the network by the use case).
    category: str | None = None

    def move_to(self, tenant_id: UUID, now: datetime) -> None:
        """Belong to another tenant of the same network (the operator moved the member)."""
        self.tenant_id = tenant_id
        self.updated_at = now

    @property
    def siren(self) -> str:
        """The company's SIREN."""
        return siren_of(self.siret)

    @classmethod
    def admit(
        cls,
        application: MemberApplication,
        *,
        id: UUID,
        tenant: Tenant,
        existing_sirets: Collection[str],
        now: datetime,
    ) -> Member:
        """Admit a company into `tenant`: department covered, SIRET new to the network."""
        errors: list[ValidationError] = []
        collect(errors, lambda: tenant.ensure_covers(application.department))
        collect(errors, lambda: ensure_siret_not_taken(application.siret, existing_sirets))
        raise_if_any(errors)
        return cls(
            id=id,
            tenant_id=tenant.id,
            network_id=tenant.network_id,
            name=application.name,
            siret=application.siret,
            address=application.address,
            department=application.department,
            email=application.email,
            vat_number=application.vat_number,
            naf=application.naf,
            phone=application.phone,
            admitted_at=now,
            status_changed_at=now,
        )

    def amend(self, *, tenant: Tenant, **changes: Any) -> None:
        """Change some details (not the SIRET); every value is validated as at admission."""
        self.ensure_has_not_left()
        for name in changes:
            if name == "siret":
                raise ValidationError(
                    "siret", "immutable", "a member's SIRET cannot change; admit the new company"
                )
            if name not in _AMENDABLE:
                raise ValidationError(name, "unknown_field", "is not an amendable member detail")
        current = {name: getattr(self, name) for name in _AMENDABLE}
        application = MemberApplication.parse(siret=self.siret, **{**current, **changes})
        tenant.ensure_covers(application.department)
        for name in _AMENDABLE:
            setattr(self, name, getattr(application, name))

    # Rule-named guards of the status machine: admitted <-> suspended, either -> left (final).

    def ensure_has_not_left(self) -> None:
        """Raise if the member left the network: that is final."""
        if self.status is MemberStatus.LEFT:
            raise InvalidTransition("this member has left the network; admit it again as new")

    def ensure_can_be_suspended(self) -> None:
        """Raise unless the member is admitted."""
        self.ensure_has_not_left()
        if self.status is not MemberStatus.ADMITTED:
            raise InvalidTransition("only an admitted member can be suspended")

    def ensure_can_be_reinstated(self) -> None:
        """Raise unless the member is suspended."""
        self.ensure_has_not_left()
        if self.status is not MemberStatus.SUSPENDED:
            raise InvalidTransition("only a suspended member can be reinstated")

    def ensure_can_trade(self) -> None:
        """Raise unless the member is admitted (suspended and departed members cannot trade)."""
        if self.status is not MemberStatus.ADMITTED:
            raise InvalidTransition(f"this member is {self.status.value} and cannot trade")

    def suspend(self, now: datetime) -> None:
        """Suspend an admitted member."""
        self.ensure_can_be_suspended()
        self._move_to(MemberStatus.SUSPENDED, now)

    def reinstate(self, now: datetime) -> None:
        """Readmit a suspended member."""
        self.ensure_can_be_reinstated()
        self._move_to(MemberStatus.ADMITTED, now)

    def leave(self, now: datetime) -> None:
        """Record that the member left the network, for good."""
        self.ensure_has_not_left()
        self._move_to(MemberStatus.LEFT, now)

    def _move_to(self, status: MemberStatus, now: datetime) -> None:
        self.status = status
        self.status_changed_at = now
