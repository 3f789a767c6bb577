"""Password reset tokens: random, stored hashed, expiring, single use."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from gateway.domain.reset import (
    RESET_TOKEN_TTL,
    ResetTokenExpired,
    ResetTokenInvalid,
    ResetTokenUsed,
    hash_reset_token,
    issue_reset_token,
)

from .builders import NOW


class TestIssue:
    def test_token_is_random_long_and_only_its_hash_is_stored(self) -> None:
        user = uuid.uuid4()
        first, second = issue_reset_token(user, NOW), issue_reset_token(user, NOW)
        assert first.token != second.token
        assert len(first.token) >= 43  # 32 random bytes, URL-safe
        assert first.record.token_hash == hash_reset_token(first.token)
        assert first.token not in first.record.token_hash
        assert first.record.user_id == user
        assert first.record.expires_at == NOW + RESET_TOKEN_TTL

    def test_custom_lifetime(self) -> None:
        issued = issue_reset_token(uuid.uuid4(), NOW, ttl=timedelta(hours=2))
        assert issued.record.expires_at == NOW + timedelta(hours=2)

    def test_lifetime_must_be_positive(self) -> None:
        with pytest.raises(ValueError):
            issue_reset_token(uuid.uuid4(), NOW, ttl=timedelta(0))


class TestRedeem:
    def test_redeems_once(self) -> None:
        issued = issue_reset_token(uuid.uuid4(), NOW)
        issued.record.redeem(issued.token, NOW + timedelta(minutes=5))
        assert issued.record.used_at == NOW + timedelta(minutes=5)
        with pytest.raises(ResetTokenUsed):
            issued.record.redeem(issued.token, NOW + timedelta(minutes=6))

    def test_refuses_after_expiry(self) -> None:
        issued = issue_reset_token(uuid.uuid4(), NOW)
        with pytest.raises(ResetTokenExpired) as excinfo:
            issued.record.redeem(issued.token, NOW + RESET_TOKEN_TTL)
        assert excinfo.value.code == "reset_token_expired"
        assert issued.record.used_at is None

    def test_refuses_another_token(self) -> None:
        issued = issue_reset_token(uuid.uuid4(), NOW)
        other = issue_reset_token(uuid.uuid4(), NOW)
        with pytest.raises(ResetTokenInvalid) as excinfo:
            issued.record.redeem(other.token, NOW)
        assert excinfo.value.code == "reset_token_invalid"

    def test_a_cancelled_token_cannot_be_used(self) -> None:
        issued = issue_reset_token(uuid.uuid4(), NOW)
        issued.record.cancel(NOW)
        with pytest.raises(ResetTokenUsed):
            issued.record.redeem(issued.token, NOW)

    def test_surrounding_spaces_of_a_pasted_token_are_ignored(self) -> None:
        issued = issue_reset_token(uuid.uuid4(), NOW)
        issued.record.ensure_redeemable(f" {issued.token}\n", NOW)

    def test_all_refusals_share_one_base_class(self) -> None:
        assert issubclass(ResetTokenExpired, ResetTokenInvalid)
        assert issubclass(ResetTokenUsed, ResetTokenInvalid)
