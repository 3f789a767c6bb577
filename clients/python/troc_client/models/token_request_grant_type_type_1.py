from enum import StrEnum

class TokenRequestGrantTypeType1(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)
