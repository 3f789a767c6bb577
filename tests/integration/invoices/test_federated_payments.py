"""Payments without an invoice between two linked networks through the HTTP API (SQLite and
PostgreSQL): the amount in the writer's unit and the other side converted at the rate frozen at
creation, the refusals of an unlinked, suspended or unknown counterpart, the settlement by the
ledger's saga (``start_federated_transfer`` at validation, then ``federated_transfer_completed``)
and a refusal of the saga ending the payment with its reason."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from chassis.auth import ANIMATOR, MEMBER
from chassis.testing.tokens import TokenFactory
from contracts import gateway as gw
from contracts import ledger as lg
from invoices.bootstrap import InvoicesApp
from invoices.db import outbox_table
from invoices.domain import ids

from .conftest import World, make_world
from .test_federation import link_event, linked, outbox

START = "org.trocactif.ledger.start_federated_transfer.v1"


@pytest.fixture
def agri(invoices_app: InvoicesApp, token_factory: TokenFactory) -> World:
    """The payee's network: Agri-échange, unit AGR, payments without an invoice allowed."""
    return make_world(
        invoices_app,
        token_factory,
        name="Agri-échange",
        unit=gw.Unit(code="AGR", name="Agri", symbol="Ag"),
        direct_payments="both",
    )


@pytest.fixture
def troc(invoices_app: InvoicesApp, token_factory: TokenFactory) -> World:
    """The payer's network: Troc Actif, unit ACT, payments without an invoice allowed."""
    return make_world(invoices_app, token_factory, direct_payments="both")


def pay(
    troc: World,
    agri: World,
    amount: str = "40.00",
    *,
    key: str | None = None,
    payee: uuid.UUID | None = None,
    status: int = 201,
) -> dict[str, Any]:
    """Troc Actif's buyer pays Agri-échange's seller ``amount`` ACT directly."""
    response = troc.client.post(
        f"/t/{troc.tenant_a}/payments",
        json={
            "payee_member_id": str(payee or agri.seller),
            "amount": amount,
            "description": "Location d'une moissonneuse",
        },
        headers={**troc.buyer_headers(), "Idempotency-Key": key or uuid.uuid4().hex},
    )
    assert response.status_code == status, response.json
    return dict(response.json)


def act(
    world: World,
    path: str,
    payment_id: str,
    action: str,
    headers: dict[str, str],
    *,
    tenant: str | None = None,
    json: Any = None,
    status: int = 200,
) -> dict[str, Any]:
    response = world.client.post(
        f"/t/{tenant or world.tenant_a}/{path}/{payment_id}/{action}", json=json, headers=headers
    )
    assert response.status_code == status, (response.status_code, response.json)
    return dict(response.json)


def completed(
    payer: World,
    payee: World,
    payment: dict[str, Any],
    outcome: str,
    *,
    payer_amount: str,
    payee_amount: str,
    code: str | None = None,
    reason: str | None = None,
) -> None:
    """The ledger's ``federated_transfer_completed``, once in each side's tenant log."""
    message = lg.FederatedTransferCompleted(
        saga_id=uuid.UUID(payment["transfer_id"]),
        link_id=uuid.UUID(payment["federation_link_id"]),
        payer_network=payer.network,
        payee_network=payee.network,
        payer=uuid.UUID(payment["payer_member_id"]),
        payee=uuid.UUID(payment["payee_member_id"]),
        amount=Decimal(payer_amount),
        payer_unit="ACT",
        converted_amount=Decimal(payee_amount),
        payee_unit="AGR",
        rate=Decimal("1.5"),
        reference=payment["description"],
        outcome=outcome,  # type: ignore[arg-type]
        code=code,
        reason=reason,
        requested_by="invoices",
    )
    payer.deliver(message, tenant=payer.tenant_a)
    payee.deliver(message, tenant=payee.tenant_a)


def names(world: World, payment_id: str) -> list[tuple[str, str, str]]:
    """The payment's events in the outbox: (name, network, tenant)."""
    with world.app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table.c.type, outbox_table.c.network, outbox_table.c.tenant)
            .where(
                outbox_table.c.subject == payment_id,
                outbox_table.c.exchange == "invoices.events",
            )
            .order_by(outbox_table.c.id)
        ).all()
    return [(str(r[0]).rsplit(".", 2)[-2], str(r[1]), str(r[2])) for r in rows]


