"""HTTP schemas of the gateway's own routes (field names of DESIGN.md §6: extend, never rename).

Incoming schemas check shapes and types only; the domain validates the content and names the
bad fields itself, so one rule never lives in two places. Outgoing schemas read the use cases'
views (``gateway.service``).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, Final

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.schemas import Amount, PageQuery

#: Anything JSON may carry: the domain checks it (a float rate, a list of scopes, ...).
Raw = fields.Raw


# --- auth --------------------------------------------------------------------------------------


class TokenRequestSchema(Schema):
    """A password login, or an integrator's key (``api_key``, or OAuth client credentials)."""

    grant_type = fields.String(
        load_default=None, validate=validate.OneOf(["password", "client_credentials"])
    )
    email = fields.String(load_default=None, validate=validate.Length(max=320))
    password = fields.String(load_default=None, validate=validate.Length(max=1024), load_only=True)
    api_key = fields.String(load_default=None, validate=validate.Length(max=200), load_only=True)
    client_secret = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        load_only=True,
        metadata={"description": "The API key (client credentials)."},
    )
    totp = fields.String(
        load_default=None,
        validate=validate.Length(max=40),
        load_only=True,
        metadata={
            "description": "The current code of the authenticator app, "
            "or an unused recovery code (accounts with two-factor "
            "login)."
        },
    )

    @validates_schema
    def _one_grant(self, data: dict[str, Any], **_: Any) -> None:
        key = data.get("api_key") or data.get("client_secret")
        if data.get("grant_type") == "client_credentials" or key:
            if not key:
                raise ValidationError("give the API key", field_name="api_key")
            return
        errors = {name: ["is required"] for name in ("email", "password") if not data.get(name)}
        if errors:
            raise ValidationError(errors)


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    refresh_token = fields.String(allow_none=True)
    scope = fields.String(allow_none=True)
    totp_enrolment_required = fields.Boolean(
        metadata={
            "description": "True: the network requires a second factor this staff account has not "
            "set up; the token only reaches POST /auth/totp and /auth/totp/confirm."
        }
    )


class RefreshRequestSchema(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ResetRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))


class ResetConfirmSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True)


class AcceptedSchema(Schema):
    status = fields.String(required=True)


class JwksSchema(Schema):
    keys = fields.List(fields.Dict(), required=True)


class MeSchema(Schema):
    subject = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    tenant = fields.String(allow_none=True)
    network = fields.String(allow_none=True)
    member_id = fields.UUID(allow_none=True)
    scopes = fields.List(fields.String())
    user = fields.Nested(lambda: UserSchema(), allow_none=True)


# --- networks and tenants ----------------------------------------------------------------------


class UnitSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    symbol = fields.String(required=True)


class CommissionSchema(Schema):
    rate = fields.Function(
        lambda c: str(c.rate),
        deserialize=lambda v: v,
        required=True,
        metadata={
            "type": "string",
            "example": "5",
            "description": 'Percent of the invoiced amount, e.g. "5".',
        },
    )
    charged_in = fields.Function(
        lambda c: c.charged_in.value,
        deserialize=lambda v: v,
        required=True,
        metadata={"type": "string", "enum": ["unit", "euro"]},
    )


class MemberCategorySchema(Schema):
    slug = fields.String(required=True, metadata={"example": "association"})
    name = fields.String(required=True, metadata={"example": "Associations"})
    default_credit_limit = Amount(
        positive=False,
        required=True,
        metadata={"description": "The limit its members open with and get back at expiry"},
    )
    max_balance = Amount(
        positive=False, load_default=None, allow_none=True, metadata={"example": "20000.00"}
    )


