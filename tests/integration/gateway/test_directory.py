"""Networks, tenants, members, users and API keys over HTTP: roles, rules, and the events staged
in the outbox by each use case (in the same transaction as the change)."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from chassis.messages import Envelope

from .conftest import PASSWORD, World, bearer, member_body, network_body, random_slug


def _only(events: list[Envelope], name: str) -> Envelope:
    found = [e for e in events if e.type == f"org.trocactif.gateway.{name}.v1"]
    assert len(found) == 1, [e.type for e in events]
    return found[0]


class TestNetworks:
    def test_the_operator_creates_a_network_and_network_created_is_staged(self, gw: World) -> None:
        slug = random_slug("net")
        response = gw.client.post("/networks", headers=gw.operator, json=network_body(slug))
        assert response.status_code == 201, response.json
        body = response.json
        assert body["unit"] == {"code": "ACT", "name": "Actif", "symbol": "Ⓐ"}
        assert body["default_credit_limit"] == "1000.00"
        assert body["payment_modes"] == [100, 50]
        assert body["commission"] == {"rate": "5", "charged_in": "unit"}
        assert body["buyer_acceptance_required"] is True
        gw.network = slug
        event = _only(gw.events(), "network_created")
        assert event.network == slug and event.tenant is None
        assert event.routing_key == f"{slug}._.network_created.v1"
        message = event.message()
        assert message.default_credit_limit == Decimal("1000.00")
        assert message.unit.code == "ACT"
        assert message.commission.rate == Decimal("5")

    def test_bad_settings_are_named_field_by_field(self, gw: World) -> None:
        response = gw.client.post(
            "/networks",
            headers=gw.operator,
            json=network_body(
                "Bad Slug",
                unit={"code": "EUR", "name": "Euro", "symbol": "€"},
                payment_modes=[100, 30],
                hold_expiry_days=0,
                commission={"rate": 5.5, "charged_in": "gold"},
            ),
        )
        assert response.status_code == 422
        assert set(response.json["errors"]) >= {
            "slug",
            "unit.code",
            "payment_modes",
            "hold_expiry_days",
            "commission.rate",
            "commission.charged_in",
        }

    def test_a_taken_slug_is_a_conflict(self, gw: World) -> None:
        response = gw.client.post("/networks", headers=gw.operator, json=network_body(gw.network))
        assert response.status_code == 409
        assert "slug" in response.json["errors"]

    def test_the_operator_updates_settings_and_network_updated_is_staged(self, gw: World) -> None:
        response = gw.client.patch(
            f"/networks/{gw.network}",
            headers=gw.operator,
            json={
                "default_credit_limit": "1500.00",
                "payment_modes": [100],
                "buyer_acceptance_required": False,
            },
        )
        assert response.status_code == 200, response.json
        assert response.json["default_credit_limit"] == "1500.00"
        assert response.json["payment_modes"] == [100]
        message = _only(gw.events(), "network_updated").message()
        assert message.default_credit_limit == Decimal("1500.00")
        assert message.buyer_acceptance_required is False
        shown = gw.client.get(f"/networks/{gw.network}", headers=gw.animator_a)
        assert shown.json["default_credit_limit"] == "1500.00"

    def test_the_slug_cannot_be_patched_and_unknown_networks_are_404(self, gw: World) -> None:
        response = gw.client.patch(
            f"/networks/{gw.network}", headers=gw.operator, json={"slug": "other"}
        )
        assert response.status_code == 422
        missing = gw.client.patch("/networks/no-such-net", headers=gw.operator, json={})
        assert missing.status_code == 404

    def test_only_the_operator_manages_networks(self, gw: World) -> None:
        assert (
            gw.client.post(
                "/networks", headers=gw.animator_a, json=network_body(random_slug("net"))
            ).status_code
            == 403
        )
        assert gw.client.get("/networks", headers=gw.animator_a).status_code == 403
        assert (
            gw.client.patch(
                f"/networks/{gw.network}", headers=gw.animator_a, json={"name": "Mine"}
            ).status_code
            == 403
        )
        listed = gw.client.get("/networks?per_page=500", headers=gw.operator).json
        assert gw.network in {n["slug"] for n in listed["items"]}

    def test_a_network_is_shown_only_to_its_own_people(self, gw: World) -> None:
        other = random_slug("net")
        gw.client.post("/networks", headers=gw.operator, json=network_body(other))
        assert gw.client.get(f"/networks/{other}", headers=gw.animator_a).status_code == 404


class TestTenants:
    def test_the_operator_creates_a_tenant_and_tenant_created_is_staged(self, gw: World) -> None:
        slug = random_slug("t")
        response = gw.client.post(
            f"/networks/{gw.network}/tenants",
            headers=gw.operator,
            json={
                "slug": slug,
                "name": "Initiactive 95",
                "departments": ["95", "78", 78],
                "contact": {"email": "Contact@Example.org"},
            },
        )
        assert response.status_code == 201, response.json
        assert response.json["departments"] == ["78", "95"]
        assert response.json["network"] == gw.network
        assert response.json["contact"]["email"] == "contact@example.org"
        event = _only(gw.events(slug), "tenant_created")
        assert event.routing_key == f"{gw.network}.{slug}.tenant_created.v1"
        assert event.message().departments == ["78", "95"]
        listed = gw.client.get(f"/networks/{gw.network}/tenants", headers=gw.operator).json
        assert {t["slug"] for t in listed["items"]} == {gw.tenant_a, gw.tenant_b, slug}

    def test_a_tenant_slug_is_unique_across_networks(self, gw: World) -> None:
        other = random_slug("net")
        gw.client.post("/networks", headers=gw.operator, json=network_body(other))
        response = gw.client.post(
            f"/networks/{other}/tenants",
            headers=gw.operator,
            json={"slug": gw.tenant_a, "name": "Copy", "departments": ["01"]},
        )
        assert response.status_code == 409
        assert "slug" in response.json["errors"]

    def test_departments_must_be_french(self, gw: World) -> None:
        response = gw.client.post(
            f"/networks/{gw.network}/tenants",
            headers=gw.operator,
            json={"slug": random_slug("t"), "name": "Corse", "departments": ["20", "99"]},
        )
        assert response.status_code == 422
        assert "departments" in response.json["errors"]

    def test_animators_cannot_create_tenants(self, gw: World) -> None:
        response = gw.client.post(
            f"/networks/{gw.network}/tenants",
            headers=gw.animator_a,
            json={"slug": random_slug("t"), "name": "X", "departments": ["92"]},
        )
        assert response.status_code == 403


class TestMembers:
    def test_an_animator_admits_a_member_and_member_admitted_is_staged(self, gw: World) -> None:
        body = member_body(credit_limit="250.00", naf="6201Z")
        response = gw.client.post(f"/t/{gw.tenant_a}/members", headers=gw.animator_a, json=body)
        assert response.status_code == 201, response.json
        member = response.json
        assert member["status"] == "admitted"
        assert member["tenant"] == gw.tenant_a and member["network"] == gw.network
        assert member["siret"] == body["siret"] and member["naf"] == "62.01Z"
        assert member["address"] == {
            "street": "3 avenue Jean Jaurès",
            "postal_code": "92120",
            "city": "Montrouge",
        }
        assert member["phone"] == "+33123456789"
        event = _only(gw.events(gw.tenant_a), "member_admitted")
        assert event.routing_key == f"{gw.network}.{gw.tenant_a}.member_admitted.v1"
        assert event.subject == member["id"]
        message = event.message()
        assert str(message.member_id) == member["id"]
        assert message.credit_limit == Decimal("250.00")
        assert message.siret == body["siret"]

    def test_without_a_credit_limit_the_network_default_applies(self, gw: World) -> None:
        gw.admit()
        assert _only(gw.events(gw.tenant_a), "member_admitted").message().credit_limit is None

    def test_bad_details_are_all_named(self, gw: World) -> None:
        response = gw.client.post(
            f"/t/{gw.tenant_a}/members",
            headers=gw.animator_a,
            json=member_body(
                siret="73282932000075",
                vat_number="FR00",
                department="2A",
                email="nobody",
                phone="12",
            ),
        )
        assert response.status_code == 422
        assert set(response.json["errors"]) == {"siret", "vat_number", "email", "phone"}
        # The tenant and the world's animator only: no member event.
        assert gw.event_names(gw.tenant_a) == ["tenant_created", "user_changed"]

    def test_the_department_must_be_one_the_tenant_covers(self, gw: World) -> None:
        response = gw.client.post(
            f"/t/{gw.tenant_a}/members", headers=gw.animator_a, json=member_body(department="75")
        )
        assert response.status_code == 422
        assert response.json["invalid_fields"][0]["code"] == "not_covered"

    def test_a_siret_is_unique_within_the_network_across_its_tenants(self, gw: World) -> None:
        siret = gw.admit()["siret"]
        again = gw.client.post(
            f"/t/{gw.tenant_b}/members",
            headers=gw.animator_b,
            json=member_body(tenant_b=True, siret=siret),
        )
        assert again.status_code == 409
        assert "siret" in again.json["errors"]

    def test_networks_are_sealed_the_same_siret_joins_another_network(self, gw: World) -> None:
        siret = gw.admit()["siret"]
        other, tenant = random_slug("net"), random_slug("t")
        gw.client.post("/networks", headers=gw.operator, json=network_body(other))
        gw.client.post(
            f"/networks/{other}/tenants",
            headers=gw.operator,
            json={"slug": tenant, "name": "Other", "departments": ["92"]},
        )
        response = gw.client.post(
            f"/t/{tenant}/members", headers=gw.operator, json=member_body(siret=siret)
        )
        assert response.status_code == 201, response.json
        assert response.json["network"] == other

    def test_members_of_the_tenant_read_the_directory(self, gw: World) -> None:
        mine = gw.admit(name="Alpha Conseil")
        theirs = gw.admit(gw.tenant_b, name="Beta Services")
        member_user = gw.headers_of(gw.user(gw.tenant_a, "member", mine["id"]))
        listed = gw.client.get(f"/t/{gw.tenant_a}/members", headers=member_user)
        assert listed.status_code == 200
        assert [m["id"] for m in listed.json["items"]] == [mine["id"]]
        assert listed.json["total"] == 1
        shown = gw.client.get(f"/t/{gw.tenant_a}/members/{mine['id']}", headers=member_user)
        assert shown.json["name"] == "Alpha Conseil"
        # The network's directory is shared on purpose (DESIGN.md §3)...
        network = gw.client.get(f"/t/{gw.tenant_a}/members?scope=network", headers=member_user)
        assert {m["id"] for m in network.json["items"]} == {mine["id"], theirs["id"]}
        assert {m["tenant"] for m in network.json["items"]} == {gw.tenant_a, gw.tenant_b}
        # ...but a member of another tenant is not reachable through this tenant's paths.
        other = gw.client.get(f"/t/{gw.tenant_a}/members/{theirs['id']}", headers=member_user)
        assert other.status_code == 404

    def test_the_list_is_paginated_and_filtered_by_status(self, gw: World) -> None:
        ids = [gw.admit(name=f"Société {n}")["id"] for n in range(3)]
        page = gw.client.get(
            f"/t/{gw.tenant_a}/members?per_page=2&page=2", headers=gw.animator_a
        ).json
        assert (page["total"], page["page"], page["per_page"]) == (3, 2, 2)
        assert len(page["items"]) == 1
        gw.client.post(f"/t/{gw.tenant_a}/members/{ids[0]}/suspend", headers=gw.animator_a, json={})
        suspended = gw.client.get(
            f"/t/{gw.tenant_a}/members?status=suspended", headers=gw.animator_a
        ).json
        assert [m["id"] for m in suspended["items"]] == [ids[0]]
        bad = gw.client.get(
            f"/t/{gw.tenant_a}/members?per_page=0&scope=galaxy", headers=gw.animator_a
        )
        assert bad.status_code == 422
        assert set(bad.json["errors"]) == {"query.per_page", "query.scope"}

    def test_an_animator_amends_a_member_and_member_updated_is_staged(self, gw: World) -> None:
        member = gw.admit()
        response = gw.client.patch(
            f"/t/{gw.tenant_a}/members/{member['id']}",
            headers=gw.animator_a,
            json={
                "name": "Nouveau Nom",
                "department": "93",
                "address": {
                    "street": "1 rue de Paris",
                    "postal_code": "93100",
                    "city": "Montreuil",
                },
            },
        )
        assert response.status_code == 200, response.json
        assert response.json["name"] == "Nouveau Nom"
        assert response.json["department"] == "93"
        message = _only(gw.events(gw.tenant_a), "member_updated").message()
        assert message.name == "Nouveau Nom"
        unchanged = gw.client.patch(
            f"/t/{gw.tenant_a}/members/{member['id']}",
            headers=gw.animator_a,
            json={"name": "Nouveau Nom"},
        )
        assert unchanged.status_code == 200
        assert gw.event_names(gw.tenant_a).count("member_updated") == 1
        refused = gw.client.patch(
            f"/t/{gw.tenant_a}/members/{member['id']}",
            headers=gw.animator_a,
            json={"department": "75"},
        )
        assert refused.status_code == 422
        siret = gw.client.patch(
            f"/t/{gw.tenant_a}/members/{member['id']}",
            headers=gw.animator_a,
            json={"siret": "73282932000074"},
        )
        assert siret.status_code == 422

    def test_the_status_machine_and_its_events(self, gw: World) -> None:
        member = gw.admit()
        path = f"/t/{gw.tenant_a}/members/{member['id']}"
        user = gw.user(gw.tenant_a, "member", member["id"])
        session = gw.login(user)

        suspended = gw.client.post(
            f"{path}/suspend", headers=gw.animator_a, json={"reason": "impayé"}
        )
        assert suspended.json["status"] == "suspended"
        assert gw.client.post(f"{path}/suspend", headers=gw.animator_a, json={}).status_code == 409
        assert (
            gw.client.post(f"{path}/reinstate", headers=gw.animator_a, json={}).json["status"]
            == "admitted"
        )
        assert (
            gw.client.post(f"{path}/reinstate", headers=gw.animator_a, json={}).json["code"]
            == "invalid_transition"
        )
        left = gw.client.post(f"{path}/leave", headers=gw.animator_a, json={})
        assert left.json["status"] == "left"
        assert (
            gw.client.post(f"{path}/reinstate", headers=gw.animator_a, json={}).status_code == 409
        )

        names = [n for n in gw.event_names(gw.tenant_a) if n.startswith("member_")]
        assert names[-4:] == [
            "member_admitted",
            "member_suspended",
            "member_reinstated",
            "member_left",
        ]
        assert _only(gw.events(gw.tenant_a), "member_suspended").message().reason == "impayé"
        # Its users lose access: no login, no refresh.
        assert (
            gw.client.post("/auth/token", json={"email": user, "password": PASSWORD}).status_code
            == 401
        )
        assert (
            gw.client.post(
                "/auth/refresh", json={"refresh_token": session["refresh_token"]}
            ).status_code
            == 400
        )

    def test_a_member_cannot_act_as_an_animator(self, gw: World) -> None:
        member = gw.admit()
        headers = gw.headers_of(gw.user(gw.tenant_a, "member", member["id"]))
        tenant = gw.tenant_a
        attempts = [
            gw.client.post(f"/t/{tenant}/members", headers=headers, json=member_body()),
            gw.client.patch(
                f"/t/{tenant}/members/{member['id']}", headers=headers, json={"name": "Mine now"}
            ),
            gw.client.post(f"/t/{tenant}/members/{member['id']}/suspend", headers=headers, json={}),
            gw.client.post(
                f"/t/{tenant}/users",
                headers=headers,
                json={"email": "x@example.org", "password": PASSWORD, "role": "animator"},
            ),
            gw.client.get(f"/t/{tenant}/users", headers=headers),
            gw.client.post(
                f"/t/{tenant}/api-keys",
                headers=headers,
                json={"name": "k", "scopes": ["ledger:read"]},
            ),
            gw.client.get(f"/t/{tenant}/api-keys", headers=headers),
            gw.client.post(
                f"/t/{tenant}/members/import", headers=headers, data=b"x", content_type="text/csv"
            ),
        ]
        assert [r.status_code for r in attempts] == [403] * len(attempts)

    def test_an_integrator_key_cannot_write(self, gw: World) -> None:
        member = gw.admit()
        key = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys",
            headers=gw.animator_a,
            json={"name": "CRM", "scopes": ["ledger:read", "webhooks:manage"]},
        ).json["key"]
        tenant = gw.tenant_a
        for headers in (
            bearer(key),
            bearer(gw.client.post("/auth/token", json={"api_key": key}).json["access_token"]),
        ):
            assert gw.client.get(f"/t/{tenant}/members", headers=headers).status_code == 200
            attempts = [
                gw.client.post(f"/t/{tenant}/members", headers=headers, json=member_body()),
                gw.client.patch(
                    f"/t/{tenant}/members/{member['id']}", headers=headers, json={"name": "Mine"}
                ),
                gw.client.post(
                    f"/t/{tenant}/members/{member['id']}/leave", headers=headers, json={}
                ),
                gw.client.post(
                    f"/t/{tenant}/users",
                    headers=headers,
                    json={"email": "x@example.org", "password": PASSWORD, "role": "animator"},
                ),
                gw.client.post(
                    f"/t/{tenant}/api-keys",
                    headers=headers,
                    json={"name": "k2", "scopes": ["ledger:read"]},
                ),
            ]
            assert [r.status_code for r in attempts] == [403] * len(attempts)

    def test_members_changed_since_an_instant_are_a_feed(self, gw: World) -> None:
        first = gw.admit(name="Avant le curseur")
        cursor = gw.client.get(
            f"/t/{gw.tenant_a}/members/{first['id']}", headers=gw.animator_a
        ).json["updated_at"]
        assert cursor
        time.sleep(0.01)
        later = gw.admit(name="Après le curseur")
        changed = gw.client.patch(
            f"/t/{gw.tenant_a}/members/{first['id']}",
            headers=gw.animator_a,
            json={"name": "Renommé"},
        )
        assert changed.status_code == 200, changed.json
        since = (datetime.fromisoformat(cursor) + timedelta(microseconds=1)).isoformat()
        feed = gw.client.get(
            f"/t/{gw.tenant_a}/members",
            headers=gw.animator_a,
            query_string={"updated_since": since},
        )
        assert feed.status_code == 200, feed.json
        assert [m["id"] for m in feed.json["items"]] == [later["id"], first["id"]]  # oldest first
        stamps = [m["updated_at"] for m in feed.json["items"]]
        assert stamps == sorted(stamps) and all(s > cursor for s in stamps)
        naive = gw.client.get(
            f"/t/{gw.tenant_a}/members",
            headers=gw.animator_a,
            query_string={"updated_since": "2026-11-20T09:30:00"},
        )
        assert naive.status_code == 422 and "query.updated_since" in naive.json["errors"]


class TestUsers:
    def test_the_operator_creates_a_tenants_first_animator(self, gw: World) -> None:
        email = f"first-{uuid.uuid4().hex[:6]}@example.org"
        response = gw.client.post(
            f"/t/{gw.tenant_b}/users",
            headers=gw.operator,
            json={"email": email.upper(), "password": PASSWORD, "role": "animator"},
        )
        assert response.status_code == 201, response.json
        assert response.json["email"] == email
        assert response.json["role"] == "animator"
        assert (response.json["tenant"], response.json["network"]) == (gw.tenant_b, gw.network)
        assert "password" not in response.json
        assert gw.login(email)["access_token"]

    def test_animators_create_animators_and_member_users(self, gw: World) -> None:
        member = gw.admit()
        email = gw.user(gw.tenant_a, "member", member["id"])
        me = gw.client.get("/me", headers=gw.headers_of(email)).json
        assert me["member_id"] == member["id"] and me["roles"] == ["member"]
        colleague = gw.user(gw.tenant_a, "animator")
        listed = gw.client.get(f"/t/{gw.tenant_a}/users", headers=gw.animator_a).json
        assert {email, colleague} <= {u["email"] for u in listed["items"]}
        user_id = next(u["id"] for u in listed["items"] if u["email"] == email)
        shown = gw.client.get(f"/t/{gw.tenant_a}/users/{user_id}", headers=gw.animator_a)
        assert shown.json["member_id"] == member["id"]

    def test_a_member_user_needs_a_member_of_the_same_tenant(self, gw: World) -> None:
        theirs = gw.admit(gw.tenant_b)
        for body in (
            {"role": "member"},
            {"role": "member", "member_id": theirs["id"]},
            {"role": "member", "member_id": str(uuid.uuid4())},
        ):
            response = gw.client.post(
                f"/t/{gw.tenant_a}/users",
                headers=gw.animator_a,
                json={"email": "m@example.org", "password": PASSWORD, **body},
            )
            assert response.status_code == 422, response.json
            assert "member_id" in response.json["errors"]

    def test_rules_on_new_accounts(self, gw: World) -> None:
        weak = gw.client.post(
            f"/t/{gw.tenant_a}/users",
            headers=gw.animator_a,
            json={"email": "w@example.org", "password": "motdepasse12", "role": "animator"},
        )
        assert weak.status_code == 422
        assert "password" in weak.json["errors"]
        taken = gw.client.post(
            f"/t/{gw.tenant_a}/users",
            headers=gw.animator_a,
            json={"email": gw.emails[gw.tenant_b], "password": PASSWORD, "role": "animator"},
        )
        assert taken.status_code == 409
        assert "email" in taken.json["errors"]
        operator = gw.client.post(
            f"/t/{gw.tenant_a}/users",
            headers=gw.animator_a,
            json={"email": "o@example.org", "password": PASSWORD, "role": "operator"},
        )
        assert operator.status_code == 422
        assert "role" in operator.json["errors"]


class TestApiKeys:
    def test_a_key_is_shown_once_then_listed_without_its_secret(self, gw: World) -> None:
        created = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys",
            headers=gw.animator_a,
            json={"name": "Tableau de bord régional", "scopes": ["events:read"]},
        )
        assert created.status_code == 201, created.json
        key = created.json
        assert key["key"].startswith(key["prefix"] + "_")
        assert key["scopes"] == ["events:read"]
        listed = gw.client.get(f"/t/{gw.tenant_a}/api-keys", headers=gw.animator_a).json
        assert listed["items"] == [{k: v for k, v in key.items() if k != "key"}]

    def test_unknown_scopes_and_missing_names_are_refused(self, gw: World) -> None:
        response = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys",
            headers=gw.animator_a,
            json={"name": " ", "scopes": ["ledger:write"]},
        )
        assert response.status_code == 422
        assert set(response.json["errors"]) <= {"name", "scopes"}
        empty = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys", headers=gw.animator_a, json={"name": "k", "scopes": []}
        )
        assert empty.status_code == 422
        assert "scopes" in empty.json["errors"]

    def test_revoking_twice_is_harmless_and_unknown_keys_are_404(self, gw: World) -> None:
        key = gw.client.post(
            f"/t/{gw.tenant_a}/api-keys",
            headers=gw.animator_a,
            json={"name": "k", "scopes": ["ledger:read"]},
        ).json
        path = f"/t/{gw.tenant_a}/api-keys/{key['id']}"
        assert gw.client.delete(path, headers=gw.animator_a).status_code == 204
        assert gw.client.delete(path, headers=gw.animator_a).status_code == 204
        listed = gw.client.get(f"/t/{gw.tenant_a}/api-keys", headers=gw.animator_a).json
        assert listed["items"][0]["revoked_at"] is not None
        assert (
            gw.client.delete(
                f"/t/{gw.tenant_a}/api-keys/{uuid.uuid4()}", headers=gw.animator_a
            ).status_code
            == 404
        )
