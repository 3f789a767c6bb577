from enum import StrEnum

class LedgerGetAccountsTrocListShape(StrEnum):
    ITEMS = "items"
    LEGACY = "legacy"

    def __str__(self) -> str:
        return str(self.value)
