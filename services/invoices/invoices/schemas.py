"""HTTP schemas of the invoices (field names of DESIGN.md §6: extend, never rename)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from chassis.schemas import Amount, PageQuery
from invoices.domain.model import Status

STATUSES = tuple(s.value for s in Status)


class AddressSchema(Schema):
    street = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postal_code = fields.String(
        required=True, validate=validate.Regexp(r"^\d{5}$"), metadata={"example": "75011"}
    )
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    country = fields.String(dump_only=True, metadata={"example": "FR"})


class LineInSchema(Schema):
    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    quantity = fields.String(
        required=True,
        metadata={"description": "A positive decimal string, at most 3 decimals", "example": "1.5"},
    )
    unit_price = Amount(
        positive=False,
        required=True,
        metadata={"description": "Unit price excl. VAT, in euros", "example": "120.00"},
    )
    vat_rate = fields.String(
        required=True,
        metadata={
            "description": "French VAT rate in percent: 0, 2.1, 5.5, 10 or 20",
            "example": "20",
        },
    )


class DraftInSchema(Schema):
    buyer_member_id = fields.UUID(required=True)
    seller_member_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "Animators drafting on a member's behalf name the seller; a member's "
            "token is the seller"
        },
    )
    lines = fields.List(
        fields.Nested(LineInSchema), required=True, validate=validate.Length(min=1, max=100)
    )
    payment_mode = fields.Integer(
        required=True,
        metadata={"description": "Percent paid in the network's unit: 100 or 50", "example": 100},
    )
    delivery_date = fields.Date(required=True)
    listing_id = fields.UUID(
        load_default=None, metadata={"description": "The listing that led to the trade"}
    )
    buyer_reference = fields.String(load_default="", validate=validate.Length(max=100))
    note = fields.String(load_default="", validate=validate.Length(max=1000))
    vat_exemption_reason = fields.String(load_default="", validate=validate.Length(max=300))
    seller_address = fields.Nested(
        AddressSchema,
        load_default=None,
        metadata={"description": "The seller's address on the invoice (default: the directory's)"},
    )
    buyer_address = fields.Nested(
        AddressSchema,
        load_default=None,
        metadata={"description": "The buyer's billing address (default: the directory's)"},
    )


class LineSchema(Schema):
    description = fields.String(required=True)
    quantity = fields.String(required=True)
    unit_price = Amount(positive=False, required=True)
    vat_rate = fields.String(required=True)
    total_excl_vat = Amount(positive=False, required=True)
    vat = Amount(positive=False, required=True)


class VatGroupSchema(Schema):
    vat_rate = fields.String(required=True)
    base = Amount(positive=False, required=True)
    vat = Amount(positive=False, required=True)


class PartySchema(Schema):
    member_id = fields.UUID(required=True)
    tenant = fields.String(required=True)
    name = fields.String(required=True)
    siret = fields.String(required=True)
    vat_number = fields.String(allow_none=True)
    address = fields.Nested(AddressSchema, allow_none=True)


class UnitSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    symbol = fields.String(required=True)


class RefusalSchema(Schema):
    code = fields.String(required=True)
    reason = fields.String(required=True)
    at = fields.DateTime(required=True)


class EuroPaymentSchema(Schema):
    status = fields.String(required=True, metadata={"description": "none, unpaid or paid"})
    paid_on = fields.Date(allow_none=True)


class CommissionSchema(Schema):
    rate = fields.String(required=True)
    base = Amount(positive=False, required=True)
    amount = Amount(positive=False, required=True)
    charged_in = fields.String(required=True)


class QueueInfoSchema(Schema):
    buyer_available = Amount(
        positive=False,
        allow_none=True,
        metadata={
            "description": "The buyer's available credit, from the ledger's events, in the "
            "buyer's unit (``buyer_unit`` of a cross-network invoice: compare ``buyer_unit_part``)"
        },
    )
    waiting_days = fields.Integer(allow_none=True)
    waiting_since = fields.DateTime(allow_none=True)


class InvoiceSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={"description": "invoice or credit_note"})
    number = fields.String(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    network = fields.String(required=True)
    tenant = fields.String(required=True, metadata={"description": "The seller's tenant"})
    buyer_tenant = fields.String(required=True)
    read_only = fields.Boolean(
        required=True,
        metadata={
            "description": "True where the caller's tenant is only the buyer's (cross-tenant)"
        },
    )
    seller_member_id = fields.UUID(required=True)
    buyer_member_id = fields.UUID(required=True)
    seller = fields.Nested(PartySchema, required=True)
    buyer = fields.Nested(PartySchema, required=True)
    payment_mode = fields.Integer(required=True)
    vat_settlement = fields.String(required=True)
    unit = fields.Nested(UnitSchema, required=True)
    lines = fields.List(fields.Nested(LineSchema), required=True)
    vat_breakdown = fields.List(fields.Nested(VatGroupSchema), required=True)
    delivery_date = fields.Date(required=True)
    issue_date = fields.Date(allow_none=True)
    total_excl_vat = Amount(positive=False, required=True)
    total_vat = Amount(positive=False, required=True)
    total_incl_vat = Amount(positive=False, required=True)
    unit_part = Amount(positive=False, required=True)
    euro_part = Amount(positive=False, required=True)
    euro_payment = fields.Nested(EuroPaymentSchema, required=True)
    transfer_id = fields.UUID(
        allow_none=True,
        metadata={"description": "The ledger hold of the unit part (its current attempt)"},
    )
    attempt = fields.Integer(required=True)
    hold_expires_at = fields.DateTime(allow_none=True)
    last_refusal = fields.Nested(RefusalSchema, allow_none=True)
    dispute_reason = fields.String()
    rejection_reason = fields.String()
    cancel_reason = fields.String()
    listing_id = fields.UUID(allow_none=True)
    buyer_reference = fields.String()
    note = fields.String()
    acceptance_required = fields.Boolean(required=True)
    buyer_network = fields.String(
        metadata={"description": "The buyer's network (another one when linked to the seller's)"}
    )
    buyer_unit = fields.Nested(
        UnitSchema,
        allow_none=True,
        metadata={"description": "Cross-network invoice: the buyer network's unit"},
    )
    exchange_rate = fields.String(
        allow_none=True,
        metadata={
            "description": "Cross-network invoice: the buyer's units for one seller unit, "
            "a decimal string (the link's current rate on a draft, frozen at issue)"
        },
    )
    buyer_unit_part = Amount(
        positive=False,
        allow_none=True,
        metadata={"description": "Cross-network invoice: the unit part in the buyer's unit"},
    )
    federation_link_id = fields.UUID(allow_none=True)
    rate_frozen = fields.Boolean(allow_none=True)
    buyer_commission = fields.Nested(
        CommissionSchema,
        allow_none=True,
        metadata={"description": "Cross-network invoice: the buyer network's commission"},
    )
    commission = fields.Nested(CommissionSchema, allow_none=True)
    credit_note_id = fields.UUID(allow_none=True)
    credited_invoice_id = fields.UUID(allow_none=True)
    credited_invoice_number = fields.String(allow_none=True)
    reversal_transfer_id = fields.UUID(allow_none=True)
    reversal_status = fields.String(allow_none=True)
    queue = fields.Nested(QueueInfoSchema, allow_none=True)
    created_at = fields.DateTime(required=True)
    issued_at = fields.DateTime(allow_none=True)
    accepted_at = fields.DateTime(allow_none=True)
    awaiting_since = fields.DateTime(allow_none=True)
    validated_at = fields.DateTime(allow_none=True)
    settled_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class InvoicePageSchema(Schema):
    items = fields.List(fields.Nested(InvoiceSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ListQuery(PageQuery):
    status = fields.List(
        fields.String(validate=validate.OneOf(STATUSES)),
        load_default=(),
        metadata={
            "description": "Repeat to give several; "
            "status=awaiting_validation is the animators' "
            "queue, oldest first"
        },
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(("invoice", "credit_note")))
    role = fields.String(
        load_default=None,
        validate=validate.OneOf(("seller", "buyer")),
        metadata={"description": "For a member: only what it sells or buys"},
    )
    member_id = fields.UUID(
        load_default=None, metadata={"description": "Animators: one member's invoices"}
    )
    since = fields.Date(load_default=None, metadata={"description": "Issued on or after"})
    until = fields.Date(load_default=None, metadata={"description": "Issued before"})


#: Free text reaches PostgreSQL, whose text type cannot hold a NUL character: refused (422).
NO_NUL = validate.Regexp(r"\A[^\x00]*\Z", error="Must not contain a NUL character.")


class ReasonInSchema(Schema):
    reason = fields.String(required=True, validate=[validate.Length(min=1, max=500), NO_NUL])


class OptionalReasonInSchema(Schema):
    reason = fields.String(load_default="", validate=[validate.Length(max=500), NO_NUL])


class BulkValidateInSchema(Schema):
    invoice_ids = fields.List(
        fields.UUID(), required=True, validate=validate.Length(min=1, max=100)
    )


class BulkResultSchema(Schema):
    invoice_id = fields.UUID(required=True)
    status = fields.String(allow_none=True)
    code = fields.String(allow_none=True, metadata={"description": "Why it was not validated"})
    detail = fields.String(allow_none=True)


class BulkValidateOutSchema(Schema):
    results = fields.List(fields.Nested(BulkResultSchema), required=True)
    validated = fields.Integer(required=True)


class EuroPaymentInSchema(Schema):
    paid = fields.Boolean(required=True)
    paid_on = fields.Date(load_default=None, metadata={"description": "Default: today"})


class PeriodQuery(Schema):
    since = fields.Date(required=True)
    until = fields.Date(required=True, metadata={"description": "Exclusive"})
    member_id = fields.UUID(load_default=None)


class MonthQuery(Schema):
    month = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"),
        metadata={"example": "2026-11"},
    )
    all_tenants = fields.Boolean(
        load_default=False, metadata={"description": "Operators: every tenant of the network"}
    )


# --- payments without an invoice -----------------------------------------------------------------

PAYMENT_STATUSES = (
    "requested",
    "accepted",
    "awaiting_validation",
    "validated",
    "settled",
    "declined",
    "rejected",
    "refused",
    "expired",
)


class PaymentRequestInSchema(Schema):
    payer_member_id = fields.UUID(
        required=True,
        metadata={"description": "Who is asked to pay: a member of the network or of a linked one"},
    )
    payee_member_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "Animators asking on a member's behalf name the payee; a member's "
            "token is the payee"
        },
    )
    amount = Amount(
        required=True,
        metadata={"description": "In the payee's network's unit (the caller's)"},
    )
    description = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), NO_NUL],
        metadata={"example": "Livraison de 2 tonnes de paille"},
    )


class DirectPaymentInSchema(Schema):
    payee_member_id = fields.UUID(
        required=True,
        metadata={"description": "Who is paid: a member of the network or of a linked one"},
    )
    payer_member_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "Animators paying on a member's behalf name the payer; a member's "
            "token is the payer"
        },
    )
    amount = Amount(
        required=True,
        metadata={"description": "In the payer's network's unit (the caller's)"},
    )
    description = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), NO_NUL],
        metadata={"example": "Location d'une moissonneuse, 1 journée"},
    )


class PaymentSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={"enum": ["request", "direct"]})
    status = fields.String(required=True, metadata={"enum": list(PAYMENT_STATUSES)})
    network = fields.String(
        required=True,
        metadata={"description": "The network of the member who wrote it (``amount``'s unit)"},
    )
    tenant = fields.String(required=True, metadata={"description": "The payee's tenant"})
    payer_tenant = fields.String(required=True)
    payer_member_id = fields.UUID(required=True)
    payee_member_id = fields.UUID(required=True)
    payer = fields.Nested(PartySchema, required=True)
    payee = fields.Nested(PartySchema, required=True)
    amount = Amount(
        required=True,
        metadata={
            "description": "In the unit of the member who wrote it: the payee's for a request, "
            "the payer's for a direct payment (``network``)"
        },
    )
    unit = fields.String(required=True, metadata={"example": "GRN"})
    payer_network = fields.String(required=True)
    payee_network = fields.String(
        required=True,
        metadata={"description": "Another network than the payer's when linked to it"},
    )
    exchange_rate = fields.String(
        allow_none=True,
        metadata={
            "description": "Between two networks: the counterpart's units for one ``unit``, "
            "a decimal string frozen at creation"
        },
    )
    converted_amount = Amount(
        allow_none=True,
        metadata={"description": "Between two networks: the amount in ``converted_unit``"},
    )
    converted_unit = fields.String(
        allow_none=True,
        metadata={"description": "Between two networks: the counterpart network's unit"},
    )
    federation_link_id = fields.UUID(allow_none=True)
    rate_frozen = fields.Boolean(allow_none=True)
    description = fields.String(required=True)
    validation_required = fields.Boolean(
        required=True,
        metadata={"description": "False: below the network's threshold, posted once held"},
    )
    transfer_id = fields.UUID(allow_none=True)
    attempt = fields.Integer(required=True)
    hold_expires_at = fields.DateTime(allow_none=True)
    last_refusal = fields.Nested(RefusalSchema, allow_none=True)
    decline_reason = fields.String(required=True)
    rejection_reason = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    accepted_at = fields.DateTime(allow_none=True)
    awaiting_since = fields.DateTime(allow_none=True)
    validated_at = fields.DateTime(allow_none=True)
    settled_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class PaymentPageSchema(Schema):
    items = fields.List(fields.Nested(PaymentSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class PaymentListQuery(PageQuery):
    status = fields.List(
        fields.String(validate=validate.OneOf(PAYMENT_STATUSES)),
        load_default=(),
        metadata={"description": "Repeat to give several; awaiting_validation: the queue"},
    )
    member_id = fields.UUID(
        load_default=None, metadata={"description": "Animators: one member's payments"}
    )


# --- membership fees -----------------------------------------------------------------------------

FEE_STATUSES = ("pending", "charged", "refused", "due", "paid")


class FeeSchema(Schema):
    id = fields.UUID(required=True)
    key = fields.String(required=True, metadata={"example": "fee:<member>:2026"})
    network = fields.String(required=True)
    tenant = fields.String(required=True)
    member_id = fields.UUID(required=True)
    member_name = fields.String(required=True)
    period = fields.String(required=True, metadata={"example": "2026"})
    amount = Amount(required=True)
    charged_in = fields.String(required=True, metadata={"enum": ["unit", "euro"]})
    unit = fields.String(required=True, metadata={"description": "EUR for a fee in euros"})
    due_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": list(FEE_STATUSES)})
    transfer_id = fields.UUID(allow_none=True)
    refusal_reason = fields.String(required=True)
    paid_on = fields.Date(allow_none=True)
    overdue = fields.Boolean(
        required=True, metadata={"description": "Unpaid past the grace period (animators told)"}
    )
    created_at = fields.DateTime(required=True)


class FeePageSchema(Schema):
    items = fields.List(fields.Nested(FeeSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class FeeListQuery(PageQuery):
    status = fields.List(
        fields.String(validate=validate.OneOf(FEE_STATUSES)),
        load_default=(),
        metadata={"description": "due (to collect) or paid; repeat to give several"},
    )
    member_id = fields.UUID(load_default=None)


class FeePaidInSchema(Schema):
    paid_on = fields.Date(load_default=None, metadata={"description": "Default: today"})
