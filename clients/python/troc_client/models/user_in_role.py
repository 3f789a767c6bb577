from enum import StrEnum

class UserInRole(StrEnum):
    ANIMATOR = "animator"
    MEMBER = "member"

    def __str__(self) -> str:
        return str(self.value)
