from enum import StrEnum

class ListingInVisibility(StrEnum):
    NETWORK = "network"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
