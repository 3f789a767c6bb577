"""The notifications' settings: the chassis ``Settings`` plus the service's own.

Like the chassis, this module is the only notifications code that reads ``TROC_*`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, ClassVar

from chassis.config import ConfigError, Settings, bool_setting, int_setting
from notifications.domain import parse_digest_time

SERVICE = "notifications"

#: Seconds to wait before each retry of a failed webhook delivery: 8 attempts over about a day
#: (the Standard Webhooks guidance: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
DEFAULT_RETRY_SCHEDULE: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
#: Seconds before each retry of an e-mail the SMTP server did not take (about six hours).
DEFAULT_EMAIL_RETRY_SCHEDULE: tuple[int, ...] = (60, 300, 1800, 3600, 14400)


def _schedule(
    env: Mapping[str, str], name: str, default: tuple[int, ...] = DEFAULT_RETRY_SCHEDULE
) -> tuple[int, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        values = tuple(int(part) for part in raw.split(","))
    except ValueError:
        raise ConfigError(f"{name} is a comma-separated list of seconds, got {raw!r}") from None
    if any(v < 0 for v in values):
        raise ConfigError(f"{name} takes no negative delay")
    return values


@dataclass(frozen=True, kw_only=True)
class NotificationsSettings(Settings):
    """Settings of a notifications process."""

    service: ClassVar[str] = SERVICE

    #: Deliver webhooks to private, loopback or link-local addresses (development and tests
    #: only: in production it would let a subscriber make the platform call its inside).
    webhooks_allow_private_targets: bool = False
    #: Delays (seconds) before each retry of a failed delivery; after the last, the endpoint
    #: is disabled and the animators told.
    webhooks_retry_schedule: tuple[int, ...] = DEFAULT_RETRY_SCHEDULE
    #: Seconds a receiver has to answer (connect and read).
    webhooks_timeout: float = 5.0
    #: Seconds a worker's pass holds the deliveries it claimed: other workers leave them alone
    #: meanwhile, and a worker that dies mid-pass leaves them waiting this long.
    webhooks_lease: float = 120.0
    #: Seconds between two passes of the worker's delivery loop.
    delivery_interval: float = 1.0
    #: SMTP server of the e-mails; empty: the embedded default writes ``.eml`` files under
    #: ``var/mail`` instead of sending.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout: float = 10.0
    mail_from: str = "Troc Actif <notifications@trocactif.org>"
    email_retry_schedule: tuple[int, ...] = DEFAULT_EMAIL_RETRY_SCHEDULE
    #: Where people read the platform (links in the e-mails).
    public_url: str = "http://127.0.0.1:8000"
    #: Time of day (Paris) of the animators' daily digest of the invoices awaiting validation.
    validation_digest_at: time = time(8)
    #: Seconds between two passes of the digest and of the hold reminders.
    animator_mail_interval: float = 60.0

    @property
    def mail_dir(self) -> Path:
        """Folder of the ``.eml`` files written when no SMTP server is configured."""
        return self.var_dir / "mail"

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {
            "webhooks_allow_private_targets": bool_setting(
                env, "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS", False
            ),
            "webhooks_retry_schedule": _schedule(env, "TROC_WEBHOOKS_RETRY_SCHEDULE"),
            "webhooks_timeout": float(int_setting(env, "TROC_WEBHOOKS_TIMEOUT", 5, minimum=1)),
            "webhooks_lease": float(
                int_setting(env, "TROC_WEBHOOKS_LEASE_SECONDS", 120, minimum=5)
            ),
            "delivery_interval": int_setting(
                env, "TROC_WEBHOOKS_POLL_INTERVAL_MS", 1000, minimum=10
            )
            / 1000,
            "smtp_host": env.get("TROC_SMTP_HOST", ""),
            "smtp_port": int_setting(env, "TROC_SMTP_PORT", 25, minimum=1),
            "smtp_username": env.get("TROC_SMTP_USERNAME", ""),
            "smtp_password": env.get("TROC_SMTP_PASSWORD", ""),
            "smtp_starttls": bool_setting(env, "TROC_SMTP_STARTTLS", False),
            "smtp_timeout": float(int_setting(env, "TROC_SMTP_TIMEOUT", 10, minimum=1)),
            "mail_from": env.get("TROC_MAIL_FROM") or "Troc Actif <notifications@trocactif.org>",
            "email_retry_schedule": _schedule(
                env, "TROC_EMAIL_RETRY_SCHEDULE", DEFAULT_EMAIL_RETRY_SCHEDULE
            ),
            "public_url": (env.get("TROC_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
            "validation_digest_at": _digest_time(env),
            "animator_mail_interval": float(
                int_setting(env, "TROC_ANIMATOR_MAIL_INTERVAL_S", 60, minimum=1)
            ),
        }


def _digest_time(env: Mapping[str, str]) -> time:
    raw = env.get("TROC_VALIDATION_DIGEST_HOUR", "").strip()
    if not raw:
        return time(8)
    try:
        return parse_digest_time(raw)
    except ValueError as exc:
        raise ConfigError(f"TROC_VALIDATION_DIGEST_HOUR: {exc}") from None
