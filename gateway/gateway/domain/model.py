"""The gateway's directory: networks, tenants, members and users, with the rules that guard them.

Standard library (and the sibling domain modules) only; no Flask, no SQLAlchemy. Money is integer
cents, rates are `Decimal` percents. Constructors validate and normalise their fields and raise
`ValidationErrors` naming every bad field at once; the `create`/`parse` class methods take raw
API or CSV values.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast
from uuid import UUID

from argon2 import PasswordHasher

from gateway.domain.errors import Forbidden, InvalidTransition, ValidationError, ValidationErrors
from gateway.domain.identifiers import (
    ensure_identifiers_consistent,
    siren_of,
    validate_department,
    validate_departments,
    validate_email,
    validate_naf,
    validate_phone,
    validate_siret,
    validate_slug,
    validate_vat_number,
)
from gateway.domain.passwords import check_password_rules, hash_password, verify_password

__all__ = [
    "MAX_CENTS",
    "PAYMENT_MODES",
    "USER_ROLES",
    "Address",
    "ChargedIn",
    "Commission",
    "Contact",
    "Member",
    "MemberApplication",
    "MemberStatus",
    "Network",
    "Role",
    "Tenant",
    "Unit",
    "User",
    "VatSettlement",
    "ensure_siret_not_taken",
]

#: Largest amount in cents accepted anywhere; the same bound as `chassis.money.MAX_CENTS`.
MAX_CENTS = 10**13
#: Shares of an invoice that may be paid in the network's unit ("paiement par compensation").
PAYMENT_MODES: frozenset[int] = frozenset({100, 50})

T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)


class Role(enum.StrEnum):
    """Who someone is on the platform (`DESIGN.md` §7)."""

    OPERATOR = "operator"  # the hosting operator: every network
    ANIMATOR = "animator"  # staff of one tenant (a territorial association)
    MEMBER = "member"  # a user of one member company of one tenant
    INTEGRATOR = "integrator"  # an outside system, through an API key; never a user's role


#: The roles a user account may hold (integrators authenticate with API keys, not accounts).
USER_ROLES: frozenset[Role] = frozenset({Role.OPERATOR, Role.ANIMATOR, Role.MEMBER})


class VatSettlement(enum.StrEnum):
    """Whether an invoice's VAT is part of the unit share or always paid in euros."""

    UNIT = "unit"
    EURO = "euro"


class ChargedIn(enum.StrEnum):
    """The money in which the network's commission is charged."""

    UNIT = "unit"
    EURO = "euro"


class MemberStatus(enum.StrEnum):
    """Where a member company stands in its network; `LEFT` is final."""

    ADMITTED = "admitted"
    SUSPENDED = "suspended"
    LEFT = "left"


# --- field helpers ----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _collect(errors: list[ValidationError], check: Callable[[], T]) -> T | None:
    """Run one check, keeping its errors for a combined report instead of stopping at the first."""
    try:
        return check()
    except ValidationError as error:
        errors.append(error)
    except ValidationErrors as group:
        errors.extend(group.errors)
    return None


def _raise_if_any(errors: list[ValidationError]) -> None:
    if errors:
        raise ValidationErrors(errors)


def _label(value: object, field: str, *, max_length: int) -> str:
    """Return a stripped one-line text of 1 to `max_length` characters."""
    if not isinstance(value, str):
        raise ValidationError(field, "invalid_type", "must be given as text")
    text = " ".join(value.split())
    if not text:
        raise ValidationError(field, "required", "is required")
    if len(text) > max_length:
        raise ValidationError(field, "bad_length", f"must have at most {max_length} characters")
    if _CONTROL.search(text):
        raise ValidationError(field, "bad_format", "must not contain control characters")
    return text


def _optional(value: object, validate: Callable[[object, str], T], field: str) -> T | None:
    """Validate a value that may be absent (None or blank)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate(value, field)


def _integer(value: object, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "invalid_type", "must be a whole number")
    if not low <= value <= high:
        raise ValidationError(field, "out_of_range", f"must be between {low} and {high}")
    return value


def _choice(value: object, enum_type: type[E], field: str) -> E:
    if isinstance(value, str):
        try:
            return enum_type(value)
        except ValueError:
            pass
    allowed = " or ".join(repr(m.value) for m in enum_type)
    raise ValidationError(field, "unknown_value", f"must be {allowed}")


def _set(instance: object, name: str, value: object) -> None:
    """Store a normalised value on a frozen dataclass during its own validation."""
    object.__setattr__(instance, name, value)


# --- networks ---------------------------------------------------------------------------------

_UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@dataclass(frozen=True, slots=True)
class Unit:
    """A network's unit of account: the Actif for Troc Actif (``ACT``, ``Actif``, ``Ⓐ``)."""

    code: str
    name: str
    symbol: str

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        code = _collect(errors, lambda: _label(self.code, "unit.code", max_length=10).upper())
        if code is not None:
            if not _UNIT_CODE.match(code):
                errors.append(
                    ValidationError(
                        "unit.code", "bad_format", "2 to 10 capital letters or digits, e.g. ACT"
                    )
                )
            elif code == "EUR":
                errors.append(
                    ValidationError(
                        "unit.code",
                        "reserved",
                        "a network's unit is never the euro; choose its own code, e.g. ACT",
                    )
                )
        name = _collect(errors, lambda: _label(self.name, "unit.name", max_length=40))
        symbol = _collect(errors, lambda: _label(self.symbol, "unit.symbol", max_length=8))
        _raise_if_any(errors)
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "symbol", symbol)

    @classmethod
    def from_mapping(cls, raw: Unit | Mapping[str, Any]) -> Unit:
        """Build a unit from ``{"code", "name", "symbol"}``."""
        if isinstance(raw, Unit):
            return raw
        if not isinstance(raw, Mapping):
            raise ValidationError("unit", "invalid_type", "must be an object {code, name, symbol}")
        return cls(code=raw.get("code"), name=raw.get("name"), symbol=raw.get("symbol"))  # type: ignore[arg-type]


