from enum import StrEnum

class InvoiceStatus(StrEnum):
    ACCEPTED = "accepted"
    AWAITING_VALIDATION = "awaiting_validation"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"
    DRAFT = "draft"
    EXPIRED = "expired"
    ISSUED = "issued"
    REJECTED = "rejected"
    SETTLED = "settled"
    VALIDATED = "validated"

    def __str__(self) -> str:
        return str(self.value)
