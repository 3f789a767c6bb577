"""Free text bound for PostgreSQL refuses a NUL character with a 422, never a 500."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError

from invoices.schemas import (
    DirectPaymentInSchema,
    OptionalReasonInSchema,
    PaymentRequestInSchema,
    ReasonInSchema,
)

MEMBER = "5b0a4c4e-8f6e-4a52-9d4e-1d2c3b4a5f60"


@pytest.mark.parametrize(
    ("schema", "body", "field"),
    [
        (ReasonInSchema(), {"reason": "st\x00op"}, "reason"),
        (OptionalReasonInSchema(), {"reason": "\x00"}, "reason"),
        (
            PaymentRequestInSchema(),
            {"payer_member_id": MEMBER, "amount": "10.00", "description": "pa\x00ille"},
            "description",
        ),
        (
            DirectPaymentInSchema(),
            {"payee_member_id": MEMBER, "amount": "10.00", "description": "\x00"},
            "description",
        ),
    ],
)
def test_a_nul_character_is_refused_naming_the_field(
    schema: Schema, body: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        schema.load(body)
    assert field in excinfo.value.messages


def test_other_text_passes() -> None:
    assert ReasonInSchema().load({"reason": "Prix erroné\n— à revoir"})["reason"].startswith("Prix")