#: The documented shape of a network's ``unit`` and ``commission`` in a request: the fields stay
#: plain objects on input, so that the domain names the wrong part (``unit.code``) when refusing.
UNIT_IN_DOC: Final[dict[str, Any]] = {
    "description": "The network's unit of account.",
    "properties": {
        "code": {"type": "string", "example": "ACT"},
        "name": {"type": "string", "example": "Actif"},
        "symbol": {"type": "string", "example": "A"},
    },
    "required": ["code", "name", "symbol"],
}
COMMISSION_IN_DOC: Final[dict[str, Any]] = {
    "description": "The network's commission on settled invoices.",
    "properties": {
        "rate": {
            "type": "string",
            "example": "5",
            "description": 'Percent of the invoiced amount, e.g. "5".',
        },
        "charged_in": {"type": "string", "enum": ["unit", "euro"]},
    },
    "required": ["rate", "charged_in"],
}


class NetworkInSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.Dict(required=True, metadata=UNIT_IN_DOC)
    default_credit_limit = Amount(positive=False, required=True)
    payment_modes = fields.List(
        Raw(metadata={"type": "integer", "enum": [100, 50]}),
        required=True,
        metadata={"example": [100, 50]},
    )
    hold_expiry_days = Raw(required=True, metadata={"type": "integer", "example": 30})
    vat_settlement = fields.String(required=True, metadata={"example": "unit"})
    commission = fields.Dict(load_default=None, metadata=COMMISSION_IN_DOC)
    buyer_acceptance_required = Raw(load_default=True, metadata={"type": "boolean"})
    need_expiry_days = Raw(load_default=90, metadata={"type": "integer", "example": 90})
    staff_2fa_required = Raw(
        load_default=False,
        metadata={
            "type": "boolean",
            "description": "Animators and the operator must log in with a TOTP code",
        },
    )
    member_categories = fields.List(
        fields.Nested(MemberCategorySchema),
        load_default=list,
        metadata={"description": "Categories of members, each with its default credit limit"},
    )
    manual_transfer_approval_threshold = Amount(
        positive=False,
        load_default=None,
        allow_none=True,
        metadata={
            "example": "5000.00",
            "description": "Manual transfers above it wait for a second animator; null: never",
        },
    )
    membership_fee = fields.Dict(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "{amount, period: year, charged_in: unit|euro, due: admission|MM-DD, "
            "grace_days}; null: no membership fee",
            "example": {
                "amount": "120.00",
                "period": "year",
                "charged_in": "unit",
                "due": "01-31",
                "grace_days": 30,
            },
        },
    )
    direct_payments = fields.String(
        load_default="off", metadata={"enum": ["off", "request", "both"], "example": "both"}
    )
    direct_payments_validation_threshold = Amount(positive=False, load_default=0)


class NetworkPatchSchema(Schema):
    name = fields.String()
    unit = fields.Dict(metadata=UNIT_IN_DOC)
    default_credit_limit = Amount(positive=False)
    payment_modes = fields.List(Raw(metadata={"type": "integer", "enum": [100, 50]}))
    hold_expiry_days = Raw(metadata={"type": "integer", "example": 30})
    vat_settlement = fields.String()
    commission = fields.Dict(metadata=COMMISSION_IN_DOC)
    buyer_acceptance_required = Raw(metadata={"type": "boolean"})
    need_expiry_days = Raw(metadata={"type": "integer", "example": 90})
    staff_2fa_required = Raw(metadata={"type": "boolean"})
    member_categories = fields.List(
        fields.Nested(MemberCategorySchema),
        metadata={"description": "The whole new list (members keep a category it still has)"},
    )
    manual_transfer_approval_threshold = Amount(
        positive=False, allow_none=True, metadata={"example": "5000.00"}
    )
    membership_fee = fields.Dict(
        allow_none=True,
        metadata={
            "description": "{amount, period: year, charged_in: unit|euro, due: admission|MM-DD, "
            "grace_days}; null: no membership fee",
            "example": {
                "amount": "120.00",
                "period": "year",
                "charged_in": "unit",
                "due": "01-31",
                "grace_days": 30,
            },
        },
    )
    direct_payments = fields.String(
        metadata={"enum": ["off", "request", "both"], "example": "both"}
    )
    direct_payments_validation_threshold = Amount(positive=False)


