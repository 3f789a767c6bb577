"""The directory's shared enumerations and bounds, and the checks its aggregates are built from."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import TypeVar

from gateway.domain.errors import ValidationError, ValidationErrors

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


def collect(errors: list[ValidationError], check: Callable[[], T]) -> T | None:
    """Run one check, keeping its errors for a combined report instead of stopping at the first."""
    try:
        return check()
    except ValidationError as error:
        errors.append(error)
    except ValidationErrors as group:
        errors.extend(group.errors)
    return None


def raise_if_any(errors: list[ValidationError]) -> None:
    if errors:
        raise ValidationErrors(errors)


def label(value: object, field: str, *, max_length: int) -> str:
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


def optional(value: object, validate: Callable[[object, str], T], field: str) -> T | None:
    """Validate a value that may be absent (None or blank)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate(value, field)


def integer(value: object, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "invalid_type", "must be a whole number")
    if not low <= value <= high:
        raise ValidationError(field, "out_of_range", f"must be between {low} and {high}")
    return value


def choice(value: object, enum_type: type[E], field: str) -> E:
    if isinstance(value, str):
        try:
            return enum_type(value)
        except ValueError:
            pass
    allowed = " or ".join(repr(m.value) for m in enum_type)
    raise ValidationError(field, "unknown_value", f"must be {allowed}")


def set_field(instance: object, name: str, value: object) -> None:
    """Store a normalised value on a frozen dataclass during its own validation."""
    object.__setattr__(instance, name, value)
