from enum import StrEnum

class NetworkInCommissionType0ChargedIn(StrEnum):
    EURO = "euro"
    UNIT = "unit"

    def __str__(self) -> str:
        return str(self.value)
