from enum import StrEnum

class LedgerGetStatementStatusType0Item(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    REFUSED = "refused"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
