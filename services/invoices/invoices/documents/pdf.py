"""The invoice as a French PDF/A-3B document, and the Factur-X that embeds its CII XML.

fpdf2 writes the visible invoice as PDF/A-3B (its sRGB output intent, TrueType fonts embedded
and subset: the factur-x library does not make a PDF PDF/A by itself), then
``facturx.generate_from_binary`` attaches the XML (``factur-x.xml``, AFRelationship Data) and the
Factur-X XMP metadata. Every mandatory mention of a French invoice between companies is printed:
both parties' names, addresses, SIREN, VAT numbers; number, issue and delivery dates; each line
with quantity, unit price excl. VAT and VAT rate; the VAT per rate; the totals; the due date, the
late-payment penalties and the fixed recovery indemnity; the exemption reason of 0 % lines; and
the compensation mention with the network's own unit and name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import facturx
from fpdf import FPDF

from chassis.money import format_rate
from invoices.documents.cii import build_cii, payment_terms
from invoices.domain.model import Invoice, Kind, Party
from invoices.domain.money import format_euros_fr, format_quantity

FONT = "DejaVu"
TEXT = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (22, 96, 136)
PENALTIES = (
    "En cas de retard de paiement de la part en euros : pénalités au taux de trois fois "
    "le taux d'intérêt légal, et indemnité forfaitaire pour frais de recouvrement de "
    "40 € (art. L441-10 du Code de commerce). Pas d'escompte pour paiement anticipé."
)


def _fr_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "-"


def _euros(cents: int) -> str:
    return f"{format_euros_fr(cents)} €"


def _rate(rate: object) -> str:
    return f"{format_rate(rate).replace('.', ',')} %"  # type: ignore[arg-type]


class _Document(FPDF):
    def __init__(self, invoice: Invoice, font_dir: Path) -> None:
        super().__init__(format="A4", unit="mm", enforce_compliance="PDF/A-3B")
        self.invoice = invoice
        self.add_font(FONT, "", str(font_dir / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_lang("fr-FR")
        title = ("Avoir" if invoice.kind is Kind.CREDIT_NOTE else "Facture") + f" {invoice.number}"
        self.set_title(title)
        self.set_author(invoice.seller.name)
        self.set_subject(f"{title} — {invoice.seller.name} à {invoice.buyer.name}")
        self.set_creator(f"Troc Actif — {invoice.network_name}")
        self.set_producer("Troc Actif invoices (fpdf2, factur-x)")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{self.invoice.number} — page {self.page_no()}/{{nb}}", align="C")


def _party_block(
    pdf: _Document, x: float, y: float, width: float, heading: str, party: Party
) -> float:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(width, 5, heading.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.set_text_color(*TEXT)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(width, 5.5, party.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    lines = []
    if party.address is not None:
        lines += [
            party.address.street,
            f"{party.address.postal_code} {party.address.city}",
            "France",
        ]
    lines.append(f"SIRET {party.siret} — SIREN {party.siren}")
    lines.append(
        f"N° TVA intracommunautaire : {party.vat_number}"
        if party.vat_number
        else "Pas de numéro de TVA intracommunautaire"
    )
    for text in lines:
        pdf.set_x(x)
        pdf.multi_cell(width, 4.6, text, new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def render_pdf(invoice: Invoice, font_dir: Path) -> bytes:
    """The visible document, PDF/A-3B, without the XML yet."""
    pdf = _Document(invoice, font_dir)
    pdf.add_page()
    credit_note = invoice.kind is Kind.CREDIT_NOTE
    width = pdf.epw

    # Heading: the seller, and what the document is.
    bottom_left = _party_block(pdf, 15, 15, width * 0.55, "Vendeur", invoice.seller)
    pdf.set_xy(15 + width * 0.58, 15)
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*ACCENT)
    pdf.cell(
        width * 0.42,
        10,
        "AVOIR" if credit_note else "FACTURE",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*TEXT)
    facts = [
        ("N°", invoice.number or ""),
        ("Date d'émission", _fr_date(invoice.issue_date)),
        ("Date de livraison / d'exécution", _fr_date(invoice.delivery_date)),
        ("Échéance", _fr_date(invoice.issue_date)),
    ]
    if credit_note:
        facts.append(
            (
                "Facture d'origine",
                f"{invoice.credited_invoice_number} du {_fr_date(invoice.credited_invoice_date)}",
            )
        )
    if invoice.buyer_reference:
        facts.append(("Référence acheteur", invoice.buyer_reference))
    for label, value in facts:
        pdf.set_x(15 + width * 0.58)
        pdf.set_font(FONT, "", 8.5)
        pdf.cell(width * 0.24, 5, label, align="R")
        pdf.set_font(FONT, "B", 8.5)
        pdf.cell(width * 0.18, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    top = max(bottom_left, pdf.get_y()) + 6
    bottom_right = _party_block(
        pdf, 15 + width * 0.45, top, width * 0.55, "Facturé à", invoice.buyer
    )
    pdf.set_y(max(top, bottom_right) + 6)

    # The lines.
    pdf.set_font(FONT, "", 8.5)
    pdf.set_draw_color(200, 200, 200)
    with pdf.table(
        col_widths=(46, 10, 15, 9, 16),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5,
        headings_style=_headings(),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(("Désignation", "Quantité", "Prix unitaire HT", "TVA", "Total HT"))
        for line in invoice.lines:
            table.row(
                (
                    line.description,
                    format_quantity(line.quantity).replace(".", ","),
                    _euros(line.unit_price),
                    _rate(line.vat_rate),
                    _euros(line.total_excl_vat),
                )
            )
    pdf.ln(4)

    # VAT breakdown and totals, side by side.
    y = pdf.get_y()
    pdf.set_font(FONT, "", 8.5)
    with pdf.table(
        width=width * 0.5,
        align="LEFT",
        col_widths=(10, 15, 15),
        text_align=("RIGHT", "RIGHT", "RIGHT"),
        line_height=5,
        headings_style=_headings(),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(("Taux de TVA", "Base HT", "Montant TVA"))
        for group in invoice.totals.breakdown:
            table.row((_rate(group.rate), _euros(group.base), _euros(group.vat)))
    after_vat = pdf.get_y()
    pdf.set_y(y)
    for label, value, bold in (
        ("Total HT", _euros(invoice.totals.total_excl_vat), False),
        ("Total TVA", _euros(invoice.totals.total_vat), False),
        ("Total TTC", _euros(invoice.totals.total_incl_vat), True),
    ):
        pdf.set_x(15 + width * 0.58)
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9)
        pdf.cell(width * 0.22, 6, label, align="R")
        pdf.cell(width * 0.20, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(after_vat, pdf.get_y()) + 6)

    # How it is paid: the compensation mention, the two parts.
    pdf.set_fill_color(236, 244, 248)
    pdf.set_font(FONT, "B", 10.5)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(
        width, 7, invoice.compensation_mention(), fill=True, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_text_color(*TEXT)
    pdf.set_font(FONT, "", 9)
    unit_line = (
        f"Part réglée en {invoice.unit_name} par compensation via {invoice.network_name}"
        f" : {format_euros_fr(invoice.parts.unit_part)} {invoice.unit_code} "
        f"(1 {invoice.unit_name} = 1 €)"
    )
    pdf.multi_cell(width, 5, unit_line, fill=True, new_x="LMARGIN", new_y="NEXT")
    if invoice.federation is not None:
        pdf.multi_cell(
            width,
            5,
            invoice.cross_network_mention(),
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if invoice.parts.euro_part > 0:
        pdf.multi_cell(
            width,
            5,
            f"Part à régler en euros, hors plateforme : {_euros(invoice.parts.euro_part)}",
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    basis = (
        "TVA réglée dans l'unité du réseau"
        if invoice.vat_settlement == "unit"
        else "TVA réglée en euros"
    )
    pdf.multi_cell(
        width,
        5,
        f"Mode de paiement : {invoice.payment_mode} % {invoice.unit_name}"
        f" ({basis}). Moyen de paiement : compensation entre partenaires.",
        fill=True,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)

    # Legal mentions.
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*MUTED)
    mentions = [payment_terms(invoice)]
    if any(line.vat_rate == 0 for line in invoice.lines):
        mentions.append(f"TVA à 0 % : {invoice.exemption_text}.")
    if credit_note:
        mentions.append(
            f"Le présent avoir annule la facture {invoice.credited_invoice_number}"
            f" du {_fr_date(invoice.credited_invoice_date)}."
        )
    mentions.append(PENALTIES)
    if invoice.note:
        mentions.append(invoice.note)
    mentions.append(
        f"Échange réalisé sur {invoice.network_name} — document électronique "
        "Factur-X (profil EN 16931) : les données structurées sont jointes au PDF."
    )
    for text in mentions:
        pdf.multi_cell(width, 3.8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


def _headings() -> object:
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", color=TEXT, fill_color=(236, 240, 243))


def render_facturx(invoice: Invoice, font_dir: Path) -> tuple[bytes, bytes]:
    """The Factur-X PDF (PDF/A-3 with its embedded XML) and the XML itself."""
    xml = build_cii(invoice)
    base = render_pdf(invoice, font_dir)
    title = ("Avoir" if invoice.kind is Kind.CREDIT_NOTE else "Facture") + f" {invoice.number}"
    pdf = facturx.generate_from_binary(
        base,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata={
            "author": invoice.seller.name,
            "keywords": "Factur-X, facture, compensation",
            "title": f"{invoice.seller.name} : {title}",
            "subject": f"{title} du {_fr_date(invoice.issue_date)} émise par {invoice.seller.name}",
        },
        lang="fr-FR",
    )
    return pdf, xml