class TestDirectPayment:
    def test_the_payer_pays_in_its_unit_and_the_payees_association_starts_the_saga(
        self, agri: World, troc: World
    ) -> None:
        link_id = linked(troc, agri)  # 1 ACT (network a) = 1.5 AGR
        payment = pay(troc, agri, "40.00", key="k-fed-1")
        assert (
            payment["status"],
            payment["amount"],
            payment["unit"],
            payment["network"],
            payment["payer_network"],
            payment["payee_network"],
            payment["exchange_rate"],
            payment["converted_amount"],
            payment["converted_unit"],
            payment["federation_link_id"],
            payment["rate_frozen"],
            payment["tenant"],
        ) == (
            "awaiting_validation",
            "40.00",
            "ACT",
            troc.network,
            troc.network,
            agri.network,
            "1.5",
            "60.00",
            "AGR",
            str(link_id),
            True,
            agri.tenant_a,
        )
        # Nothing is held at creation.
        assert outbox(troc, payment["id"], "org.trocactif.ledger.hold_transfer.v1") == []
        # The same key replays the first payment; another content with it is a conflict.
        again = troc.client.post(
            f"/t/{troc.tenant_a}/payments",
            json={
                "payee_member_id": str(agri.seller),
                "amount": "40.00",
                "description": "Location d'une moissonneuse",
            },
            headers={**troc.buyer_headers(), "Idempotency-Key": "k-fed-1"},
        )
        assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
        assert again.json["id"] == payment["id"]
        pay(troc, agri, "41.00", key="k-fed-1", status=409)
        # A later rate changes nothing of it.
        link_event(troc, agri, link_id, rate="3")
        # The payer's animators see it, read only; the payee's validate.
        act(
            troc,
            "payments",
            payment["id"],
            "validate",
            troc.animator_headers(),
            status=403,
        )
        seen = troc.client.get(
            f"/t/{troc.tenant_a}/payments/{payment['id']}", headers=troc.animator_headers()
        )
        assert seen.status_code == 200 and seen.json["converted_amount"] == "60.00"
        validated = act(agri, "payments", payment["id"], "validate", agri.animator_headers())
        assert validated["status"] == "validated"
        [start] = outbox(agri, payment["id"], START)
        assert (start.network, start.tenant) == (agri.network, agri.tenant_a)
        assert start.data == {
            "saga_id": payment["transfer_id"],
            "link_id": str(link_id),
            "payer_network": troc.network,
            "payer": str(troc.buyer),
            "payee": str(agri.seller),
            "amount": "40.00",
            "rate": "1.5",
            "converted_amount": "60.00",
            "reference": "Paiement : Location d'une moissonneuse",
            "requested_by": "invoices",
        }
        assert payment["transfer_id"] == str(ids.federated_transfer_id(uuid.UUID(payment["id"]), 1))
        completed(troc, agri, payment, "posted", payer_amount="40.00", payee_amount="60.00")
        settled = agri.client.get(
            f"/t/{agri.tenant_a}/payments/{payment['id']}", headers=agri.animator_headers()
        )
        assert settled.json["status"] == "settled"
        # Each side's copy of every event goes to its own network's log, once.
        events = names(agri, payment["id"])
        assert sorted(e for e in events if e[0] == "payment_settled") == sorted(
            [
                ("payment_settled", agri.network, agri.tenant_a),
                ("payment_settled", troc.network, troc.tenant_a),
            ]
        )
        [copy, _] = outbox(agri, payment["id"], "org.trocactif.invoices.payment_settled.v1")
        sides = ("amount", "unit", "converted_amount", "converted_unit")
        assert {k: copy.data[k] for k in sides} == {
            "amount": "40.00",
            "unit": "ACT",
            "converted_amount": "60.00",
            "converted_unit": "AGR",
        }
        assert copy.data["exchange_rate"] == "1.5"
        # A replay of the completion changes nothing.
        completed(troc, agri, payment, "posted", payer_amount="40.00", payee_amount="60.00")
        assert len(names(agri, payment["id"])) == len(events)
        listed = troc.client.get(f"/t/{troc.tenant_a}/payments", headers=troc.buyer_headers())
        assert [p["id"] for p in listed.json["items"]] == [payment["id"]]

    @pytest.mark.parametrize("outcome", ["voided", "refused"])
    def test_a_saga_that_does_not_post_refuses_the_payment_with_its_reason(
        self, agri: World, troc: World, outcome: str
    ) -> None:
        linked(troc, agri)
        payment = pay(troc, agri, "40.00")
        act(agri, "payments", payment["id"], "validate", agri.animator_headers())
        completed(
            troc,
            agri,
            payment,
            outcome,
            payer_amount="40.00",
            payee_amount="60.00",
            code="clearing_limit",
            reason="the clearing limit",
        )
        ended = troc.client.get(
            f"/t/{troc.tenant_a}/payments/{payment['id']}", headers=troc.buyer_headers()
        ).json
        assert ended["status"] == "refused"
        assert ended["last_refusal"]["code"] == "clearing_limit"
        assert ended["last_refusal"]["reason"] == "the clearing limit"
        assert [e[0] for e in names(agri, payment["id"])].count("payment_hold_refused") == 2

    def test_below_the_payees_threshold_the_saga_starts_at_once(
        self, invoices_app: InvoicesApp, token_factory: TokenFactory, troc: World
    ) -> None:
        agri = make_world(
            invoices_app,
            token_factory,
            unit=gw.Unit(code="AGR", name="Agri", symbol="Ag"),
            direct_payments="both",
            direct_payments_validation_threshold=Decimal("100.00"),
        )
        linked(troc, agri)
        small = pay(troc, agri, "60.00")  # 90.00 AGR: below Agri-échange's 100.00
        assert (small["status"], small["validation_required"]) == ("validated", False)
        assert len(outbox(troc, small["id"], START)) == 1
        large = pay(troc, agri, "70.00")  # 105.00 AGR
        assert (large["status"], large["validation_required"]) == ("awaiting_validation", True)
        assert outbox(troc, large["id"], START) == []

    def test_the_payees_animators_reject_and_nothing_is_voided(
        self, agri: World, troc: World
    ) -> None:
        linked(troc, agri)
        payment = pay(troc, agri)
        rejected = act(
            agri,
            "payments",
            payment["id"],
            "reject",
            agri.animator_headers(),
            json={"reason": "doublon"},
        )
        assert rejected["status"] == "rejected"
        assert outbox(agri, payment["id"], "org.trocactif.ledger.void_transfer.v1") == []
        assert outbox(agri, payment["id"], START) == []