class NetworkSchema(Schema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.Nested(UnitSchema, required=True)
    default_credit_limit = Amount(positive=False, required=True)
    payment_modes = fields.List(fields.Integer(), required=True)
    hold_expiry_days = fields.Integer(required=True)
    vat_settlement = fields.Function(
        lambda n: n.vat_settlement.value,
        required=True,
        metadata={"type": "string", "enum": ["unit", "euro"]},
    )
    commission = fields.Nested(CommissionSchema, required=True)
    buyer_acceptance_required = fields.Boolean(required=True)
    need_expiry_days = fields.Integer(required=True)
    staff_2fa_required = fields.Boolean(required=True)
    member_categories = fields.List(fields.Nested(MemberCategorySchema), required=True)
    manual_transfer_approval_threshold = Amount(positive=False, allow_none=True)
    membership_fee = fields.Function(
        lambda n: n.membership_fee.as_dict() if n.membership_fee else None,
        allow_none=True,
        metadata={"type": "object", "nullable": True},
    )
    direct_payments = fields.String(required=True, metadata={"enum": ["off", "request", "both"]})
    direct_payments_validation_threshold = Amount(positive=False, required=True)


class ContactSchema(Schema):
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class TenantInSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    departments = fields.List(
        Raw(metadata={"type": "string"}), required=True, metadata={"example": ["92", "93", "94"]}
    )
    contact = fields.Dict(load_default=None, metadata={"description": "{name, email, phone}"})


class TenantPatchSchema(Schema):
    name = fields.String()
    departments = fields.List(
        Raw(metadata={"type": "string"}), metadata={"example": ["92", "93", "94"]}
    )
    contact = fields.Dict(allow_none=True, metadata={"description": "{name, email, phone}"})
    status = fields.String(
        validate=validate.OneOf(["active", "closed"]),
        metadata={
            "example": "closed",
            "description": "closed: logins, refreshes and API keys refused, member accounts "
            "frozen in the ledger, nothing deleted; active reopens it",
        },
    )


class TenantSchema(Schema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    network = fields.String(required=True)
    name = fields.String(required=True)
    departments = fields.List(fields.String(), required=True)
    contact = fields.Nested(ContactSchema, allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["active", "closed"]})
    closed_at = fields.DateTime(allow_none=True)


# --- members -----------------------------------------------------------------------------------


class AddressSchema(Schema):
    street = fields.String(required=True)
    postal_code = fields.String(required=True)
    city = fields.String(required=True)


_MEMBER_FIELDS: dict[str, Any] = {
    "name": fields.String(),
    "vat_number": fields.String(allow_none=True),
    "naf": fields.String(allow_none=True),
    "address": Raw(
        metadata={
            "description": 'One line ("12 rue de la Paix, 75002 Paris") '
            "or {street, postal_code, city}.",
            "oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Address"}],
        }
    ),
    "department": Raw(metadata={"type": "string", "example": "92"}),
    "email": fields.String(),
    "phone": fields.String(allow_none=True),
    "category": fields.String(
        allow_none=True,
        metadata={"description": "One of the network's member categories (slug); null: none"},
    ),
}


class MemberInSchema(Schema):
    name = fields.String(required=True)
    siret = fields.String(required=True, metadata={"example": "73282932000074"})
    vat_number = fields.String(load_default=None, allow_none=True)
    naf = fields.String(load_default=None, allow_none=True)
    address = Raw(required=True, metadata=_MEMBER_FIELDS["address"].metadata)
    department = Raw(required=True, metadata={"type": "string", "example": "92"})
    email = fields.String(required=True)
    phone = fields.String(load_default=None, allow_none=True)
    credit_limit = Amount(
        positive=False,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Opening credit limit; default: the category's, else the network's."
        },
    )
    category = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "One of the network's member categories (slug)"},
    )


