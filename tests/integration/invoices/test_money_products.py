"""Membership fees and payments without an invoice in the invoices service, on SQLite and
PostgreSQL, driven through the worker's own path (the ledger's answers as events) and the HTTP
API: the schedule charges once per member and period, reports an unpaid fee in euros once; a
payment request rides the saga's hold, validation and posting."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from chassis.auth import ANIMATOR, MEMBER
from chassis.testing.tokens import TokenFactory
from contracts import gateway as gw
from contracts import ledger as lg
from invoices.bootstrap import InvoicesApp
from invoices.db import outbox_table
from invoices.domain import ids
from invoices.handlers import local_date
from invoices.payflows import charge_due_fees

from .conftest import World, make_world


def staged(world: World, subject: str) -> list[tuple[str, dict[str, Any]]]:
    with world.app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table.c.type, outbox_table.c.data)
            .where(outbox_table.c.subject == subject)
            .order_by(outbox_table.c.id)
        ).all()
    return [(str(r[0]).rsplit(".", 2)[-2], dict(r[1])) for r in rows]


def test_a_fee_in_euros_is_charged_once_and_reported_overdue_once(
    invoices_app: InvoicesApp, token_factory: TokenFactory
) -> None:
    world = make_world(
        invoices_app,
        token_factory,
        membership_fee=gw.MembershipFee(
            amount=Decimal("90.00"), charged_in="euro", due="01-01", grace_days=10
        ),
    )
    next_year = datetime.now(UTC).year + 1
    late = datetime(next_year, 1, 20, 12, tzinfo=UTC)
    first = charge_due_fees(world.app.uow, lambda: late)
    assert first >= 6  # at least this world's three members, charged and reported
    key = f"fee:{world.seller}:{next_year}"
    assert [name for name, _ in staged(world, key)] == [
        "membership_fee_charged",
        "membership_fee_overdue",
    ]
    charge_due_fees(world.app.uow, lambda: late + timedelta(days=2))
    assert len(staged(world, key)) == 2  # nothing charged twice, told once
    animator = world.animator_headers()
    due = world.client.get(f"/t/{world.tenant_a}/fees?status=due", headers=animator)
    assert due.status_code == 200 and due.json["total"] == 2
    fee = next(f for f in due.json["items"] if f["member_id"] == str(world.seller))
    assert fee["overdue"] is True and fee["amount"] == "90.00" and fee["unit"] == "EUR"
    assert fee["due_on"] == f"{next_year}-01-01"
    # only the fee's own tenant records it
    elsewhere = world.client.post(
        f"/t/{world.tenant_b}/fees/{fee['id']}/paid",
        json={},
        headers=world.animator_headers(world.tenant_b),
    )
    assert elsewhere.status_code == 404
    paid = world.client.post(
        f"/t/{world.tenant_a}/fees/{fee['id']}/paid", json={}, headers=animator
    )
    assert paid.status_code == 200 and paid.json["status"] == "paid"
    assert [name for name, _ in staged(world, key)][-1] == "membership_fee_paid"
    members = world.client.get(
        f"/t/{world.tenant_a}/fees", headers=world.headers(MEMBER, member=world.seller)
    )
    assert members.status_code == 403


def test_a_fee_in_the_unit_is_one_ledger_transfer_named_by_its_key(
    invoices_app: InvoicesApp, token_factory: TokenFactory
) -> None:
    world = make_world(
        invoices_app,
        token_factory,
        membership_fee=gw.MembershipFee(amount=Decimal("12.00"), charged_in="unit"),
    )
    now = datetime.now(UTC)
    charge_due_fees(world.app.uow, lambda: now)
    charge_due_fees(world.app.uow, lambda: now)
    period = str(local_date(now).year)
    fee_id = ids.membership_fee_id(world.buyer, period)
    key = f"fee:{world.buyer}:{period}"
    messages = staged(world, key)
    transfers = [data for name, data in messages if name == "transfer"]
    assert len(transfers) == 1
    assert transfers[0]["transfer_id"] == str(fee_id) and transfers[0]["kind"] == "fee"
    assert transfers[0]["payee"] == str(ids.fees_account_id(world.network))
    assert transfers[0]["reference"] == f"Cotisation {period}"
    world.deliver(
        lg.TransferPosted(
            transfer_id=fee_id,
            payer=world.buyer,
            payee=ids.fees_account_id(world.network),
            amount=Decimal("12.00"),
            unit="ACT",
            kind="fee",
            reference=f"Cotisation {period}",
            posted_at=now,
        )
    )
    listed = world.client.get(
        f"/t/{world.tenant_a}/fees?status=charged", headers=world.animator_headers()
    )
    assert {f["member_id"] for f in listed.json["items"]} == {str(world.buyer)}
    # beyond the seller's available credit the ledger refuses it: the animators are told once
    refused_id = ids.membership_fee_id(world.seller, period)
    refusal = lg.TransferRefused(
        transfer_id=refused_id,
        payer=world.seller,
        payee=ids.fees_account_id(world.network),
        amount=Decimal("12.00"),
        unit="ACT",
        code="insufficient_credit",
        reason="available credit 3.00 is below the amount 12.00",
    )
    world.deliver(refusal)
    world.deliver(refusal)
    refused = world.client.get(
        f"/t/{world.tenant_a}/fees?status=refused", headers=world.animator_headers()
    )
    [fee] = refused.json["items"]
    assert fee["member_id"] == str(world.seller) and fee["overdue"] is True
    assert "insufficient_credit" in fee["refusal_reason"]
    told = [n for n, _ in staged(world, f"fee:{world.seller}:{period}")]
    assert told.count("membership_fee_overdue") == 1


def test_a_payment_request_rides_the_saga(world: World) -> None:
    world.deliver(
        gw.NetworkUpdated(
            slug=world.network,
            name="Troc Actif",
            unit=gw.Unit(code="ACT", name="Actif", symbol="Ⓐ"),
            default_credit_limit=Decimal("1000.00"),
            payment_modes=[100],
            hold_expiry_days=30,
            vat_settlement="unit",
            commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
            direct_payments="request",
        ),
        tenant=None,
    )
    seller = world.seller_headers()
    created = world.client.post(
        f"/t/{world.tenant_a}/payment-requests",
        json={"payer_member_id": str(world.buyer_b), "amount": "40.00", "description": "Paille"},
        headers=seller,
    )
    assert created.status_code == 201, created.json
    payment_id = created.json["id"]
    buyer_b = world.headers(MEMBER, tenant=world.tenant_b, member=world.buyer_b)
    path = f"/t/{world.tenant_b}/payment-requests/{payment_id}"
    accepted = world.client.post(f"{path}/accept", headers=buyer_b)
    again = world.client.post(f"{path}/accept", headers=buyer_b)
    assert accepted.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    transfer_id = uuid.UUID(accepted.json["transfer_id"])
    holds = [d for n, d in staged(world, payment_id) if n == "hold_transfer"]
    assert len(holds) == 1 and holds[0]["reference"] == "Demande de paiement : Paille"
    expires = datetime.now(UTC) + timedelta(days=30)
    held = lg.TransferHeld(
        transfer_id=transfer_id,
        payer=world.buyer_b,
        payee=world.seller,
        amount=Decimal("40.00"),
        unit="ACT",
        reference="Demande de paiement : Paille",
        expires_at=expires,
    )
    world.deliver(held, tenant=world.tenant_b)
    world.deliver(held, tenant=world.tenant_a)
    animator = world.animator_headers()
    seller_path = f"/t/{world.tenant_a}/payment-requests/{payment_id}"
    # the payer's animators cannot validate: the payee's tenant does
    refused = world.client.post(
        f"/t/{world.tenant_b}/payment-requests/{payment_id}/validate",
        headers=world.animator_headers(world.tenant_b),
    )
    assert refused.status_code == 403
    validated = world.client.post(f"{seller_path}/validate", headers=animator)
    assert validated.status_code == 200 and validated.json["status"] == "validated"
    world.deliver(
        lg.TransferPosted(
            transfer_id=transfer_id,
            payer=world.buyer_b,
            payee=world.seller,
            amount=Decimal("40.00"),
            unit="ACT",
            kind="hold",
            reference="Demande de paiement : Paille",
            posted_at=datetime.now(UTC),
        )
    )
    shown = world.client.get(seller_path, headers=seller)
    assert shown.json["status"] == "settled"
    names = [n for n, _ in staged(world, payment_id)]
    assert names.count("payment_settled") == 2  # one copy per tenant
    # a direct payment is not allowed on a "request" network
    direct = world.client.post(
        f"/t/{world.tenant_b}/payments",
        json={"payee_member_id": str(world.seller), "amount": "1.00", "description": "x"},
        headers={**buyer_b, "Idempotency-Key": "k-1"},
    )
    assert direct.status_code == 403 and direct.json["code"] == "direct_payments_off"
    assert world.client.get(seller_path, headers=world.headers(ANIMATOR)).status_code == 200


def test_animators_ask_on_behalf_of_a_member_of_their_tenant_only(world: World) -> None:
    world.deliver(
        gw.NetworkUpdated(
            slug=world.network,
            name="Troc Actif",
            unit=gw.Unit(code="ACT", name="Actif", symbol="Ⓐ"),
            default_credit_limit=Decimal("1000.00"),
            payment_modes=[100],
            hold_expiry_days=30,
            vat_settlement="unit",
            commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
            direct_payments="both",
        ),
        tenant=None,
    )
    path = f"/t/{world.tenant_a}/payment-requests"
    body = {"payer_member_id": str(world.buyer), "amount": "5.00", "description": "Pain"}
    animator = world.animator_headers()
    unnamed = world.client.post(path, json=body, headers=animator)
    assert unnamed.status_code == 422 and "payee_member_id" in unnamed.json["errors"]
    elsewhere = world.client.post(
        path, json={**body, "payee_member_id": str(world.buyer_b)}, headers=animator
    )
    assert elsewhere.status_code == 422 and elsewhere.json["code"] == "unknown_member"
    named = world.client.post(
        path, json={**body, "payee_member_id": str(world.seller)}, headers=animator
    )
    assert named.status_code == 201 and named.json["payee_member_id"] == str(world.seller)
    # a member cannot ask on another member's behalf, an API key never asks
    other = world.client.post(
        path, json={**body, "payee_member_id": str(world.seller)}, headers=world.buyer_headers()
    )
    assert other.status_code == 403
    key = world.client.post(path, json=body, headers=world.headers("integrator"))
    assert key.status_code == 403
    # a bad amount names its field, and nothing is written
    bad = world.client.post(
        path,
        json={**body, "amount": "1.234", "payee_member_id": str(world.seller)},
        headers=animator,
    )
    assert bad.status_code == 422 and "amount" in bad.json["errors"]
    listed = world.client.get(path, headers=animator)
    assert listed.json["total"] == 1
