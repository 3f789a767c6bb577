"""The ledger's settings: the chassis ``Settings`` plus the ledger's own.

Like the chassis, this module is the only ledger code that reads ``TROC_*`` variables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from chassis.config import ConfigError, Settings, int_setting

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
    #: Where each network's books live, when not in the ledger's own database
    #: (``TROC_LEDGER_NETWORK_DATABASES``: a JSON object, or ``slug=url`` pairs separated by
    #: spaces, e.g. ``agri-echange=postgresql+psycopg://…/troc_ledger_agri``). A network not
    #: named keeps its books in ``database_url``, which also holds the cross-network sagas.
    network_databases: Mapping[str, str] = field(default_factory=dict)
    #: Seconds between two passes of the worker's loop resuming stalled cross-network sagas and
    #: voiding those past their deadline (``TROC_LEDGER_FEDERATION_INTERVAL``).
    federation_interval: int = 10
    #: Group commit of the HTTP transfers (PostgreSQL; ``TROC_LEDGER_GROUP_COMMIT_US``): manual
    #: transfers that the threads of one web process receive within this many microseconds of
    #: the first are written in one transaction, each answered as if it ran alone. 0: off.
    group_commit_us: int = 0

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {
            "hold_expiry_interval": int_setting(
                env, "TROC_LEDGER_HOLD_EXPIRY_INTERVAL", 10, minimum=1
            ),
            "credit_limit_expiry_interval": int_setting(
                env, "TROC_LEDGER_CREDIT_LIMIT_EXPIRY_INTERVAL", 60, minimum=1
            ),
            "network_databases": parse_network_databases(
                env.get("TROC_LEDGER_NETWORK_DATABASES", "")
            ),
            "federation_interval": int_setting(
                env, "TROC_LEDGER_FEDERATION_INTERVAL", 10, minimum=1
            ),
            "group_commit_us": group_commit_window(env),
        }


#: The longest group commit window: past a millisecond a request waits longer than it saves.
GROUP_COMMIT_MAX_US = 1_000


def group_commit_window(env: Mapping[str, str]) -> int:
    """``TROC_LEDGER_GROUP_COMMIT_US``: 0 (off) to :data:`GROUP_COMMIT_MAX_US` microseconds."""
    value = int_setting(env, "TROC_LEDGER_GROUP_COMMIT_US", 0)
    if value > GROUP_COMMIT_MAX_US:
        raise ConfigError(
            f"TROC_LEDGER_GROUP_COMMIT_US must be <= {GROUP_COMMIT_MAX_US}, got {value}"
        )
    return value


def parse_network_databases(text: str) -> dict[str, str]:
    """``{"slug": "url"}`` or ``slug=url slug=url``; raises ``ValueError`` on a malformed entry."""
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        found = json.loads(text)
        if not isinstance(found, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in found.items()
        ):
            raise ValueError("TROC_LEDGER_NETWORK_DATABASES: a JSON object of slug -> URL")
        return dict(found)
    pairs = {}
    for entry in text.split():
        slug, sep, url = entry.partition("=")
        if not sep or not slug or not url:
            raise ValueError(f"TROC_LEDGER_NETWORK_DATABASES: {entry!r} is not slug=url")
        pairs[slug] = url
    return pairs
