"""Outgoing messages to people, until the notifications service takes them over.

The password reset link is written to the log (logger ``gateway.notifications``): it is the one
way to deliver it before e-mail exists. Replace ``LoggingNotifier`` by a bus publisher then.
"""

from __future__ import annotations

import logging

from gateway.domain.model import User

log = logging.getLogger(__name__)


class LoggingNotifier:
    """``ResetNotifier`` that logs the reset token (no address: no PII in logs)."""

    def password_reset(self, user: User, token: str) -> None:
        log.warning("password_reset_link", extra={"user_id": str(user.id), "reset_token": token})
