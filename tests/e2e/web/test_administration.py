"""The animators' and the operator's pages in a real browser, on the whole platform.

PIE's animator admits a company, changes its credit limit and reads the history, creates an API
key and a webhook (each secret shown once); after a settled invoice, the activity page draws the
month's volume; a Troc Actif member finds an Agri-échange offer in « Réseaux partenaires » and
pays its member from the web app, Agri-échange's association validates, both balances move; the
operator creates a network, a tenant and its animator, who signs in; an animator of another
association who types PIE's addresses gets « Introuvable ». Screenshots of every step go to
``build/screenshots/``.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, expect

from chassis.testing.platform import Platform
from chassis.testing.waiting import eventually
from tests.e2e.web.pages import User, french_amount
from tests.unit.gateway.builders import make_siret

pytestmark = pytest.mark.e2e

ANIMATOR = "animation@pie.demo.trocactif.org"
OTHER_ANIMATOR = "animation@fa-mgp.demo.trocactif.org"
OPERATOR = "operator@demo.trocactif.org"
SELLER = "contact@imprimerie-marais.demo.trocactif.org"
BUYER_NAME = "Boulangerie Les Blés d'Or"
PAYER = "contact@atelier-lumiere.demo.trocactif.org"
FARMER = "contact@gaec-trois-chenes.demo.trocactif.org"  # a member of Agri-échange
FARMER_ANIMATOR = "animation@agri-beauce.demo.trocactif.org"
TRACTOR = "Prêt de tracteur et de matériel agricole avec chauffeur"  # its demo offer, 350 GRN
PASSWORD = "Pommes-de-reinette-2026"  # noqa: S105 (a test user's password)


class Api:
    """The public API as one demo user, for the facts a test needs besides the pages."""

    def __init__(self, platform: Platform, email: str) -> None:
        self.base = platform.url
        response = requests.post(
            f"{self.base}/auth/token",
            timeout=10,
            json={"email": email, "password": platform.password},
        )
        assert response.status_code == 200, response.text
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        self.me = self.call("GET", "/me")

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(
            method, self.base + path, headers=self.headers, timeout=15, **kwargs
        )
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json() if response.content else None

    def member_named(self, tenant: str, name: str) -> dict[str, Any]:
        found = self.call("GET", f"/t/{tenant}/members", params={"per_page": 500})["items"]
        return next(m for m in found if m["name"] == name)


def settle_an_invoice(platform: Platform, amount: str) -> str:
    """An invoice of PIE's printer to PIE's bakery, issued and validated: its number."""
    seller, animator = Api(platform, SELLER), Api(platform, ANIMATOR)
    buyer = seller.member_named("pie", BUYER_NAME)
    invoice = seller.call(
        "POST",
        "/t/pie/invoices",
        json={
            "buyer_member_id": buyer["id"],
            "payment_mode": 100,
            "delivery_date": datetime.now(UTC).date().isoformat(),
            "lines": [
                {
                    "description": "Impression de 500 sacs",
                    "quantity": "1",
                    "unit_price": amount,
                    "vat_rate": "20",
                }
            ],
        },
    )
    path = f"/t/pie/invoices/{invoice['id']}"
    seller.call("POST", f"{path}/issue")
    eventually(
        lambda: animator.call("GET", path)["status"] == "awaiting_validation",
        60.0,
        0.5,
        what="the invoice to await validation",
    )
    animator.call("POST", f"{path}/validate")
    eventually(
        lambda: animator.call("GET", path)["status"] == "settled", 60.0, 0.5, what="the settlement"
    )
    return str(invoice["number"])


@pytest.fixture
def users(browser: Browser, platform: Platform, screenshots: Path) -> Any:
    opened: list[User] = []

    def open_as(name: str, **options: Any) -> User:
        user = User.open(browser, platform.url, screenshots, name, **options)
        opened.append(user)
        return user

    yield open_as
    for user in opened:
        user.close()


def test_an_animator_admits_a_company_and_changes_its_credit_limit(
    platform: Platform, users: Any
) -> None:
    animator = users("admin 1 animateur")
    animator.login(ANIMATOR, platform.password)
    animator.menu("Adhérents")
    expect(animator.page.get_by_role("link", name="Atelier Lumière Design")).to_be_visible()
    animator.shot("adherents")

    name = f"Studio Rivoli {uuid.uuid4().hex[:4]}"
    animator.page.get_by_role("link", name="Admettre une entreprise").click()
    page = animator.page
    page.get_by_label("Raison sociale").fill(name)
    page.get_by_label("SIRET").fill(make_siret(str(random.randrange(10_000_000, 99_999_999))))
    page.get_by_label("Adresse").fill("10 rue de Rivoli, 75004 Paris")
    page.get_by_label("Département").fill("75")
    page.get_by_label("E-mail de contact").fill(f"bonjour-{uuid.uuid4().hex[:6]}@rivoli.example")
    animator.shot("admission")
    page.get_by_role("button", name="Admettre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status").first).to_contain_text("est admis")
    # The ledger opens the account from the admission event, a moment later.
    animator.reload_until(
        lambda: page.get_by_label("Nouveau découvert autorisé (Actifs)").count() == 1
    )
    assert french_amount(
        page.get_by_label("Nouveau découvert autorisé (Actifs)").input_value().replace(".", ",")
    ) == Decimal("1000.00")

    page.get_by_label("Nouveau découvert autorisé (Actifs)").fill("2 500")
    page.get_by_label("Motif (facultatif)").fill("Carnet de commandes solide")
    page.get_by_role("button", name="Modifier le découvert").click()
    expect(page.get_by_role("status").first).to_contain_text("Découvert autorisé fixé")
    history = page.get_by_role("table", name="Historique du découvert autorisé")
    latest = history.get_by_role("row").nth(1)
    expect(latest).to_contain_text(ANIMATOR)
    expect(latest).to_contain_text("1\u202f000,00\u00a0Actifs")
    expect(latest).to_contain_text("2\u202f500,00\u00a0Actifs")
    expect(latest).to_contain_text("Carnet de commandes solide")
    expect(history.get_by_role("row").nth(2)).to_contain_text("Ouverture du compte")
    animator.shot("decouvert et historique")

    # A limit below what the account uses would be refused; suspending freezes the member.
    page.get_by_label("Motif de la suspension").fill("Dossier incomplet")
    page.get_by_role("button", name="Suspendre").click()
    expect(page.get_by_role("status").first).to_contain_text("est suspendu")
    expect(page.get_by_role("button", name="Réintégrer")).to_be_visible()
    animator.shot("suspendu")

    # Integrations: an API key and a webhook, each secret shown once.
    animator.menu("Intégrations")
    page.get_by_role("link", name="Clés d'API").click()
    page.get_by_label("Nom (le logiciel qui l'utilise)").fill("Logiciel de comptabilité")
    page.get_by_label("Lire les comptes et les virements").check()
    page.get_by_role("button", name="Créer la clé").click()
    key = page.get_by_label("Clé d'API", exact=True).input_value()
    assert key.startswith("troc_"), key
    animator.shot("cle api creee")
    page.get_by_role("link", name="Clés d'API").click()
    expect(page.get_by_role("row").filter(has_text="Logiciel de comptabilité")).to_have_count(1)
    assert key not in page.content()
    page.get_by_role("button", name="Révoquer la clé Logiciel de comptabilité").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Clé révoquée")

    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Adresse HTTPS de réception").fill("https://93.184.215.14/troc/webhooks")
    page.get_by_label("Offre et besoin rapprochés").check()
    page.get_by_role("button", name="Créer le webhook").click()
    secret = page.get_by_label("Secret de signature").input_value()
    assert secret.startswith("whsec_"), secret
    animator.shot("webhook cree")
    page.get_by_role("link", name="Livraisons").first.click()
    expect(page.get_by_role("heading", name="Journal des livraisons")).to_be_visible()
    animator.shot("webhook livraisons")


def test_the_activity_page_draws_the_month_after_a_settled_invoice(
    platform: Platform, users: Any
) -> None:
    animator = users("admin 2 activite")
    animator.login(ANIMATOR, platform.password)
    animator.menu("Activité")
    table = animator.page.get_by_role("table", name="Activité mois par mois")
    before = french_amount(table.get_by_role("row").nth(1).get_by_role("cell").first.inner_text())
    number = settle_an_invoice(platform, "250.00")
    animator.page.reload()
    this_month = table.get_by_role("row").nth(1)
    # 250.00 excl. VAT, 300.00 incl. VAT settled in the unit (and the commission is no trade).
    assert french_amount(this_month.get_by_role("cell").first.inner_text()) == before + Decimal(
        "300.00"
    ), number
    expect(animator.page.locator("svg[role=img]")).to_have_count(2)
    expect(animator.page.locator("rect.bar")).not_to_have_count(0)
    assert french_amount(animator.page.get_by_test_id("outstanding").inner_text()) >= 0
    # The demo networks trade with each other: the partner, the position of the clearing account
    partners = animator.page.locator("table.links")
    expect(partners).to_contain_text("Position du compte de compensation")
    partner = partners.locator('tr[data-partner="agri-echange"]')
    expect(partner.get_by_role("rowheader")).to_have_text("Agri-échange")
    expect(partner).to_contain_text("5\u202f000,00\u00a0Actifs")
    expect(partner).to_contain_text("1 Actif = 1 Grain")
    animator.shot("activite")
    phone = users("admin 2 activite telephone", viewport={"width": 390, "height": 844})
    phone.login(ANIMATOR, platform.password)
    phone.goto("/app/activite")
    expect(phone.page.locator("svg[role=img]")).to_have_count(2)
    phone.shot("activite")


def test_a_payment_to_a_partner_network_names_it_on_the_members_dashboard(
    platform: Platform, users: Any
) -> None:
    operator, animator = Api(platform, OPERATOR), Api(platform, ANIMATOR)
    (link,) = [
        link
        for link in operator.call("GET", "/federation/links")["items"]
        if {link["network_a"], link["network_b"]} == {"troc-actif", "agri-echange"}
    ]
    payer = Api(platform, SELLER).me["member_id"]
    payee = operator.call("GET", "/t/agri-beauce/members")["items"][0]["id"]
    started = requests.post(
        f"{platform.url}/federation/links/{link['id']}/transfers",
        headers={**animator.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": payer, "payee": payee, "amount": "7.00", "reference": "Semences"},
        timeout=15,
    )
    assert started.status_code == 202, started.text
    saga = started.json()
    path = f"/federation/links/{link['id']}/transfers/{saga['id']}"
    eventually(lambda: animator.call("GET", path)["status"] == "posted", 60.0, 0.5, what="the saga")
    member = users("admin 3 reseau partenaire")
    member.login(SELLER, platform.password)
    movements = member.page.locator("section", has_text="Derniers mouvements")
    expect(
        movements.get_by_role("row", name="Réseau partenaire : Agri-échange").first
    ).to_be_visible()
    member.shot("reseau partenaire")
    # The operator's network page: the link with both clearing balances, each in its unit.
    staff = users("admin 3 liens operateur")
    staff.login(OPERATOR, platform.password)
    staff.goto("/app/reseaux/troc-actif")
    row = staff.page.locator('table.links tr[data-partner="agri-echange"]')
    expect(row.get_by_role("rowheader")).to_contain_text("Agri-échange")
    expect(row).to_contain_text("Actif")
    expect(row).to_contain_text("Grain")
    expect(row).not_to_contain_text("inconnu")
    staff.shot("liens operateur")


def test_a_member_pays_a_partner_networks_offer_and_both_balances_move(
    platform: Platform, users: Any
) -> None:
    operator = Api(platform, OPERATOR)
    # Troc Actif lets its members pay without an invoice (Agri-échange's demo already does).
    allowed = operator.call("GET", "/networks/troc-actif").get("direct_payments") or "off"
    operator.call("PATCH", "/networks/troc-actif", json={"direct_payments": "both"})
    try:
        farmer = users("admin 4 agriculteur")
        farmer.login(FARMER, platform.password)
        farmer_before = farmer.balance()
        member = users("admin 4 membre")
        member.login(PAYER, platform.password)
        member_before = member.balance()
        page = member.page
        member.menu("Place de marché")
        page.get_by_label("Rechercher", exact=True).fill("tracteur")
        page.get_by_label("Portée").select_option("federation")
        page.get_by_role("button", name="Rechercher").click()
        card = page.locator("article.listing-card", has_text=TRACTOR)
        expect(card).to_contain_text("Réseau partenaire : Agri-échange")
        card.get_by_role("link", name=TRACTOR).click()
        expect(page.get_by_role("heading", name=TRACTOR)).to_be_visible()
        member.shot("offre partenaire")
        page.get_by_role("link", name="Payer ce membre").click()
        partner = page.get_by_test_id("partner")
        expect(partner).to_contain_text("Réseau partenaire : Agri-échange")
        expect(partner).to_contain_text("1 Actif = 1\u00a0Grain")
        expect(page.locator("#payee_member_id option:checked")).to_have_text(
            "GAEC des Trois Chênes (Réseau partenaire : Agri-échange)"
        )
        expect(page.get_by_label("Montant (Actifs)")).to_have_value("350,00")
        expect(page.get_by_label("Objet")).to_have_value(TRACTOR)
        member.shot("payer un membre partenaire")
        pay_once_allowed(member)
        expect(page.locator("#converted-amount")).to_have_text("350,00\u00a0Grains")
        expect(page.locator("#exchange-rate")).to_contain_text("1 Actif = 1\u00a0Grain")
        expect(page.locator("#payment-status")).to_have_text("En attente de validation")
        detail = page.url
        member.shot("paiement partenaire")

        # The payee's association validates it in « Paiements ».
        animator = users("admin 4 animateur agri")
        animator.login(FARMER_ANIMATOR, platform.password)
        animator.menu("Paiements")
        row = (
            animator.page.get_by_role("row")
            .filter(has_text=TRACTOR)
            .filter(has_text="Atelier Lumière Design")
        )
        expect(row).to_contain_text("Réseau partenaire : Troc Actif")
        animator.shot("paiement partenaire a valider")
        row.get_by_role("button", name="Valider").click()
        expect(animator.page.get_by_role("status").first).to_contain_text("Paiement validé")

        member.page.goto(detail)
        member.reload_until(lambda: page.locator("#payment-status").inner_text() == "Effectué")
        member.shot("paiement partenaire effectue")
        assert member.balance() == member_before - Decimal("350.00")
        assert farmer.balance() == farmer_before + Decimal("350.00")
        farmer.shot("solde apres paiement partenaire")
    finally:
        operator.call("PATCH", "/networks/troc-actif", json={"direct_payments": allowed})


def pay_once_allowed(member: User, timeout: float = 60.0) -> None:
    """Submit « Payer » until the payment is made: the invoices service learns a network's new
    setting over the bus, and refuses the payment in French until then."""
    page = member.page
    deadline = time.monotonic() + timeout
    while True:
        with page.expect_navigation():
            page.get_by_role("button", name="Payer", exact=True).click()
        heading = page.get_by_role("heading", level=1).inner_text()
        if heading == "Paiement sans facture":
            return
        alert = page.get_by_role("alert").inner_text()
        assert "sans facture" in alert, alert  # only the setting not known yet
        assert time.monotonic() < deadline, f"the payment is still refused: {alert}"
        time.sleep(1)


def test_the_operator_creates_a_network_a_tenant_and_its_animator(
    platform: Platform, users: Any
) -> None:
    operator = users("admin 3 operateur")
    operator.login(OPERATOR, platform.password)
    page = operator.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Réseaux")
    expect(page.get_by_role("main").get_by_role("link", name="Troc Actif")).to_be_visible()
    suffix = uuid.uuid4().hex[:6]
    page.get_by_label("Nom", exact=True).first.fill(f"Échanges de Touraine {suffix}")
    page.get_by_label("Identifiant").fill(f"touraine-{suffix}")
    unit = page.get_by_role("group", name="Unité d'échange")
    unit.get_by_label("Nom").fill("Ligérien")
    unit.get_by_label("Code").fill("LIG")
    unit.get_by_label("Symbole").fill("L")
    page.get_by_label("Découvert autorisé par défaut").fill("500")
    operator.shot("nouveau reseau")
    page.get_by_role("button", name="Créer le réseau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Échanges de Touraine {suffix}")
    expect(page.get_by_text("500,00\u00a0Ligériens")).to_be_visible()

    section = page.get_by_role("region", name="Nouvelle association")
    section.get_by_label("Nom", exact=True).first.fill("Initiative Tours")
    section.get_by_label("Identifiant").fill(f"tours-{suffix}")
    section.get_by_label("Départements couverts").fill("37, 41")
    section.get_by_role("button", name="Créer l'association").click()
    expect(page.get_by_role("status").first).to_contain_text("Initiative Tours")
    row = page.get_by_role("row").filter(has_text=f"tours-{suffix}")
    expect(row).to_contain_text("37, 41")

    email = f"animation-{suffix}@tours.example"
    added = page.get_by_role("region", name="Ajouter un animateur")
    added.get_by_label("Association").select_option(f"tours-{suffix}")
    added.get_by_label("E-mail de l'animateur").fill(email)
    added.get_by_label("Mot de passe provisoire").fill(PASSWORD)
    added.get_by_role("button", name="Créer l'accès").click()
    expect(page.get_by_role("status").first).to_contain_text(email)
    operator.shot("reseau et association")

    newcomer = users("admin 3 nouvel animateur")
    newcomer.login(email, PASSWORD)
    newcomer.menu("Adhérents")
    expect(newcomer.page.get_by_text("Aucun adhérent")).to_be_visible()
    newcomer.shot("adherents vides")


def test_an_animator_cannot_see_another_associations_members(
    platform: Platform, users: Any
) -> None:
    pie = Api(platform, ANIMATOR)
    member = pie.member_named("pie", "Atelier Lumière Design")
    hook = pie.call(
        "POST",
        "/t/pie/webhooks",
        json={
            "url": "https://93.184.215.14/pie",
            "event_types": ["org.trocactif.listings.match_found.v1"],
        },
    )
    outsider = users("admin 4 autre association")
    outsider.login(OTHER_ANIMATOR, platform.password)
    outsider.menu("Adhérents")
    expect(outsider.page.get_by_role("link", name="Menuiserie Dubois et Fils")).to_be_visible()
    expect(outsider.page.get_by_text("Atelier Lumière Design")).to_have_count(0)
    for path in (f"/app/adherents/{member['id']}", f"/app/integrations/webhooks/{hook['id']}"):
        response = outsider.page.goto(platform.url + path)
        assert response is not None and response.status == 404, path
        expect(outsider.page.get_by_role("heading", level=1)).to_have_text("Introuvable")
        content = outsider.page.content()
        assert "Atelier Lumière" not in content and "93.184.215.14" not in content
    outsider.shot("adresse d'une autre association")
    # A form posted to another association's member changes nothing either.
    outsider.goto("/app/adherents")
    token = outsider.page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    response = outsider.page.request.post(
        f"{platform.url}/app/adherents/{member['id']}/suspendre",
        form={"csrf_token": token, "reason": "intrusion"},
    )
    assert response.status == 404
    assert pie.call("GET", f"/t/pie/members/{member['id']}")["status"] == "admitted"
