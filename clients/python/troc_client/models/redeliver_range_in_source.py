from enum import StrEnum

class RedeliverRangeInSource(StrEnum):
    INVOICES = "invoices"
    LEDGER = "ledger"
    LISTINGS = "listings"

    def __str__(self) -> str:
        return str(self.value)