MemberPatchSchema = Schema.from_dict(_MEMBER_FIELDS, name="MemberPatchSchema")


class MemberListQuery(PageQuery):
    scope = fields.String(
        load_default="tenant",
        validate=validate.OneOf(["tenant", "network"]),
        metadata={
            "description": "tenant: this tenant's members; network: the network's whole directory."
        },
    )
    status = fields.String(
        load_default=None, validate=validate.OneOf(["admitted", "suspended", "left"])
    )
    updated_since = fields.AwareDateTime(
        load_default=None,
        metadata={
            "description": "Only the members changed at or after this instant (details or status), "
            "oldest change first: follow the feed with the last updated_at seen.",
            "example": "2026-11-20T09:30:00Z",
        },
    )


class SuspendSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class MemberMoveSchema(Schema):
    tenant = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"example": "fa-mgp", "description": "The slug of the tenant to move to"},
    )


class MemberSchema(Schema):
    id = fields.UUID(attribute="member.id", required=True)
    tenant = fields.String(required=True)
    network = fields.String(required=True)
    name = fields.String(attribute="member.name", required=True)
    siret = fields.String(attribute="member.siret", required=True)
    siren = fields.String(attribute="member.siren")
    vat_number = fields.String(attribute="member.vat_number", allow_none=True)
    naf = fields.String(attribute="member.naf", allow_none=True)
    address = fields.Nested(AddressSchema, attribute="member.address")
    department = fields.String(attribute="member.department", required=True)
    email = fields.String(attribute="member.email", required=True)
    phone = fields.String(attribute="member.phone", allow_none=True)
    category = fields.String(attribute="member.category", allow_none=True)
    status = fields.Function(
        lambda v: v.member.status.value,
        required=True,
        metadata={"type": "string", "example": "active"},
    )
    admitted_at = fields.DateTime(attribute="member.admitted_at")
    status_changed_at = fields.DateTime(attribute="member.status_changed_at", allow_none=True)
    updated_at = fields.DateTime(attribute="member.updated_at", allow_none=True)


class ImportRowSchema(Schema):
    line = fields.Integer()
    field = fields.String()
    code = fields.String()
    message = fields.String()


class ImportResultSchema(Schema):
    admitted = fields.Integer(required=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)


# --- users and API keys ------------------------------------------------------------------------


class UserInSchema(Schema):
    email = fields.String(required=True)
    password = fields.String(
        load_default=None,
        load_only=True,
        metadata={"description": "Omitted: the user is e-mailed an invitation to choose one."},
    )
    role = fields.String(required=True, validate=validate.OneOf(["animator", "member"]))
    member_id = fields.UUID(load_default=None, allow_none=True)


class UserSchema(Schema):
    id = fields.UUID(attribute="user.id", required=True)
    email = fields.String(attribute="user.email", required=True)
    role = fields.Function(
        lambda v: v.user.role.value,
        required=True,
        metadata={"type": "string", "example": "animator"},
    )
    tenant = fields.String(allow_none=True)
    #: The association's name (``GET /me`` only; absent elsewhere).
    tenant_name = fields.String(allow_none=True, dump_only=True)
    network = fields.String(allow_none=True)
    member_id = fields.UUID(attribute="user.member_id", allow_none=True)
    is_active = fields.Boolean(attribute="user.is_active")
    status = fields.Function(
        lambda v: "active" if v.user.is_active else "disabled",
        metadata={"type": "string", "enum": ["active", "disabled"]},
    )
    created_at = fields.DateTime(attribute="user.created_at")
    last_login_at = fields.DateTime(attribute="user.last_login_at", allow_none=True)


class UserPatchSchema(Schema):
    status = fields.String(
        validate=validate.OneOf(["active", "disabled"]),
        metadata={"description": "A disabled user cannot log in; their sessions end at once."},
    )
    role = fields.String(
        validate=validate.OneOf(["animator", "member"]),
        metadata={"description": "A tenant user's role; becoming a member needs `member_id`."},
    )
    member_id = fields.UUID(allow_none=True)


