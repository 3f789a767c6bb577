"""The invoice as UN/CEFACT CII XML, Factur-X profile EN 16931 (the XML embedded in the PDF).

Built element by element in the order the XSD requires. Amounts come from the invoice as stored
(per-line rounding, see ``domain.money``), so the XML, the PDF and the API say the same cents.
Payment means code 97 ("clearing between partners") carries the compensation; the euro part, if
any, is stated in the payment terms. VAT categories: ``S`` for the French rates above 0, ``E``
(exempt, with its reason) for 0 % when the seller has a VAT number, ``O`` (not subject to VAT)
when it has none (the franchise of art. 293 B du CGI: EN 16931 then forbids VAT numbers and
rates in the XML).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from chassis.money import format_rate
from invoices.domain.model import Invoice, Kind, Party
from invoices.domain.money import format_cents, format_quantity

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

EN16931 = "urn:cen.eu:en16931:2017"
TYPE_INVOICE = "380"
TYPE_CREDIT_NOTE = "381"
#: UNTDID 4461: clearing between partners (compensation).
PAYMENT_MEANS_CLEARING = "97"
#: ICD 0002: SIRENE (the French company register: SIREN for a legal entity).
SCHEME_SIRENE = "0002"
CURRENCY = "EUR"
#: UN/ECE rec. 20 "one" (C62): a unit of the line's goods or services.
UNIT_CODE = "C62"


def _el(
    parent: etree._Element, ns: str, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ns}}}{name}", attrib=attributes or None)
    if text is not None:
        node.text = text
    return node


def _date(parent: etree._Element, name: str, value: date, ns: str = UDT) -> None:
    holder = _el(parent, RAM, name)
    _el(holder, ns, "DateTimeString", value.strftime("%Y%m%d"), format="102")


def _amount(cents: int) -> str:
    return format_cents(cents)


def vat_category(invoice: Invoice, rate: Decimal) -> str:
    if rate > 0:
        return "S"
    return "E" if invoice.seller.vat_number else "O"


def _party(parent: etree._Element, name: str, party: Party, *, with_vat: bool) -> None:
    node = _el(parent, RAM, name)
    _el(node, RAM, "Name", party.name)
    legal = _el(node, RAM, "SpecifiedLegalOrganization")
    _el(legal, RAM, "ID", party.siren, schemeID=SCHEME_SIRENE)
    address = _el(node, RAM, "PostalTradeAddress")
    if party.address is not None:
        _el(address, RAM, "PostcodeCode", party.address.postal_code)
        _el(address, RAM, "LineOne", party.address.street)
        _el(address, RAM, "CityName", party.address.city)
        _el(address, RAM, "CountryID", party.address.country)
    else:
        _el(address, RAM, "CountryID", "FR")
    if with_vat and party.vat_number:
        registration = _el(node, RAM, "SpecifiedTaxRegistration")
        _el(registration, RAM, "ID", party.vat_number, schemeID="VA")


def payment_terms(invoice: Invoice) -> str:
    """How the invoice is paid, in words (BT-20)."""
    unit = f"{_amount(invoice.parts.unit_part)} {invoice.unit_code}"
    text = (
        f"{invoice.compensation_mention()} : {unit} ({invoice.unit_name}, 1 "
        f"{invoice.unit_name} = 1 EUR) réglés par compensation à la validation de la "
        "facture par l'animateur du réseau."
    )
    if invoice.federation is not None:
        text += f" {invoice.cross_network_mention()}"
    if invoice.parts.euro_part > 0:
        text += (
            f" Solde de {_amount(invoice.parts.euro_part)} EUR payable en euros hors "
            "plateforme, à réception."
        )
    return text


def build_cii(invoice: Invoice) -> bytes:
    """The CII XML (UTF-8 bytes) of an issued invoice or credit note."""
    if invoice.number is None or invoice.issue_date is None:
        raise ValueError("only an issued invoice has a document")
    not_subject = any(vat_category(invoice, line.vat_rate) == "O" for line in invoice.lines)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)

    context = _el(root, RSM, "ExchangedDocumentContext")
    guideline = _el(context, RAM, "GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, RAM, "ID", EN16931)

    document = _el(root, RSM, "ExchangedDocument")
    _el(document, RAM, "ID", invoice.number)
    _el(
        document,
        RAM,
        "TypeCode",
        TYPE_CREDIT_NOTE if invoice.kind is Kind.CREDIT_NOTE else TYPE_INVOICE,
    )
    _date(document, "IssueDateTime", invoice.issue_date)
    for text in _notes(invoice):
        note = _el(document, RAM, "IncludedNote")
        _el(note, RAM, "Content", text)

    transaction = _el(root, RSM, "SupplyChainTradeTransaction")
    for index, line in enumerate(invoice.lines, start=1):
        item = _el(transaction, RAM, "IncludedSupplyChainTradeLineItem")
        doc = _el(item, RAM, "AssociatedDocumentLineDocument")
        _el(doc, RAM, "LineID", str(index))
        product = _el(item, RAM, "SpecifiedTradeProduct")
        _el(product, RAM, "Name", line.description)
        agreement = _el(item, RAM, "SpecifiedLineTradeAgreement")
        price = _el(agreement, RAM, "NetPriceProductTradePrice")
        _el(price, RAM, "ChargeAmount", _amount(line.unit_price))
        delivery = _el(item, RAM, "SpecifiedLineTradeDelivery")
        _el(delivery, RAM, "BilledQuantity", format_quantity(line.quantity), unitCode=UNIT_CODE)
        settlement = _el(item, RAM, "SpecifiedLineTradeSettlement")
        tax = _el(settlement, RAM, "ApplicableTradeTax")
        _el(tax, RAM, "TypeCode", "VAT")
        category = vat_category(invoice, line.vat_rate)
        _el(tax, RAM, "CategoryCode", category)
        if category != "O":
            _el(tax, RAM, "RateApplicablePercent", format_rate(line.vat_rate))
        summation = _el(settlement, RAM, "SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, RAM, "LineTotalAmount", _amount(line.total_excl_vat))

    agreement = _el(transaction, RAM, "ApplicableHeaderTradeAgreement")
    if invoice.buyer_reference:
        _el(agreement, RAM, "BuyerReference", invoice.buyer_reference)
    # BR-O-02: an invoice "not subject to VAT" carries no VAT identifier at all.
    _party(agreement, "SellerTradeParty", invoice.seller, with_vat=not not_subject)
    _party(agreement, "BuyerTradeParty", invoice.buyer, with_vat=not not_subject)

    delivery = _el(transaction, RAM, "ApplicableHeaderTradeDelivery")
    event = _el(delivery, RAM, "ActualDeliverySupplyChainEvent")
    _date(event, "OccurrenceDateTime", invoice.delivery_date)

    settlement = _el(transaction, RAM, "ApplicableHeaderTradeSettlement")
    _el(settlement, RAM, "InvoiceCurrencyCode", CURRENCY)
    means = _el(settlement, RAM, "SpecifiedTradeSettlementPaymentMeans")
    _el(means, RAM, "TypeCode", PAYMENT_MEANS_CLEARING)
    _el(means, RAM, "Information", invoice.compensation_mention())
    for group in invoice.totals.breakdown:
        tax = _el(settlement, RAM, "ApplicableTradeTax")
        _el(tax, RAM, "CalculatedAmount", _amount(group.vat))
        _el(tax, RAM, "TypeCode", "VAT")
        category = vat_category(invoice, group.rate)
        if category in ("E", "O"):
            _el(tax, RAM, "ExemptionReason", invoice.exemption_text)
        _el(tax, RAM, "BasisAmount", _amount(group.base))
        _el(tax, RAM, "CategoryCode", category)
        if category != "O":
            _el(tax, RAM, "RateApplicablePercent", format_rate(group.rate))
    terms = _el(settlement, RAM, "SpecifiedTradePaymentTerms")
    _el(terms, RAM, "Description", payment_terms(invoice))
    _date(terms, "DueDateDateTime", invoice.issue_date)
    totals = _el(settlement, RAM, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, RAM, "LineTotalAmount", _amount(invoice.totals.total_excl_vat))
    _el(totals, RAM, "TaxBasisTotalAmount", _amount(invoice.totals.total_excl_vat))
    _el(totals, RAM, "TaxTotalAmount", _amount(invoice.totals.total_vat), currencyID=CURRENCY)
    _el(totals, RAM, "GrandTotalAmount", _amount(invoice.totals.total_incl_vat))
    _el(totals, RAM, "DuePayableAmount", _amount(invoice.totals.total_incl_vat))
    if invoice.kind is Kind.CREDIT_NOTE and invoice.credited_invoice_number:
        reference = _el(settlement, RAM, "InvoiceReferencedDocument")
        _el(reference, RAM, "IssuerAssignedID", invoice.credited_invoice_number)
        if invoice.credited_invoice_date is not None:
            _date(reference, "FormattedIssueDateTime", invoice.credited_invoice_date, ns=QDT)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _notes(invoice: Invoice) -> list[str]:
    notes = [invoice.compensation_mention()]
    if invoice.parts.euro_part > 0:
        notes.append(
            f"Part payable en euros hors plateforme : {_amount(invoice.parts.euro_part)} EUR."
        )
    if invoice.kind is Kind.CREDIT_NOTE and invoice.credited_invoice_number:
        notes.append(f"Avoir annulant la facture {invoice.credited_invoice_number}.")
    if invoice.note:
        notes.append(invoice.note)
    return notes
