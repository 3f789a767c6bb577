"""Two-factor login: time-based one-time passwords (TOTP, RFC 6238) and recovery codes.

The codes themselves come from pyotp (SHA-1, 6 digits, 30-second steps: what every
authenticator app reads from an ``otpauth://`` URI). The rules here: a code is accepted one step
either side of now (clock drift), never twice (the last accepted step is kept, so a code seen
over a shoulder cannot be replayed within its window), and recovery codes — ten, shown once —
are stored as SHA-256 hashes and work once each. A recovery code has 80 random bits: a fast
hash gives a thief of the table nothing to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp

from gateway.domain.errors import DomainError

#: How many steps of 30 s before and after now a code may belong to.
VALID_WINDOW = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class TotpRequired(DomainError):
    """The password is right; the account also needs a code of its authenticator app."""

    code = "totp_required"

    def __init__(self) -> None:
        super().__init__("this account needs a code of its authenticator app ('totp')")


class TotpInvalid(DomainError):
    """The code (or recovery code) is wrong, already used, or out of its time window."""

    code = "totp_invalid"

    def __init__(self) -> None:
        super().__init__(
            "this code is not valid; use the current code of your authenticator "
            "app or an unused recovery code"
        )


class TotpNotPending(DomainError):
    code = "totp_not_enrolled"

    def __init__(self) -> None:
        super().__init__("start the enrolment first (POST /auth/totp)")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def matching_step(secret: str, code: str, now: datetime, *, after: int | None) -> int | None:
    """The time step ``code`` belongs to (within the window, later than ``after``), or None."""
    digits = _clean(code)
    if not digits.isdigit() or len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def looks_like_recovery_code(code: str) -> bool:
    cleaned = _clean(code)
    return len(cleaned) == 16 and all(c in _RECOVERY_ALPHABET for c in cleaned)


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_clean(code).encode("ascii")).hexdigest()


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes like ``K7QP-2MXD-RT9A-4HCW`` (16 characters of a 32-letter alphabet: 80 bits)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


@dataclass(slots=True)
class TotpState:
    """A user's second factor: ``secret`` once confirmed, ``pending_secret`` while enrolling."""

    user_id: object
    secret: str | None = None
    pending_secret: str | None = None
    enabled_at: datetime | None = None
    last_step: int | None = None

    @property
    def enabled(self) -> bool:
        return self.secret is not None and self.enabled_at is not None
