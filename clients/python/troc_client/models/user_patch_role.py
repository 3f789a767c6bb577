from enum import StrEnum

class UserPatchRole(StrEnum):
    ANIMATOR = "animator"
    MEMBER = "member"

    def __str__(self) -> str:
        return str(self.value)