_CENT = Decimal("0.01")


def _rate(value: object, field: str) -> Decimal:
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise ValidationError(field, "invalid_type", 'must be a decimal string such as "5"')
    try:
        rate = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError(
            field, "bad_format", 'must be a decimal such as "5" or "2.5"'
        ) from None
    if not rate.is_finite() or rate != rate.quantize(_CENT):
        raise ValidationError(field, "bad_format", "must be a decimal with at most 2 decimals")
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError(field, "out_of_range", "must be a percentage between 0 and 100")
    return rate


@dataclass(frozen=True, slots=True)
class Commission:
    """The network's fee on each settled invoice, in percent of the whole invoiced amount."""

    rate: Decimal
    charged_in: ChargedIn

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        rate = _collect(errors, lambda: _rate(self.rate, "commission.rate"))
        charged_in = _collect(
            errors, lambda: _choice(self.charged_in, ChargedIn, "commission.charged_in")
        )
        _raise_if_any(errors)
        _set(self, "rate", rate)
        _set(self, "charged_in", charged_in)

    @classmethod
    def none(cls) -> Commission:
        """No commission at all."""
        return cls(rate=Decimal(0), charged_in=ChargedIn.EURO)

    @classmethod
    def from_mapping(cls, raw: Commission | Mapping[str, Any] | None) -> Commission:
        """Build a commission from ``{"rate", "charged_in"}``; None means no commission."""
        if raw is None:
            return cls.none()
        if isinstance(raw, Commission):
            return raw
        if not isinstance(raw, Mapping):
            raise ValidationError(
                "commission", "invalid_type", "must be an object {rate, charged_in}"
            )
        return cls(rate=raw.get("rate"), charged_in=raw.get("charged_in"))  # type: ignore[arg-type]


def _payment_modes(value: object, field: str = "payment_modes") -> tuple[int, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(field, "invalid_type", "must be a list such as [100, 50]")
    modes: set[int] = set()
    for mode in value:
        if isinstance(mode, bool) or mode not in PAYMENT_MODES:
            raise ValidationError(
                field, "unknown_value", f"{mode!r} is not a payment mode; use 100 and/or 50"
            )
        modes.add(int(mode))
    if not modes:
        raise ValidationError(field, "required", "at least one payment mode (100 or 50) is needed")
    return tuple(sorted(modes, reverse=True))


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, "invalid_type", "must be true or false")
    return value


@dataclass(frozen=True, slots=True)
class Network:
    """A barter network: its unit and the settings every tenant of it shares.

    `slug` is immutable: it names the network in URLs and in bus routing keys.
    """

    id: UUID
    slug: str
    name: str
    unit: Unit
    default_credit_limit: int
    payment_modes: tuple[int, ...]
    hold_expiry_days: int
    vat_settlement: VatSettlement
    commission: Commission
    buyer_acceptance_required: bool = True
    need_expiry_days: int = 90
    #: Animators (and the operator) must log in with a second factor (TOTP).
    staff_2fa_required: bool = False

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        checks: dict[str, Callable[[], object]] = {
            "slug": lambda: validate_slug(self.slug),
            "name": lambda: _label(self.name, "name", max_length=100),
            "unit": lambda: Unit.from_mapping(self.unit),
            "default_credit_limit": lambda: _integer(
                self.default_credit_limit, "default_credit_limit", low=0, high=MAX_CENTS
            ),
            "payment_modes": lambda: _payment_modes(self.payment_modes),
            "hold_expiry_days": lambda: _integer(
                self.hold_expiry_days, "hold_expiry_days", low=1, high=365
            ),
            "vat_settlement": lambda: _choice(self.vat_settlement, VatSettlement, "vat_settlement"),
            "commission": lambda: Commission.from_mapping(self.commission),
            "buyer_acceptance_required": lambda: _bool(
                self.buyer_acceptance_required, "buyer_acceptance_required"
            ),
            "need_expiry_days": lambda: _integer(
                self.need_expiry_days, "need_expiry_days", low=1, high=730
            ),
            "staff_2fa_required": lambda: _bool(self.staff_2fa_required, "staff_2fa_required"),
        }
        values = {name: _collect(errors, check) for name, check in checks.items()}
        _raise_if_any(errors)
        for name, value in values.items():
            _set(self, name, value)

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        slug: str,
        name: str,
        unit: Unit | Mapping[str, Any],
        default_credit_limit: int,
        payment_modes: Iterable[int],
        hold_expiry_days: int,
        vat_settlement: VatSettlement | str,
        commission: Commission | Mapping[str, Any] | None = None,
        buyer_acceptance_required: bool = True,
        need_expiry_days: int = 90,
        staff_2fa_required: bool = False,
    ) -> Network:
        """Create a network from raw values (unit and commission may be plain mappings)."""
        return cls(
            id=id,
            slug=slug,
            name=name,
            unit=unit,  # type: ignore[arg-type]
            default_credit_limit=default_credit_limit,
            payment_modes=payment_modes,  # type: ignore[arg-type]
            hold_expiry_days=hold_expiry_days,
            vat_settlement=vat_settlement,  # type: ignore[arg-type]
            commission=commission,  # type: ignore[arg-type]
            buyer_acceptance_required=buyer_acceptance_required,
            need_expiry_days=need_expiry_days,
            staff_2fa_required=staff_2fa_required,
        )

    def with_changes(self, **changes: Any) -> Network:
        """Return the network with some settings changed; `id` and `slug` cannot change."""
        known = {f.name for f in fields(self)}
        for name in changes:
            if name in ("id", "slug"):
                raise ValidationError(name, "immutable", "cannot be changed once created")
            if name not in known:
                raise ValidationError(name, "unknown_field", "is not a network setting")
        return replace(self, **changes)

    def allows_payment_mode(self, mode: int) -> bool:
        """Tell whether invoices of this network may use payment mode `mode` (100 or 50)."""
        return mode in self.payment_modes


