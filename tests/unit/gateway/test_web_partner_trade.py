"""Trading with a member of a linked network from the web app: a partner network's listing leads
to « Payer ce membre » (an offer) or « Facturer ce membre » (a need) while the link is active;
the forms take that member from the query string (a valid id; the API judges it), name its
network and the rate; a payment's page and an invoice's page show both sides."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

from flask import Flask

from tests.unit.gateway import test_web_pages as pages
from tests.unit.gateway.test_web_pages import ME, OTHER, FakeApi, member_client, text_of

# The member pages' fixtures: one app for the module on a fake API, emptied per test.
web, fake, app = pages.web, pages.fake, pages.app

FARMER = str(uuid.uuid4())  # GAEC des Trois Chênes, a member of Agri-échange


def _text(response: Any) -> str:
    """The page's text, entities decoded and no-break spaces as spaces."""
    return html.unescape(text_of(response)).replace("\u202f", " ").replace("\xa0", " ")


def _listing(kind: str = "offer", **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "title": "Prêt de tracteur avec chauffeur",
        "description": "À la journée",
        "category": "materiel-machines",
        "price": {"type": "fixed", "amount": "350.00", "unit": "GRN"},
        "price_in_your_unit": {"amount": "175.00", "unit": "ACT"},
        "payment_modes": [100],
        "departments": ["28", "45"],
        "visibility": "federation",
        "status": "active",
        "member_id": FARMER,
        "member_name": "GAEC des Trois Chênes",
        "tenant": "agri-beauce",
        "network": "agri-echange",
        "network_name": "Agri-échange",
        "published_at": "2026-12-01T10:00:00+00:00",
        **changes,
    }


def _link(status: str = "active") -> dict[str, Any]:
    return {
        "link_id": str(uuid.uuid4()),
        "network": "troc-actif",
        "partner_network": "agri-echange",
        "partner_network_name": "Agri-échange",
        "partner_unit": "Grain",
        "clearing_account": str(uuid.uuid4()),
        "rate": "2",
        "limit": None,
        "clearing_balance": None,
        "available": None,
        "status": status,
    }


def _directory(fake: FakeApi, *, status: str = "active") -> None:
    fake.on("GET", "/t/pie/members", {"items": [{"id": OTHER, "name": "Boulangerie"}], "total": 1})
    fake.on("GET", "/t/pie/federation/links", {"items": [_link(status)]})


def _payment(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "direct",
        "status": "awaiting_validation",
        "network": "troc-actif",
        "tenant": "agri-beauce",
        "payer_tenant": "pie",
        "payer_member_id": ME,
        "payee_member_id": FARMER,
        "payer": {"name": "Atelier Lumière"},
        "payee": {"name": "GAEC des Trois Chênes"},
        "amount": "175.00",
        "unit": "ACT",
        "payer_network": "troc-actif",
        "payee_network": "agri-echange",
        "exchange_rate": "2",
        "converted_amount": "350.00",
        "converted_unit": "GRN",
        "rate_frozen": True,
        "description": "Prêt de tracteur avec chauffeur",
        "last_refusal": None,
        "decline_reason": "",
        "rejection_reason": "",
        "created_at": "2026-12-02T10:00:00+00:00",
        **changes,
    }


# --- the partner network's listing ----------------------------------------------------------------


def test_a_partner_offer_leads_to_paying_its_member(app: Flask, fake: FakeApi) -> None:
    offer = _listing()
    fake.on("GET", f"/t/pie/listings/{offer['id']}", offer)
    _directory(fake)
    shown = member_client(app).get(f"/app/place-de-marche/{offer['id']}")
    assert shown.status_code == 200
    page = html.unescape(shown.get_data(as_text=True))
    link = re.search(r'<a class="button primary" href="([^"]+)">Payer ce membre</a>', page)
    assert link, page[-2000:]
    assert link[1] == f"/app/paiements/payer?membre={FARMER}&annonce={offer['id']}"
    assert "Facturer ce membre" not in page


def test_a_partner_need_leads_to_invoicing_its_member(app: Flask, fake: FakeApi) -> None:
    need = _listing("need", title="Réparation de matériel agricole", price={"type": "on_quote"})
    fake.on("GET", f"/t/pie/listings/{need['id']}", need)
    _directory(fake)
    page = html.unescape(member_client(app).get(f"/app/place-de-marche/{need['id']}").text)
    link = re.search(r'<a class="button primary" href="([^"]+)">Facturer ce membre</a>', page)
    assert link and link[1] == f"/app/factures/nouvelle?acheteur={FARMER}&annonce={need['id']}"
    assert "Payer ce membre" not in page


