"""The marketplace page's « Réseaux partenaires » (issue #20): ``scope=federation`` asked of the
API, a partner network's listing named with its network, its price in its own unit and in the
member's, and no contact form across networks."""

from __future__ import annotations

import html
import uuid
from typing import Any

from flask import Flask

from tests.unit.gateway import test_web_pages as pages
from tests.unit.gateway.test_web_pages import FakeApi, member_client, text_of

# The member pages' fixtures: one app for the module on a fake API, emptied per test.
web, fake, app = pages.web, pages.fake, pages.app


def _text(response: Any) -> str:
    """The page's text, entities decoded and no-break spaces as spaces."""
    return html.unescape(text_of(response)).replace("\u202f", " ").replace("\xa0", " ")


def _listing(network: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "offer",
        "title": "Prêt de tracteur avec chauffeur",
        "description": "À la journée",
        "category": "materiel-machines",
        "category_label": "Matériel, équipements et machines",
        "price": {"type": "fixed", "amount": "350.00", "unit": "GRN"},
        "payment_modes": [100],
        "departments": ["28", "45"],
        "visibility": "federation",
        "status": "active",
        "member_id": str(uuid.uuid4()),
        "member_name": "GAEC des Trois Chênes",
        "tenant": "agri-beauce",
        "network": network,
        "network_name": "Agri-échange",
        "published_at": "2026-12-01T10:00:00+00:00",
        "created_at": "2026-12-01T10:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
        "expires_at": None,
        **changes,
    }


def test_the_partner_networks_choice_shows_their_offers_in_the_members_unit(
    app: Flask, fake: FakeApi
) -> None:
    theirs = _listing("agri-echange", price_in_your_unit={"amount": "700.00", "unit": "ACT"})
    mine = _listing(
        "troc-actif",
        title="Création de logo",
        price={"type": "from", "amount": "600.00", "unit": "ACT"},
        member_name="Atelier Lumière",
        network_name="Troc Actif",
        visibility="network",
    )
    fake.on("GET", "/t/pie/categories", {"items": [], "total": 0})
    fake.on("GET", "/t/pie/listings", {"items": [theirs, mine], "total": 2, "page": 1})
    shown = member_client(app).get("/app/place-de-marche?scope=federation")
    assert shown.status_code == 200
    (call,) = [c for c in fake.calls if c["path"] == "/t/pie/listings"]
    assert call["params"]["scope"] == "federation"
    page = shown.get_data(as_text=True)
    assert '<option value="federation" selected' in page and "Réseaux partenaires" in page
    text = _text(shown)
    assert "Réseau partenaire : Agri-échange" in text
    assert "350,00 GRN (soit 700,00 Actifs)" in text
    assert text.count("Réseau partenaire") == 1  # the member's own network's offer is not one
    assert "À partir de 600,00 Actifs" in text


def test_a_partner_listing_names_its_network_and_has_no_contact_form(
    app: Flask, fake: FakeApi
) -> None:
    theirs = _listing("agri-echange", price_in_your_unit={"amount": "700.00", "unit": "ACT"})
    fake.on("GET", f"/t/pie/listings/{theirs['id']}", theirs)
    shown = member_client(app).get(f"/app/place-de-marche/{theirs['id']}")
    assert shown.status_code == 200
    text = _text(shown)
    assert "Réseau partenaire Agri-échange" in text
    assert "350,00 GRN (soit 700,00 Actifs)" in text
    assert "Contacter l'annonceur" not in text
    assert "réseau partenaire" in text


def test_a_member_shares_a_listing_with_the_partner_networks(app: Flask, fake: FakeApi) -> None:
    created = _listing("troc-actif", title="Création de logo")
    fake.on("GET", "/t/pie/categories", {"items": [], "total": 0})
    fake.on("POST", "/t/pie/listings", created, status=201)
    client = member_client(app)
    form = client.get("/app/mes-annonces/nouvelle").get_data(as_text=True)
    assert '<option value="federation"' in form and "les réseaux partenaires" in form
    sent = client.post(
        "/app/mes-annonces/nouvelle",
        data={
            "csrf_token": pages.CSRF,
            "kind": "offer",
            "title": "Création de logo",
            "category": "graphisme-impression",
            "price-type": "fixed",
            "price-amount": "600",
            "payment_modes": "100",
            "visibility": "federation",
        },
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:300]
    (call,) = [c for c in fake.calls if c["method"] == "POST"]
    assert call["json"]["visibility"] == "federation"
