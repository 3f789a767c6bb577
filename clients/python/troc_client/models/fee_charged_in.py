from enum import StrEnum

class FeeChargedIn(StrEnum):
    EURO = "euro"
    UNIT = "unit"

    def __str__(self) -> str:
        return str(self.value)
