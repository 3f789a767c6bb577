from enum import StrEnum

class PriceType(StrEnum):
    FIXED = "fixed"
    FROM = "from"
    ON_QUOTE = "on_quote"

    def __str__(self) -> str:
        return str(self.value)
