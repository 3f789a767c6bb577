"""Discovery between linked networks through the gateway (issue #20), services as processes on
the environment's PostgreSQL and RabbitMQ: the demo's link reaches the listings over the bus; a
member of Agri-échange finds Troc Actif's ``federation`` offers with ``scope=federation``, priced
in grains at the link's rate; a new rate applies at once; a suspended link hides them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually

pytestmark = pytest.mark.e2e

OPERATOR = "operator@demo.trocactif.org"
PIE_ANIMATOR = "animation@pie.demo.trocactif.org"
FARMER = "contact@earl-plaine.demo.trocactif.org"  # a member of agri-beauce (agri-echange)
WEB_OFFER = "Création de sites web et référencement"  # evry-digital's, shared by the demo


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(
        tmp_path_factory.mktemp("federation-discovery"),
        services=("gateway", "listings"),
        tag="fedlst",
    ) as started:
        yield started


def _demo_link(platform: Platform, operator: dict[str, str]) -> dict[str, Any]:
    items = platform.get("/federation/links", operator)["items"]
    (link,) = [
        i for i in items if {i["network_a"], i["network_b"]} == {"troc-actif", "agri-echange"}
    ]
    return link  # type: ignore[no-any-return]


def _patch_link(platform: Platform, operator: dict[str, str], link: str, body: Any) -> None:
    response = requests.patch(
        f"{platform.url}/federation/links/{link}", headers=operator, json=body, timeout=15
    )
    assert response.status_code == 200, response.text


def _partner_offers(platform: Platform, farmer: dict[str, str], **query: Any) -> dict[str, Any]:
    page = platform.get(
        "/t/agri-beauce/listings", farmer, scope="federation", per_page=100, **query
    )
    return {item["title"]: item for item in page["items"] if item["network"] == "troc-actif"}


def _web_page(platform: Platform, email: str, path: str) -> str:
    """A page of the web application as ``email`` sees it: text, entities decoded."""
    session = requests.Session()
    form = session.get(f"{platform.url}/", timeout=15).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None, form[:500]
    signed = session.post(
        f"{platform.url}/",
        data={"email": email, "password": platform.password, "csrf_token": token[1]},
        timeout=15,
        allow_redirects=False,  # to the dashboard, which needs the ledger (not started here)
    )
    assert signed.status_code == 302, signed.text[:500]
    shown = session.get(f"{platform.url}{path}", timeout=15)
    assert shown.status_code == 200, shown.text[:500]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown.text))
    return html.unescape(text).replace("\u202f", " ").replace("\xa0", " ")


def test_a_farmer_finds_troc_actif_offers_in_grains_until_the_link_is_suspended(
    platform: Platform,
) -> None:
    operator = platform.login(OPERATOR)
    farmer = platform.login(FARMER)
    pie = platform.login(PIE_ANIMATOR)
    link = _demo_link(platform, operator)
    assert link["network_a"] == "troc-actif" and link["status"] == "active"

    # 1 actif = 2 grains from now on: the listings hear it over the bus
    _patch_link(platform, operator, link["id"], {"rate": "2"})

    def priced() -> dict[str, Any] | None:
        offer = _partner_offers(platform, farmer).get(WEB_OFFER)
        converted = (offer or {}).get("price_in_your_unit")
        return offer if converted and converted["amount"] == "3600.00" else None

    offer = eventually(priced, timeout=60, what="the demo's shared offer priced in grains")
    assert offer["price"] == {"type": "from", "amount": "1800.00", "unit": "ACT"}
    assert offer["price_in_your_unit"] == {"amount": "3600.00", "unit": "GRN"}
    assert offer["network_name"] == "Troc Actif"
    assert offer["visibility"] == "federation"
    # the farmer's own network comes too, unconverted; Troc Actif's network-only offers do not
    own = platform.get("/t/agri-beauce/listings", farmer, scope="federation", per_page=100)
    farm = [i for i in own["items"] if i["network"] == "agri-echange"]
    assert farm and all("price_in_your_unit" not in i for i in farm)
    assert all(
        i["visibility"] == "federation" for i in own["items"] if i["network"] == "troc-actif"
    )
    assert WEB_OFFER not in {
        i["title"] for i in platform.get("/t/agri-beauce/listings", farmer)["items"]
    }

    # a new shared offer, published by an animator of PIE for one of its members
    member = platform.get("/t/pie/members", pie)["items"][0]["id"]
    published = platform.post(
        "/t/pie/listings",
        pie,
        json={
            "member_id": member,
            "kind": "offer",
            "title": "Paniers de légumes pour comités d'entreprise",
            "category": "alimentation-boissons",
            "price": {"type": "fixed", "amount": "12.35"},
            "departments": [],
            "visibility": "federation",
        },
        status=201,
    )
    found = _partner_offers(platform, farmer, q="paniers")
    assert found["Paniers de légumes pour comités d'entreprise"]["price_in_your_unit"] == {
        "amount": "24.70",
        "unit": "GRN",
    }
    shown = platform.get(f"/t/agri-beauce/listings/{published['id']}", farmer)
    assert shown["price_in_your_unit"] == {"amount": "24.70", "unit": "GRN"}
    edit = requests.patch(
        f"{platform.url}/t/agri-beauce/listings/{published['id']}",
        headers=farmer,
        json={"title": "Pris par un autre réseau"},
        timeout=15,
    )
    assert edit.status_code in (403, 404), edit.text

    # the web marketplace's « Réseaux partenaires » shows it too, in grains
    page = _web_page(platform, FARMER, "/app/place-de-marche?scope=federation&q=paniers")
    assert "Réseau partenaire : Troc Actif" in page
    assert "12,35 ACT (soit 24,70 Grains)" in page

    # suspended: the partner's offers are gone from the search and from reading by id
    _patch_link(platform, operator, link["id"], {"status": "suspended"})
    eventually(
        lambda: not _partner_offers(platform, farmer),
        timeout=60,
        what="the partner's offers hidden",
    )
    hidden = requests.get(
        f"{platform.url}/t/agri-beauce/listings/{published['id']}", headers=farmer, timeout=15
    )
    assert hidden.status_code == 404, hidden.text
