from enum import StrEnum

class PreferencesInValidationEmailsType3Type1(StrEnum):
    DIGEST = "digest"
    EACH = "each"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
