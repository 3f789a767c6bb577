from enum import StrEnum

class NetworkPatchDirectPayments(StrEnum):
    BOTH = "both"
    OFF = "off"
    REQUEST = "request"

    def __str__(self) -> str:
        return str(self.value)