class TestRequest:
    def test_the_payee_asks_in_its_unit_the_payer_accepts_and_the_saga_settles(
        self, agri: World, troc: World
    ) -> None:
        link_id = linked(troc, agri)  # 1 ACT = 1.5 AGR
        created = agri.client.post(
            f"/t/{agri.tenant_a}/payment-requests",
            json={"payer_member_id": str(troc.buyer), "amount": "90.00", "description": "Paille"},
            headers=agri.seller_headers(),
        )
        assert created.status_code == 201, created.json
        asked = created.json
        assert (
            asked["status"],
            asked["amount"],
            asked["unit"],
            asked["payer_network"],
            asked["payee_network"],
            asked["exchange_rate"],
            asked["converted_amount"],
            asked["converted_unit"],
        ) == (
            "requested",
            "90.00",
            "AGR",
            troc.network,
            agri.network,
            "0.6666666667",
            "60.00",
            "ACT",
        )
        # The payer sees it from its own tenant, and accepts: nothing is held.
        accepted = act(
            troc,
            "payment-requests",
            asked["id"],
            "accept",
            troc.buyer_headers(),
        )
        assert accepted["status"] == "awaiting_validation"
        assert outbox(troc, asked["id"], "org.trocactif.ledger.hold_transfer.v1") == []
        act(agri, "payment-requests", asked["id"], "validate", agri.animator_headers())
        [start] = outbox(agri, asked["id"], START)
        assert (start.data["amount"], start.data["converted_amount"], start.data["rate"]) == (
            "60.00",
            "90.00",
            "1.5",
        )
        assert start.data["link_id"] == str(link_id)
        completed(
            troc,
            agri,
            accepted,
            "refused",
            payer_amount="60.00",
            payee_amount="90.00",
            code="insufficient_credit",
            reason="not enough",
        )
        back = agri.client.get(
            f"/t/{agri.tenant_a}/payment-requests/{asked['id']}", headers=agri.seller_headers()
        ).json
        assert back["status"] == "requested"
        assert back["last_refusal"]["code"] == "insufficient_credit"
        # Accepted again: a new saga, posted this time.
        again = act(troc, "payment-requests", asked["id"], "accept", troc.buyer_headers())
        assert again["transfer_id"] == str(ids.federated_transfer_id(uuid.UUID(asked["id"]), 2))
        act(agri, "payment-requests", asked["id"], "validate", agri.animator_headers())
        completed(troc, agri, again, "posted", payer_amount="60.00", payee_amount="90.00")
        settled = troc.client.get(
            f"/t/{troc.tenant_a}/payment-requests/{asked['id']}", headers=troc.buyer_headers()
        ).json
        assert settled["status"] == "settled"


