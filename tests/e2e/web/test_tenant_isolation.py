"""A member (and an animator) of one association tries the addresses of another association's
invoice, listing and member pages in the browser: they see « Introuvable », never the data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, expect

from chassis.testing.platform import Platform
from chassis.testing.waiting import eventually
from tests.e2e.web.pages import User

pytestmark = pytest.mark.e2e

PIE_SELLER = "contact@atelier-lumiere.demo.trocactif.org"
PIE_BUYER = "contact@bles-dor.demo.trocactif.org"
OUTSIDER = "contact@menuiserie-dubois.demo.trocactif.org"  # FA-MGP
OUTSIDER_ANIMATOR = "animation@fa-mgp.demo.trocactif.org"


def pie_data(platform: Platform, secret: str) -> dict[str, Any]:
    """A tenant-only listing and an invoice draft of PIE, made through the API."""
    seller = platform.login(PIE_SELLER)
    me = platform.get("/me", seller)
    buyer_id = platform.get("/me", platform.login(PIE_BUYER))["member_id"]
    listing = platform.post(
        "/t/pie/listings",
        seller,
        status=201,
        json={
            "kind": "offer",
            "title": f"{secret} réservé à PIE",
            "category": "conseil",
            "visibility": "tenant",
            "description": f"Détail confidentiel {secret}",
        },
    )

    def draft() -> Any:
        response = requests.post(
            f"{platform.url}/t/pie/invoices",
            headers=seller,
            timeout=15,
            json={
                "buyer_member_id": buyer_id,
                "payment_mode": 100,
                "delivery_date": "2026-11-20",
                "lines": [
                    {
                        "description": f"Prestation {secret}",
                        "quantity": "1",
                        "unit_price": "321.00",
                        "vat_rate": "20",
                    }
                ],
            },
        )
        return response.json() if response.status_code == 201 else None

    invoice = eventually(draft)
    assert invoice, platform.logs()
    return {"listing": listing["id"], "invoice": invoice["id"], "member": me["member_id"]}


def refused(user: User, path: str, *secrets: str) -> None:
    response = user.page.goto(user.base_url + path)
    assert response is not None and response.status in (403, 404), (path, response.status)
    text = user.page.content()
    assert "Introuvable" in text or "Accès refusé" in text, path
    for secret in secrets:
        assert secret not in text, (path, secret)


def test_another_associations_pages_show_nothing(
    platform: Platform, browser: Browser, screenshots: object
) -> None:
    secret = "Confidentiel" + uuid.uuid4().hex[:8]
    ids = pie_data(platform, secret)
    member = User.open(
        browser,
        platform.url,
        screenshots,  # type: ignore[arg-type]
        "4 autre association",
    )
    animator = User.open(
        browser,
        platform.url,
        screenshots,  # type: ignore[arg-type]
        "4 autre association animateur",
    )
    try:
        member.login_with_keyboard(OUTSIDER, platform.password)
        refused(member, f"/app/factures/{ids['invoice']}", secret, "321,00", "Atelier Lumière")
        member.shot("facture d'une autre association")
        refused(member, f"/app/factures/{ids['invoice']}/pdf", secret)
        refused(member, f"/app/place-de-marche/{ids['listing']}", secret)
        refused(member, f"/app/mes-annonces/{ids['listing']}/modifier", secret)
        member.menu("Place de marché")
        member.page.get_by_label("Rechercher", exact=True).fill(secret)
        member.page.get_by_role("button", name="Rechercher").click()
        expect(member.page.get_by_text("0 annonce(s) pour")).to_be_visible()
        assert member.page.get_by_role("link", name=f"{secret} réservé à PIE").count() == 0
        member.shot("recherche d'une annonce d'une autre association")

        animator.login(OUTSIDER_ANIMATOR, platform.password)
        refused(animator, f"/app/adherents/{ids['member']}", "Atelier Lumière", "81234567600017")
        refused(animator, f"/app/place-de-marche/{ids['listing']}", secret)
        animator.menu("Validation")
        assert secret not in animator.page.content()
        animator.shot("validation d'une autre association")
    finally:
        member.close()
        animator.close()
