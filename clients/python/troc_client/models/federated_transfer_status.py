from enum import StrEnum

class FederatedTransferStatus(StrEnum):
    PAYER_HELD = "payer_held"
    PAYER_POSTED = "payer_posted"
    POSTED = "posted"
    POSTING = "posting"
    REFUSED = "refused"
    STARTED = "started"
    VOIDED = "voided"
    VOIDING = "voiding"

    def __str__(self) -> str:
        return str(self.value)
