"""The amount a payment's notification shows each member: its own side, in its own unit (between
two linked networks the counterpart of the member who wrote the amount sees it converted)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from contracts import invoices as inv
from notifications.handlers import _side_amount

PAYER, PAYEE = uuid.uuid4(), uuid.uuid4()


def settled(kind: str, **cross: Any) -> inv.PaymentSettled:
    return inv.PaymentSettled(
        payment_id=uuid.uuid4(),
        kind=kind,  # type: ignore[arg-type]
        payer_member_id=PAYER,
        payee_member_id=PAYEE,
        amount=Decimal("40.00"),
        unit="ACT" if kind == "direct" else "GRN",
        description="Paille",
        **cross,
    )


def test_within_one_network_both_see_the_amount() -> None:
    message = settled("direct")
    assert _side_amount(message, PAYER) == _side_amount(message, PAYEE) == "40.00 ACT"


def test_a_direct_payment_between_networks_credits_the_payee_in_its_unit() -> None:
    message = settled(
        "direct", converted_amount=Decimal("80.00"), converted_unit="GRN", exchange_rate=Decimal(2)
    )
    assert (_side_amount(message, PAYER), _side_amount(message, PAYEE)) == (
        "40.00 ACT",
        "80.00 GRN",
    )


def test_a_request_between_networks_debits_the_payer_in_its_unit() -> None:
    message = settled(
        "request",
        converted_amount=Decimal("20.00"),
        converted_unit="ACT",
        exchange_rate=Decimal("0.5"),
    )
    assert (_side_amount(message, PAYER), _side_amount(message, PAYEE)) == (
        "20.00 ACT",
        "40.00 GRN",
    )
