"""The listings' HTTP API: publishing, who edits what, tenant isolation, contact threads and
matches, on both backends."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from chassis.auth import INTEGRATOR, OPERATOR
from listings.db import outbox_table
from tests.integration.listings.conftest import Market


def outbox(market: Market, event: str, subject: str | None = None) -> list[Any]:
    query = select(outbox_table).where(outbox_table.c.type == f"org.trocactif.listings.{event}.v1")
    if subject is not None:
        query = query.where(outbox_table.c.subject == subject)
    with market.app.engine.connect() as conn:
        return list(conn.execute(query.order_by(outbox_table.c.id)).all())


class TestPublishing:
    def test_a_member_publishes_an_offer_in_the_networks_unit(self, market: Market) -> None:
        author = market.member(name="Atelier Lumière")
        listing = market.publish(
            author,
            title="Création de logo",
            category="graphisme-impression",
            price={"type": "from", "amount": "600.00"},
        )
        assert listing["member_id"] == str(author)
        assert listing["tenant"] == market.tenant_a
        assert listing["member_name"] == "Atelier Lumière"
        assert listing["price"] == {"type": "from", "amount": "600.00", "unit": "ACT"}
        assert listing["payment_modes"] == [100, 50]
        assert listing["visibility"] == "network" and listing["status"] == "active"
        assert listing["expires_at"] is None
        [row] = outbox(market, "listing_published", listing["id"])
        assert row.tenant == market.tenant_a and row.network == market.network
        assert row.routing_key == f"{market.network}.{market.tenant_a}.listing_published.v1"
        assert "tenant" not in row.data and row.data["price_amount"] == "600.00"

    def test_a_need_expires_after_the_networks_days(self, market: Market) -> None:
        listing = market.publish(market.member(), kind="need", title="Besoin de flyers")
        assert listing["expires_at"] is not None
        assert listing["expires_at"] > listing["published_at"]

    def test_departments_default_to_the_members_own(self, market: Market) -> None:
        author = market.member(department="94")
        response = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.headers(author),
            json={"kind": "offer", "title": "Bilan annuel", "category": "comptabilite"},
        )
        assert response.json["departments"] == ["94"]

    def test_the_author_comes_from_the_token_never_from_the_body(self, market: Market) -> None:
        author, other = market.member(), market.member()
        response = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.headers(author),
            json={
                "kind": "offer",
                "title": "Usurpation",
                "category": "autre",
                "member_id": str(other),
            },
        )
        assert response.status_code == 422
        assert "member_id" in response.json["errors"]

    def test_an_animator_publishes_for_a_member_of_its_association_only(
        self, market: Market
    ) -> None:
        ours, theirs = market.member(), market.member(market.tenant_b)
        body = {"kind": "need", "title": "Besoin saisi par l'animatrice", "category": "autre"}
        done = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.animator(),
            json={**body, "member_id": str(ours)},
        )
        assert done.status_code == 201 and done.json["member_id"] == str(ours)
        refused = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.animator(),
            json={**body, "member_id": str(theirs)},
        )
        assert refused.status_code == 422 and refused.json["code"] == "unknown_member"
        assert "unknown_ids" not in refused.json  # known, of another association: no lag

    def test_a_member_not_yet_learnt_is_named_as_unknown_for_the_gateway(
        self, market: Market
    ) -> None:
        """Lag or absence, the gateway tells them apart from ``unknown_ids``."""
        newcomer = uuid.uuid4()
        refused = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.animator(),
            json={
                "kind": "offer",
                "title": "Tout juste admise",
                "category": "autre",
                "member_id": str(newcomer),
            },
        )
        assert refused.status_code == 422 and refused.json["code"] == "unknown_member"
        assert refused.json["unknown_ids"] == [str(newcomer)]

    def test_a_suspended_member_cannot_publish(self, market: Market) -> None:
        from listings.domain import MemberStatus

        author = market.member()
        with market.app.uow() as uow:
            uow.store.set_member_status(author, MemberStatus.SUSPENDED)
            uow.commit()
        response = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.headers(author),
            json={"kind": "offer", "title": "Interdit", "category": "autre"},
        )
        assert response.status_code == 403 and response.json["code"] == "member_inactive"

    def test_bad_input_names_its_fields_and_writes_nothing(self, market: Market) -> None:
        response = market.client.post(
            f"/t/{market.tenant_a}/listings",
            headers=market.headers(),
            json={
                "kind": "swap",
                "title": "x",
                "category": "autre",
                "payment_modes": [75],
                "price": {"type": "fixed"},
                "visibility": "world",
            },
        )
        assert response.status_code == 422
        assert {"kind", "title", "payment_modes.0", "price.amount", "visibility"} <= set(
            response.json["errors"]
        )
        assert market.search(market.member())["total"] == 0

    def test_integrators_read_with_the_scope_and_never_write(self, market: Market) -> None:
        market.publish(market.member(), title="Offre lue par un intégrateur")
        url = f"/t/{market.tenant_a}/listings"
        reader = market.headers(role=INTEGRATOR, scopes=["listings:read"])
        assert market.client.get(url, headers=reader).json["total"] == 1
        assert market.client.get(url, headers=market.headers(role=INTEGRATOR)).status_code == 403
        write = market.client.post(
            url, headers=reader, json={"kind": "offer", "title": "Non", "category": "autre"}
        )
        assert write.status_code == 403


class TestEditing:
    def test_a_member_cannot_edit_another_members_listing(self, market: Market) -> None:
        author, other = market.member(), market.member()
        listing = market.publish(author, title="Mon offre")
        url = f"/t/{market.tenant_a}/listings/{listing['id']}"
        for method in ("patch", "delete"):
            response = getattr(market.client, method)(
                url, headers=market.headers(other), json={"title": "Piratée"}
            )
            assert response.status_code == 403, response.json
        assert market.client.get(url, headers=market.headers(author)).json["title"] == "Mon offre"

    def test_the_author_edits_and_an_animator_moderates(self, market: Market) -> None:
        author = market.member()
        listing = market.publish(author, title="Offre à revoir")
        url = f"/t/{market.tenant_a}/listings/{listing['id']}"
        edited = market.client.patch(
            url,
            headers=market.headers(author),
            json={"title": "Offre revue", "departments": ["92", "75"]},
        )
        assert edited.status_code == 200
        assert edited.json["title"] == "Offre revue" and edited.json["departments"] == ["75", "92"]
        [update] = outbox(market, "listing_updated", listing["id"])
        assert update.data["changed"] == ["departments", "title"]
        moderated = market.client.delete(url, headers=market.animator())
        assert moderated.status_code == 204
        [archived] = outbox(market, "listing_archived", listing["id"])
        assert archived.data["reason"] == "moderated"
        again = market.client.patch(url, headers=market.headers(author), json={"title": "Non"})
        assert again.status_code == 409 and again.json["code"] == "listing_archived"

    def test_a_paused_listing_is_hidden_from_others_but_not_its_author(
        self, market: Market
    ) -> None:
        author, other = market.member(), market.member()
        listing = market.publish(author, title="Offre en pause")
        url = f"/t/{market.tenant_a}/listings/{listing['id']}"
        market.client.patch(url, headers=market.headers(author), json={"status": "paused"})
        assert market.client.get(url, headers=market.headers(other)).status_code == 404
        assert market.client.get(url, headers=market.headers(author)).json["status"] == "paused"
        assert market.search(author, status="paused")["total"] == 1
        assert market.search(other, status="all")["total"] == 0

    def test_an_operator_reads_the_tenant_it_names(self, market: Market) -> None:
        listing = market.publish(market.member(), title="Vue de l'opérateur")
        headers = market.tokens.headers(OPERATOR, network=market.network)
        response = market.client.get(
            f"/t/{market.tenant_a}/listings/{listing['id']}", headers=headers
        )
        assert response.status_code == 200


class TestTenancy:
    def test_a_tenant_only_listing_never_reaches_another_tenant(self, market: Market) -> None:
        author = market.member()
        private = market.publish(author, title="Réservé à notre association", visibility="tenant")
        shared = market.publish(author, title="Ouvert au réseau")
        outsider = market.member(market.tenant_b)
        b = market.tenant_b
        found = market.search(outsider, as_tenant=b)
        assert [i["title"] for i in found["items"]] == ["Ouvert au réseau"]
        assert market.search(outsider, as_tenant=b, tenant=market.tenant_a)["total"] == 1
        headers = market.headers(outsider, b)
        for path in (f"/listings/{private['id']}", f"/listings/{private['id']}/matches"):
            assert market.client.get(f"/t/{b}{path}", headers=headers).status_code == 404
        for method, path, body in [
            ("patch", f"/listings/{private['id']}", {"title": "Titre piraté"}),
            ("delete", f"/listings/{private['id']}", None),
            ("post", f"/listings/{private['id']}/contact", {"message": "Bonjour"}),
        ]:
            response = getattr(market.client, method)(f"/t/{b}{path}", headers=headers, json=body)
            assert response.status_code == 404, (method, path)
        assert (
            market.client.get(f"/t/{b}/members/{author}/listings", headers=headers).json["total"]
            == 1
        )
        ours = market.client.get(
            f"/t/{market.tenant_a}/members/{author}/listings",
            headers=market.headers(market.member()),
        )
        assert ours.json["total"] == 2
        assert (
            market.client.get(f"/t/{b}/listings/{shared['id']}", headers=headers).status_code == 200
        )

    def test_a_token_of_tenant_b_gets_404_on_the_paths_of_tenant_a(self, market: Market) -> None:
        listing = market.publish(market.member(), title="Chez A")
        headers = market.headers(tenant=market.tenant_b)
        for path in ("/listings", f"/listings/{listing['id']}", "/categories", "/threads"):
            response = market.client.get(f"/t/{market.tenant_a}{path}", headers=headers)
            assert response.status_code == 404
            assert response.headers["Content-Type"] == "application/problem+json"

    def test_another_networks_shared_listings_stay_invisible(self, market: Market) -> None:
        market.publish(market.member(), title="Offre du réseau A")
        stranger = market.tokens.headers(
            "member", tenant="elsewhere", network="other-net", member_id=uuid.uuid4()
        )
        response = market.client.get("/t/elsewhere/listings", headers=stranger)
        assert response.json["total"] == 0


class TestContact:
    def test_a_member_contacts_an_author_and_both_keep_the_thread(self, market: Market) -> None:
        author, asker = (
            market.member(name="Créteil Conseil"),
            market.member(market.tenant_b, name="Studio Rivoli"),
        )
        listing = market.publish(author, title="Bilan pour TPE", category="comptabilite")
        b = market.tenant_b
        response = market.client.post(
            f"/t/{b}/listings/{listing['id']}/contact",
            headers=market.headers(asker, b),
            json={"message": "Bonjour, êtes-vous disponible ?"},
        )
        assert response.status_code == 201, response.json
        thread = response.json
        assert thread["counterpart_name"] == "Créteil Conseil"
        [requested] = outbox(market, "contact_requested", thread["id"])
        assert requested.tenant == market.tenant_a  # told in the author's tenant
        assert requested.data["to_member_id"] == str(author)
        mine = market.client.get(
            f"/t/{market.tenant_a}/threads", headers=market.headers(author)
        ).json
        assert [t["id"] for t in mine["items"]] == [thread["id"]]
        assert mine["items"][0]["counterpart_name"] == "Studio Rivoli"
        url = f"/t/{market.tenant_a}/threads/{thread['id']}/messages"
        answer = market.client.post(
            url, headers=market.headers(author), json={"message": "Oui, appelons-nous."}
        )
        assert answer.status_code == 201
        [replied] = outbox(market, "contact_replied", thread["id"])
        assert replied.tenant == b and replied.data["to_member_id"] == str(asker)
        messages = market.client.get(
            f"/t/{b}/threads/{thread['id']}/messages", headers=market.headers(asker, b)
        ).json
        assert [m["body"] for m in messages["items"]] == [
            "Bonjour, êtes-vous disponible ?",
            "Oui, appelons-nous.",
        ]
        again = market.client.post(
            f"/t/{b}/listings/{listing['id']}/contact",
            headers=market.headers(asker, b),
            json={"message": "Je relance"},
        )
        assert again.json["id"] == thread["id"] and again.json["message_count"] == 3

    def test_nobody_else_reads_or_writes_in_a_thread(self, market: Market) -> None:
        author, asker, other = market.member(), market.member(), market.member()
        listing = market.publish(author, title="Offre discutée")
        thread = market.client.post(
            f"/t/{market.tenant_a}/listings/{listing['id']}/contact",
            headers=market.headers(asker),
            json={"message": "Bonjour"},
        ).json
        url = f"/t/{market.tenant_a}/threads/{thread['id']}/messages"
        assert market.client.get(url, headers=market.headers(other)).status_code == 404
        assert (
            market.client.post(
                url, headers=market.headers(other), json={"message": "Intrus"}
            ).status_code
            == 404
        )
        assert market.client.get(url, headers=market.animator()).status_code == 200
        assert (
            market.client.post(
                url, headers=market.animator(), json={"message": "Animatrice"}
            ).status_code
            == 403
        )
        assert (
            market.client.get(url, headers=market.headers(tenant=market.tenant_b)).status_code
            == 404
        )

    def test_contacting_ones_own_or_a_paused_listing_is_refused(self, market: Market) -> None:
        author = market.member()
        listing = market.publish(author, title="Offre")
        url = f"/t/{market.tenant_a}/listings/{listing['id']}"
        own = market.client.post(
            f"{url}/contact", headers=market.headers(author), json={"message": "Moi-même"}
        )
        assert own.status_code == 422 and own.json["code"] == "own_listing"
        market.client.patch(url, headers=market.headers(author), json={"status": "paused"})
        paused = market.client.post(
            f"{url}/contact", headers=market.animator(), json={"message": "Bonjour"}
        )
        assert paused.status_code == 403  # an animator is no member company


class TestMatches:
    def test_a_need_fitting_an_existing_offer_is_matched_and_both_are_told(
        self, market: Market
    ) -> None:
        seller, buyer = market.member(), market.member(market.tenant_b, department="92")
        offer = market.publish(
            seller,
            title="Tenue de comptabilité pour TPE",
            category="comptabilite",
            departments=["75", "92"],
        )
        market.publish(
            seller,
            title="Impression de flyers",
            category="graphisme-impression",
            departments=["92"],
        )
        need = market.publish(
            buyer,
            market.tenant_b,
            kind="need",
            title="Besoin d'un expert comptable",
            category="comptabilite",
            departments=["92"],
        )
        b = market.tenant_b
        found = market.client.get(
            f"/t/{b}/listings/{need['id']}/matches", headers=market.headers(buyer, b)
        ).json["items"]
        assert [m["listing"]["id"] for m in found] == [offer["id"]]
        assert {"category", "departments"} <= set(found[0]["reasons"])
        told = outbox(market, "match_found")
        mine = [r for r in told if r.data["listing_id"] in {offer["id"], need["id"]}]
        assert {(r.tenant, r.data["member_id"]) for r in mine} == {
            (market.tenant_a, str(seller)),
            (b, str(buyer)),
        }
        seen_by_seller = market.client.get(
            f"/t/{market.tenant_a}/listings/{offer['id']}/matches", headers=market.headers(seller)
        ).json["items"]
        assert [m["listing"]["id"] for m in seen_by_seller] == [need["id"]]
        other = market.client.get(
            f"/t/{b}/listings/{need['id']}/matches", headers=market.headers(market.member(b), b)
        )
        assert other.status_code == 403

    def test_a_tenant_only_listing_is_matched_inside_its_tenant_only(self, market: Market) -> None:
        seller = market.member()
        market.publish(
            seller, title="Nettoyage de bureaux", category="nettoyage", visibility="tenant"
        )
        outsider = market.member(market.tenant_b)
        need = market.publish(
            outsider,
            market.tenant_b,
            kind="need",
            title="Nettoyage de nos locaux",
            category="nettoyage",
        )
        found = market.client.get(
            f"/t/{market.tenant_b}/listings/{need['id']}/matches",
            headers=market.headers(outsider, market.tenant_b),
        ).json
        assert found == {"items": [], "page": 1, "per_page": 50, "total": 0}

    def test_editing_a_listing_into_a_fit_matches_it_again(self, market: Market) -> None:
        seller, buyer = market.member(), market.member()
        offer = market.publish(
            seller, title="Traiteur pour séminaires", category="restauration-traiteur"
        )
        need = market.publish(
            buyer, kind="need", title="Salle de réception", category="locaux-salles"
        )
        url = f"/t/{market.tenant_a}/listings/{need['id']}"
        none = market.client.get(f"{url}/matches", headers=market.headers(buyer)).json
        assert none["items"] == [] and none["total"] == 0
        market.client.patch(
            url,
            headers=market.headers(buyer),
            json={"title": "Traiteur pour notre soirée", "category": "restauration-traiteur"},
        )
        found = market.client.get(f"{url}/matches", headers=market.headers(buyer)).json["items"]
        assert [m["listing"]["id"] for m in found] == [offer["id"]]
