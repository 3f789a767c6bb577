"""Discovery between linked networks over the listings' HTTP API (issue #20), on both backends:
the copy of the links kept from the gateway's events, ``visibility`` ``federation``,
``scope=federation`` with the price in the reader's unit, and a suspended link hiding it all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chassis.auth import MEMBER
from chassis.messages import envelope_for
from contracts import gateway as gw
from listings.consumer import ListingsConsumer
from listings.domain import LinkStatus, Member, Network
from tests.integration.listings.conftest import Market

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


class Partner:
    """A second network linked to the market's: its association, a member, its unit."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.network = f"agri-{uuid.uuid4().hex[:8]}"
        self.tenant = f"c-{uuid.uuid4().hex[:8]}"
        self.link_id = uuid.uuid4()
        self.member_id = uuid.uuid4()
        with market.app.uow() as uow:
            uow.store.upsert_network(
                Network(
                    slug=self.network,
                    name="Agri-échange test",
                    unit_code="GRN",
                    unit_name="Grain",
                    payment_modes=(100,),
                )
            )
            uow.store.upsert_tenant(self.tenant, self.network, "Agri Beauce test", ["28"])
            uow.store.upsert_member(
                Member(
                    id=self.member_id,
                    network=self.network,
                    tenant=self.tenant,
                    name="EARL Test",
                    department="28",
                )
            )
            uow.commit()

    def link(
        self, message: type = gw.FederationLinkCreated, *, at: datetime, **changes: Any
    ) -> None:
        """The gateway's event about the link (market's network = a, rate 2.5 by default)."""
        fields: dict[str, Any] = {
            "link_id": self.link_id,
            "network_a": self.market.network,
            "network_b": self.network,
            "rate": Decimal("2.5"),
            "limit_a": Decimal("1000.00"),
            "limit_b": Decimal("1000.00"),
            "status": "active",
            **changes,
        }
        envelope = envelope_for(message(**fields), source="gateway", time=at)
        ListingsConsumer(self.market.app).handle_batch([envelope])

    def headers(self) -> dict[str, str]:
        return self.market.tokens.headers(
            MEMBER, tenant=self.tenant, network=self.network, member_id=self.member_id
        )

    def get(self, path: str, **query: Any) -> Any:
        return self.market.client.get(
            f"/t/{self.tenant}{path}", headers=self.headers(), query_string=query
        )

    def publish(self, **body: Any) -> dict[str, Any]:
        document = {"kind": "offer", "category": "agriculture", "departments": ["28"], **body}
        response = self.market.client.post(
            f"/t/{self.tenant}/listings", headers=self.headers(), json=document
        )
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]


@pytest.fixture
def partner(market: Market) -> Partner:
    found = Partner(market)
    found.link(at=T0)
    return found


def _by_title(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["title"]: item for item in page["items"]}


class TestScopeFederation:
    def test_a_partner_finds_federation_listings_with_the_price_in_its_unit(
        self, market: Market, partner: Partner
    ) -> None:
        seller = market.member(name="Atelier Lumière")
        shared = market.publish(
            seller,
            title="Identité visuelle pour exploitations",
            visibility="federation",
            price={"type": "fixed", "amount": "10.01"},
        )
        market.publish(seller, title="Réservé au réseau", visibility="network")
        market.publish(seller, title="Réservé à l'association", visibility="tenant")
        assert shared["visibility"] == "federation"

        response = partner.get("/listings", scope="federation")
        assert response.status_code == 200, response.json
        page = response.json
        assert set(page) >= {"items", "page", "per_page", "total"}
        assert list(_by_title(page)) == ["Identité visuelle pour exploitations"]
        (item,) = page["items"]
        assert item["network"] == market.network
        assert item["network_name"] == "Troc test"
        assert item["price"] == {"type": "fixed", "amount": "10.01", "unit": "ACT"}
        # 1001 cents x 2.5 = 2502.5 -> 2503: half away from zero
        assert item["price_in_your_unit"] == {"amount": "25.03", "unit": "GRN"}
        assert item["member_name"] == "Atelier Lumière"

    def test_the_readers_own_network_comes_as_scope_network_gives_it(
        self, market: Market, partner: Partner
    ) -> None:
        mine = partner.publish(title="Paille en bottes", visibility="network")
        theirs = market.publish(
            market.member(),
            title="Conseil juridique",
            visibility="federation",
            price={"type": "from", "amount": "100.00"},
        )
        found = _by_title(partner.get("/listings", scope="federation").json)
        assert set(found) == {"Paille en bottes", "Conseil juridique"}
        assert "price_in_your_unit" not in found["Paille en bottes"]
        assert found["Paille en bottes"]["network"] == partner.network
        assert found["Conseil juridique"]["price_in_your_unit"] == {
            "amount": "250.00",
            "unit": "GRN",
        }
        # the default scope stays within the network, and so does scope=tenant
        assert [i["id"] for i in partner.get("/listings").json["items"]] == [mine["id"]]
        assert [i["id"] for i in partner.get("/listings", scope="tenant").json["items"]] == [
            mine["id"]
        ]
        # the other way round: b -> a divides by the rate (10.00 GRN / 2.5 = 4.00 ACT)
        partner.publish(
            title="Blé tendre", visibility="federation", price={"type": "fixed", "amount": "10.00"}
        )
        reader = market.member()
        seen = _by_title(market.search(reader, scope="federation"))
        assert seen["Blé tendre"]["price_in_your_unit"] == {"amount": "4.00", "unit": "ACT"}
        assert seen["Blé tendre"]["network_name"] == "Agri-échange test"
        assert "Paille en bottes" not in seen
        assert "Blé tendre" not in _by_title(market.search(reader))
        assert theirs["id"] in {i["id"] for i in market.search(reader, scope="federation")["items"]}

    def test_pages_and_filters_span_both_networks(self, market: Market, partner: Partner) -> None:
        seller = market.member()
        for n in range(3):
            market.publish(seller, title=f"Offre partagée {n}", visibility="federation")
        partner.publish(title="Offre agricole", visibility="federation")
        first = partner.get("/listings", scope="federation", per_page=2).json
        second = partner.get("/listings", scope="federation", per_page=2, page=2).json
        assert (first["total"], first["page"], first["per_page"]) == (4, 1, 2)
        assert len(first["items"]) == 2 and len(second["items"]) == 2
        assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
        assert partner.get("/listings", scope="federation", q="agricole").json["total"] == 1
        assert partner.get("/listings", scope="federation", department="75").json["total"] == 3

    def test_an_unknown_scope_is_refused(self, partner: Partner) -> None:
        response = partner.get("/listings", scope="planet")
        assert response.status_code == 422
        assert "query.scope" in response.json["errors"], response.json


