"""The invoices' HTTP API and saga on SQLite and PostgreSQL: drafts, numbering, every transition
by its rightful role only, the ledger's answers (delivered as the worker receives them), credit
notes, the queue, exports and documents."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import facturx
import pytest
from lxml import etree
from sqlalchemy import select

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR
from contracts import ledger as lg
from invoices.db import outbox_table
from invoices.domain import ids
from invoices.handlers import local_date

from .conftest import World, draft_body, make_world

RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def commands(world: World, invoice_id: str, name: str) -> list[dict[str, Any]]:
    """The commands the invoice staged for the ledger (outbox rows), oldest first."""
    with world.app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table.c.data, outbox_table.c.type)
            .where(outbox_table.c.subject == invoice_id)
            .order_by(outbox_table.c.id)
        ).all()
    return [dict(r.data) for r in rows if r.type == f"org.trocactif.ledger.{name}.v1"]


def events(world: World, invoice_id: str, name: str) -> list[Any]:
    with world.app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table.c.tenant, outbox_table.c.type).where(
                outbox_table.c.subject == invoice_id
            )
        ).all()
    return [r.tenant for r in rows if r.type == f"org.trocactif.invoices.{name}.v1"]


def held(world: World, invoice: dict[str, Any], tenant: str | None = None) -> None:
    world.deliver(
        lg.TransferHeld(
            transfer_id=uuid.UUID(invoice["transfer_id"]),
            payer=uuid.UUID(invoice["buyer_member_id"]),
            payee=uuid.UUID(invoice["seller_member_id"]),
            amount=Decimal(invoice["unit_part"]),
            unit="ACT",
            reference="",
            expires_at=datetime.now(UTC) + timedelta(days=30),
        ),
        tenant=tenant,
    )


def posted(
    world: World,
    transfer_id: str,
    payer: str,
    payee: str,
    amount: str,
    kind: str = "hold",
    tenant: str | None = None,
) -> None:
    world.deliver(
        lg.TransferPosted(
            transfer_id=uuid.UUID(transfer_id),
            payer=uuid.UUID(payer),
            payee=uuid.UUID(payee),
            amount=Decimal(amount),
            unit="ACT",
            kind=kind,
            reference="",  # type: ignore[arg-type]
            posted_at=datetime.now(UTC),
        ),
        tenant=tenant,
    )


def settle(world: World, invoice: dict[str, Any]) -> dict[str, Any]:
    invoice_id = invoice["id"]
    if invoice["status"] == "issued":
        invoice = world.act(invoice_id, "accept", world.buyer_headers())
    held(world, invoice)
    world.act(invoice_id, "validate", world.animator_headers())
    posted(
        world,
        invoice["transfer_id"],
        invoice["buyer_member_id"],
        invoice["seller_member_id"],
        invoice["unit_part"],
    )
    return world.get(invoice_id)


class TestDraft:
    def test_totals_are_rounded_per_line_and_the_parts_follow_the_network(
        self, world: World
    ) -> None:
        invoice = world.draft()
        assert invoice["status"] == "draft" and invoice["number"] is None
        # 2.5 x 33.33 = 83.325 -> 83.33; VAT 20 % of 450.00 = 90.00, 5.5 % of 83.33 = 4.58315
        assert [line["total_excl_vat"] for line in invoice["lines"]] == ["450.00", "83.33"]
        assert [line["vat"] for line in invoice["lines"]] == ["90.00", "4.58"]
        assert (invoice["total_excl_vat"], invoice["total_vat"], invoice["total_incl_vat"]) == (
            "533.33",
            "94.58",
            "627.91",
        )
        assert (invoice["unit_part"], invoice["euro_part"]) == ("627.91", "0.00")
        assert invoice["vat_breakdown"] == [
            {"vat_rate": "20", "base": "450.00", "vat": "90.00"},
            {"vat_rate": "5.5", "base": "83.33", "vat": "4.58"},
        ]
        assert invoice["unit"] == {"code": "ACT", "name": "Actif", "symbol": "Ⓐ"}
        half = world.draft(payment_mode=50)
        assert (half["unit_part"], half["euro_part"]) == ("313.96", "313.95")

    def test_vat_settled_in_euros_puts_the_vat_in_the_euro_part(
        self, invoices_app: Any, token_factory: Any
    ) -> None:
        from contracts import gateway as gw

        world = make_world(
            invoices_app,
            token_factory,
            vat_settlement="euro",
            commission=gw.Commission(rate=Decimal("2"), charged_in="euro"),
        )
        full, half = world.draft(), world.draft(payment_mode=50)
        assert (full["unit_part"], full["euro_part"]) == ("533.33", "94.58")
        assert (half["unit_part"], half["euro_part"]) == ("266.67", "361.24")

    @pytest.mark.parametrize(
        "change, field, code",
        [
            (
                {
                    "lines": [
                        {
                            "description": "x",
                            "quantity": "1",
                            "unit_price": "10.00",
                            "vat_rate": "19.6",
                        }
                    ]
                },
                "lines.0.vat_rate",
                "invalid_vat_rate",
            ),
            (
                {
                    "lines": [
                        {
                            "description": "x",
                            "quantity": "1.2345",
                            "unit_price": "10.00",
                            "vat_rate": "20",
                        }
                    ]
                },
                "lines.0.quantity",
                "invalid_quantity",
            ),
            (
                {
                    "lines": [
                        {
                            "description": "x",
                            "quantity": "-1",
                            "unit_price": "10.00",
                            "vat_rate": "20",
                        }
                    ]
                },
                "lines.0.quantity",
                "invalid_quantity",
            ),
            (
                {
                    "lines": [
                        {
                            "description": "x",
                            "quantity": "1",
                            "unit_price": "10.001",
                            "vat_rate": "20",
                        }
                    ]
                },
                "lines.0.unit_price",
                "validation_failed",
            ),
            ({"lines": []}, "lines", "validation_failed"),
            ({"payment_mode": 30}, "payment_mode", "payment_mode_not_allowed"),
            ({"buyer_member_id": str(uuid.uuid4())}, "buyer_member_id", "unknown_member"),
            ({"delivery_date": "26/11/2026"}, "delivery_date", "validation_failed"),
            (
                {"seller_address": {"street": "1 rue X", "postal_code": "750", "city": "Paris"}},
                "seller_address.postal_code",
                "validation_failed",
            ),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field(
        self, world: World, change: dict[str, Any], field: str, code: str
    ) -> None:
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices",
            json=draft_body(world.buyer, **change),
            headers=world.seller_headers(),
        )
        assert response.status_code == 422, response.json
        assert response.json["code"] == code
        assert field in response.json["errors"], response.json

    def test_a_seller_cannot_invoice_itself_nor_a_member_of_another_network(
        self, world: World, invoices_app: Any, token_factory: Any
    ) -> None:
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices",
            json=draft_body(world.seller),
            headers=world.seller_headers(),
        )
        assert response.json["code"] == "same_party"
        other = make_world(invoices_app, token_factory)
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices",
            json=draft_body(other.buyer),
            headers=world.seller_headers(),
        )
        assert (response.status_code, response.json["code"]) == (422, "unknown_member")

    def test_animators_draft_for_a_member_of_their_tenant_only(self, world: World) -> None:
        body = draft_body(world.buyer, seller_member_id=str(world.seller))
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices", json=body, headers=world.animator_headers()
        )
        assert response.status_code == 201 and response.json["seller_member_id"] == str(
            world.seller
        )
        response = world.client.post(
            f"/t/{world.tenant_b}/invoices",
            json=body,
            headers=world.animator_headers(world.tenant_b),
        )
        assert (response.status_code, response.json["code"]) == (422, "unknown_member")
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices", json=body, headers=world.headers(INTEGRATOR)
        )
        assert response.status_code == 403


class TestIssue:
    def test_numbers_are_per_seller_gap_free_and_the_invoice_freezes(self, world: World) -> None:
        year = local_date(datetime.now(UTC)).year
        first, second = world.draft(), world.draft()
        issued = world.act(first["id"], "issue", world.seller_headers())
        assert issued["status"] == "issued" and issued["number"] == f"F{year}-000001"
        assert issued["issue_date"] == local_date(datetime.now(UTC)).isoformat()
        assert world.act(second["id"], "issue", world.seller_headers())["number"] == (
            f"F{year}-000002"
        )
        replay = world.client.post(
            f"/t/{world.tenant_a}/invoices/{first['id']}/issue", headers=world.seller_headers()
        )
        assert replay.json["number"] == f"F{year}-000001"
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert events(world, first["id"], "invoice_issued") == [world.tenant_a]
        # Another seller has its own series.
        other = world.admit(world.tenant_a, "Imprimerie du Marais")
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices",
            json=draft_body(world.buyer),
            headers=world.headers(MEMBER, member=other),
        )
        assert (
            world.act(response.json["id"], "issue", world.headers(MEMBER, member=other))["number"]
            == f"F{year}-000001"
        )

    def test_issue_needs_every_mandatory_mention(self, world: World) -> None:
        invoice = world.draft(seller_address=None, buyer_address=None)
        refused = world.act(invoice["id"], "issue", world.seller_headers(), status=422)
        assert refused["code"] == "missing_mention" and "seller_address" in refused["errors"]
        # The refusal took no number: the next issue of the seller gets 000001.
        year = local_date(datetime.now(UTC)).year
        assert world.act(world.draft()["id"], "issue", world.seller_headers())["number"] == (
            f"F{year}-000001"
        )

    def test_a_seller_without_vat_number_cannot_charge_vat(self, world: World) -> None:
        franchise = world.admit(world.tenant_a, "Micro-entreprise", vat=None)
        headers = world.headers(MEMBER, member=franchise)
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices", json=draft_body(world.buyer), headers=headers
        )
        assert (response.status_code, response.json["code"]) == (422, "missing_mention")
        zero = draft_body(
            world.buyer,
            lines=[
                {"description": "Cours", "quantity": "3", "unit_price": "40.00", "vat_rate": "0"}
            ],
        )
        response = world.client.post(f"/t/{world.tenant_a}/invoices", json=zero, headers=headers)
        assert response.status_code == 201 and response.json["total_incl_vat"] == "120.00"


class TestRoles:
    def test_each_transition_is_made_by_its_rightful_role_only(self, world: World) -> None:
        invoice = world.draft()
        iid = invoice["id"]
        other_member = world.headers(MEMBER, member=world.buyer_b, tenant=world.tenant_a)
        # Only the seller (or its animators) issues; the buyer does not see a draft at all.
        world.act(iid, "issue", world.buyer_headers(), status=404)
        world.act(iid, "issue", world.headers(INTEGRATOR), status=403)
        world.act(iid, "issue", world.seller_headers())
        # Only the buyer accepts.
        for headers, status in (
            (world.seller_headers(), 403),
            (world.animator_headers(), 403),
            (world.headers(INTEGRATOR), 403),
            (other_member, 404),
        ):
            world.act(iid, "accept", headers, status=status)
        accepted = world.act(iid, "accept", world.buyer_headers())
        held(world, accepted)
        assert world.get(iid)["status"] == "awaiting_validation"
        # Only an animator of the seller's tenant validates.
        b_animator = world.animator_headers(world.tenant_b)
        for headers, status, tenant in (
            (world.seller_headers(), 403, None),
            (world.buyer_headers(), 403, None),
            (world.headers(INTEGRATOR), 403, None),
            (b_animator, 404, world.tenant_b),
            (
                world.tokens.headers(ANIMATOR, tenant=world.tenant_b, network=world.network),
                404,
                None,
            ),
        ):
            world.act(iid, "validate", headers, tenant=tenant, status=status)
            world.act(iid, "reject", headers, tenant=tenant, json={"reason": "no"}, status=status)
        assert world.get(iid)["status"] == "awaiting_validation"
        assert commands(world, iid, "post_transfer") == []
        validated = world.act(iid, "validate", world.headers(OPERATOR, tenant=world.tenant_a))
        assert validated["status"] == "validated"

    def test_another_tenant_sees_nothing_of_a_tenants_own_trades(self, world: World) -> None:
        invoice = world.act(world.draft()["id"], "issue", world.seller_headers())
        b = world.animator_headers(world.tenant_b)
        assert (
            world.client.get(f"/t/{world.tenant_b}/invoices/{invoice['id']}", headers=b).status_code
            == 404
        )
        listed = world.client.get(f"/t/{world.tenant_b}/invoices", headers=b).json
        assert listed["total"] == 0
        assert (
            world.client.get(f"/t/{world.tenant_a}/invoices/{invoice['id']}", headers=b).status_code
            == 404
        )
        assert (
            world.client.get(
                f"/t/{world.tenant_b}/invoices/{invoice['id']}/pdf", headers=b
            ).status_code
            == 404
        )

    def test_a_member_sees_its_own_invoices_only(self, world: World) -> None:
        mine = world.act(world.draft()["id"], "issue", world.seller_headers())
        stranger = world.admit(world.tenant_a, "Voisin SARL")
        headers = world.headers(MEMBER, member=stranger)
        assert (
            world.client.get(
                f"/t/{world.tenant_a}/invoices/{mine['id']}", headers=headers
            ).status_code
            == 404
        )
        assert world.client.get(f"/t/{world.tenant_a}/invoices", headers=headers).json["total"] == 0
        buyer_list = world.client.get(
            f"/t/{world.tenant_a}/invoices", headers=world.buyer_headers()
        ).json
        assert [i["id"] for i in buyer_list["items"]] == [mine["id"]]


class TestSaga:
    def test_accept_hold_validate_post_settles_and_charges_the_commission(
        self, world: World
    ) -> None:
        invoice = world.act(world.draft()["id"], "issue", world.seller_headers())
        iid = invoice["id"]
        accepted = world.act(iid, "accept", world.buyer_headers())
        assert accepted["status"] == "accepted" and accepted["attempt"] == 1
        hold_id = str(ids.hold_transfer_id(uuid.UUID(iid), 1))
        assert accepted["transfer_id"] == hold_id
        [hold] = commands(world, iid, "hold_transfer")
        assert hold == {
            **hold,
            "transfer_id": hold_id,
            "payer": str(world.buyer),
            "payee": str(world.seller),
            "amount": "627.91",
        }
        # Validating before the ledger confirmed the hold is refused.
        assert (
            world.act(iid, "validate", world.animator_headers(), status=409)["code"]
            == "invalid_transition"
        )
        held(world, accepted)
        queue = world.client.get(
            f"/t/{world.tenant_a}/invoices?status=awaiting_validation",
            headers=world.animator_headers(),
        ).json
        [item] = queue["items"]
        assert item["id"] == iid
        assert item["queue"]["buyer_available"] == "372.09"  # 1000.00 - 627.91 held
        assert item["queue"]["waiting_days"] == 0
        validated = world.act(iid, "validate", world.animator_headers())
        assert validated["status"] == "validated"
        assert (
            world.client.get(
                f"/t/{world.tenant_a}/invoices?status=awaiting_validation",
                headers=world.animator_headers(),
            ).json["total"]
            == 0
        )
        assert commands(world, iid, "post_transfer") == [{"transfer_id": hold_id}]
        posted(world, hold_id, str(world.buyer), str(world.seller), "627.91")
        settled = world.get(iid)
        assert settled["status"] == "settled" and settled["settled_at"]
        [fee] = commands(world, iid, "transfer")
        assert fee["kind"] == "fee" and fee["payer"] == str(world.seller)
        assert fee["payee"] == str(ids.fees_account_id(world.network))
        assert fee["amount"] == "26.67"  # 5 % of 533.33 excl. VAT
        assert events(world, iid, "invoice_settled") == [world.tenant_a]
        assert events(world, iid, "commission_recorded") == [world.tenant_a]

    def test_a_refused_hold_goes_back_to_the_seller_and_may_be_tried_again(
        self, world: World
    ) -> None:
        iid = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        first = world.act(iid, "accept", world.buyer_headers())
        world.deliver(
            lg.TransferRefused(
                transfer_id=uuid.UUID(first["transfer_id"]),
                payer=world.buyer,
                payee=world.seller,
                amount=Decimal("627.91"),
                unit="ACT",
                code="insufficient_credit",
                reason="available credit 100.00 is below the amount 627.91",
            )
        )
        back = world.get(iid)
        assert back["status"] == "issued"
        assert back["last_refusal"]["code"] == "insufficient_credit"
        assert events(world, iid, "invoice_hold_refused") == [world.tenant_a]
        again = world.act(iid, "accept", world.buyer_headers())
        assert again["attempt"] == 2 and again["transfer_id"] != first["transfer_id"]
        assert len(commands(world, iid, "hold_transfer")) == 2

    def test_an_expired_hold_expires_the_invoice(self, world: World) -> None:
        iid = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        accepted = world.act(iid, "accept", world.buyer_headers())
        held(world, accepted)
        world.deliver(
            lg.TransferVoided(
                transfer_id=uuid.UUID(accepted["transfer_id"]),
                payer=world.buyer,
                payee=world.seller,
                amount=Decimal("627.91"),
                unit="ACT",
                reason="expired",
            )
        )
        assert world.get(iid)["status"] == "expired"
        assert world.act(iid, "validate", world.animator_headers(), status=409)

    def test_dispute_and_reject_void_the_hold(self, world: World) -> None:
        disputed = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        held(world, world.act(disputed, "accept", world.buyer_headers()))
        out = world.act(
            disputed, "dispute", world.buyer_headers(), json={"reason": "not delivered"}
        )
        assert (out["status"], out["dispute_reason"]) == ("disputed", "not delivered")
        [void] = commands(world, disputed, "void_transfer")
        assert void["transfer_id"] == out["transfer_id"]
        rejected = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        world.act(rejected, "accept", world.buyer_headers())
        out = world.act(rejected, "reject", world.animator_headers(), json={"reason": "doublon"})
        assert out["status"] == "rejected" and len(commands(world, rejected, "void_transfer")) == 1
        # The hold confirmed after the reject is released again, the invoice stays rejected.
        held(world, out)
        assert world.get(rejected)["status"] == "rejected"
        assert len(commands(world, rejected, "void_transfer")) == 2

    def test_every_ledger_answer_delivered_twice_is_applied_once(self, world: World) -> None:
        iid = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        accepted = world.act(iid, "accept", world.buyer_headers())
        hold = lg.TransferHeld(
            transfer_id=uuid.UUID(accepted["transfer_id"]),
            payer=world.buyer,
            payee=world.seller,
            amount=Decimal("627.91"),
            unit="ACT",
            reference="",
            expires_at=datetime.now(UTC),
        )
        [envelope] = world.deliver(hold)
        world.deliver(envelopes=[envelope, envelope])
        world.deliver(envelopes=[envelope])
        with world.app.uow() as uow:
            assert uow.accounts.available([world.buyer])[world.buyer] == 100_000 - 62_791
        world.act(iid, "validate", world.animator_headers())
        post = lg.TransferPosted(
            transfer_id=hold.transfer_id,
            payer=world.buyer,
            payee=world.seller,
            amount=Decimal("627.91"),
            unit="ACT",
            kind="hold",
            reference="",
            posted_at=datetime.now(UTC),
            payer_balance=Decimal("-627.91"),
            payee_balance=Decimal("627.91"),
        )
        [envelope] = world.deliver(post)
        world.deliver(envelopes=[envelope, envelope])
        assert world.get(iid)["status"] == "settled"
        assert len(commands(world, iid, "transfer")) == 1  # one commission
        assert len(commands(world, iid, "post_transfer")) == 1
        assert events(world, iid, "invoice_settled") == [world.tenant_a]
        with world.app.uow() as uow:
            assert uow.accounts.available([world.buyer])[world.buyer] == 100_000 - 62_791

    def test_without_buyer_acceptance_issuing_holds_at_once_and_the_buyer_may_dispute(
        self, invoices_app: Any, token_factory: Any
    ) -> None:
        world = make_world(invoices_app, token_factory, buyer_acceptance_required=False)
        issued = world.act(world.draft()["id"], "issue", world.seller_headers())
        assert issued["status"] == "accepted" and issued["acceptance_required"] is False
        assert len(commands(world, issued["id"], "hold_transfer")) == 1
        held(world, issued)
        assert world.get(issued["id"])["status"] == "awaiting_validation"
        disputed = world.act(
            issued["id"], "dispute", world.buyer_headers(), json={"reason": "quantité erronée"}
        )
        assert disputed["status"] == "disputed"
        # A refused hold can be resubmitted by the seller (no buyer acceptance to wait for).
        second = world.act(world.draft()["id"], "issue", world.seller_headers())
        world.deliver(
            lg.TransferRefused(
                transfer_id=uuid.UUID(second["transfer_id"]),
                payer=world.buyer,
                payee=world.seller,
                amount=Decimal("627.91"),
                unit="ACT",
                code="insufficient_credit",
                reason="no credit",
            )
        )
        resubmitted = world.act(second["id"], "issue", world.seller_headers())
        assert (resubmitted["status"], resubmitted["attempt"]) == ("accepted", 2)

    def test_cross_tenant_trade_the_buyers_tenant_reads_only(self, world: World) -> None:
        body = draft_body(world.buyer_b)
        iid = world.client.post(
            f"/t/{world.tenant_a}/invoices", json=body, headers=world.seller_headers()
        ).json["id"]
        world.act(iid, "issue", world.seller_headers())
        assert sorted(events(world, iid, "invoice_issued")) == sorted(
            [world.tenant_a, world.tenant_b]
        )
        b_animator = world.animator_headers(world.tenant_b)
        seen = world.get(iid, b_animator, tenant=world.tenant_b)
        assert seen["read_only"] is True and seen["buyer_tenant"] == world.tenant_b
        buyer_b = world.headers(MEMBER, member=world.buyer_b, tenant=world.tenant_b)
        accepted = world.act(iid, "accept", buyer_b, tenant=world.tenant_b)
        # The ledger publishes the hold once per tenant: both copies arrive.
        held(world, accepted, tenant=world.tenant_a)
        held(world, accepted, tenant=world.tenant_b)
        with world.app.uow() as uow:
            assert uow.accounts.available([world.buyer_b])[world.buyer_b] == 100_000 - 62_791
        world.act(iid, "validate", b_animator, tenant=world.tenant_b, status=403)
        world.act(iid, "validate", world.animator_headers())
        response = world.client.get(f"/t/{world.tenant_b}/invoices/{iid}/pdf", headers=buyer_b)
        assert response.status_code == 200 and response.mimetype == "application/pdf"


class TestCreditNotes:
    def test_a_draft_is_cancelled_outright_an_issued_invoice_by_a_credit_note(
        self, world: World
    ) -> None:
        draft = world.draft()
        cancelled = world.act(draft["id"], "cancel", world.seller_headers(), json={})
        assert cancelled["status"] == "cancelled" and cancelled["credit_note_id"] is None
        issued = world.act(world.draft()["id"], "issue", world.seller_headers())
        world.act(issued["id"], "accept", world.buyer_headers())
        out = world.act(
            issued["id"], "cancel", world.seller_headers(), json={"reason": "erreur de quantité"}
        )
        assert out["status"] == "cancelled" and out["credit_note_id"]
        assert len(commands(world, issued["id"], "void_transfer")) == 1
        note = world.get(out["credit_note_id"])
        year = local_date(datetime.now(UTC)).year
        assert (note["kind"], note["number"], note["credited_invoice_number"]) == (
            "credit_note",
            f"A{year}-000001",
            issued["number"],
        )
        assert note["reversal_status"] is None  # nothing was settled: nothing to pay back
        again = world.client.post(
            f"/t/{world.tenant_a}/invoices/{issued['id']}/cancel",
            json={},
            headers=world.seller_headers(),
        )
        assert again.json["credit_note_id"] == out["credit_note_id"]

    def test_a_settled_invoice_is_paid_back_by_its_credit_note(self, world: World) -> None:
        invoice = settle(world, world.act(world.draft()["id"], "issue", world.seller_headers()))
        assert invoice["status"] == "settled"
        out = world.act(invoice["id"], "cancel", world.seller_headers(), json={"reason": "x"})
        note = world.get(out["credit_note_id"])
        assert note["reversal_status"] == "pending"
        [reversal] = commands(world, invoice["id"], "transfer")[1:]
        assert reversal == {
            **reversal,
            "kind": "reversal",
            "payer": str(world.seller),
            "payee": str(world.buyer),
            "amount": "627.91",
            "transfer_id": note["reversal_transfer_id"],
        }
        posted(
            world,
            note["reversal_transfer_id"],
            str(world.seller),
            str(world.buyer),
            "627.91",
            kind="reversal",
        )
        assert world.get(note["id"])["reversal_status"] == "posted"
        pdf = world.client.get(
            f"/t/{world.tenant_a}/invoices/{note['id']}/pdf", headers=world.seller_headers()
        )
        _name, xml = facturx.get_xml_from_pdf(pdf.data, check_xsd=True)
        root = etree.fromstring(xml)
        assert root.findtext(".//{*}ExchangedDocument/{*}TypeCode") == "381"
        assert (
            root.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=RAM)
            == invoice["number"]
        )


class TestQueueAndExports:
    def test_bulk_validation_validates_what_it_can(self, world: World) -> None:
        ready = []
        for _ in range(3):
            iid = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
            held(world, world.act(iid, "accept", world.buyer_headers()))
            ready.append(iid)
        not_ready = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        unknown = str(uuid.uuid4())
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices/bulk/validate",
            headers=world.animator_headers(),
            json={"invoice_ids": [*ready, not_ready, unknown]},
        )
        assert response.status_code == 200, response.json
        results = {r["invoice_id"]: r for r in response.json["results"]}
        assert response.json["validated"] == 3
        assert all(results[i]["status"] == "validated" for i in ready)
        assert results[not_ready]["code"] == "invalid_transition"
        assert results[unknown]["code"] == "not_found"
        assert (
            world.client.post(
                f"/t/{world.tenant_a}/invoices/bulk/validate",
                headers=world.seller_headers(),
                json={"invoice_ids": ready},
            ).status_code
            == 403
        )

    def test_the_queue_is_oldest_first(self, world: World) -> None:
        order = []
        for _ in range(3):
            iid = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
            held(world, world.act(iid, "accept", world.buyer_headers()))
            order.append(iid)
        queue = world.client.get(
            f"/t/{world.tenant_a}/invoices?status=awaiting_validation",
            headers=world.animator_headers(),
        ).json
        assert [i["id"] for i in queue["items"]] == order

    def test_the_euro_part_is_tracked_by_the_seller(self, world: World) -> None:
        iid = world.act(world.draft(payment_mode=50)["id"], "issue", world.seller_headers())["id"]
        assert world.get(iid)["euro_payment"] == {"status": "unpaid", "paid_on": None}
        response = world.client.post(
            f"/t/{world.tenant_a}/invoices/{iid}/euro-payment",
            json={"paid": True, "paid_on": "2026-11-27"},
            headers=world.seller_headers(),
        )
        assert response.json["euro_payment"] == {"status": "paid", "paid_on": "2026-11-27"}
        assert (
            world.client.post(
                f"/t/{world.tenant_a}/invoices/{iid}/euro-payment",
                json={"paid": True},
                headers=world.buyer_headers(),
            ).status_code
            == 403
        )

    def test_statement_accounting_export_and_commissions_as_csv(self, world: World) -> None:
        settled = settle(world, world.act(world.draft()["id"], "issue", world.seller_headers()))
        world.act(world.draft()["id"], "issue", world.seller_headers())
        today = local_date(datetime.now(UTC))
        period = f"since={today.isoformat()}&until={(today + timedelta(days=1)).isoformat()}"
        statement = world.client.get(
            f"/t/{world.tenant_a}/invoices/statement?{period}", headers=world.buyer_headers()
        )
        assert statement.status_code == 200 and statement.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(statement.get_data(as_text=True))))
        assert len(rows) == 2 and {r["buyer_member_id"] for r in rows} == {str(world.buyer)}
        export = world.client.get(
            f"/t/{world.tenant_a}/invoices/accounting-export?{period}",
            headers=world.animator_headers(),
        )
        [row] = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
        assert (
            row["number"],
            row["seller_name"],
            row["buyer_name"],
            row["total_incl_vat"],
            row["unit_part"],
            row["euro_part"],
        ) == (
            settled["number"],
            "Atelier Lumière Design",
            "Boulangerie Les Blés d'Or",
            "627.91",
            "627.91",
            "0.00",
        )
        listed = world.client.get(
            f"/t/{world.tenant_a}/invoices",
            headers={**world.animator_headers(), "Accept": "text/csv"},
        )
        assert len(list(csv.DictReader(io.StringIO(listed.get_data(as_text=True))))) == 2
        month = today.strftime("%Y-%m")
        fees = world.client.get(
            f"/t/{world.tenant_a}/invoices/commissions?month={month}",
            headers=world.animator_headers(),
        )
        [fee] = list(csv.DictReader(io.StringIO(fees.get_data(as_text=True))))
        assert (fee["invoice_number"], fee["amount"], fee["charged_in"], fee["status"]) == (
            settled["number"],
            "26.67",
            "unit",
            "pending",
        )
        assert (
            world.client.get(
                f"/t/{world.tenant_a}/invoices/commissions?month={month}",
                headers=world.seller_headers(),
            ).status_code
            == 403
        )

    def test_a_member_name_is_never_a_formula_in_the_csv(self, world: World) -> None:
        buyer = world.admit(world.tenant_a, "=cmd|' /C calc'!A0")
        world.act(world.draft(buyer_member_id=str(buyer))["id"], "issue", world.seller_headers())
        today = local_date(datetime.now(UTC))
        period = f"since={today.isoformat()}&until={(today + timedelta(days=1)).isoformat()}"
        statement = world.client.get(
            f"/t/{world.tenant_a}/invoices/statement?{period}", headers=world.seller_headers()
        )
        rows = list(csv.DictReader(io.StringIO(statement.get_data(as_text=True))))
        names = {r["buyer_name"] for r in rows if r["buyer_member_id"] == str(buyer)}
        assert names == {"'=cmd|' /C calc'!A0"}


class TestDocument:
    def test_the_pdf_is_factur_x_and_its_xml_totals_are_the_apis(self, world: World) -> None:
        invoice = world.act(world.draft(payment_mode=50)["id"], "issue", world.seller_headers())
        response = world.client.get(
            f"/t/{world.tenant_a}/invoices/{invoice['id']}/pdf", headers=world.buyer_headers()
        )
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        name, xml = facturx.get_xml_from_pdf(response.data, check_xsd=True)
        assert name == "factur-x.xml"
        assert facturx.get_level(etree.fromstring(xml)) == "en16931"
        root = etree.fromstring(xml)
        summation = root.find(
            ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", namespaces=RAM
        )
        assert summation is not None
        assert {
            "excl": summation.findtext("ram:TaxBasisTotalAmount", namespaces=RAM),
            "vat": summation.findtext("ram:TaxTotalAmount", namespaces=RAM),
            "incl": summation.findtext("ram:GrandTotalAmount", namespaces=RAM),
        } == {
            "excl": invoice["total_excl_vat"],
            "vat": invoice["total_vat"],
            "incl": invoice["total_incl_vat"],
        }
        assert (
            root.findtext(
                ".//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", namespaces=RAM
            )
            == "97"
        )
        assert root.findtext(".//{*}ExchangedDocument/{*}ID") == invoice["number"]
        # The same bytes on every download: the document is rendered once and kept.
        again = world.client.get(
            f"/t/{world.tenant_a}/invoices/{invoice['id']}/pdf", headers=world.seller_headers()
        )
        assert again.data == response.data
        draft = world.draft()
        refused = world.client.get(
            f"/t/{world.tenant_a}/invoices/{draft['id']}/pdf", headers=world.seller_headers()
        )
        assert (refused.status_code, refused.json["code"]) == (409, "not_issued")


def test_issue_date_is_the_french_calendar_date() -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert local_date(late) == date(2027, 1, 1)
