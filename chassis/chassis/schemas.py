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
