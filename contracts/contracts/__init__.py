"""Message contracts of Troc Actif, one module per producing (or owning) service.

Importing this package registers every contract in ``chassis.messages.REGISTRY``. Amounts are
decimal strings with two decimals on the wire (``"1250.00"``), in the network's unit.
"""

from typing import Final

from contracts import gateway, invoices, ledger, listings

#: The producers keeping a per-tenant, gap-free event log of what they publish, replayable over
#: ``GET /t/<tenant>/events?source=<producer>`` (the ledger's is the default).
EVENT_LOGS: Final = ("ledger", "invoices", "listings")
DEFAULT_EVENT_LOG: Final = "ledger"

__all__ = ["DEFAULT_EVENT_LOG", "EVENT_LOGS", "gateway", "invoices", "ledger", "listings"]