def test_no_trade_across_networks_while_the_link_is_suspended(app: Flask, fake: FakeApi) -> None:
    offer = _listing()
    fake.on("GET", f"/t/pie/listings/{offer['id']}", offer)
    _directory(fake, status="suspended")
    text = _text(member_client(app).get(f"/app/place-de-marche/{offer['id']}"))
    assert "Payer ce membre" not in text and "Réseau partenaire Agri-échange" in text


def test_a_listing_of_the_members_own_network_keeps_its_contact_form(
    app: Flask, fake: FakeApi
) -> None:
    own = _listing(network="troc-actif", network_name="Troc Actif", member_id=OTHER)
    del own["price_in_your_unit"]
    fake.on("GET", f"/t/pie/listings/{own['id']}", own)
    text = _text(member_client(app).get(f"/app/place-de-marche/{own['id']}"))
    assert "Contacter l'annonceur" in text and "Payer ce membre" not in text
    assert "/t/pie/federation/links" not in fake.paths()


# --- « Payer » and « Demander un paiement » with a partner network's member -------------------


def test_the_payment_form_is_prefilled_from_the_partner_offer(app: Flask, fake: FakeApi) -> None:
    offer = _listing()
    fake.on("GET", f"/t/pie/listings/{offer['id']}", offer)
    _directory(fake)
    shown = member_client(app).get(f"/app/paiements/payer?membre={FARMER}&annonce={offer['id']}")
    assert shown.status_code == 200
    page = html.unescape(shown.get_data(as_text=True))
    assert (
        f'<option value="{FARMER}" selected>GAEC des Trois Chênes '
        "(Réseau partenaire : Agri-échange)</option>"
    ) in page
    assert '<option value="' + OTHER + '">Boulangerie' in page  # its own network's too
    assert 'name="amount" type="text" value="175,00"' in page  # the price in Actifs
    assert 'value="Prêt de tracteur avec chauffeur"' in page
    assert f'name="listing_id" value="{offer["id"]}"' in page
    text = _text(shown)
    assert "Réseau partenaire : Agri-échange" in text
    assert "Taux du jour : 1 Actif = 2 Grains." in text
    assert "le bénéficiaire reçoit l'équivalent en Grains" in text


