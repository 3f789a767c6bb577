from enum import StrEnum

class InvoicesGetInvoicesRoleType3Type1(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"

    def __str__(self) -> str:
        return str(self.value)