class OperatorUserInSchema(Schema):
    email = fields.String(required=True)
    password = fields.String(
        load_default=None,
        load_only=True,
        metadata={"description": "Omitted: the operator is e-mailed an invitation to choose one."},
    )


class OperatorUserPatchSchema(Schema):
    status = fields.String(validate=validate.OneOf(["active", "disabled"]))


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


class ApiKeyInSchema(Schema):
    name = fields.String(required=True)
    scopes = fields.List(
        fields.String(), required=True, metadata={"example": ["ledger:read", "events:read"]}
    )


class ApiKeySchema(Schema):
    id = fields.UUID(attribute="key.id", required=True)
    tenant = fields.String(required=True)
    name = fields.String(attribute="key.name", required=True)
    prefix = fields.Function(
        lambda v: f"troc_{v.key.key_id}",
        metadata={"type": "string", "description": "The public part of the key."},
    )
    scopes = fields.Function(
        lambda v: sorted(s.value for s in v.key.scopes),
        required=True,
        metadata={"type": "array", "items": {"type": "string"}, "example": ["ledger:read"]},
    )
    created_at = fields.DateTime(attribute="key.created_at")
    last_used_at = fields.DateTime(attribute="key.last_used_at", allow_none=True)
    revoked_at = fields.DateTime(attribute="key.revoked_at", allow_none=True)


class NewApiKeySchema(ApiKeySchema):
    key = fields.String(
        attribute="plaintext",
        required=True,
        metadata={"description": "The whole key: shown this once only."},
    )


class NetworkApiKeyInSchema(Schema):
    name = fields.String(required=True, metadata={"example": "Tableau de bord régional"})
    scopes = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Read scopes only: ledger:read, events:read, invoices:read, "
            "listings:read.",
            "example": ["ledger:read", "events:read"],
        },
    )


class NetworkApiKeySchema(Schema):
    id = fields.UUID(attribute="key.id", required=True)
    network = fields.String(required=True, metadata={"example": "troc-actif"})
    name = fields.String(attribute="key.name", required=True)
    prefix = fields.Function(
        lambda v: f"troc_{v.key.key_id}",
        metadata={"type": "string", "description": "The public part of the key."},
    )
    scopes = fields.Function(
        lambda v: sorted(s.value for s in v.key.scopes),
        required=True,
        metadata={"type": "array", "items": {"type": "string"}, "example": ["ledger:read"]},
    )
    created_at = fields.DateTime(attribute="key.created_at")
    last_used_at = fields.DateTime(attribute="key.last_used_at", allow_none=True)
    revoked_at = fields.DateTime(attribute="key.revoked_at", allow_none=True)


class NewNetworkApiKeySchema(NetworkApiKeySchema):
    key = fields.String(
        attribute="plaintext",
        required=True,
        metadata={"description": "The whole key: shown this once only."},
    )


class AuditQuery(PageQuery):
    action = fields.String(load_default=None, metadata={"example": "member_suspended"})
    actor = fields.String(
        load_default=None, metadata={"description": "A user id, or an e-mail address"}
    )
    since = fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        metadata={"description": "Entries at or after this instant (ISO 8601)"},
    )


class AuditActorSchema(Schema):
    user_id = fields.String(required=True, metadata={"description": "A user id, or system"})
    email = fields.String(allow_none=True)
    role = fields.String(required=True)


class AuditTargetSchema(Schema):
    type = fields.String(required=True, metadata={"example": "member"})
    id = fields.String(required=True)


