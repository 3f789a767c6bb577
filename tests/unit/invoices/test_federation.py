"""Invoices between linked networks: the conversion (the ledger's rounding), the rate a draft
follows and issue freezes, the settlement by the ledger's saga, and each network's commission."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from invoices.domain import ids
from invoices.domain.errors import InvalidTransition, UnknownMember
from invoices.domain.federation import (
    CrossNetwork,
    Link,
    convert,
    cross_network,
    ensure_linked,
    newer,
)
from invoices.domain.model import Invoice, NetworkTerms, StartSaga, Status
from invoices.domain.money import Line
from tests.unit.invoices.test_model import HERE, NOW, TERMS, party

AGRI = NetworkTerms(
    slug="agri-echange",
    name="Agri-échange",
    unit_code="AGR",
    unit_name="Agri",
    unit_symbol="Ag",
    payment_modes=(100, 50),
    vat_settlement="unit",
    commission_rate=Decimal("3"),
    commission_charged_in="unit",
    hold_expiry_days=30,
    buyer_acceptance_required=True,
)
#: 1 Agri (network_a) = 1.5 Actif (network_b).
LINK = Link(uuid.uuid4(), "agri-echange", "troc-actif", Decimal("1.5"))


def side(link: Link = LINK, seller_network: str = "agri-echange", buyer: NetworkTerms = TERMS):
    def make(unit_part: int) -> CrossNetwork:
        return cross_network(
            link,
            seller_network=seller_network,
            buyer_network=buyer.slug,
            buyer_unit=(buyer.unit_code, buyer.unit_name, buyer.unit_symbol),
            unit_part=unit_part,
            buyer_commission_rate=buyer.commission_rate,
            buyer_commission_charged_in=buyer.commission_charged_in,
        )

    return make


def draft(link: Link = LINK, price: int = 45000) -> Invoice:
    """An Agri-échange seller invoicing a Troc Actif buyer, 100 % in the unit, VAT 20 %."""
    from invoices.domain.model import Party

    seller = Party(uuid.uuid4(), "agri-nord", "Ferme", "81234567100015", "FR12812345671", HERE)
    return Invoice.draft(
        id=uuid.uuid4(),
        terms=AGRI,
        seller=seller,
        buyer=party("pie"),
        lines=[Line.of("Paniers", Decimal(1), price, Decimal(20))],
        payment_mode=100,
        delivery_date=date(2026, 11, 20),
        now=NOW,
        cross_network=side(link),
    )


def issue(invoice: Invoice, link: Link = LINK) -> None:
    invoice.issue(
        number="F2026-000001",
        issue_date=date(2026, 11, 26),
        now=NOW,
        seller=invoice.seller,
        buyer=invoice.buyer,
        terms=AGRI,
        cross_network=side(link),
    )


class TestConvert:
    @pytest.mark.parametrize(
        ("amount", "rate", "a_to_b", "expected"),
        [
            (54000, Decimal("1.5"), True, 81000),
            (81000, Decimal("1.5"), False, 54000),
            (1, Decimal("0.5"), True, 1),  # 0.5 cent rounds away from zero
            (3, Decimal("0.5"), True, 2),  # 1.5 -> 2
            (100, Decimal("3"), False, 33),  # 33.33...
            (200, Decimal("3"), False, 67),  # 66.66...
            (-3, Decimal("0.5"), True, -2),  # away from zero on the negative side too
        ],
    )
    def test_rounds_half_away_from_zero(
        self, amount: int, rate: Decimal, a_to_b: bool, expected: int
    ) -> None:
        assert convert(amount, rate, a_to_b=a_to_b) == expected

    def test_the_exchange_rate_reads_from_the_seller(self) -> None:
        from_a = side()(10000)
        assert (from_a.exchange_rate, from_a.buyer_unit_part) == (Decimal("1.5"), 15000)
        from_b = side(seller_network="troc-actif", buyer=AGRI)(15000)
        assert from_b.exchange_rate == Decimal("0.6666666667")
        assert from_b.buyer_unit_part == 10000
        assert from_b.to_buyer(100) == 67

    def test_round_trip_through_a_dict(self) -> None:
        value = side()(12345)
        assert CrossNetwork.from_dict(value.as_dict()) == value


class TestLinked:
    def test_no_link_or_a_link_of_other_networks_is_an_unknown_buyer(self) -> None:
        buyer = uuid.uuid4()
        with pytest.raises(UnknownMember, match="not linked") as refused:
            ensure_linked(None, "agri-echange", "troc-actif", buyer)
        assert refused.value.field == "buyer_member_id"
        other = Link(uuid.uuid4(), "agri-echange", "bois-troc", Decimal(2))
        with pytest.raises(UnknownMember, match="not linked"):
            ensure_linked(other, "agri-echange", "troc-actif", buyer)

    def test_a_suspended_link_is_refused(self) -> None:
        suspended = Link(LINK.id, LINK.network_a, LINK.network_b, LINK.rate, "suspended")
        with pytest.raises(UnknownMember, match="suspended"):
            ensure_linked(suspended, "troc-actif", "agri-echange", uuid.uuid4())
        assert ensure_linked(LINK, "troc-actif", "agri-echange", uuid.uuid4()) is LINK

    def test_an_older_event_is_not_newer(self) -> None:
        later = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
        assert newer(None, later) and newer(NOW, later)
        assert not newer(later, NOW)


class TestRate:
    def test_a_draft_follows_the_rate_and_issue_freezes_it(self) -> None:
        invoice = draft()  # 450.00 HT + 90.00 VAT = 540.00 AGR
        assert invoice.parts.unit_part == 54000
        assert invoice.federation is not None
        assert invoice.federation.buyer_unit_part == 81000
        dearer = Link(LINK.id, LINK.network_a, LINK.network_b, Decimal("2"))
        assert invoice.follow_rate(side(dearer))
        assert invoice.federation.buyer_unit_part == 108000
        issue(invoice, Link(LINK.id, LINK.network_a, LINK.network_b, Decimal("1.25")))
        assert invoice.status is Status.ISSUED
        assert invoice.federation.exchange_rate == Decimal("1.25")
        assert invoice.federation.buyer_unit_part == 67500
        assert not invoice.follow_rate(side(dearer))  # frozen
        assert invoice.federation.buyer_unit_part == 67500
        assert "1 AGR = 1.25 ACT" in invoice.cross_network_mention()

    def test_issue_without_a_link_any_more_is_refused(self) -> None:
        invoice = draft()
        with pytest.raises(InvalidTransition, match="no longer linked"):
            invoice.issue(
                number="F2026-000001",
                issue_date=date(2026, 11, 26),
                now=NOW,
                seller=invoice.seller,
                buyer=invoice.buyer,
                terms=AGRI,
            )


class TestSettlement:
    def accepted(self) -> Invoice:
        invoice = draft()
        issue(invoice)
        change = invoice.accept(NOW)
        assert change.commands == []  # no hold: the saga holds both sides at validation
        assert change.events == ["accepted", "awaiting_validation"]
        assert invoice.status is Status.AWAITING_VALIDATION
        assert invoice.transfer_id == ids.federated_transfer_id(invoice.id, 1)
        return invoice

    def test_validation_starts_the_saga_with_the_frozen_amounts(self) -> None:
        invoice = self.accepted()
        change = invoice.validate("animator@agri", NOW)
        assert invoice.status is Status.VALIDATED
        assert change.commands == [
            StartSaga(
                saga_id=invoice.transfer_id,  # type: ignore[arg-type]
                link_id=LINK.id,
                payer_network="troc-actif",
                payer=invoice.buyer.member_id,
                payee=invoice.seller.member_id,
                amount=81000,
                rate=Decimal("1.5"),
                converted_amount=54000,
                reference="Facture F2026-000001",
            )
        ]
        assert invoice.validate("animator@agri", NOW).replayed

    def test_posted_settles_once(self) -> None:
        invoice = self.accepted()
        invoice.validate("a", NOW)
        saga = invoice.transfer_id
        assert saga is not None
        assert invoice.on_federated_completed(saga, "posted", "", "", NOW).events == ["settled"]
        assert invoice.status is Status.SETTLED
        assert invoice.on_federated_completed(saga, "posted", "", "", NOW).replayed

    @pytest.mark.parametrize("outcome", ["voided", "refused"])
    def test_voided_or_refused_goes_back_to_the_seller(self, outcome: str) -> None:
        invoice = self.accepted()
        invoice.validate("a", NOW)
        saga = invoice.transfer_id
        assert saga is not None
        change = invoice.on_federated_completed(saga, outcome, "clearing_limit", "too far", NOW)
        assert change.events == ["hold_refused"]
        assert invoice.status is Status.ISSUED
        assert invoice.refusal is not None
        assert (invoice.refusal.code, invoice.refusal.reason) == ("clearing_limit", "too far")
        # The other side's copy, and a stale saga id, change nothing.
        assert invoice.on_federated_completed(saga, outcome, "x", "y", NOW).replayed
        assert invoice.on_federated_completed(uuid.uuid4(), "posted", "", "", NOW).replayed
        assert invoice.status is Status.ISSUED
        # The buyer accepts again: a new attempt, a new saga id.
        invoice.accept(NOW)
        assert invoice.transfer_id == ids.federated_transfer_id(invoice.id, 2)

    def test_reject_and_dispute_void_nothing(self) -> None:
        invoice = self.accepted()
        assert invoice.dispute("pas livré", NOW).commands == []
        other = self.accepted()
        assert other.reject("doublon", NOW).commands == []

    def test_a_settled_cross_network_invoice_has_no_credit_note(self) -> None:
        invoice = self.accepted()
        invoice.validate("a", NOW)
        assert invoice.transfer_id is not None
        invoice.on_federated_completed(invoice.transfer_id, "posted", "", "", NOW)
        with pytest.raises(InvalidTransition, match="other way round"):
            invoice.cancel("erreur", NOW)


class TestCommissions:
    def test_each_network_charges_its_own_side(self) -> None:
        invoice = draft()
        issue(invoice)
        seller_side = invoice.commission()
        assert seller_side is not None
        assert (seller_side.rate, seller_side.base, seller_side.amount) == (Decimal(3), 45000, 1350)
        buyer_side = invoice.buyer_commission()
        assert buyer_side is not None
        # Troc Actif's 5 % on 450.00 AGR HT converted: 675.00 ACT -> 33.75 ACT.
        assert (buyer_side.rate, buyer_side.base, buyer_side.amount) == (Decimal(5), 67500, 3375)


class TestDocument:
    def test_the_pdf_and_its_xml_show_the_buyers_side(self) -> None:
        import facturx
        from pypdf import PdfReader

        from invoices.documents.cii import payment_terms
        from invoices.documents.pdf import render_facturx
        from invoices.settings import DEFAULT_FONT_DIR

        invoice = draft()
        issue(invoice)
        terms = payment_terms(invoice)
        assert "810,00" not in terms  # amounts in the API's way: 810.00
        assert "810.00 ACT" in terms and "1 AGR = 1.5 ACT" in terms
        assert "figé à l'émission" in terms
        pdf, xml = render_facturx(invoice, DEFAULT_FONT_DIR)
        _name, embedded = facturx.get_xml_from_pdf(pdf, check_xsd=False)
        assert embedded == xml and b"810.00 ACT" in xml
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "810.00 ACT" in text and "1.5 ACT" in text
