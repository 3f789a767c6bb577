"""The notifications' settings: the chassis ``Settings`` plus the service's own.

Like the chassis, this module is the only notifications code that reads ``TROC_*`` variables.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

from chassis.config import ConfigError, Settings, bool_setting, int_setting

SERVICE = "notifications"

#: Seconds to wait before each retry of a failed webhook delivery: 8 attempts over about a day
#: (the Standard Webhooks guidance: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
DEFAULT_RETRY_SCHEDULE: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)


def _schedule(env: Mapping[str, str], name: str) -> tuple[int, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return DEFAULT_RETRY_SCHEDULE
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

    #: Deliver webhooks to private, loopback or link-local addresses (development and tests
    #: only: in production it would let a subscriber make the platform call its inside).
    webhooks_allow_private_targets: bool = False
    #: Delays (seconds) before each retry of a failed delivery; after the last, the endpoint
    #: is disabled and the animators told.
    webhooks_retry_schedule: tuple[int, ...] = DEFAULT_RETRY_SCHEDULE
    #: Seconds a receiver has to answer (connect and read).
    webhooks_timeout: float = 5.0
    #: Seconds between two passes of the worker's delivery loop.
    delivery_interval: float = 1.0

    @classmethod
    def from_env(
        cls, service_name: str = SERVICE, environ: Mapping[str, str] | None = None
    ) -> NotificationsSettings:
        """Build the notifications' settings from ``TROC_*`` variables."""
        env = os.environ if environ is None else environ
        base = Settings.from_env(service_name, env)
        return cls(
            **{f.name: getattr(base, f.name) for f in dataclasses.fields(Settings)},
            webhooks_allow_private_targets=bool_setting(
                env, "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS", False
            ),
            webhooks_retry_schedule=_schedule(env, "TROC_WEBHOOKS_RETRY_SCHEDULE"),
            webhooks_timeout=float(int_setting(env, "TROC_WEBHOOKS_TIMEOUT", 5, minimum=1)),
            delivery_interval=int_setting(env, "TROC_WEBHOOKS_POLL_INTERVAL_MS", 1000, minimum=10)
            / 1000,
        )

    @classmethod
    def of(cls, settings: Settings) -> NotificationsSettings:
        """The notifications settings of plain chassis settings (defaults for the service's own)."""
        if isinstance(settings, NotificationsSettings):
            return settings
        return cls(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(Settings)})
