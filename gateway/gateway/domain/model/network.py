"""A network: its unit, its commission, its payment modes and limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from gateway.domain.errors import ValidationError
from gateway.domain.identifiers import (
    validate_slug,
)
from gateway.domain.model.fields import (
    MAX_CENTS,
    PAYMENT_MODES,
    ChargedIn,
    VatSettlement,
    choice,
    collect,
    integer,
    label,
    raise_if_any,
    set_field,
)

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
        code = collect(errors, lambda: label(self.code, "unit.code", max_length=10).upper())
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
        name = collect(errors, lambda: label(self.name, "unit.name", max_length=40))
        symbol = collect(errors, lambda: label(self.symbol, "unit.symbol", max_length=8))
        raise_if_any(errors)
        set_field(self, "code", code)
        set_field(self, "name", name)
        set_field(self, "symbol", symbol)

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
        rate = collect(errors, lambda: _rate(self.rate, "commission.rate"))
        charged_in = collect(
            errors, lambda: choice(self.charged_in, ChargedIn, "commission.charged_in")
        )
        raise_if_any(errors)
        set_field(self, "rate", rate)
        set_field(self, "charged_in", charged_in)

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


_DUE_DATE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
DIRECT_PAYMENTS = ("off", "request", "both")


@dataclass(frozen=True, slots=True)
class MembershipFee:
    """The yearly membership fee: ``amount`` in cents, charged in the unit or in euros, due at
    each member's admission (and its anniversaries) or on a date ``MM-DD``; a fee in euros
    unpaid ``grace_days`` after it fell due is reported to the animators."""

    amount: int
    charged_in: ChargedIn
    due: str = "admission"
    grace_days: int = 30
    period: str = "year"

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        field = "membership_fee"
        amount = collect(errors, lambda: _fee_amount(self.amount))
        charged_in = collect(
            errors, lambda: choice(self.charged_in, ChargedIn, f"{field}.charged_in")
        )
        if self.period != "year":
            errors.append(
                ValidationError(f"{field}.period", "unknown_value", "the only period is 'year'")
            )
        if not isinstance(self.due, str) or not (
            self.due == "admission" or _DUE_DATE.match(self.due)
        ):
            errors.append(
                ValidationError(
                    f"{field}.due", "bad_format", "'admission' or a date 'MM-DD' such as '01-31'"
                )
            )
        grace = collect(
            errors, lambda: integer(self.grace_days, f"{field}.grace_days", low=0, high=365)
        )
        raise_if_any(errors)
        set_field(self, "amount", amount)
        set_field(self, "charged_in", charged_in)
        set_field(self, "grace_days", grace)

    @classmethod
    def from_mapping(cls, raw: MembershipFee | Mapping[str, Any] | None) -> MembershipFee | None:
        """``{amount, period, charged_in, due, grace_days}``; None: no membership fee."""
        if raw is None or isinstance(raw, MembershipFee):
            return raw
        if not isinstance(raw, Mapping):
            raise ValidationError(
                "membership_fee",
                "invalid_type",
                "must be an object {amount, period, charged_in, due, grace_days}",
            )
        return cls(
            amount=raw.get("amount"),  # type: ignore[arg-type]
            charged_in=raw.get("charged_in", "unit"),
            due=raw.get("due", "admission"),
            grace_days=raw.get("grace_days", 30),
            period=raw.get("period", "year"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount": f"{self.amount // 100}.{self.amount % 100:02d}",
            "period": self.period,
            "charged_in": self.charged_in.value,
            "due": self.due,
            "grace_days": self.grace_days,
        }


def _fee_amount(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if value <= 0:
            raise ValidationError("membership_fee.amount", "out_of_range", "must be positive")
        return value  # cents already (from the database)
    field = "membership_fee.amount"
    if not isinstance(value, str | Decimal):
        raise ValidationError(field, "invalid_type", 'must be a decimal string such as "120.00"')
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError(field, "bad_format", 'must be a decimal such as "120.00"') from None
    if not amount.is_finite() or amount != amount.quantize(_CENT):
        raise ValidationError(field, "bad_format", "must be a decimal with at most 2 decimals")
    cents = int(amount * 100)
    if not 0 < cents <= MAX_CENTS:
        raise ValidationError(field, "out_of_range", "must be a positive amount")
    return cents


def _direct_payments(value: object) -> str:
    if value not in DIRECT_PAYMENTS:
        raise ValidationError(
            "direct_payments", "unknown_value", "must be 'off', 'request' or 'both'"
        )
    return str(value)


def _payment_modes(value: object, field: str = "payment_modes") -> tuple[int, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(field, "invalid_type", "must be a list such as [100, 50]")
    modes: set[int] = set()
    for mode in value:
        if isinstance(mode, bool) or not isinstance(mode, int | float) or mode not in PAYMENT_MODES:
            raise ValidationError(
                field, "unknown_value", f"{mode!r} is not a payment mode; use 100 and/or 50"
            )
        modes.add(int(mode))
    if not modes:
        raise ValidationError(field, "required", "at least one payment mode (100 or 50) is needed")
    return tuple(sorted(modes, reverse=True))


@dataclass(frozen=True, slots=True)
class MemberCategory:
    """A category of members (e.g. ``association``, ``startup``): the credit limit a member of it
    opens with and gets back when a temporary limit expires, and its optional maximum balance.
    Amounts in cents."""

    slug: str
    name: str
    default_credit_limit: int
    max_balance: int | None = None

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        field = "member_categories"
        slug = collect(errors, lambda: validate_slug(self.slug, f"{field}.slug"))
        name = collect(errors, lambda: label(self.name, f"{field}.name", max_length=100))
        limit = collect(
            errors,
            lambda: integer(
                self.default_credit_limit, f"{field}.default_credit_limit", low=0, high=MAX_CENTS
            ),
        )
        maximum = collect(
            errors,
            lambda: (
                None
                if self.max_balance is None
                else integer(self.max_balance, f"{field}.max_balance", low=0, high=MAX_CENTS)
            ),
        )
        raise_if_any(errors)
        set_field(self, "slug", slug)
        set_field(self, "name", name)
        set_field(self, "default_credit_limit", limit)
        set_field(self, "max_balance", maximum)

    @classmethod
    def from_mapping(cls, raw: MemberCategory | Mapping[str, Any]) -> MemberCategory:
        if isinstance(raw, MemberCategory):
            return raw
        if not isinstance(raw, Mapping):
            raise ValidationError(
                "member_categories",
                "invalid_type",
                "each category is an object {slug, name, default_credit_limit, max_balance}",
            )
        return cls(
            slug=raw.get("slug"),  # type: ignore[arg-type]
            name=raw.get("name"),  # type: ignore[arg-type]
            default_credit_limit=raw.get("default_credit_limit"),  # type: ignore[arg-type]
            max_balance=raw.get("max_balance"),
        )


def _member_categories(value: object) -> tuple[MemberCategory, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError("member_categories", "invalid_type", "must be a list of categories")
    categories = tuple(MemberCategory.from_mapping(raw) for raw in value)
    slugs = [c.slug for c in categories]
    if len(set(slugs)) != len(slugs):
        raise ValidationError("member_categories", "duplicate", "each category slug appears once")
    return categories


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
    member_categories: tuple[MemberCategory, ...] = ()
    #: Cents: a manual transfer above it waits for a second animator (four eyes); None: off.
    manual_transfer_approval_threshold: int | None = None
    membership_fee: MembershipFee | None = None
    #: Payments without an invoice: ``off``, ``request`` (payment requests), ``both`` (and
    #: direct payments by the buyer).
    direct_payments: str = "off"
    #: Payments without an invoice below this amount (cents) skip validation; 0: never.
    direct_payments_validation_threshold: int = 0

    def __post_init__(self) -> None:
        errors: list[ValidationError] = []
        checks: dict[str, Callable[[], object]] = {
            "slug": lambda: validate_slug(self.slug),
            "name": lambda: label(self.name, "name", max_length=100),
            "unit": lambda: Unit.from_mapping(self.unit),
            "default_credit_limit": lambda: integer(
                self.default_credit_limit, "default_credit_limit", low=0, high=MAX_CENTS
            ),
            "payment_modes": lambda: _payment_modes(self.payment_modes),
            "hold_expiry_days": lambda: integer(
                self.hold_expiry_days, "hold_expiry_days", low=1, high=365
            ),
            "vat_settlement": lambda: choice(self.vat_settlement, VatSettlement, "vat_settlement"),
            "commission": lambda: Commission.from_mapping(self.commission),
            "buyer_acceptance_required": lambda: _bool(
                self.buyer_acceptance_required, "buyer_acceptance_required"
            ),
            "need_expiry_days": lambda: integer(
                self.need_expiry_days, "need_expiry_days", low=1, high=730
            ),
            "staff_2fa_required": lambda: _bool(self.staff_2fa_required, "staff_2fa_required"),
            "member_categories": lambda: _member_categories(self.member_categories),
            "manual_transfer_approval_threshold": lambda: (
                None
                if self.manual_transfer_approval_threshold is None
                else integer(
                    self.manual_transfer_approval_threshold,
                    "manual_transfer_approval_threshold",
                    low=0,
                    high=MAX_CENTS,
                )
            ),
            "membership_fee": lambda: MembershipFee.from_mapping(self.membership_fee),
            "direct_payments": lambda: _direct_payments(self.direct_payments),
            "direct_payments_validation_threshold": lambda: integer(
                self.direct_payments_validation_threshold,
                "direct_payments_validation_threshold",
                low=0,
                high=MAX_CENTS,
            ),
        }
        values = {name: collect(errors, check) for name, check in checks.items()}
        raise_if_any(errors)
        for name, value in values.items():
            set_field(self, name, value)

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
        member_categories: Iterable[MemberCategory | Mapping[str, Any]] = (),
        manual_transfer_approval_threshold: int | None = None,
        membership_fee: MembershipFee | Mapping[str, Any] | None = None,
        direct_payments: str = "off",
        direct_payments_validation_threshold: int = 0,
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
            member_categories=member_categories,  # type: ignore[arg-type]
            manual_transfer_approval_threshold=manual_transfer_approval_threshold,
            membership_fee=membership_fee,  # type: ignore[arg-type]
            direct_payments=direct_payments,
            direct_payments_validation_threshold=direct_payments_validation_threshold,
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

    def category(self, slug: str) -> MemberCategory | None:
        return next((c for c in self.member_categories if c.slug == slug), None)

    def ensure_category(self, slug: object) -> str | None:
        """A member's category: one of the network's (None or blank: no category)."""
        if slug is None or (isinstance(slug, str) and not slug.strip()):
            return None
        if not isinstance(slug, str) or self.category(slug.strip()) is None:
            known = ", ".join(c.slug for c in self.member_categories) or "none"
            raise ValidationError(
                "category", "unknown_value", f"not a category of this network (known: {known})"
            )
        return slug.strip()

    def allows_payment_mode(self, mode: int) -> bool:
        """Tell whether invoices of this network may use payment mode `mode` (100 or 50)."""
        return mode in self.payment_modes
