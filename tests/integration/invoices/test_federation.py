"""Invoices between two linked networks through the HTTP API (SQLite and PostgreSQL): the copy
of the links, the buyer's side of a draft (current rate) and of an issued invoice (frozen), the
settlement by the ledger's saga (``start_federated_transfer``, then
``federated_transfer_completed``), each network's commission, and the buyer's tenant's view."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from chassis.auth import ANIMATOR
from chassis.messages import envelope_for
from chassis.testing.tokens import TokenFactory
from contracts import gateway as gw
from contracts import ledger as lg
from invoices.bootstrap import InvoicesApp
from invoices.db import outbox_table
from invoices.domain import ids
from invoices.handlers import local_date

from .conftest import World, draft_body, make_world

LINE = [
    {"description": "Paniers de légumes", "quantity": "1", "unit_price": "100.00", "vat_rate": "20"}
]


@pytest.fixture
def agri(invoices_app: InvoicesApp, token_factory: TokenFactory) -> World:
    """The seller's network: Agri-échange, unit AGR, 3 % commission in its unit."""
    return make_world(
        invoices_app,
        token_factory,
        name="Agri-échange",
        unit=gw.Unit(code="AGR", name="Agri", symbol="Ag"),
        commission=gw.Commission(rate=Decimal("3"), charged_in="unit"),
    )


@pytest.fixture
def troc(invoices_app: InvoicesApp, token_factory: TokenFactory) -> World:
    """The buyer's network: Troc Actif, unit ACT, 5 % commission in its unit."""
    return make_world(invoices_app, token_factory)


def link_event(
    agri: World,
    troc: World,
    link_id: uuid.UUID,
    *,
    rate: str,
    status: str = "active",
    at: datetime | None = None,
    created: bool = False,
) -> None:
    kind = gw.FederationLinkCreated if created else gw.FederationLinkUpdated
    message = kind(
        link_id=link_id,
        network_a=agri.network,
        network_b=troc.network,
        rate=Decimal(rate),
        limit_a=Decimal("5000.00"),
        limit_b=Decimal("5000.00"),
        status=status,  # type: ignore[arg-type]
    )
    agri.deliver(envelopes=[envelope_for(message, source="tests", time=at or datetime.now(UTC))])


def linked(agri: World, troc: World, rate: str = "1.5") -> uuid.UUID:
    link_id = uuid.uuid4()
    link_event(agri, troc, link_id, rate=rate, created=True)
    return link_id


def draft(agri: World, troc: World, status: int = 201) -> dict[str, Any]:
    response = agri.client.post(
        f"/t/{agri.tenant_a}/invoices",
        json=draft_body(troc.buyer, lines=LINE),
        headers=agri.seller_headers(),
    )
    assert response.status_code == status, response.json
    return dict(response.json)


def outbox(world: World, invoice_id: str, type_: str) -> list[Any]:
    with world.app.engine.connect() as conn:
        return list(
            conn.execute(
                select(outbox_table.c.network, outbox_table.c.tenant, outbox_table.c.data)
                .where(outbox_table.c.subject == invoice_id, outbox_table.c.type == type_)
                .order_by(outbox_table.c.id)
            ).all()
        )


def completed(
    agri: World,
    troc: World,
    invoice: dict[str, Any],
    outcome: str,
    *,
    code: str | None = None,
    reason: str | None = None,
) -> None:
    """The ledger's ``federated_transfer_completed``, once in each side's tenant log."""
    message = lg.FederatedTransferCompleted(
        saga_id=uuid.UUID(invoice["transfer_id"]),
        link_id=uuid.UUID(invoice["federation_link_id"]),
        payer_network=troc.network,
        payee_network=agri.network,
        payer=troc.buyer,
        payee=agri.seller,
        amount=Decimal(invoice["buyer_unit_part"]),
        payer_unit="ACT",
        converted_amount=Decimal(invoice["unit_part"]),
        payee_unit="AGR",
        rate=Decimal("1.5"),
        reference=invoice["number"],
        outcome=outcome,  # type: ignore[arg-type]
        code=code,
        reason=reason,
        requested_by="invoices",
    )
    troc.deliver(message, tenant=troc.tenant_a)
    agri.deliver(message, tenant=agri.tenant_a)


