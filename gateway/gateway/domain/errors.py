"""The gateway domain's error tree: every rule broken in `gateway.domain` raises one of these.

Standard library only. Codes are stable identifiers meant for API clients and problem documents;
messages are human-readable English and may change.
"""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A business rule of the gateway was broken; `code` names the rule."""

    code: str = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ValidationError(DomainError, ValueError):
    """One input field is invalid: `field` names it, `code` says why, `message` how to fix it."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.field = field

    def for_field(self, field: str) -> ValidationError:
        """Return the same error reported under another field name."""
        return ValidationError(field, self.code, self.message)

    def __repr__(self) -> str:
        return f"ValidationError({self.field!r}, {self.code!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValidationError):
            return NotImplemented
        return (self.field, self.code, self.message) == (other.field, other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.field, self.code, self.message))


class ValidationErrors(DomainError):
    """Several fields of one input are invalid; all of them are reported at once."""

    code = "invalid_fields"

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self.errors: tuple[ValidationError, ...] = tuple(errors)
        if not self.errors:
            raise ValueError("ValidationErrors needs at least one error")
        summary = "; ".join(f"{e.field}: {e.message}" for e in self.errors)
        super().__init__(summary)

    @property
    def fields(self) -> tuple[str, ...]:
        """The invalid fields, in the order they were reported."""
        return tuple(e.field for e in self.errors)


class InvalidTransition(DomainError):
    """A status change the current status does not allow (e.g. reinstating a member who left)."""

    code = "invalid_transition"


class Forbidden(DomainError):
    """The caller is known but is not allowed to do this (wrong role, tenant or scope)."""

    code = "forbidden"