class TestRefusals:
    def test_no_link_is_an_unknown_member_saying_the_networks_are_not_linked(
        self, agri: World, troc: World
    ) -> None:
        refused = pay(troc, agri, status=422)
        assert refused["code"] == "unknown_member"
        assert "not linked" in refused["detail"]
        assert "payee_member_id" in refused["errors"]
        asked = agri.client.post(
            f"/t/{agri.tenant_a}/payment-requests",
            json={"payer_member_id": str(troc.buyer), "amount": "9.00", "description": "Paille"},
            headers=agri.seller_headers(),
        )
        assert (asked.status_code, asked.json["code"]) == (422, "unknown_member")
        assert "payer_member_id" in asked.json["errors"]
        for world in (troc, agri):
            for path in ("payments", "payment-requests"):
                listed = world.client.get(
                    f"/t/{world.tenant_a}/{path}", headers=world.headers(ANIMATOR)
                )
                assert listed.json["total"] == 0  # nothing written

    def test_a_suspended_link_an_unknown_member_and_a_bad_amount(
        self, agri: World, troc: World
    ) -> None:
        link_id = linked(troc, agri)
        link_event(troc, agri, link_id, rate="1.5", status="suspended")
        suspended = pay(troc, agri, status=422)
        assert suspended["code"] == "unknown_member" and "suspended" in suspended["detail"]
        link_event(troc, agri, link_id, rate="1.5")
        unknown = pay(troc, agri, payee=uuid.uuid4(), status=422)
        assert unknown["code"] == "unknown_member"
        bad = pay(troc, agri, "1.234", status=422)
        assert "amount" in bad["errors"]
        listed = troc.client.get(f"/t/{troc.tenant_a}/payments", headers=troc.headers(ANIMATOR))
        assert listed.json["total"] == 0

    def test_the_partner_network_must_allow_the_kind(
        self, invoices_app: InvoicesApp, token_factory: TokenFactory, troc: World
    ) -> None:
        agri = make_world(
            invoices_app,
            token_factory,
            unit=gw.Unit(code="AGR", name="Agri", symbol="Ag"),
            direct_payments="request",
        )
        linked(troc, agri)
        refused = pay(troc, agri, status=403)
        assert refused["code"] == "direct_payments_off"
        assert agri.network in refused["detail"]
        # The other tenant of the payer's network cannot act as the payer.
        payment = agri.client.post(
            f"/t/{agri.tenant_a}/payment-requests",
            json={"payer_member_id": str(troc.buyer), "amount": "9.00", "description": "Paille"},
            headers=agri.seller_headers(),
        ).json
        other = troc.headers(MEMBER, tenant=troc.tenant_b, member=troc.buyer_b)
        act(
            troc,
            "payment-requests",
            payment["id"],
            "accept",
            other,
            tenant=troc.tenant_b,
            status=404,
        )
