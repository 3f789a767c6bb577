from enum import StrEnum

class InvoicesGetInvoicesRoleType1(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"

    def __str__(self) -> str:
        return str(self.value)
