"""The barter flow in a real browser, from two member logins and one animator login.

A seller of PIE publishes an offer; a buyer of PIE finds it on the marketplace and writes to the
seller; the seller reads the message and, from it, invoices the buyer (100 % in the network's
unit, live totals checked before saving) and issues the invoice; PIE's animator validates it in
« Validation »; both dashboards show the balances moved (the seller's less the network's 5 %
commission); the PDF and the CSV statement download. Screenshots of every step go to
``build/screenshots/``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from chassis.testing.platform import Platform
from tests.e2e.web.pages import User, french_amount

pytestmark = pytest.mark.e2e

SELLER = "contact@atelier-lumiere.demo.trocactif.org"
BUYER = "contact@bles-dor.demo.trocactif.org"
ANIMATOR = "animation@pie.demo.trocactif.org"


def test_barter_flow_from_the_offer_to_both_balances(
    platform: Platform, browser: Browser, screenshots: object
) -> None:
    word = "Photographie" + uuid.uuid4().hex[:6]
    title = f"{word} culinaire pour vitrines"
    seller = User.open(browser, platform.url, screenshots, "1 vendeur")  # type: ignore[arg-type]
    buyer = User.open(browser, platform.url, screenshots, "2 acheteur")  # type: ignore[arg-type]
    animator = User.open(
        browser,
        platform.url,
        screenshots,  # type: ignore[arg-type]
        "3 animateur",
    )
    users = [seller, buyer, animator]
    try:
        # The seller publishes an offer.
        seller.goto("/")
        seller.shot("connexion")
        seller.login(SELLER, platform.password)
        seller_before = seller.balance()
        seller.shot("tableau de bord avant")
        seller.menu("Mes annonces")
        seller.page.get_by_role("link", name="Publier une annonce").click()
        seller.page.get_by_label("Offre : je propose").check()
        seller.page.get_by_label("Titre").fill(title)
        seller.page.get_by_label("Catégorie").select_option(label="Photo, vidéo et audiovisuel")
        seller.page.get_by_label("Description").fill(
            "Prises de vue de vos plats et produits, retouchées, livrées sous 48 h."
        )
        seller.page.get_by_label("Prix", exact=True).select_option("fixed")
        seller.page.get_by_label("Montant en Actifs").fill("120")
        seller.shot("nouvelle annonce")
        seller.page.get_by_role("button", name="Publier").click()
        expect(seller.page.get_by_role("status").first).to_contain_text("est publiée")
        expect(seller.page.get_by_role("link", name=title, exact=True)).to_be_visible()
        seller.shot("mes annonces")

        # The buyer finds it on the marketplace and writes to the seller.
        buyer.login(BUYER, platform.password)
        buyer_before = buyer.balance()
        buyer.menu("Place de marché")
        buyer.page.get_by_label("Rechercher", exact=True).fill(word)
        buyer.page.get_by_role("button", name="Rechercher").click()
        buyer.shot("recherche")
        buyer.page.get_by_role("link", name=title).click()
        expect(buyer.page.get_by_role("heading", name=title)).to_be_visible()
        expect(buyer.page.get_by_text("120,00 Actifs")).to_be_visible()
        buyer.page.get_by_label("Votre message").fill(
            "Bonjour, nous aimerions des photos de nos viennoiseries pour notre vitrine."
        )
        buyer.page.get_by_role("button", name="Envoyer le message").click()
        expect(buyer.page.get_by_role("status").first).to_contain_text("message a été envoyé")
        buyer.shot("annonce contactee")

        # The seller reads the message and invoices its writer: 100 % in the unit; the totals
        # update as one types.
        seller.menu("Messages")
        seller.page.get_by_role("link", name=title).click()
        expect(seller.page.get_by_text("nos viennoiseries")).to_be_visible()
        seller.shot("message recu")
        seller.page.get_by_role("link", name="Facturer Boulangerie Les Blés d'Or").click()
        expect(seller.page.locator("#buyer_member_id option:checked")).to_have_text(
            "Boulangerie Les Blés d'Or (pie)"
        )
        seller.page.get_by_label("100 % en Actifs").check()
        seller.page.get_by_label("Désignation").fill("Séance photo des viennoiseries")
        seller.page.get_by_label("Quantité").fill("1")
        seller.page.get_by_label("Prix unitaire HT (€)").fill("120")
        seller.page.get_by_label("TVA").select_option("20")
        expect(seller.page.locator("#total-incl")).to_have_text("144,00\u00a0€")
        expect(seller.page.locator("#unit-part")).to_have_text("144,00\u00a0Actifs")
        expect(seller.page.locator("#euro-part")).to_have_text("0,00\u00a0€")
        seller.shot("nouvelle facture")
        seller.page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(seller.page.locator("#invoice-status")).to_have_text("Brouillon")
        seller.page.get_by_role("button", name="Émettre la facture").click()
        heading = seller.page.get_by_role("heading", level=1).inner_text()
        number = heading.removeprefix("Facture ").strip()
        assert number.startswith("F"), heading
        seller.reload_until(
            lambda: (
                seller.page.locator("#invoice-status").inner_text() == "En attente de validation"
            )
        )
        seller.shot("facture emise")

        # The animator validates it in « Validation ».
        animator.login(ANIMATOR, platform.password)
        animator.menu("Validation")
        animator.reload_until(
            lambda: (
                animator.page.get_by_role("button", name=f"Valider la facture {number}").count()
                == 1
            )
        )
        row = animator.page.get_by_role("row").filter(has_text=number)
        expect(row).to_contain_text("144,00\u00a0Actifs")
        expect(row).to_contain_text("Atelier Lumière Design")
        animator.shot("file de validation")
        animator.page.get_by_role("button", name=f"Valider la facture {number}").click()
        expect(animator.page.get_by_role("status").first).to_contain_text("validée")
        animator.shot("apres validation")

        # Settled: the buyer paid the unit part, the seller got it less the 5 % commission.
        seller.reload_until(lambda: seller.page.locator("#invoice-status").inner_text() == "Réglée")
        seller.shot("facture reglee")
        with seller.page.expect_download() as pdf:
            seller.page.get_by_role("link", name="Télécharger le PDF").click()
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
        assert buyer.balance() == buyer_before - Decimal("144.00")
        buyer.shot("tableau de bord apres")
        with buyer.page.expect_download() as csv:
            buyer.page.get_by_role("link", name="Télécharger le relevé (CSV)").click()
        assert number in Path(csv.value.path()).read_text(encoding="utf-8")
        expected = seller_before + Decimal("144.00") - Decimal("6.00")
        seller.reload_until(lambda: seller.balance() == expected)
        expect(seller.page.get_by_role("row").filter(has_text="Boulangerie")).not_to_have_count(0)
        assert french_amount(seller.page.locator("#disponible").inner_text()) > 0
        seller.shot("tableau de bord apres")

        # The same dashboard on a phone.
        phone = User.open(
            browser,
            platform.url,
            screenshots,  # type: ignore[arg-type]
            "2 acheteur telephone",
            viewport={"width": 390, "height": 844},
        )
        users.append(phone)
        phone.login(BUYER, platform.password)
        expect(phone.page.locator("#solde")).to_be_visible()
        phone.shot("tableau de bord")
    finally:
        for user in users:
            user.close()
