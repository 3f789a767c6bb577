"""Use cases of signing in: logins, refresh tokens and password resets."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from uuid import UUID

from argon2 import PasswordHasher

from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.identifiers import normalize_email
from gateway.domain.model import (
    User,
)
from gateway.domain.passwords import hash_password, needs_rehash, waste_verification
from gateway.domain.reset import (
    ResetTokenInvalid,
    hash_reset_token,
    issue_reset_token,
)
from gateway.domain.throttle import LoginThrottle
from gateway.errors import InvalidCredentials, InvalidGrant
from gateway.service.common import TokenPair, emit_account_link, identity_of
from gateway.tokens import TokenIssuer, hash_refresh_token, new_refresh_token

log = logging.getLogger(__name__)


# --- logins and tokens -------------------------------------------------------------------------


def _issue(
    uow: UnitOfWork, issuer: TokenIssuer, user: User, *, family: UUID, now: datetime
) -> TokenPair:
    access = issuer.access_token(identity_of(uow, user))
    refresh = new_refresh_token()
    uow.refresh_tokens.add(
        token_id=uuid.uuid4(),
        user_id=user.id,
        family_id=family,
        token_hash=hash_refresh_token(refresh),
        issued_at=now,
        expires_at=now + timedelta(seconds=issuer.settings.refresh_token_ttl),
    )
    return TokenPair(access.token, access.expires_in, refresh)


def login(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    client_ip: str | None,
    throttle: LoginThrottle,
    issuer: TokenIssuer,
    hasher: PasswordHasher,
    now: datetime,
) -> TokenPair:
    """Check an e-mail and password under the brute-force throttle; issue a token pair."""
    throttle.ensure_allowed(account=email, ip=client_ip)
    # The throttle writes in transactions of its own, so none is held open around it (SQLite
    # has a single writer), nor around the deliberately slow password check.
    with uow:
        user = uow.users.by_email(normalize_email(email))
    if user is None:
        waste_verification(password, hasher=hasher)
    if user is None or not user.check_password(password, hasher=hasher):
        throttle.record_failure(account=email, ip=client_ip)
        raise InvalidCredentials()
    throttle.record_success(account=email, ip=client_ip)
    with uow:
        if needs_rehash(user.password_hash, hasher=hasher):
            user.password_hash = hash_password(password, hasher=hasher)
        user.record_login(now)
        uow.users.save(user)
        pair = _issue(uow, issuer, user, family=uuid.uuid4(), now=now)
        uow.commit()
    return pair


def refresh(uow: UnitOfWork, token: str, *, issuer: TokenIssuer, now: datetime) -> TokenPair:
    """Rotate a refresh token; replaying a rotated one revokes its whole family (theft)."""
    with uow:
        row = uow.refresh_tokens.by_hash(hash_refresh_token(token))
        if row is None or row.revoked_at is not None:
            raise InvalidGrant()
        if row.used_at is not None:
            log.warning("refresh_token_reused", extra={"family": str(row.family_id)})
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant("this refresh token was already used; log in again")
        if row.expires_at <= now:
            raise InvalidGrant("this refresh token has expired; log in again")
        user = uow.users.get(row.user_id)
        if user is None or not user.is_active:
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant()
        uow.refresh_tokens.mark_used(row.id, now)
        pair = _issue(uow, issuer, user, family=row.family_id, now=now)
        uow.commit()
    return pair


def request_password_reset(uow: UnitOfWork, email: str, *, now: datetime) -> None:
    """Have a reset link e-mailed if the address has an active account; say nothing either way.

    The link leaves as a ``password_reset_requested`` event, in the transaction that stores the
    token's hash: the notifications service writes the e-mail.
    """
    with uow:
        user = uow.users.by_email(normalize_email(email))
        if user is None or not user.is_active:
            return
        uow.reset_tokens.cancel_pending(user.id, now)
        issued = issue_reset_token(user.id, now)
        uow.reset_tokens.add(issued.record, uuid.uuid4())
        emit_account_link(uow, events.PasswordResetRequested, user, issued)
        uow.commit()


def confirm_password_reset(
    uow: UnitOfWork, token: str, new_password: str, *, hasher: PasswordHasher, now: datetime
) -> None:
    """Set a new password with a reset token (once); every session of the user ends."""
    with uow:
        record = uow.reset_tokens.by_hash(hash_reset_token(token))
        if record is None:
            raise ResetTokenInvalid()
        record.redeem(token, now)
        user = uow.users.get(record.user_id, lock=True)
        if user is None or not user.is_active:
            raise ResetTokenInvalid()
        user.change_password(new_password, now, hasher=hasher)
        uow.reset_tokens.save(record)
        uow.users.save(user)
        uow.refresh_tokens.revoke_for_user(user.id, now)
        uow.commit()
