from enum import StrEnum

class LedgerGetEventsSource(StrEnum):
    INVOICES = "invoices"
    LEDGER = "ledger"
    LISTINGS = "listings"

    def __str__(self) -> str:
        return str(self.value)