def validated(agri: World, troc: World) -> dict[str, Any]:
    """An invoice from Agri-échange to Troc Actif, issued, accepted, validated."""
    invoice = draft(agri, troc)
    agri.act(invoice["id"], "issue", agri.seller_headers())
    accepted = troc.act(invoice["id"], "accept", troc.buyer_headers(), tenant=troc.tenant_a)
    assert accepted["status"] == "awaiting_validation"
    return agri.act(invoice["id"], "validate", agri.animator_headers())


class TestLinks:
    def test_no_link_is_an_unknown_buyer_saying_the_networks_are_not_linked(
        self, agri: World, troc: World
    ) -> None:
        refused = draft(agri, troc, status=422)
        assert refused["code"] == "unknown_member"
        assert "not linked" in refused["detail"]
        assert "buyer_member_id" in refused["errors"]

    def test_a_suspended_link_is_refused_at_draft_and_issue(self, agri: World, troc: World) -> None:
        link_id = linked(agri, troc)
        invoice = draft(agri, troc)
        link_event(agri, troc, link_id, rate="1.5", status="suspended")
        assert "suspended" in str(draft(agri, troc, status=422))
        refused = agri.client.post(
            f"/t/{agri.tenant_a}/invoices/{invoice['id']}/issue", headers=agri.seller_headers()
        )
        assert (refused.status_code, refused.json["code"]) == (422, "unknown_member")
        assert agri.get(invoice["id"])["status"] == "draft"
        link_event(agri, troc, link_id, rate="1.5", status="active")
        assert agri.act(invoice["id"], "issue", agri.seller_headers())["status"] == "issued"

    def test_a_draft_follows_the_rate_issue_freezes_it_and_old_events_change_nothing(
        self, agri: World, troc: World
    ) -> None:
        link_id = linked(agri, troc)
        invoice = draft(agri, troc)
        assert (
            invoice["buyer_network"],
            invoice["buyer_unit"]["code"],
            invoice["exchange_rate"],
            invoice["unit_part"],
            invoice["buyer_unit_part"],
            invoice["federation_link_id"],
            invoice["rate_frozen"],
        ) == (troc.network, "ACT", "1.5", "120.00", "180.00", str(link_id), False)
        link_event(agri, troc, link_id, rate="2")
        assert agri.get(invoice["id"])["buyer_unit_part"] == "240.00"
        # An older update arriving late is ignored.
        link_event(agri, troc, link_id, rate="3", at=datetime.now(UTC) - timedelta(hours=1))
        assert agri.get(invoice["id"])["exchange_rate"] == "2"
        issued = agri.act(invoice["id"], "issue", agri.seller_headers())
        assert (issued["exchange_rate"], issued["buyer_unit_part"], issued["rate_frozen"]) == (
            "2",
            "240.00",
            True,
        )
        link_event(agri, troc, link_id, rate="4")
        assert agri.get(invoice["id"])["buyer_unit_part"] == "240.00"
        # Seen from the other side of the link, the rate is its inverse.
        link_event(agri, troc, link_id, rate="4")
        reverse = troc.client.post(
            f"/t/{troc.tenant_a}/invoices",
            json=draft_body(agri.buyer, lines=LINE),
            headers=troc.seller_headers(),
        )
        assert reverse.status_code == 201, reverse.json
        assert (reverse.json["exchange_rate"], reverse.json["buyer_unit_part"]) == (
            "0.25",
            "30.00",
        )

    def test_same_network_invoices_show_no_buyer_side(self, agri: World) -> None:
        invoice = agri.draft()
        assert (invoice["buyer_network"], invoice["exchange_rate"], invoice["buyer_unit_part"]) == (
            agri.network,
            None,
            None,
        )


