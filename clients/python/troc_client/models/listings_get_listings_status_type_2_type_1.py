from enum import StrEnum

class ListingsGetListingsStatusType2Type1(StrEnum):
    ACTIVE = "active"
    ALL = "all"
    ARCHIVED = "archived"
    PAUSED = "paused"

    def __str__(self) -> str:
        return str(self.value)
