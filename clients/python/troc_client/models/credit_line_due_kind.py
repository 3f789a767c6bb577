from enum import StrEnum

class CreditLineDueKind(StrEnum):
    EXPIRY = "expiry"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
