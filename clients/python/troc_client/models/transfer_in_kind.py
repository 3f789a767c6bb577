from enum import StrEnum

class TransferInKind(StrEnum):
    CORRECTION = "correction"
    DIRECT = "direct"
    REVERSAL = "reversal"

    def __str__(self) -> str:
        return str(self.value)
