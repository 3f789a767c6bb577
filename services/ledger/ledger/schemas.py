"""HTTP schemas of the ledger (field names of DESIGN.md §6: extend, never rename)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.money import format_cents, format_rate
from chassis.schemas import Amount, PageQuery
from ledger.domain import TransferRecord

TRANSFER_KINDS = ("direct", "correction", "reversal")


class AccountSchema(Schema):
    member_id = fields.UUID(attribute="id", required=True)
    network = fields.String(required=True)
    tenant = fields.String(allow_none=True)
    kind = fields.String()
    unit = fields.String(required=True)
    balance = Amount(positive=False, required=True)
    available = Amount(positive=False, required=True)
    pending_debits = Amount(positive=False, required=True)
    pending_credits = Amount(positive=False, required=True)
    credit_limit = Amount(positive=False, required=True)
    max_balance = Amount(positive=False, allow_none=True)
    status = fields.String(required=True)
    category = fields.String(allow_none=True, metadata={"example": "association"})
    credit_limit_expires_on = fields.Date(
        allow_none=True,
        metadata={"description": "The limit ends when this day starts (00:00 Europe/Paris)"},
    )
    credit_limit_review_on = fields.Date(allow_none=True)
    over_limit = fields.Boolean(
        metadata={
            "description": "Below its credit limit (left there by an expiry): it may receive, "
            "not spend"
        }
    )


class TransferInSchema(Schema):
    payer = fields.UUID(required=True)
    payee = fields.UUID(required=True)
    amount = Amount(required=True)
    reference = fields.String(load_default="", validate=validate.Length(max=200))
    kind = fields.String(load_default="direct", validate=validate.OneOf(TRANSFER_KINDS))
    reverses = fields.UUID(load_default=None)
    hold = fields.Boolean(
        load_default=False, metadata={"description": "Place a pending transfer (two-phase)."}
    )
    expires_at = fields.AwareDateTime(
        load_default=None,
        metadata={"description": "End of a hold; default: the network's hold expiry."},
    )

    @validates_schema
    def _reversal_names_its_transfer(self, data: dict[str, object], **_: object) -> None:
        if (data["kind"] == "reversal") != (data.get("reverses") is not None):
            raise ValidationError(
                "a reversal, and only a reversal, names the transfer it reverses",
                field_name="reverses",
            )
        if data.get("hold") and data["kind"] != "direct":
            raise ValidationError("only a direct transfer can be held", field_name="hold")
        if data.get("expires_at") is not None and not data.get("hold"):
            raise ValidationError("expires_at applies to holds only", field_name="expires_at")


class TransferSchema(Schema):
    id = fields.UUID(required=True)
    network = fields.String()
    payer = fields.UUID(required=True)
    payee = fields.UUID(required=True)
    amount = Amount(required=True)
    status = fields.Function(
        lambda t: t.status.value,
        required=True,
        metadata={"type": "string", "enum": ["pending", "posted", "voided"]},
    )
    kind = fields.Function(
        lambda t: t.kind.value, required=True, metadata={"type": "string", "example": "direct"}
    )
    reference = fields.String()
    reverses = fields.UUID(allow_none=True)
    created_at = fields.DateTime(required=True)
    posted_at = fields.DateTime(allow_none=True)
    voided_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    refusal_code = fields.String(allow_none=True)
    refusal_reason = fields.String(allow_none=True)
    void_reason = fields.String(allow_none=True)
    initiated_by = fields.Function(
        lambda t: t.initiated_by or "system",
        required=True,
        metadata={"type": "string", "description": "A user id, or system"},
    )
    approval_required = fields.Boolean(
        required=True,
        metadata={
            "description": "Held above the network's four-eyes threshold until another "
            "animator approves (posted) or rejects (voided) it"
        },
    )
    approved_by = fields.String(
        allow_none=True, metadata={"description": "The animator (user id) who approved it"}
    )
    rejected_by = fields.String(
        allow_none=True, metadata={"description": "The animator (user id) who rejected it"}
    )


def transfer_json(t: TransferRecord) -> dict[str, Any]:
    """``TransferSchema().dump(t)``, written out for the transfer endpoint (the hot path).

    A test holds the two to the same output for every kind of transfer.
    """

    def when(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "id": str(t.id),
        "network": t.network,
        "payer": str(t.payer),
        "payee": str(t.payee),
        "amount": format_cents(t.amount),
        "status": t.status.value,
        "kind": t.kind.value,
        "reference": t.reference,
        "reverses": str(t.reverses) if t.reverses else None,
        "created_at": when(t.created_at),
        "posted_at": when(t.posted_at),
        "voided_at": when(t.voided_at),
        "expires_at": when(t.expires_at),
        "refusal_code": t.refusal_code,
        "refusal_reason": t.refusal_reason,
        "void_reason": t.void_reason,
        "initiated_by": t.initiated_by or "system",
        "approval_required": t.approval_required,
        "approved_by": t.approved_by,
        "rejected_by": t.rejected_by,
    }


class VoidInSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class TenantStatusInSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["active", "closed"]))
    network = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))


class TenantStatusSchema(Schema):
    tenant = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["active", "closed"]})
    accounts_changed = fields.Integer(
        required=True, metadata={"description": "Accounts frozen or unfrozen by this call"}
    )


class AccountMoveInSchema(Schema):
    from_tenant = fields.String(required=True, validate=validate.Length(min=1, max=40))
    tenant = fields.String(required=True, validate=validate.Length(min=1, max=40))


class CreditLimitInSchema(Schema):
    credit_limit = Amount(positive=False, required=True)
    reason = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"description": "Why the limit changes (kept in its history)."},
    )
    expires_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The limit ends when this day starts (00:00 Europe/Paris) and the "
            "category's default (else the network's) comes back; null: a standing limit",
            "example": "2027-06-30",
        },
    )
    review_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "When animators review the line", "example": "2027-06-01"},
    )


class MaxBalanceInSchema(Schema):
    max_balance = Amount(
        positive=False,
        required=True,
        allow_none=True,
        metadata={"description": "null: no maximum", "example": "20000.00"},
    )


class CreditReviewsQuery(PageQuery):
    days = fields.Integer(
        load_default=30,
        validate=validate.Range(min=1, max=366),
        metadata={"description": "Horizon in days from today (Europe/Paris)"},
    )


class CreditLineDueSchema(Schema):
    member_id = fields.UUID(required=True)
    name = fields.String(required=True, metadata={"example": "Atelier Dupont"})
    kind = fields.String(required=True, metadata={"type": "string", "enum": ["review", "expiry"]})
    due_on = fields.Date(required=True)
    category = fields.String(allow_none=True, required=True)
    balance = Amount(positive=False, required=True)
    available = Amount(positive=False, required=True)
    credit_limit = Amount(positive=False, required=True)
    standing_credit_limit = Amount(
        positive=False,
        required=True,
        metadata={"description": "The limit it gets back at expiry (category, else network)"},
    )
    credit_limit_expires_on = fields.Date(allow_none=True, required=True)
    credit_limit_review_on = fields.Date(allow_none=True, required=True)


class FeeAccountQuery(PageQuery):
    pass


class FeeAccountSchema(Schema):
    account_id = fields.UUID(required=True)
    network = fields.String(required=True)
    unit = fields.String(required=True)
    balance = Amount(positive=False, required=True)
    items = fields.List(
        fields.Nested(lambda: TransferSchema()),
        required=True,
        metadata={"description": "The statement, newest first"},
    )
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class CommissionsQuery(Schema):
    since = fields.AwareDateTime(
        load_default=None, metadata={"example": "2026-01-01T00:00:00+01:00"}
    )


class CommissionMonthSchema(Schema):
    tenant = fields.String(required=True, metadata={"example": "pie"})
    month = fields.String(required=True, metadata={"example": "2026-11"})
    amount = Amount(
        positive=False,
        required=True,
        metadata={"description": "Commissions received, less those reversed"},
    )
    transfers = fields.Integer(required=True)


class CommissionsSchema(Schema):
    network = fields.String(required=True)
    unit = fields.String(required=True)
    total = Amount(positive=False, required=True)
    items = fields.List(
        fields.Nested(CommissionMonthSchema),
        required=True,
        metadata={"description": "By month (UTC, newest first) and tenant"},
    )


class FeeTransferInSchema(Schema):
    payee_member_id = fields.UUID(required=True)
    tenant = fields.String(required=True, metadata={"example": "pie"})
    amount = Amount(required=True)
    reference = fields.String(load_default="", validate=validate.Length(max=200))


class CreditLimitChangeSchema(Schema):
    account_id = fields.UUID(required=True)
    old_credit_limit = Amount(
        positive=False,
        allow_none=True,
        required=True,
        metadata={"description": "null: the limit the account opened with"},
    )
    credit_limit = Amount(positive=False, required=True)
    changed_by = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Token subject (user id) of who changed it"},
    )
    changed_by_role = fields.String(allow_none=True, required=True)
    reason = fields.String(required=True)
    changed_at = fields.DateTime(required=True)


class ActivityQuery(Schema):
    months = fields.Integer(
        load_default=12,
        validate=validate.Range(min=1, max=36),
        metadata={"description": "How many calendar months (UTC), the current one last"},
    )


class MonthActivitySchema(Schema):
    month = fields.String(required=True, metadata={"example": "2026-11"})
    volume = Amount(
        positive=False,
        required=True,
        metadata={"description": "Posted trades touching the tenant, less their reversals"},
    )
    transfers = fields.Integer(required=True)
    active_members = fields.Integer(required=True)


class ActivitySchema(Schema):
    tenant = fields.String(required=True)
    unit = fields.String(required=True)
    months = fields.List(
        fields.Nested(MonthActivitySchema), required=True, metadata={"description": "Oldest first"}
    )
    members = fields.Integer(required=True, metadata={"description": "Accounts not closed"})
    members_in_debit = fields.Integer(required=True)
    outstanding_credit = Amount(
        positive=False,
        required=True,
        metadata={"description": "Sum of the negative balances, as a positive amount"},
    )
    credit_limits = Amount(positive=False, required=True)


class StatementQuery(PageQuery):
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    status = fields.List(
        fields.String(validate=validate.OneOf(("posted", "pending", "voided", "refused"))),
        load_default=None,
    )


class AccountListQuery(PageQuery):
    pass


class AuditQuery(PageQuery):
    tenant = fields.String(load_default=None)
    action = fields.String(load_default=None)
    actor = fields.String(load_default=None)
    since = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    # The gateway pages the merged log: it asks each source for up to page x per_page entries.
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=5000))


class AuditEntrySchema(Schema):
    id = fields.UUID(required=True)
    at = fields.DateTime(required=True)
    actor = fields.Dict(required=True)
    action = fields.String(required=True)
    target = fields.Dict(required=True)
    network = fields.String(allow_none=True)
    tenant = fields.String(allow_none=True)
    details = fields.Dict(required=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


# --- trade between networks --------------------------------------------------------------------


class FederatedTransferInSchema(Schema):
    payer = fields.UUID(required=True, metadata={"description": "A member of one of the networks"})
    payee = fields.UUID(required=True, metadata={"description": "A member of the partner network"})
    amount = Amount(required=True, metadata={"description": "In the payer's unit"})
    reference = fields.String(load_default="", validate=validate.Length(max=200))


class RefusalSchema(Schema):
    code = fields.String(required=True, metadata={"example": "insufficient_credit"})
    reason = fields.String(required=True)


class FederatedTransferSchema(Schema):
    id = fields.UUID(required=True)
    link_id = fields.UUID(required=True)
    status = fields.Function(
        lambda s: s.state.value,
        required=True,
        metadata={
            "type": "string",
            "enum": [
                "started",
                "payer_held",
                "posting",
                "payer_posted",
                "posted",
                "voiding",
                "voided",
                "refused",
            ],
            "example": "posted",
        },
    )
    payer_network = fields.String(required=True, metadata={"example": "troc-actif"})
    payee_network = fields.String(required=True, metadata={"example": "agri-echange"})
    payer = fields.UUID(required=True)
    payee = fields.UUID(required=True)
    amount = Amount(required=True, metadata={"description": "In the payer's unit"})
    converted_amount = Amount(
        required=True, metadata={"description": "In the payee's unit, at the frozen rate"}
    )
    rate = fields.Function(
        lambda s: format_rate(s.rate),
        required=True,
        metadata={
            "type": "string",
            "example": "1",
            "description": "Units of the link's network_b for one unit of its network_a",
        },
    )
    reference = fields.String()
    refusal = fields.Function(
        lambda s: (
            {"code": s.refusal_code, "reason": s.refusal_reason or ""} if s.refusal_code else None
        ),
        allow_none=True,
        metadata={
            "type": "object",
            "nullable": True,
            "properties": {"code": {"type": "string"}, "reason": {"type": "string"}},
        },
    )
    payer_transfer_id = fields.UUID(required=True)
    payee_transfer_id = fields.UUID(required=True)
    created_at = fields.DateTime(required=True)
    deadline = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ClearingQuery(Schema):
    network_a = fields.String(required=True, validate=validate.Length(min=1, max=40))
    network_b = fields.String(required=True, validate=validate.Length(min=1, max=40))


class ClearingSchema(Schema):
    network_a = fields.String(required=True)
    network_b = fields.String(required=True)
    clearing_balance_a = Amount(positive=False, allow_none=True)
    clearing_balance_b = Amount(positive=False, allow_none=True)
