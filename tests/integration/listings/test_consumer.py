"""The listings' bus consumer: gateway and ledger events, each applied once (inbox), on both
backends; and the expiry of needs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from chassis.messages import Envelope, envelope_for
from contracts import gateway as gw
from contracts import ledger as lg
from listings.consumer import ListingsConsumer
from listings.db import listings_table, outbox_table
from tests.integration.listings.conftest import Market


def deliver(
    market: Market, message: object, *, tenant: str | None = None, envelope: Envelope | None = None
) -> Envelope:
    envelope = envelope or envelope_for(
        message, source="gateway", network=market.network, tenant=tenant or market.tenant_a
    )
    ListingsConsumer(market.app).handle_batch([envelope])
    return envelope


def events(market: Market, name: str) -> list[Any]:
    with market.app.engine.connect() as conn:
        return list(
            conn.execute(
                select(outbox_table)
                .where(
                    outbox_table.c.type == f"org.trocactif.listings.{name}.v1",
                    outbox_table.c.network == market.network,
                )
                .order_by(outbox_table.c.id)
            ).all()
        )


def admitted(
    member_id: uuid.UUID,
    name: str = "Atelier Test",
    email: str = "a@example.org",
    department: str = "75",
) -> gw.MemberAdmitted:
    return gw.MemberAdmitted(
        member_id=member_id, name=name, siret="73282932000074", department=department, email=email
    )


class TestDirectory:
    def test_an_admitted_member_shows_with_its_name(self, market: Market) -> None:
        member = uuid.uuid4()
        deliver(market, admitted(member, name="Imprimerie du Marais", department="92"))
        listing = market.publish(member, title="Flyers", departments=None)
        assert listing["member_name"] == "Imprimerie du Marais"
        assert listing["departments"] == ["92"]
        deliver(
            market,
            gw.MemberUpdated(
                member_id=member,
                name="Imprimerie Marais SA",
                siret="73282932000074",
                department="92",
                email="a@example.org",
            ),
        )
        shown = market.client.get(
            f"/t/{market.tenant_a}/listings/{listing['id']}", headers=market.headers(member)
        ).json
        assert shown["member_name"] == "Imprimerie Marais SA"

    def test_the_networks_settings_rule_its_listings(self, market: Market) -> None:
        network = f"agri-{uuid.uuid4().hex[:8]}"
        envelope = envelope_for(
            gw.NetworkCreated(
                slug=network,
                name="Agri-échange",
                unit=gw.Unit(code="GRN", name="Grain", symbol="G"),
                default_credit_limit=Decimal("2000.00"),
                payment_modes=[100],
                hold_expiry_days=15,
                vat_settlement="euro",
                commission=gw.Commission(rate=Decimal("2"), charged_in="euro"),
            ),
            source="gateway",
            network=network,
        )
        deliver(market, None, envelope=envelope)
        headers = market.tokens.headers(
            "member", tenant="beauce", network=network, member_id=uuid.uuid4()
        )
        body = {"kind": "offer", "title": "Paille en bottes", "category": "agriculture"}
        done = market.client.post("/t/beauce/listings", headers=headers, json=body)
        assert done.json["payment_modes"] == [100]
        assert done.json["price"]["unit"] == "GRN"
        refused = market.client.post(
            "/t/beauce/listings", headers=headers, json={**body, "payment_modes": [50]}
        )
        assert refused.status_code == 422 and "payment_modes" in refused.json["errors"]

    def test_a_tenants_departments_are_the_default_of_unknown_members(self, market: Market) -> None:
        deliver(
            market,
            gw.TenantCreated(slug=market.tenant_b, name="FA MGP", departments=["92", "93", "94"]),
            tenant=market.tenant_b,
        )
        listing = market.client.post(
            f"/t/{market.tenant_b}/listings",
            headers=market.headers(tenant=market.tenant_b),
            json={"kind": "offer", "title": "Conseil", "category": "conseil"},
        ).json
        assert listing["departments"] == ["92", "93", "94"]


class TestMemberLifeCycle:
    def test_suspension_pauses_and_reinstatement_brings_back_once_each(
        self, market: Market
    ) -> None:
        member = market.member()
        first = market.publish(member, title="Offre A")
        second = market.publish(member, title="Offre B")
        by_author = market.publish(member, title="Offre mise en pause par l'auteur")
        market.client.patch(
            f"/t/{market.tenant_a}/listings/{by_author['id']}",
            headers=market.headers(member),
            json={"status": "paused"},
        )
        suspension = deliver(market, gw.MemberSuspended(member_id=member, reason="impayés"))
        deliver(market, None, envelope=suspension)  # the broker delivers it twice
        viewer = market.member()
        assert market.search(viewer)["total"] == 0
        paused = [e for e in events(market, "listing_updated") if e.data["reason"]]
        assert sorted(e.data["listing_id"] for e in paused) == sorted([first["id"], second["id"]])
        assert {e.data["status"] for e in paused} == {"paused"}
        refused = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.headers(member),
            json={"kind": "offer", "title": "Non", "category": "autre"},
        )
        assert refused.status_code == 403
        reinstated = deliver(market, gw.MemberReinstated(member_id=member))
        deliver(market, None, envelope=reinstated)
        assert sorted(market.titles(viewer)) == ["Offre A", "Offre B"]

    def test_a_member_who_leaves_has_its_listings_paused(self, market: Market) -> None:
        member = market.member()
        market.publish(member, title="Offre de partant")
        deliver(market, gw.MemberLeft(member_id=member))
        assert market.search(market.member())["total"] == 0
        assert market.search(member, status="paused")["items"][0]["status_reason"] == (
            "member_left"
        )


class TestBalances:
    def test_a_seller_in_deficit_is_matched_first(self, market: Market) -> None:
        buyer, rich, poor = (market.member() for _ in range(3))
        rich_offer = market.publish(rich, title="Nettoyage de bureaux", category="nettoyage")
        poor_offer = market.publish(poor, title="Nettoyage de locaux", category="nettoyage")
        for account in (buyer, rich, poor):
            deliver(
                market,
                lg.AccountOpened(
                    account_id=account, unit="ACT", kind="member", credit_limit=Decimal("1000.00")
                ),
            )
        posted = lg.TransferPosted(
            transfer_id=uuid.uuid4(),
            payer=poor,
            payee=rich,
            amount=Decimal("300.00"),
            unit="ACT",
            kind="direct",
            reference="F1",
            posted_at=datetime.now(UTC),
            payer_balance=Decimal("-300.00"),
            payee_balance=Decimal("300.00"),
        )
        envelope = deliver(market, posted)
        deliver(market, None, envelope=envelope)
        older = lg.TransferPosted(
            transfer_id=uuid.uuid4(),
            payer=rich,
            payee=poor,
            amount=Decimal("1.00"),
            unit="ACT",
            kind="direct",
            reference="F0",
            posted_at=datetime.now(UTC) - timedelta(hours=1),
            payer_balance=Decimal("-1.00"),
            payee_balance=Decimal("1.00"),
        )
        deliver(market, older)  # arrives late: does not overwrite the newer balances
        need = market.publish(buyer, kind="need", title="Nettoyage mensuel", category="nettoyage")
        found = market.client.get(
            f"/t/{market.tenant_a}/listings/{need['id']}/matches", headers=market.headers(buyer)
        ).json["items"]
        assert [m["listing"]["id"] for m in found] == [poor_offer["id"], rich_offer["id"]]
        assert "seller_in_deficit" in found[0]["reasons"]


class TestIdempotency:
    def test_the_same_admission_twice_publishes_the_demo_listings_once(
        self, market: Market
    ) -> None:
        member = uuid.uuid4()
        email = "contact@creteil-conseil.demo.trocactif.org"
        envelope = envelope_for(
            admitted(member, email=email),
            source="gateway",
            network=market.network,
            tenant=market.tenant_a,
        )
        consumer = ListingsConsumer(market.app)
        consumer.handle_batch([envelope, envelope])
        consumer.handle_batch([envelope])

        def count() -> int:
            with market.app.engine.connect() as conn:
                return int(
                    conn.execute(
                        select(func.count())
                        .select_from(listings_table)
                        .where(listings_table.c.member_id == member)
                    ).scalar_one()
                )

        assert count() == 2
        assert len(events(market, "listing_published")) == 2
        titles = market.titles(market.member())
        assert "Tenue de comptabilité et bilan pour TPE" in titles


class TestExpiry:
    def test_a_need_past_its_expiry_is_archived_and_announced(self, market: Market) -> None:
        member = market.member()
        soon = datetime.now(UTC) + timedelta(minutes=5)
        need = market.publish(
            member, kind="need", title="Besoin urgent", expires_at=soon.isoformat()
        )
        assert market.app.expire(now=soon + timedelta(seconds=1)) >= 1
        shown = market.client.get(
            f"/t/{market.tenant_a}/listings/{need['id']}", headers=market.headers(member)
        ).json
        assert shown["status"] == "archived" and shown["status_reason"] == "expired"
        [archived] = [
            e for e in events(market, "listing_archived") if e.data["listing_id"] == need["id"]
        ]
        assert archived.data["reason"] == "expired"
