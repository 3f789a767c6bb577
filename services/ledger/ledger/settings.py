"""The ledger's settings: the chassis ``Settings`` plus the ledger's own.

Like the chassis, this module is the only ledger code that reads ``TROC_*`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from chassis.config import Settings, int_setting

SERVICE = "ledger"


@dataclass(frozen=True, kw_only=True)
class LedgerSettings(Settings):
    """Settings of a ledger process."""

    service: ClassVar[str] = SERVICE

    #: Seconds between two passes of the worker's hold-expiry loop
    #: (``TROC_LEDGER_HOLD_EXPIRY_INTERVAL``).
    hold_expiry_interval: int = 10
    #: Seconds between two passes of the worker's credit-limit expiry loop
    #: (``TROC_LEDGER_CREDIT_LIMIT_EXPIRY_INTERVAL``).
    credit_limit_expiry_interval: int = 60

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {
            "hold_expiry_interval": int_setting(
                env, "TROC_LEDGER_HOLD_EXPIRY_INTERVAL", 10, minimum=1
            ),
            "credit_limit_expiry_interval": int_setting(
                env, "TROC_LEDGER_CREDIT_LIMIT_EXPIRY_INTERVAL", 60, minimum=1
            ),
        }
