from enum import StrEnum

class FeesGetFeesStatusItem(StrEnum):
    CHARGED = "charged"
    DUE = "due"
    PAID = "paid"
    PENDING = "pending"
    REFUSED = "refused"

    def __str__(self) -> str:
        return str(self.value)