# --- tenants ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """Who to reach at an organisation; every part is optional."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        name = _collect(
            errors,
            lambda: _optional(self.name, lambda v, f: _label(v, f, max_length=100), "contact.name"),
        )
        email = _collect(errors, lambda: _optional(self.email, validate_email, "contact.email"))
        phone = _collect(errors, lambda: _optional(self.phone, validate_phone, "contact.phone"))
        _raise_if_any(errors)
        _set(self, "name", name)
        _set(self, "email", email)
        _set(self, "phone", phone)

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

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        slug = _collect(errors, lambda: validate_slug(self.slug))
        name = _collect(errors, lambda: _label(self.name, "name", max_length=100))
        departments = _collect(errors, lambda: validate_departments(self.departments))
        contact = _collect(errors, lambda: Contact.from_mapping(self.contact))
        _raise_if_any(errors)
        _set(self, "slug", slug)
        _set(self, "name", name)
        _set(self, "departments", departments)
        _set(self, "contact", contact)

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
        street = _collect(errors, lambda: _label(self.street, "address.street", max_length=200))
        postal = _collect(
            errors, lambda: _label(self.postal_code, "address.postal_code", max_length=10)
        )
        if postal is not None:
            postal = postal.replace(" ", "")
            if not (len(postal) == 5 and postal.isascii() and postal.isdigit()):
                errors.append(
                    ValidationError(
                        "address.postal_code", "bad_format", "a French postal code has 5 digits"
                    )
                )
        city = _collect(errors, lambda: _label(self.city, "address.city", max_length=100))
        _raise_if_any(errors)
        _set(self, "street", street)
        _set(self, "postal_code", postal)
        _set(self, "city", city)

    @classmethod
    def parse(cls, text: object, field: str = "address") -> Address:
        """Read a one-line address ``"12 rue de la Paix, 75002 Paris"`` (street, code, city)."""
        line = _label(text, field, max_length=320)
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
        clean_name = _collect(errors, lambda: _label(name, "name", max_length=200))
        clean_siret = _collect(errors, lambda: validate_siret(siret))
        clean_vat = _collect(
            errors, lambda: _optional(vat_number, validate_vat_number, "vat_number")
        )
        clean_naf = _collect(errors, lambda: _optional(naf, validate_naf, "naf"))
        clean_address = _collect(errors, lambda: Address.from_value(address))  # type: ignore[arg-type]
        clean_department = _collect(errors, lambda: validate_department(department))
        clean_email = _collect(errors, lambda: validate_email(email))
        clean_phone = _collect(errors, lambda: _optional(phone, validate_phone, "phone"))
        if clean_siret is not None and clean_vat is not None:
            _collect(
                errors,
                lambda: ensure_identifiers_consistent(siret=clean_siret, vat_number=clean_vat),
            )
        _raise_if_any(errors)
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
        _collect(errors, lambda: tenant.ensure_covers(application.department))
        _collect(errors, lambda: ensure_siret_not_taken(application.siret, existing_sirets))
        _raise_if_any(errors)
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
        email = _collect(errors, lambda: validate_email(self.email))
        role = _collect(errors, lambda: _choice(self.role, Role, "role"))
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
        _raise_if_any(errors)
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
        clean_email = _collect(errors, lambda: validate_email(email))
        _collect(errors, lambda: check_password_rules(password, email=clean_email))
        _raise_if_any(errors)
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
