"""The clearing balances of a link, read from the ledger (the authority for every balance).

The gateway owns the link's record; the ledger owns the clearing accounts. A ledger that does
not answer leaves the balances unknown (``None``): the link is still shown.
"""

from __future__ import annotations

import logging
from typing import Final

import requests

from chassis import context
from chassis.http import CORRELATION_HEADER
from chassis.money import parse_cents

log = logging.getLogger(__name__)

TIMEOUT: Final = (2.0, 5.0)


def balances(
    ledger_url: str, token: str | None, network_a: str, network_b: str
) -> tuple[int | None, int | None]:
    """Each network's clearing balance for the other, in cents of its own unit."""
    if not ledger_url:
        return None, None
    headers = {CORRELATION_HEADER: context.correlation_id.get() or ""}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = requests.get(
            f"{ledger_url}/federation/clearing",
            params={"network_a": network_a, "network_b": network_b},
            headers=headers,
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        return _cents(body.get("clearing_balance_a")), _cents(body.get("clearing_balance_b"))
    except (requests.RequestException, ValueError) as exc:
        log.warning("clearing balances unavailable: %s", type(exc).__name__)
        return None, None


def _cents(value: object) -> int | None:
    return None if value is None else parse_cents(str(value), allow_zero=True, allow_negative=True)
