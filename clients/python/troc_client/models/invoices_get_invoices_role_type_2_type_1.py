from enum import StrEnum

class InvoicesGetInvoicesRoleType2Type1(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"

    def __str__(self) -> str:
        return str(self.value)
