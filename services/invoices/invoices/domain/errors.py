"""The invoices' refusals: a small tree with stable public codes (the API's one error table)."""

from __future__ import annotations


class InvoiceError(Exception):
    """Base of the refusals; ``code`` is stable and public, ``field`` names the culprit input."""

    code = "invoice_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInvoice(InvoiceError):
    """The draft's content breaks a rule (amounts, rates, payment mode, parties): 422."""

    code = "invalid_invoice"


class InvalidAmount(InvalidInvoice):
    code = "invalid_amount"


class InvalidQuantity(InvalidInvoice):
    code = "invalid_quantity"


class InvalidVatRate(InvalidInvoice):
    code = "invalid_vat_rate"


class PaymentModeNotAllowed(InvalidInvoice):
    code = "payment_mode_not_allowed"


class UnknownMember(InvalidInvoice):
    """A party is not a member of the network (or not of the tenant the request speaks for).

    ``unknown_id`` is set when the member is missing from the service's copy of the directory
    altogether: it may have just been admitted, which the gateway (the directory's owner) can
    tell from a member that does not exist.
    """

    code = "unknown_member"

    def __init__(
        self, message: str, *, field: str | None = None, unknown_id: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.unknown_id = unknown_id


class MemberNotActive(InvalidInvoice):
    code = "member_not_active"


class SameParty(InvalidInvoice):
    code = "same_party"


class MissingMention(InvalidInvoice):
    """A mandatory mention of a French invoice is unknown (an address, a VAT number)."""

    code = "missing_mention"


class UnknownNetwork(InvoiceError):
    """The network's settings have not reached the invoices service (yet): 409."""

    code = "unknown_network"


class InvoiceNotFound(InvoiceError):
    code = "invoice_not_found"


class InvalidTransition(InvoiceError):
    """The action does not apply to the invoice in its current status: 409."""

    code = "invalid_transition"


class NotIssued(InvalidTransition):
    code = "not_issued"


class DirectPaymentsOff(InvoiceError):
    """The network does not allow this kind of payment without an invoice."""

    code = "direct_payments_off"


class PaymentNotFound(InvoiceError):
    code = "payment_not_found"


class FeeNotFound(InvoiceError):
    code = "fee_not_found"


class IdempotencyConflict(InvoiceError):
    """The same ``Idempotency-Key`` was used before for another payment."""

    code = "idempotency_conflict"


class IdempotencyKeyRequired(InvoiceError):
    code = "idempotency_key_required"
