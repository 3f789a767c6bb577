from enum import StrEnum

class ListingInVisibility(StrEnum):
    FEDERATION = "federation"
    NETWORK = "network"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
