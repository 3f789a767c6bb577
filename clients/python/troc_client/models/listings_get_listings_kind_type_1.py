from enum import StrEnum

class ListingsGetListingsKindType1(StrEnum):
    NEED = "need"
    OFFER = "offer"

    def __str__(self) -> str:
        return str(self.value)
