from enum import StrEnum

class PaymentsGetPaymentsStatusItem(StrEnum):
    ACCEPTED = "accepted"
    AWAITING_VALIDATION = "awaiting_validation"
    DECLINED = "declined"
    EXPIRED = "expired"
    REFUSED = "refused"
    REJECTED = "rejected"
    REQUESTED = "requested"
    SETTLED = "settled"
    VALIDATED = "validated"

    def __str__(self) -> str:
        return str(self.value)
