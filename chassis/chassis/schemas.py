"""Marshmallow building blocks shared by the services' HTTP schemas.

Amounts travel as decimal strings with two decimals (``"1250.00"``) and are integer cents inside;
lists share one page shape.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Final

from marshmallow import Schema, ValidationError, fields, validate

from chassis.money import AmountError, format_cents, parse_cents

#: The one spelling of an amount in the API (the pattern its documentation gives): ASCII digits
#: and at most two decimals, so "1e3", "1_000", "12.500" or "١٢" are refused, not read as numbers.
AMOUNT_PATTERN: Final = r"^-?[0-9]+(\.[0-9]{1,2})?$"
_AMOUNT_TEXT: Final = re.compile(AMOUNT_PATTERN)


class Amount(fields.Field[int]):
    """Decimal string <-> integer cents. Floats in JSON are refused: money is never a float.

    Documented as ``type: string`` with :data:`AMOUNT_PATTERN` by the chassis' apispec plugin
    (``chassis.http``): apispec reads no type from the field itself.
    """

    def __init__(self, *, positive: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {})
        kwargs["metadata"].setdefault("example", "1250.00")
        super().__init__(**kwargs)
        self.positive = positive

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format_cents(int(value))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValidationError('Give the amount as a decimal string, e.g. "1250.00".')
        if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value.strip()):
            raise ValidationError(
                'Give the amount as digits with at most two decimals, e.g. "1250.00".'
            )
        try:
            return parse_cents(value, allow_zero=not self.positive)
        except AmountError as exc:
            raise ValidationError(str(exc)) from None


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


@cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The page schema of ``item``: ``{items, page, per_page, total}``."""
    return type(
        f"{item.__name__.removesuffix('Schema')}PageSchema",
        (Schema,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        },
    )


# --- event logs ----------------------------------------------------------------------------------

#: The largest position an event log can hold (a PostgreSQL ``bigint``): a larger ``after`` is a
#: client's mistake (422), not a database error.
MAX_SEQUENCE: Final = 2**63 - 1
#: A ``sequence`` on the wire (``chassis.messages.format_sequence``): 20 decimal digits.
SEQUENCE_PATTERN: Final = r"^[0-9]{20}$"


@cache
def events_query(sources: tuple[str, ...], default: str) -> type[Schema]:
    """The query of ``GET /t/<tenant>/events``: which service's log, from which position."""
    return type(
        "EventsQuery",
        (Schema,),
        {
            "source": fields.String(
                load_default=default,
                validate=validate.OneOf(sources),
                metadata={
                    "description": "Whose per-tenant event log: "
                    + ", ".join(sources)
                    + f" (default {default})",
                    "example": default,
                },
            ),
            "after": fields.Integer(
                load_default=0,
                validate=validate.Range(min=0, max=MAX_SEQUENCE),
                metadata={
                    "description": "Read the events after this position (an event's `sequence`"
                    " or a page's `next_after`); 0: from the start",
                    "example": 0,
                },
            ),
            "limit": fields.Integer(
                load_default=100,
                validate=validate.Range(min=1, max=1000),
                metadata={"description": "At most this many events", "example": 100},
            ),
        },
    )


class CloudEventSchema(Schema):
    """A CloudEvents 1.0 event (structured JSON) of a per-tenant log."""

    id = fields.String(required=True, metadata={"example": "9b2f4c1e-0d7a-4c36-9d0e-5a1f3e2b7c88"})
    source = fields.String(
        required=True,
        metadata={"description": "Per tenant: /t/<tenant>/<service>", "example": "/t/pie/ledger"},
    )
    type = fields.String(
        required=True, metadata={"example": "org.trocactif.ledger.transfer_posted.v1"}
    )
    specversion = fields.String(required=True, metadata={"example": "1.0"})
    time = fields.String(
        required=True, metadata={"format": "date-time", "example": "2026-12-06T11:50:00Z"}
    )
    subject = fields.String(allow_none=True, metadata={"example": "transfer/9b2f4c1e"})
    datacontenttype = fields.String(metadata={"example": "application/json"})
    tenant = fields.String(required=True, metadata={"example": "pie"})
    network = fields.String(allow_none=True, metadata={"example": "troc-actif"})
    correlationid = fields.String(allow_none=True, metadata={"example": "req-5b0e8f3c"})
    causationid = fields.String(allow_none=True, metadata={"example": "req-5b0e8f3c"})
    sequence = fields.String(
        required=True,
        validate=validate.Regexp(SEQUENCE_PATTERN),
        metadata={
            "description": "CloudEvents Sequence extension: the position in the tenant's log, "
            "zero-padded to 20 digits (ordered as strings within one `source`)",
            "pattern": SEQUENCE_PATTERN,
            "example": "00000000000000000042",
        },
    )
    data = fields.Dict(
        required=True,
        metadata={
            "description": "The event's contract. Deprecated, for one version: `data.sequence` "
            "repeats the position as an integer",
            "example": {"transfer_id": "9b2f4c1e-0d7a-4c36-9d0e-5a1f3e2b7c88", "sequence": 42},
        },
    )


class EventPageSchema(Schema):
    """A page of an event log read by position (cursor paging)."""

    items = fields.List(
        fields.Nested(CloudEventSchema),
        required=True,
        metadata={"description": "The events after `after`, in order of position"},
    )
    next_after = fields.Integer(
        required=True,
        metadata={
            "description": "Pass as `after` to read on (the last event's position, or `after` "
            "when there is nothing new)",
            "example": 42,
        },
    )