class TestSettlement:
    def test_validation_starts_the_saga_and_posted_settles_with_each_networks_commission(
        self, agri: World, troc: World
    ) -> None:
        link_id = linked(agri, troc)
        invoice = validated(agri, troc)
        assert invoice["status"] == "validated"
        assert outbox(agri, invoice["id"], "org.trocactif.ledger.hold_transfer.v1") == []
        [start] = outbox(agri, invoice["id"], "org.trocactif.ledger.start_federated_transfer.v1")
        assert (start.network, start.tenant) == (agri.network, agri.tenant_a)
        assert {k: start.data[k] for k in start.data if k != "reference"} == {
            "saga_id": invoice["transfer_id"],
            "link_id": str(link_id),
            "payer_network": troc.network,
            "payer": str(troc.buyer),
            "payee": str(agri.seller),
            "amount": "180.00",
            "rate": "1.5",
            "converted_amount": "120.00",
            "requested_by": "invoices",
        }
        assert invoice["number"] in start.data["reference"]
        assert invoice["transfer_id"] == str(ids.federated_transfer_id(uuid.UUID(invoice["id"]), 1))

        completed(agri, troc, invoice, "posted")
        settled = agri.get(invoice["id"])
        assert settled["status"] == "settled"
        assert settled["commission"]["amount"] == "3.00"
        assert settled["buyer_commission"] == {
            "rate": "5",
            "base": "150.00",
            "amount": "7.50",
            "charged_in": "unit",
        }
        # Each side's copy of invoice_settled goes to its own network's log, once.
        events = outbox(agri, invoice["id"], "org.trocactif.invoices.invoice_settled.v1")
        assert sorted((e.network, e.tenant) for e in events) == sorted(
            [(agri.network, agri.tenant_a), (troc.network, troc.tenant_a)]
        )
        fees = outbox(agri, invoice["id"], "org.trocactif.ledger.transfer.v1")
        assert sorted((f.network, f.data["payer"], f.data["amount"]) for f in fees) == sorted(
            [
                (agri.network, str(agri.seller), "3.00"),
                (troc.network, str(troc.buyer), "7.50"),
            ]
        )
        assert {f.data["payee"] for f in fees} == {
            str(ids.fees_account_id(agri.network)),
            str(ids.fees_account_id(troc.network)),
        }
        # Each network's commissions list shows its own side.
        month = local_date(datetime.now(UTC)).strftime("%Y-%m")
        for world, amount, side in ((agri, "3.00", "seller"), (troc, "7.50", "buyer")):
            response = world.client.get(
                f"/t/{world.tenant_a}/invoices/commissions?month={month}",
                headers=world.animator_headers(),
            )
            [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
            assert (row["invoice_number"], row["amount"], row["side"], row["status"]) == (
                invoice["number"],
                amount,
                side,
                "pending",
            )
        # The fee transfers' answers reach each row.
        troc.deliver(
            lg.TransferPosted(
                transfer_id=ids.buyer_commission_transfer_id(uuid.UUID(invoice["id"])),
                payer=troc.buyer,
                payee=ids.fees_account_id(troc.network),
                amount=Decimal("7.50"),
                unit="ACT",
                kind="fee",
                reference="",
                posted_at=datetime.now(UTC),
            ),
            tenant=troc.tenant_a,
        )
        response = troc.client.get(
            f"/t/{troc.tenant_a}/invoices/commissions?month={month}",
            headers=troc.animator_headers(),
        )
        [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        assert row["status"] == "charged"
        # A replay of the completion changes nothing.
        completed(agri, troc, invoice, "posted")
        assert len(outbox(agri, invoice["id"], "org.trocactif.invoices.invoice_settled.v1")) == 2
        assert len(outbox(agri, invoice["id"], "org.trocactif.ledger.transfer.v1")) == 2

    @pytest.mark.parametrize("outcome", ["voided", "refused"])
    def test_voided_or_refused_goes_back_to_the_seller_with_the_reason(
        self, agri: World, troc: World, outcome: str
    ) -> None:
        linked(agri, troc)
        invoice = validated(agri, troc)
        completed(agri, troc, invoice, outcome, code="clearing_limit", reason="the clearing limit")
        back = agri.get(invoice["id"])
        assert back["status"] == "issued"
        assert back["last_refusal"]["code"] == "clearing_limit"
        assert back["last_refusal"]["reason"] == "the clearing limit"
        refused = outbox(agri, invoice["id"], "org.trocactif.invoices.invoice_hold_refused.v1")
        assert len(refused) == 2
        assert outbox(agri, invoice["id"], "org.trocactif.invoices.invoice_settled.v1") == []
        # The buyer may accept again: a new attempt, a new saga.
        again = troc.act(invoice["id"], "accept", troc.buyer_headers(), tenant=troc.tenant_a)
        assert again["status"] == "awaiting_validation"
        assert again["transfer_id"] == str(ids.federated_transfer_id(uuid.UUID(invoice["id"]), 2))

    def test_the_buyers_association_sees_the_invoice_and_its_pdf_shows_the_rate(
        self, agri: World, troc: World
    ) -> None:
        linked(agri, troc)
        invoice = draft(agri, troc)
        agri.act(invoice["id"], "issue", agri.seller_headers())
        staff = troc.headers(ANIMATOR, tenant=troc.tenant_a)
        listed = troc.client.get(f"/t/{troc.tenant_a}/invoices", headers=staff)
        assert listed.status_code == 200
        [seen] = [i for i in listed.json["items"] if i["id"] == invoice["id"]]
        assert (seen["read_only"], seen["buyer_unit_part"], seen["exchange_rate"]) == (
            True,
            "180.00",
            "1.5",
        )
        mine = troc.get(invoice["id"], troc.buyer_headers(), tenant=troc.tenant_a)
        assert mine["buyer_unit_part"] == "180.00"
        # The buyer's animators do not validate: the seller's do.
        troc.act(invoice["id"], "accept", troc.buyer_headers(), tenant=troc.tenant_a)
        troc.act(invoice["id"], "validate", staff, tenant=troc.tenant_a, status=403)
        pdf = troc.client.get(
            f"/t/{troc.tenant_a}/invoices/{invoice['id']}/pdf", headers=troc.buyer_headers()
        )
        assert pdf.status_code == 200
        import facturx

        _name, xml = facturx.get_xml_from_pdf(pdf.get_data(), check_xsd=False)
        text = xml.decode()
        assert "180.00 ACT" in text and "1 AGR = 1.5 ACT" in text


class TestWithoutAcceptance:
    def test_issue_waits_for_validation_at_once_and_holds_nothing(
        self, invoices_app: InvoicesApp, token_factory: TokenFactory, troc: World
    ) -> None:
        agri = make_world(
            invoices_app,
            token_factory,
            unit=gw.Unit(code="AGR", name="Agri", symbol="Ag"),
            buyer_acceptance_required=False,
        )
        linked(agri, troc)
        invoice = draft(agri, troc)
        issued = agri.act(invoice["id"], "issue", agri.seller_headers())
        assert issued["status"] == "awaiting_validation"
        assert outbox(agri, invoice["id"], "org.trocactif.ledger.hold_transfer.v1") == []
        validated = agri.act(invoice["id"], "validate", agri.animator_headers())
        assert validated["status"] == "validated"
        completed(agri, troc, validated, "refused", code="insufficient_credit", reason="no")
        assert agri.get(invoice["id"])["status"] == "issued"
        # The seller resubmits (issue again): a new saga.
        again = agri.act(invoice["id"], "issue", agri.seller_headers())
        assert again["status"] == "awaiting_validation"
        assert again["transfer_id"] == str(ids.federated_transfer_id(uuid.UUID(invoice["id"]), 2))

    def test_the_buyers_statement_shows_its_side(self, agri: World, troc: World) -> None:
        linked(agri, troc)
        invoice = draft(agri, troc)
        agri.act(invoice["id"], "issue", agri.seller_headers())
        listed = troc.client.get(
            f"/t/{troc.tenant_a}/invoices",
            headers={**troc.buyer_headers(), "Accept": "text/csv"},
        )
        [row] = list(csv.DictReader(io.StringIO(listed.get_data(as_text=True))))
        assert (row["unit"], row["unit_part"], row["buyer_unit"], row["buyer_unit_part"]) == (
            "AGR",
            "120.00",
            "ACT",
            "180.00",
        )
        assert (row["buyer_network"], row["exchange_rate"]) == (troc.network, "1.5")
