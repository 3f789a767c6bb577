from enum import StrEnum

class ListingPatchVisibility(StrEnum):
    FEDERATION = "federation"
    NETWORK = "network"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
