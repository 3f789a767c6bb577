from enum import StrEnum

class LedgerGetEventsTrocListShape(StrEnum):
    ITEMS = "items"
    LEGACY = "legacy"

    def __str__(self) -> str:
        return str(self.value)
