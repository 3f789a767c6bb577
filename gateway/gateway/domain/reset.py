"""Password reset tokens: random, stored hashed, short-lived and usable once.

Standard library only. The plaintext token goes into the e-mailed link and nowhere else; the
gateway stores `token_hash` (unique index) and finds the record by hashing what the link brings
back. As with API keys, SHA-256 suffices: the token has 256 bits of entropy, so a fast hash
gives an attacker nothing to guess, and a leaked table gives no usable link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from gateway.domain.errors import DomainError

__all__ = [
    "INVITATION_TTL",
    "RESET_TOKEN_TTL",
    "IssuedResetToken",
    "ResetToken",
    "ResetTokenExpired",
    "ResetTokenInvalid",
    "ResetTokenUsed",
    "hash_reset_token",
    "issue_reset_token",
]

#: Long enough to open the e-mail, short enough that an old mailbox leak is harmless.
RESET_TOKEN_TTL = timedelta(minutes=30)
#: An invitation to a new account waits longer: its owner may not read e-mail every day.
INVITATION_TTL = timedelta(days=7)
_TOKEN_BYTES = 32


class ResetTokenInvalid(DomainError):
    """The token does not match any reset request (mistyped, forged, or superseded)."""

    code = "reset_token_invalid"

    def __init__(self, message: str = "this password reset link is not valid") -> None:
        super().__init__(message)


class ResetTokenExpired(ResetTokenInvalid):
    """The token is past its expiry; the user must ask for a new link."""

    code = "reset_token_expired"

    def __init__(self) -> None:
        super().__init__("this password reset link has expired; ask for a new one")


class ResetTokenUsed(ResetTokenInvalid):
    """The token has already been used (or cancelled); it works once only."""

    code = "reset_token_used"

    def __init__(self) -> None:
        super().__init__("this password reset link has already been used; ask for a new one")


def hash_reset_token(token: str) -> str:
    """Return the stored (and looked-up) form of a token: its SHA-256 hex digest."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ResetToken:
    """A pending password reset of one user, as the gateway stores it."""

    user_id: UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def ensure_redeemable(self, presented: str, now: datetime) -> None:
        """Raise unless `presented` is this token, unused and unexpired at `now`."""
        if not hmac.compare_digest(hash_reset_token(presented), self.token_hash):
            raise ResetTokenInvalid()
        if self.used_at is not None:
            raise ResetTokenUsed()
        if now >= self.expires_at:
            raise ResetTokenExpired()

    def redeem(self, presented: str, now: datetime) -> None:
        """Use the token up (the caller then sets the new password in the same transaction)."""
        self.ensure_redeemable(presented, now)
        self.used_at = now

    def cancel(self, now: datetime) -> None:
        """Make an unused token unusable (a newer one was issued, or the password changed)."""
        if self.used_at is None:
            self.used_at = now


@dataclass(frozen=True, slots=True)
class IssuedResetToken:
    """A new token: `token` goes into the e-mailed link, `record` into the database."""

    token: str
    record: ResetToken


def issue_reset_token(
    user_id: UUID, now: datetime, *, ttl: timedelta = RESET_TOKEN_TTL
) -> IssuedResetToken:
    """Create a reset token for a user, valid from `now` for `ttl`.

    The caller cancels the user's older pending tokens, so that only the latest link works.
    """
    if ttl <= timedelta(0):
        raise ValueError("ttl must be positive")
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    record = ResetToken(
        user_id=user_id,
        token_hash=hash_reset_token(token),
        created_at=now,
        expires_at=now + ttl,
    )
    return IssuedResetToken(token=token, record=record)
