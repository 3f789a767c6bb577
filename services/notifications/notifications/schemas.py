"""HTTP schemas of the notifications (field names of DESIGN.md §6: extend, never rename)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.schemas import PageQuery, page_of
from contracts import DEFAULT_EVENT_LOG, EVENT_LOGS
from notifications.domain import MEMBER_KINDS, ValidationMail


class NotificationSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    subject_id = fields.String(required=True)
    audience = fields.String(required=True, metadata={"description": "member or animators"})
    member_id = fields.UUID(allow_none=True)
    data = fields.Dict(keys=fields.String(), values=fields.String())
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True)
    read = fields.Boolean(required=True)


class NotificationPageSchema(page_of(NotificationSchema)):  # type: ignore[misc]
    unread = fields.Integer(required=True, metadata={"description": "Unread entries in the feed"})


class NotificationQuery(PageQuery):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only unread entries"})


class WebhookInSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(min=8, max=2000))
    event_types = fields.List(
        fields.String(),
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "CloudEvents types, e.g. org.trocactif.ledger.transfer_posted.v1"},
    )
    description = fields.String(load_default="", validate=validate.Length(max=500))


class WebhookSchema(Schema):
    id = fields.UUID(required=True)
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    description = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "active or disabled"})
    created_at = fields.DateTime(required=True)
    disabled_at = fields.DateTime(allow_none=True)
    secret = fields.String(
        metadata={"description": "whsec_...: shown at creation (and rotation) only"}
    )
    previous_secret_expires_at = fields.DateTime(
        allow_none=True,
        attribute="previous_secret_until",
        metadata={
            "description": "After a rotation: until then, deliveries are signed with "
            "the previous secret too"
        },
    )


WebhookPageSchema = page_of(WebhookSchema)


class WebhookPatchSchema(Schema):
    url = fields.String(validate=validate.Length(min=8, max=2000))
    event_types = fields.List(
        fields.String(),
        validate=validate.Length(min=1, max=100),
        metadata={"example": ["org.trocactif.ledger.transfer_posted.v1"]},
    )
    description = fields.String(validate=validate.Length(max=500))
    active = fields.Boolean(
        metadata={"description": "false: nothing is sent (deliveries wait); true: sending resumes"}
    )


class RotateSecretInSchema(Schema):
    overlap_hours = fields.Integer(
        load_default=24,
        validate=validate.Range(min=0, max=168),
        metadata={"description": "How long the previous secret keeps signing (0: at once)"},
    )


class RedeliverRangeInSchema(Schema):
    source = fields.String(
        load_default=DEFAULT_EVENT_LOG,
        validate=validate.OneOf(EVENT_LOGS),
        metadata={
            "description": "Whose log `after` is a position in (each producer numbers its own)",
            "example": DEFAULT_EVENT_LOG,
        },
    )
    after = fields.Integer(
        required=True,
        validate=validate.Range(min=0),
        metadata={
            "description": "Send again every delivery whose event sequence is above this one",
            "example": 41,
        },
    )
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=10_000))


class RedeliveredSchema(Schema):
    queued = fields.Integer(required=True, metadata={"example": 12})


class AttemptSchema(Schema):
    attempted_at = fields.DateTime(required=True)
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer(required=True)


class DeliverySchema(Schema):
    id = fields.UUID(required=True)
    event_id = fields.String(required=True, metadata={"description": "Also the webhook-id"})
    event_type = fields.String(required=True)
    sequence = fields.Integer(allow_none=True)
    status = fields.String(required=True, metadata={"description": "pending, succeeded, failed"})
    attempts = fields.Integer(required=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True)
    attempt_log = fields.List(fields.Nested(AttemptSchema), required=True)


DeliveryPageSchema = page_of(DeliverySchema)


class PreferenceSchema(Schema):
    kind = fields.String(required=True)
    email = fields.Boolean(required=True, metadata={"description": "Sent by e-mail too"})


VALIDATION_MAIL_DESCRIPTION = (
    "Animators: how the invoices awaiting your validation come by e-mail: `each` (one e-mail "
    "each time), `digest` (one daily digest of what is waiting, at `digest_hour` Paris time) "
    "or `none`. A reminder two days before a hold expires goes to `each` and `digest`."
)


class PreferencesSchema(Schema):
    member_id = fields.UUID(allow_none=True, metadata={"description": "None: the defaults"})
    items = fields.List(fields.Nested(PreferenceSchema), required=True)
    validation_emails = fields.String(
        allow_none=True,
        metadata={
            "description": VALIDATION_MAIL_DESCRIPTION + " None for members.",
            "example": "digest",
        },
    )
    digest_hour = fields.String(
        required=True,
        metadata={"description": "Time of the daily digest, Paris time", "example": "08:00"},
    )


class PreferencesQuery(Schema):
    member_id = fields.UUID(
        load_default=None, metadata={"description": "Animators: the member company to read"}
    )


class PreferencesInSchema(Schema):
    member_id = fields.UUID(
        load_default=None, metadata={"description": "Animators: the member company to change"}
    )
    email = fields.Dict(
        keys=fields.String(validate=validate.OneOf([k.value for k in MEMBER_KINDS])),
        values=fields.Boolean(),
        load_default=None,
        metadata={
            "description": "Kind -> whether to send it by e-mail (a member company's)",
            "example": {"match_found": False},
        },
    )
    validation_emails = fields.String(
        load_default=None,
        validate=validate.OneOf([c.value for c in ValidationMail]),
        metadata={"description": VALIDATION_MAIL_DESCRIPTION, "example": "digest"},
    )

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("email") is None and data.get("validation_emails") is None:
            raise ValidationError(
                "Give 'email' (a member company's kinds) or 'validation_emails' (yours).",
                field_name="email",
            )
