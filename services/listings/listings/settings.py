"""The listings' settings: the chassis ``Settings`` plus the marketplace's own.

Like the chassis, this module is the only listings code that reads ``TROC_*`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from chassis.config import Settings, bool_setting, int_setting
from listings.domain import DEFAULT_NEED_EXPIRY_DAYS, MATCH_LIMIT

SERVICE = "listings"


@dataclass(frozen=True, kw_only=True)
class ListingsSettings(Settings):
    """Settings of a listings process."""

    service: ClassVar[str] = SERVICE

    #: Days before a need expires when its network has not said (the gateway's network events
    #: carry no such setting yet; a ``need_expiry_days`` field there is used when it appears).
    need_expiry_days: int = DEFAULT_NEED_EXPIRY_DAYS
    #: Matches kept (and announced) per published listing.
    match_limit: int = MATCH_LIMIT
    #: Give the demo members of ``make run`` (``*.demo.trocactif.org``) a few listings when they
    #: are admitted. Never in production.
    demo_listings: bool = True
    #: Seconds between two passes of the worker's expiry loop.
    expiry_interval: int = 30

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {
            "need_expiry_days": int_setting(
                env, "TROC_LISTINGS_NEED_EXPIRY_DAYS", DEFAULT_NEED_EXPIRY_DAYS, minimum=1
            ),
            "match_limit": int_setting(env, "TROC_LISTINGS_MATCH_LIMIT", MATCH_LIMIT, minimum=1),
            "demo_listings": (
                base.env != "production" and bool_setting(env, "TROC_LISTINGS_DEMO", True)
            ),
            "expiry_interval": int_setting(env, "TROC_LISTINGS_EXPIRY_INTERVAL", 30, minimum=1),
        }
