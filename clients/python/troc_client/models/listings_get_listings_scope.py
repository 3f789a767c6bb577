from enum import StrEnum

class ListingsGetListingsScope(StrEnum):
    FEDERATION = "federation"
    NETWORK = "network"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