def test_a_payment_to_a_partner_member_shows_both_sides_once_created(
    app: Flask, fake: FakeApi
) -> None:
    offer = _listing()
    created = _payment()
    fake.on("POST", "/t/pie/payments", created, status=201)
    fake.on("GET", f"/t/pie/payments/{created['id']}", created)
    _directory(fake)
    client = member_client(app)
    sent = client.post(
        "/app/paiements/payer",
        data={
            "csrf_token": pages.CSRF,
            "idempotency_key": "k" * 32,
            "listing_id": offer["id"],
            "payee_member_id": FARMER,
            "amount": "175,00",
            "description": "Prêt de tracteur avec chauffeur",
        },
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/app/paiements/paiement/{created['id']}")
    [call] = [c for c in fake.calls if c["method"] == "POST"]
    assert call["json"] == {
        "payee_member_id": FARMER,
        "amount": "175.00",
        "description": "Prêt de tracteur avec chauffeur",
    }
    shown = client.get(sent.headers["Location"])
    assert shown.status_code == 200
    text = _text(shown)
    assert "GAEC des Trois Chênes Réseau partenaire : Agri-échange" in text
    assert "Atelier Lumière Réseau partenaire" not in text
    assert "En Actifs (votre réseau) 175,00 Actifs" in text
    assert "En Grains (Agri-échange) 350,00 Grains" in text
    assert "Taux 1 Actif = 2 Grains, figé à la création" in text


def test_the_payees_side_reads_the_same_payment_in_its_own_unit(app: Flask, fake: FakeApi) -> None:
    # A payment of an Agri-échange member to a Troc Actif member: written in grains.
    received = _payment(
        network="agri-echange",
        tenant="pie",
        payer_tenant="agri-beauce",
        payer_member_id=FARMER,
        payee_member_id=ME,
        payer={"name": "GAEC des Trois Chênes"},
        payee={"name": "Atelier Lumière"},
        amount="350.00",
        unit="GRN",
        payer_network="agri-echange",
        payee_network="troc-actif",
        exchange_rate="0.5",
        converted_amount="175.00",
        converted_unit="ACT",
        status="settled",
    )
    fake.on("GET", f"/t/pie/payments/{received['id']}", received)
    _directory(fake)
    text = _text(member_client(app).get(f"/app/paiements/paiement/{received['id']}"))
    assert "En Actifs (votre réseau) 175,00 Actifs" in text
    assert "En Grains (Agri-échange) 350,00 Grains" in text
    assert "Taux 1 Grain = 0,5 Actif" in text
    assert "GAEC des Trois Chênes Réseau partenaire : Agri-échange" in text


def test_a_member_the_api_does_not_know_is_a_french_form_error(app: Flask, fake: FakeApi) -> None:
    stranger = str(uuid.uuid4())
    fake.on(
        "POST",
        "/t/pie/payments",
        {
            "status": 422,
            "code": "unknown_member",
            "detail": f"no member {stranger} in this network",
            "errors": {"payee_member_id": [f"no member {stranger} in this network"]},
            "unknown_ids": [stranger],
        },
        status=422,
    )
    _directory(fake)
    client = member_client(app)
    shown = client.get(f"/app/paiements/payer?membre={stranger}")
    assert shown.status_code == 200
    assert f'<option value="{stranger}" selected>' in shown.get_data(as_text=True)
    refused = client.post(
        "/app/paiements/payer",
        data={
            "csrf_token": pages.CSRF,
            "payee_member_id": stranger,
            "amount": "10",
            "description": "Semences",
        },
    )
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    assert "n'est ni adhérente de votre réseau ni d'un réseau partenaire" in page
    assert 'id="payee_member_id-error">Entreprise inconnue de votre réseau' in page
    assert f'<option value="{stranger}" selected>' in page  # the choice stays


def test_a_member_id_that_is_not_one_is_ignored(app: Flask, fake: FakeApi) -> None:
    _directory(fake)
    listing = str(uuid.uuid4())
    shown = member_client(app).get(f"/app/paiements/payer?membre=1%20OR%201=1&annonce={listing}")
    assert shown.status_code == 200
    assert "OR 1=1" not in shown.get_data(as_text=True)
    assert f"/t/pie/listings/{listing}" not in fake.paths()
    assert "Réseau partenaire" not in _text(shown)


def test_a_listing_of_another_member_names_nobody(app: Flask, fake: FakeApi) -> None:
    offer = _listing()
    other = str(uuid.uuid4())
    fake.on("GET", f"/t/pie/listings/{offer['id']}", offer)
    _directory(fake)
    shown = member_client(app).get(f"/app/paiements/payer?membre={other}&annonce={offer['id']}")
    text = _text(shown)
    assert "Réseau partenaire" not in text and "Entreprise indiquée par l'annonce" in text
    assert 'value="175,00"' not in shown.get_data(as_text=True)


def test_a_payment_request_to_a_partner_member_names_its_network(app: Flask, fake: FakeApi) -> None:
    need = _listing("need", title="Réparation de matériel agricole", price={"type": "on_quote"})
    del need["price_in_your_unit"]
    fake.on("GET", f"/t/pie/listings/{need['id']}", need)
    _directory(fake)
    shown = member_client(app).get(f"/app/paiements/demander?membre={FARMER}&annonce={need['id']}")
    page = html.unescape(shown.get_data(as_text=True))
    assert f'<option value="{FARMER}" selected>GAEC des Trois Chênes' in page
    assert 'name="amount" type="text" value=""' in page
    assert "le payeur le règle en Grains" in _text(shown)


# --- « Nouvelle facture » to a partner network's member, and its page -------------------------


def test_the_invoice_form_is_prefilled_from_the_partner_need(app: Flask, fake: FakeApi) -> None:
    need = _listing("need", title="Réparation de matériel agricole", price={"type": "on_quote"})
    fake.on("GET", f"/t/pie/listings/{need['id']}", need)
    _directory(fake)
    created = str(uuid.uuid4())
    fake.on("POST", "/t/pie/invoices", {"id": created}, status=201)
    client = member_client(app)
    shown = client.get(f"/app/factures/nouvelle?acheteur={FARMER}&annonce={need['id']}")
    assert shown.status_code == 200
    page = html.unescape(shown.get_data(as_text=True))
    assert f'<option value="{FARMER}" selected>GAEC des Trois Chênes (Réseau partenaire' in page
    assert f'name="listing_id" value="{need["id"]}"' in page
    assert 'value="Réparation de matériel agricole"' in page
    text = _text(shown)
    assert "Réseau partenaire : Agri-échange" in text and "1 Actif = 2 Grains" in text
    sent = client.post(
        "/app/factures/nouvelle",
        data={
            "csrf_token": pages.CSRF,
            "buyer_member_id": FARMER,
            "listing_id": need["id"],
            "payment_mode": "100",
            "delivery_date": "2026-12-02",
            "lines-0-description": "Réparation de matériel agricole",
            "lines-0-quantity": "1",
            "lines-0-unit_price": "400",
            "lines-0-vat_rate": "20",
        },
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith(created)
    body = fake.calls[-1]["json"]
    assert (body["buyer_member_id"], body["listing_id"]) == (FARMER, need["id"])


def test_an_invoice_to_a_member_the_api_refuses_stays_a_form(app: Flask, fake: FakeApi) -> None:
    stranger = str(uuid.uuid4())
    fake.on(
        "POST",
        "/t/pie/invoices",
        {
            "status": 422,
            "code": "unknown_member",
            "errors": {"buyer_member_id": [f"no member {stranger} in the directory"]},
        },
        status=422,
    )
    _directory(fake)
    refused = member_client(app).post(
        "/app/factures/nouvelle",
        data={
            "csrf_token": pages.CSRF,
            "buyer_member_id": stranger,
            "payment_mode": "100",
            "delivery_date": "2026-12-02",
            "lines-0-description": "Réparation",
            "lines-0-quantity": "1",
            "lines-0-unit_price": "400",
            "lines-0-vat_rate": "20",
        },
    )
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    assert 'id="buyer_member_id-error">Entreprise inconnue' in page
    assert f'<option value="{stranger}" selected>' in page


def test_a_cross_network_invoice_shows_the_buyers_side(app: Flask, fake: FakeApi) -> None:
    invoice = str(uuid.uuid4())
    fake.on(
        "GET",
        f"/t/pie/invoices/{invoice}",
        {
            "id": invoice,
            "number": "F2026-000012",
            "status": "awaiting_validation",
            "network": "troc-actif",
            "seller_member_id": ME,
            "buyer_member_id": FARMER,
            "seller": {"name": "Atelier Lumière"},
            "buyer": {"name": "GAEC des Trois Chênes"},
            "payment_mode": 100,
            "unit": {"code": "ACT", "name": "Actif"},
            "lines": [],
            "delivery_date": "2026-12-02",
            "total_excl_vat": "400.00",
            "total_vat": "80.00",
            "total_incl_vat": "480.00",
            "unit_part": "480.00",
            "euro_part": "0.00",
            "buyer_network": "agri-echange",
            "buyer_unit": {"code": "GRN", "name": "Grain", "symbol": "G"},
            "exchange_rate": "2",
            "buyer_unit_part": "960.00",
            "rate_frozen": True,
            "buyer_commission": None,
        },
    )
    _directory(fake)
    text = _text(member_client(app).get(f"/app/factures/{invoice}"))
    assert "Acheteur GAEC des Trois Chênes Réseau partenaire : Agri-échange" in text
    assert "Vendeur Atelier Lumière Acheteur" in text  # the seller is of the reader's network
    assert "Part de l'acheteur en Grains 960,00 Grains" in text
    assert "Taux 1 Actif = 2 Grains, figé à l'émission" in text


def test_an_invoice_within_the_network_reads_no_links(app: Flask, fake: FakeApi) -> None:
    invoice = str(uuid.uuid4())
    fake.on(
        "GET",
        f"/t/pie/invoices/{invoice}",
        {
            "id": invoice,
            "number": None,
            "status": "draft",
            "network": "troc-actif",
            "seller_member_id": ME,
            "buyer_member_id": OTHER,
            "seller": {"name": "Atelier Lumière"},
            "buyer": {"name": "Boulangerie"},
            "payment_mode": 100,
            "unit": {"name": "Actif"},
            "lines": [],
            "delivery_date": "2026-12-02",
            "total_excl_vat": "10.00",
            "total_vat": "2.00",
            "total_incl_vat": "12.00",
            "unit_part": "12.00",
            "euro_part": "0.00",
            "buyer_network": "troc-actif",
            "buyer_unit": None,
        },
    )
    text = _text(member_client(app).get(f"/app/factures/{invoice}"))
    assert "Réseau partenaire" not in text and "Part de l'acheteur" not in text
    assert "/t/pie/federation/links" not in fake.paths()
