from enum import StrEnum

class ListingsGetListingsKindType2Type1(StrEnum):
    NEED = "need"
    OFFER = "offer"

    def __str__(self) -> str:
        return str(self.value)
