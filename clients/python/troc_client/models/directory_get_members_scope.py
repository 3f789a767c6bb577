from enum import StrEnum

class DirectoryGetMembersScope(StrEnum):
    NETWORK = "network"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
