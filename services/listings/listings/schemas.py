"""HTTP schemas of the listings (field names of DESIGN.md §6: extend, never rename)."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from chassis.schemas import Amount, PageQuery, page_of
from listings import domain

KINDS = tuple(k.value for k in domain.Kind)
STATUSES = tuple(s.value for s in domain.Status)
VISIBILITIES = tuple(v.value for v in domain.Visibility)
PRICE_TYPES = tuple(p.value for p in domain.PriceType)
CATEGORY_SLUGS = tuple(c.slug for c in domain.CATEGORIES)


class PriceSchema(Schema):
    type = fields.String(
        load_default="on_quote",
        validate=validate.OneOf(PRICE_TYPES),
        metadata={"description": "fixed, from (at least) or on_quote"},
    )
    amount = Amount(
        load_default=None,
        allow_none=True,
        metadata={"description": "In the network's unit; none on quote"},
    )
    unit = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The network's unit code (e.g. ACT)"},
    )

    @validates_schema
    def _amount_fits_type(self, data: dict[str, Any], **_: Any) -> None:
        try:
            domain.Price(domain.PriceType(data["type"]), data.get("amount")).ensure_valid()
        except domain.InvalidListing as exc:
            raise ValidationError(exc.message, field_name="amount") from None

    @post_load
    def _to_price(self, data: dict[str, Any], **_: Any) -> domain.Price:
        return domain.Price(domain.PriceType(data["type"]), data.get("amount"))


def _departments(values: list[str]) -> tuple[str, ...]:
    try:
        return tuple(sorted({domain.normalize_department(v) for v in values}))
    except domain.InvalidListing as exc:
        raise ValidationError(exc.message) from None


class _ListingFields(Schema):
    title = fields.String(validate=validate.Length(min=3, max=domain.TITLE_MAX))
    description = fields.String(validate=validate.Length(max=domain.DESCRIPTION_MAX))
    category = fields.String(
        validate=validate.OneOf(CATEGORY_SLUGS),
        metadata={"description": "A slug of GET /t/<tenant>/categories"},
    )
    price = fields.Nested(PriceSchema)
    payment_modes = fields.List(
        fields.Integer(validate=validate.OneOf(domain.PAYMENT_MODES)),
        validate=validate.Length(min=1, max=len(domain.PAYMENT_MODES)),
        allow_none=True,
        metadata={
            "description": "Accepted shares paid in the unit (100 and/or 50); "
            "default: every mode of the network"
        },
    )
    departments = fields.List(
        fields.String(validate=validate.Length(min=1, max=3)),
        allow_none=True,
        validate=validate.Length(max=120),
        metadata={
            "description": 'Departments served (e.g. ["92", "93"]); [] for all of '
            "France; default: the member's department"
        },
    )
    visibility = fields.String(
        validate=validate.OneOf(VISIBILITIES),
        metadata={
            "description": "tenant (own association only), network (default), or federation "
            "(the network and the networks linked to it by an active link)"
        },
    )
    expires_at = fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "Default: needs expire after the network's number of days"},
    )

    @validates("departments")
    def _known_departments(self, value: list[str] | None, **_: Any) -> None:
        if value is not None:
            _departments(value)

    @post_load
    def _normalize(self, data: dict[str, Any], **_: Any) -> Any:
        return self.finish(_normalized(data))

    def finish(self, data: dict[str, Any]) -> Any:
        return data


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("departments") is not None:
        data["departments"] = _departments(data["departments"])
    if data.get("payment_modes") is not None:
        data["payment_modes"] = tuple(sorted(set(data["payment_modes"]), reverse=True))
    return data


class ListingInSchema(_ListingFields):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = fields.String(required=True, validate=validate.Length(min=3, max=domain.TITLE_MAX))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORY_SLUGS))
    description = fields.String(
        load_default="", validate=validate.Length(max=domain.DESCRIPTION_MAX)
    )
    price = fields.Nested(PriceSchema, load_default=None)
    visibility = fields.String(load_default="network", validate=validate.OneOf(VISIBILITIES))
    member_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "Animators only: the member the listing is published for (a member's "
            "own listings always belong to the member of its token)"
        },
    )

    def finish(self, data: dict[str, Any]) -> Any:
        data["draft"] = domain.Draft(
            kind=domain.Kind(data["kind"]),
            title=data["title"],
            category=data["category"],
            description=data["description"],
            price=data["price"] or domain.Price(),
            payment_modes=data.get("payment_modes"),
            departments=data.get("departments"),
            visibility=domain.Visibility(data["visibility"]),
            expires_at=data.get("expires_at"),
        )
        return data


class ListingPatchSchema(_ListingFields):
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={"description": "paused, active again, or archived"},
    )

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("change at least one field")

    def finish(self, data: dict[str, Any]) -> Any:
        if data.get("payment_modes", ()) is None:
            raise ValidationError("give at least one payment mode", field_name="payment_modes")
        if data.get("departments", ()) is None:
            data["departments"] = ()
        if "status" in data:
            data["status"] = domain.Status(data["status"])
        if "visibility" in data:
            data["visibility"] = domain.Visibility(data["visibility"])
        return data


class ConvertedPriceSchema(Schema):
    amount = Amount(required=True, metadata={"description": "In the reader's network's unit"})
    unit = fields.String(
        allow_none=True, metadata={"description": "The reader's network's unit code"}
    )


class ListingSchema(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    category = fields.String(required=True)
    category_label = fields.String()
    price = fields.Nested(PriceSchema, required=True)
    payment_modes = fields.List(fields.Integer(), required=True)
    departments = fields.List(
        fields.String(), required=True, metadata={"description": "[] means all of France"}
    )
    visibility = fields.String(required=True)
    status = fields.String(required=True)
    status_reason = fields.String(allow_none=True)
    member_id = fields.UUID(required=True)
    member_name = fields.String(allow_none=True)
    tenant = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    published_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(allow_none=True)
    network = fields.String(metadata={"description": "The network the listing belongs to"})
    network_name = fields.String(allow_none=True)
    price_in_your_unit = fields.Nested(
        ConvertedPriceSchema,
        metadata={
            "description": "A linked network's listing: its price in the reader's unit at the "
            "link's current rate (cents rounded half away from zero); absent for the reader's "
            "own network and for prices on quote"
        },
    )


class ListingPageSchema(page_of(ListingSchema)):  # type: ignore[misc]
    total_capped = fields.Boolean(
        metadata={
            "description": "True when there are more matches than total (counted up to "
            "1,000 or the page asked for)"
        }
    )


class ListingQuery(PageQuery):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={
            "description": "French full-text search (accents, plurals and "
            'word families: "comptabilité" finds "comptable")'
        },
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORY_SLUGS))
    department = fields.String(load_default=None, validate=validate.Length(min=1, max=3))
    tenant = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Listings of one association"},
    )
    payment_mode = fields.Integer(load_default=None, validate=validate.OneOf(domain.PAYMENT_MODES))
    member_id = fields.UUID(load_default=None)
    scope = fields.String(
        load_default="network",
        validate=validate.OneOf(("tenant", "network", "federation")),
        metadata={
            "description": "network (default): the association's "
            "listings and the network's shared ones; tenant: the "
            "association's only; federation: as network, and the federation listings "
            "of the networks linked to this one by an active link"
        },
    )
    status = fields.String(
        load_default=None,
        validate=validate.OneOf((*STATUSES, "all")),
        metadata={
            "description": "Default: live listings. Paused and "
            "archived ones are shown to their authors and animators"
        },
    )
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))

    @validates("department")
    def _known_department(self, value: str | None, **_: Any) -> None:
        if value is not None:
            _departments([value])

    @post_load
    def _normalize(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("department") is not None:
            data["department"] = _departments([data["department"]])[0]
        if data.get("kind") is not None:
            data["kind"] = domain.Kind(data["kind"])
        return data


class MemberListingsQuery(PageQuery):
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CategorySchema(Schema):
    slug = fields.String(required=True)
    label = fields.String(required=True)
    group = fields.String(required=True)


class MatchSchema(Schema):
    id = fields.UUID(required=True)
    score = fields.Integer(required=True, metadata={"description": "0 to 100"})
    reasons = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "category, text, departments, buyer_can_spend, seller_in_deficit"},
    )
    created_at = fields.DateTime(required=True)
    listing = fields.Nested(
        ListingSchema, required=True, metadata={"description": "The counterpart listing"}
    )


class ContactInSchema(Schema):
    message = fields.String(required=True, validate=validate.Length(min=1, max=domain.MESSAGE_MAX))


class ThreadSchema(Schema):
    id = fields.UUID(required=True)
    listing_id = fields.UUID(required=True)
    listing_title = fields.String(allow_none=True)
    listing_kind = fields.String(allow_none=True)
    author_member_id = fields.UUID(required=True)
    requester_member_id = fields.UUID(required=True)
    counterpart_member_id = fields.UUID(allow_none=True)
    counterpart_name = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    last_message_at = fields.DateTime(required=True)
    message_count = fields.Integer(required=True)
    message_id = fields.UUID(metadata={"description": "The message just written (on creation)"})


ThreadPageSchema = page_of(ThreadSchema)


class MessageSchema(Schema):
    id = fields.UUID(required=True)
    thread_id = fields.UUID(required=True)
    sender_member_id = fields.UUID(required=True)
    body = fields.String(required=True)
    created_at = fields.DateTime(required=True)


MessagePageSchema = page_of(MessageSchema)


class MessagesQuery(PageQuery):
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
