from enum import IntEnum

class ListingsGetListingsPaymentModeType2Type1(IntEnum):
    VALUE_100 = 100
    VALUE_50 = 50

    def __str__(self) -> str:
        return str(self.value)
