"""Use cases of signing in: logins, refresh tokens and password resets."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher

from chassis.auth import INTEGRATOR, Identity
from contracts import gateway as events
from gateway.db import UnitOfWork
from gateway.domain.errors import Forbidden
from gateway.domain.identifiers import normalize_email
from gateway.domain.model import (
    Role,
    TenantClosed,
    User,
)
from gateway.domain.passwords import hash_password, needs_rehash, waste_verification
from gateway.domain.reset import (
    ResetTokenInvalid,
    hash_reset_token,
    issue_reset_token,
)
from gateway.domain.throttle import LoginThrottle
from gateway.domain.totp import (
    TotpInvalid,
    TotpNotPending,
    TotpRequired,
    TotpState,
    hash_recovery_code,
    looks_like_recovery_code,
    matching_step,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
)
from gateway.errors import Conflict, InvalidCredentials, InvalidGrant
from gateway.errors import UnknownResource as NotFound
from gateway.service.audit import record
from gateway.service.common import (
    TokenPair,
    emit_account_link,
    identity_of,
    subject_id,
    tenant_by_id,
)
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
    totp: str | None = None,
) -> TokenPair:
    """Check an e-mail, password and (when the account has one) second factor under the
    brute-force throttle; issue a token pair.

    A wrong TOTP or recovery code counts as a failed login, like a wrong password. A staff
    account whose network requires a second factor it has not set up gets an enrol-only token.
    """
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
    if user.tenant_id is not None:
        with uow:
            tenant, _ = tenant_by_id(uow, user.tenant_id)
        tenant.ensure_open()  # said only to whoever knows the password
    refused: TotpInvalid | None = None
    enrolment: TokenPair | None = None
    with uow:
        state = uow.two_factor.get(user.id, lock=True)
        if state is not None and state.enabled:
            if not totp:
                raise TotpRequired()
            if not _second_factor_ok(uow, state, totp, now):
                refused = TotpInvalid()
        elif _must_enrol(uow, user):
            token = issuer.enrolment_token(identity_of(uow, user))
            enrolment = TokenPair(token.token, token.expires_in, totp_enrolment_required=True)
        if refused is None and enrolment is None:
            if needs_rehash(user.password_hash, hasher=hasher):
                user.password_hash = hash_password(password, hasher=hasher)
            user.record_login(now)
            uow.users.save(user)
            pair = _issue(uow, issuer, user, family=uuid.uuid4(), now=now)
            uow.commit()
    if refused is not None:
        throttle.record_failure(account=email, ip=client_ip)
        raise refused
    throttle.record_success(account=email, ip=client_ip)
    return enrolment or pair


def _second_factor_ok(uow: UnitOfWork, state: TotpState, code: str, now: datetime) -> bool:
    """Accept a TOTP code of a later step than the last one, or spend a recovery code."""
    assert state.secret is not None
    step = matching_step(state.secret, code, now, after=state.last_step)
    if step is not None:
        state.last_step = step
        uow.two_factor.save(state)
        return True
    if looks_like_recovery_code(code):
        hashed = hash_recovery_code(code)
        return uow.two_factor.use_recovery_code(state.user_id, hashed, now)  # type: ignore[arg-type]
    return False


def _must_enrol(uow: UnitOfWork, user: User) -> bool:
    """Whether a staff user must set up a second factor before anything else.

    An animator: when its network requires it. The operator: when any network does.
    """
    if user.role is Role.ANIMATOR and user.tenant_id is not None:
        _, network = tenant_by_id(uow, user.tenant_id)
        return network.staff_2fa_required
    if user.role is Role.OPERATOR:
        return uow.networks.any_requires_staff_2fa()
    return False


def start_totp_enrolment(
    uow: UnitOfWork, identity: Identity, *, issuer_name: str, now: datetime
) -> dict[str, Any]:
    """A new secret (pending until confirmed) and ten recovery codes, shown this once."""
    user_id = subject_id(identity)
    if user_id is None or INTEGRATOR in identity.roles:
        raise Forbidden("only a user account has a second factor")
    with uow:
        user = uow.users.get(user_id)
        if user is None or not user.is_active:
            raise NotFound("user")
        state = uow.two_factor.get(user.id, lock=True) or TotpState(user_id=user.id)
        if state.enabled:
            raise Conflict(
                "totp",
                "two-factor login is already on for this account",
                code="totp_already_enabled",
            )
        state.pending_secret = new_secret()
        codes = new_recovery_codes()
        uow.two_factor.save(state)
        uow.two_factor.replace_recovery_codes(user.id, [hash_recovery_code(c) for c in codes])
        uow.commit()
    return {
        "secret": state.pending_secret,
        "recovery_codes": codes,
        "otpauth_uri": provisioning_uri(state.pending_secret, user.email, issuer_name),
    }


def confirm_totp_enrolment(
    uow: UnitOfWork, identity: Identity, code: str, *, now: datetime
) -> None:
    """Turn two-factor login on with a first code of the pending secret."""
    user_id = subject_id(identity)
    if user_id is None or INTEGRATOR in identity.roles:
        raise Forbidden("only a user account has a second factor")
    with uow:
        state = uow.two_factor.get(user_id, lock=True)
        if state is None or state.pending_secret is None:
            raise TotpNotPending()
        step = matching_step(state.pending_secret, code, now, after=None)
        if step is None:
            raise TotpInvalid()
        state.secret, state.pending_secret = state.pending_secret, None
        state.enabled_at, state.last_step = now, step
        uow.two_factor.save(state)
        user = uow.users.get(user_id)
        tenant = network = None
        if user is not None and user.tenant_id is not None:
            tenant, network = tenant_by_id(uow, user.tenant_id)
        record(
            uow,
            identity,
            "totp_enabled",
            "user",
            user_id,
            network=network.slug if network else None,
            tenant=tenant.slug if tenant else None,
            now=now,
        )
        uow.commit()


def refresh(uow: UnitOfWork, token: str, *, issuer: TokenIssuer, now: datetime) -> TokenPair:
    """Rotate a refresh token; replaying a rotated one revokes its whole family (theft)."""
    with uow:
        row = uow.refresh_tokens.by_hash(hash_refresh_token(token))
        if row is None:
            raise InvalidGrant()
        user = uow.users.get(row.user_id)
        # Said before anything else: closing the tenant also revoked the token.
        if (
            user is not None
            and user.tenant_id is not None
            and tenant_by_id(uow, user.tenant_id)[0].is_closed
        ):
            raise TenantClosed("this association is closed; its accounts cannot sign in")
        if row.revoked_at is not None:
            raise InvalidGrant()
        if row.used_at is not None:
            log.warning("refresh_token_reused", extra={"family": str(row.family_id)})
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant("this refresh token was already used; log in again")
        if row.expires_at <= now:
            raise InvalidGrant("this refresh token has expired; log in again")
        if user is None or not user.is_active:
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant()
        state = uow.two_factor.get(user.id)
        if (state is None or not state.enabled) and _must_enrol(uow, user):
            uow.refresh_tokens.revoke_family(row.family_id, now)
            uow.commit()
            raise InvalidGrant("your network now requires two-factor login; log in again")
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
