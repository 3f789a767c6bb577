from enum import StrEnum

class ListingsGetListingMatchesTrocListShape(StrEnum):
    ITEMS = "items"
    LEGACY = "legacy"

    def __str__(self) -> str:
        return str(self.value)