class AuditEntrySchema(Schema):
    id = fields.UUID(required=True)
    at = fields.DateTime(required=True)
    actor = fields.Nested(AuditActorSchema, required=True)
    action = fields.String(required=True)
    target = fields.Nested(AuditTargetSchema, required=True)
    network = fields.String(allow_none=True)
    tenant = fields.String(allow_none=True)
    details = fields.Dict(required=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    sources = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "Each source of the log: ok, or unavailable (its entries are missing)"
        },
    )


class TotpEnrolmentSchema(Schema):
    secret = fields.String(required=True)
    otpauth_uri = fields.String(required=True)
    recovery_codes = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Ten codes usable once each instead of a TOTP code; shown this once."
        },
    )


class TotpConfirmSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=6, max=12))


# --- links between networks --------------------------------------------------------------------


class FederationLinkInSchema(Schema):
    network_a = fields.String(required=True, metadata={"example": "troc-actif"})
    network_b = fields.String(required=True, metadata={"example": "agri-echange"})
    rate = Raw(
        required=True,
        metadata={
            "type": "string",
            "example": "1",
            "description": "Units of network_b for one unit of network_a (a decimal string)",
        },
    )
    limit_a = Amount(
        positive=False,
        required=True,
        metadata={"description": "How far network_a's clearing account may go below zero"},
    )
    limit_b = Amount(
        positive=False,
        required=True,
        metadata={"description": "How far network_b's clearing account may go below zero"},
    )


class FederationLinkPatchSchema(Schema):
    rate = Raw(metadata={"type": "string", "example": "1", "description": "For future trades"})
    limit_a = Amount(positive=False)
    limit_b = Amount(positive=False)
    status = fields.String(
        validate=validate.OneOf(["active", "suspended"]), metadata={"example": "suspended"}
    )


class NetworkLinkSchema(Schema):
    """A link as the tenant's network sees it: the partner and its own clearing account (its
    balance, limit and room left for the animators and the operator; null for others)."""

    link_id = fields.UUID(required=True)
    network = fields.String(required=True, metadata={"example": "troc-actif"})
    partner_network = fields.String(required=True, metadata={"example": "agri-echange"})
    partner_network_name = fields.String(required=True, metadata={"example": "Agri-échange"})
    partner_unit = fields.String(
        required=True, metadata={"example": "Grain", "description": "The partner's unit name"}
    )
    clearing_account = fields.UUID(
        required=True,
        metadata={"description": "The network's clearing account for the partner (statements)"},
    )
    rate = fields.String(
        required=True,
        metadata={"example": "2", "description": "Units of the partner for one unit of network"},
    )
    limit = Amount(
        positive=False,
        allow_none=True,
        metadata={"description": "How far the clearing account may go below zero (own unit)"},
    )
    clearing_balance = Amount(
        positive=False,
        allow_none=True,
        metadata={"description": "The clearing account's balance (own unit); null: unknown"},
    )
    available = Amount(
        positive=False,
        allow_none=True,
        metadata={"description": "Room left: balance plus limit (own unit); null: unknown"},
    )
    status = fields.String(
        required=True, metadata={"enum": ["active", "suspended"], "example": "active"}
    )


class NetworkLinksSchema(Schema):
    items = fields.List(fields.Nested(NetworkLinkSchema), required=True)


class FederationLinkSchema(Schema):
    id = fields.UUID(required=True)
    network_a = fields.String(required=True, metadata={"example": "troc-actif"})
    network_b = fields.String(required=True, metadata={"example": "agri-echange"})
    rate = fields.String(required=True, metadata={"example": "1"})
    limit_a = Amount(positive=False, required=True)
    limit_b = Amount(positive=False, required=True)
    status = fields.String(
        required=True, metadata={"enum": ["active", "suspended"], "example": "active"}
    )
    clearing_balance_a = Amount(
        positive=False,
        allow_none=True,
        metadata={"description": "network_a's clearing account (its unit); null: not opened yet"},
    )
    clearing_balance_b = Amount(
        positive=False,
        allow_none=True,
        metadata={"description": "network_b's clearing account (its unit); null: not opened yet"},
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
