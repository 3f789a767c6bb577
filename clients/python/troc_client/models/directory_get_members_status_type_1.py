from enum import StrEnum

class DirectoryGetMembersStatusType1(StrEnum):
    ADMITTED = "admitted"
    LEFT = "left"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
