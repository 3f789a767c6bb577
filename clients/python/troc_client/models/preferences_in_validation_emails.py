from enum import StrEnum

class PreferencesInValidationEmails(StrEnum):
    DIGEST = "digest"
    EACH = "each"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
