"""Message contracts of Troc Actif, one module per producing (or owning) service.

Importing this package registers every contract in ``chassis.messages.REGISTRY``. Amounts are
decimal strings with two decimals on the wire (``"1250.00"``), in the network's unit.
"""

from contracts import gateway, invoices, ledger, listings

__all__ = ["gateway", "invoices", "ledger", "listings"]
