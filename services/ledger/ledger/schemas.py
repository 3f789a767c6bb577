"""HTTP schemas of the ledger (field names of DESIGN.md §6: extend, never rename)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.money import format_cents
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


#: The largest sequence the event log can hold (a PostgreSQL ``bigint``): a larger ``after`` is a
#: client's mistake (422), not a database error.
MAX_SEQUENCE = 2**63 - 1


class EventsQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_SEQUENCE))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class EventsPageSchema(Schema):
    events = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "CloudEvents 1.0 (structured JSON), by sequence"},
    )
    next_after = fields.Integer(
        required=True, metadata={"description": "Pass as `after` to read on."}
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
