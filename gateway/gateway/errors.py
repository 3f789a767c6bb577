"""Errors of the gateway's use cases, beyond the domain's own tree (``gateway.domain.errors``).

Standard library and the domain only; ``gateway.api`` maps each to its HTTP status in one table.
"""

from __future__ import annotations

from gateway.domain.csv_import import ImportReport
from gateway.domain.errors import DomainError


class InvalidCredentials(DomainError):
    """Wrong e-mail or password; deliberately silent about which."""

    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("the e-mail address or the password is wrong")


class InvalidGrant(DomainError):
    """A refresh token unknown, expired, revoked or replayed (RFC 6749 ``invalid_grant``)."""

    code = "invalid_grant"

    def __init__(self, message: str = "this refresh token is not valid; log in again") -> None:
        super().__init__(message)


class Conflict(DomainError):
    """The thing to create already exists (a slug, an e-mail address, a SIRET in the network)."""

    code = "conflict"

    def __init__(self, field: str, message: str, *, code: str = "conflict") -> None:
        super().__init__(message, code=code)
        self.field = field


class Unprocessable(DomainError):
    """A well-formed request the rules refuse, with its own code, about one field (422)."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.field = field


class ImportRefused(DomainError):
    """A members CSV with at least one bad row: nobody was admitted."""

    code = "import_refused"

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} problem(s) in the file; nobody was admitted")
        self.report = report


class UnknownResource(DomainError):
    """A network, tenant, member, user or key that does not exist (or is another tenant's)."""

    code = "not_found"

    def __init__(self, what: str) -> None:
        super().__init__(f"no such {what}")


class UpstreamRefused(DomainError):
    """A service refused what the gateway asked on the caller's behalf: its status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status = status


class UpstreamUnavailable(DomainError):
    """A service the change depends on did not answer: nothing was changed."""

    code = "service_unavailable"

    def __init__(self, service: str) -> None:
        super().__init__(f"the {service} service is not available; try again shortly")