class TestLinkStatus:
    def test_a_suspended_link_hides_the_partner_and_an_old_event_changes_nothing(
        self, market: Market, partner: Partner
    ) -> None:
        shared = market.publish(market.member(), title="Offre partagée", visibility="federation")
        assert partner.get("/listings", scope="federation").json["total"] == 1

        partner.link(gw.FederationLinkUpdated, at=T0 + timedelta(minutes=2), status="suspended")
        assert partner.get("/listings", scope="federation").json["total"] == 0
        assert partner.get(f"/listings/{shared['id']}").status_code == 404
        # the creation redelivered late, and an update older than the suspension: still suspended
        partner.link(at=T0)
        partner.link(gw.FederationLinkUpdated, at=T0 + timedelta(minutes=1), rate=Decimal("4"))
        with market.app.engine.connect() as conn:
            link = market.app.store.get_link(conn, partner.link_id)
        assert link is not None
        assert (link.status, link.rate) == (LinkStatus.SUSPENDED, Decimal("2.5"))
        assert partner.get("/listings", scope="federation").json["total"] == 0

        partner.link(gw.FederationLinkUpdated, at=T0 + timedelta(minutes=3), rate=Decimal("0.5"))
        found = partner.get("/listings", scope="federation").json
        assert found["total"] == 1
        assert "price_in_your_unit" not in found["items"][0]  # a price on quote: nothing to show

    def test_the_new_rate_applies_at_once(self, market: Market, partner: Partner) -> None:
        market.publish(
            market.member(),
            title="Offre chiffrée",
            visibility="federation",
            price={"type": "fixed", "amount": "3.00"},
        )
        partner.link(gw.FederationLinkUpdated, at=T0 + timedelta(minutes=1), rate=Decimal("0.333"))
        (item,) = partner.get("/listings", scope="federation").json["items"]
        assert item["price_in_your_unit"] == {"amount": "1.00", "unit": "GRN"}  # 99.9 cents


class TestReadingAcrossTheLink:
    def test_a_federation_listing_is_read_by_id_never_edited(
        self, market: Market, partner: Partner
    ) -> None:
        seller = market.member()
        shared = market.publish(
            seller,
            title="Offre partagée",
            visibility="federation",
            price={"type": "fixed", "amount": "2.00"},
        )
        home = market.publish(seller, title="Offre du réseau", visibility="network")
        shown = partner.get(f"/listings/{shared['id']}")
        assert shown.status_code == 200, shown.json
        assert shown.json["price_in_your_unit"] == {"amount": "5.00", "unit": "GRN"}
        assert partner.get(f"/listings/{home['id']}").status_code == 404
        client, path = market.client, f"/t/{partner.tenant}/listings/{shared['id']}"
        assert (
            client.patch(path, headers=partner.headers(), json={"title": "Pris"}).status_code == 403
        )
        assert client.delete(path, headers=partner.headers()).status_code == 403
        contact = client.post(
            f"{path}/contact", headers=partner.headers(), json={"message": "Bonjour"}
        )
        assert contact.status_code == 403, contact.json
        # its author still reads it in its own network, unconverted, and edits it
        own = market.client.get(
            f"/t/{market.tenant_a}/listings/{shared['id']}", headers=market.headers(seller)
        )
        assert own.status_code == 200 and "price_in_your_unit" not in own.json
        edited = market.client.patch(
            f"/t/{market.tenant_a}/listings/{shared['id']}",
            headers=market.headers(seller),
            json={"visibility": "network"},
        )
        assert edited.status_code == 200, edited.json
        assert partner.get(f"/listings/{shared['id']}").status_code == 404

    def test_a_federation_listing_is_matched_in_its_own_network(self, market: Market) -> None:
        seller, buyer = market.member(), market.member(market.tenant_b)
        market.publish(
            seller, title="Tenue de comptabilité", category="comptabilite", visibility="federation"
        )
        need = market.publish(
            buyer,
            market.tenant_b,
            kind="need",
            title="Comptabilité annuelle",
            category="comptabilite",
        )
        matches = market.client.get(
            f"/t/{market.tenant_b}/listings/{need['id']}/matches",
            headers=market.headers(buyer, market.tenant_b),
        )
        assert matches.status_code == 200 and matches.json["total"] == 1
