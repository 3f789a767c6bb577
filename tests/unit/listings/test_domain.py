"""The marketplace's rules: validation, who sees and edits what, and match scoring."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from listings import demo, domain, textsearch
from listings.domain import (
    Kind,
    Listing,
    Network,
    Price,
    PriceType,
    Status,
    Terms,
    Viewer,
    Visibility,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NETWORK = Network(slug="troc-actif", unit_code="ACT", payment_modes=(100, 50))


def listing(**changes: object) -> Listing:
    base = Listing(
        id=uuid.uuid4(),
        network="troc-actif",
        tenant="pie",
        member_id=uuid.uuid4(),
        kind=Kind.OFFER,
        title="Tenue de comptabilité",
        description="Bilan et TVA",
        category="comptabilite",
        price=Price(PriceType.FROM, 90_000),
        payment_modes=(100, 50),
        departments=("75",),
        visibility=Visibility.NETWORK,
        status=Status.ACTIVE,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def terms(item: Listing) -> Terms:
    return Terms(textsearch.terms(item.title), textsearch.terms(f"{item.title} {item.description}"))


class TestValidation:
    def test_a_complete_listing_is_valid(self) -> None:
        domain.ensure_valid(listing(), NETWORK, NOW)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": "ab"}, "title"),
            ({"category": "astrologie"}, "category"),
            ({"price": Price(PriceType.FIXED, None)}, "price.amount"),
            ({"price": Price(PriceType.ON_QUOTE, 100)}, "price.amount"),
            ({"payment_modes": ()}, "payment_modes"),
            ({"expires_at": NOW - timedelta(days=1)}, "expires_at"),
            ({"expires_at": NOW + timedelta(days=400)}, "expires_at"),
        ],
    )
    def test_a_broken_rule_names_its_field(self, changes: dict, field: str) -> None:
        with pytest.raises(domain.InvalidListing) as caught:
            domain.ensure_valid(listing(**changes), NETWORK, NOW)
        assert caught.value.field == field

    def test_payment_modes_are_those_of_the_network(self) -> None:
        full_only = replace(NETWORK, payment_modes=(100,))
        with pytest.raises(domain.InvalidListing, match="100 only"):
            domain.ensure_valid(listing(payment_modes=(50,)), full_only, NOW)

    def test_departments_are_french_codes(self) -> None:
        assert domain.normalize_department("2a") == "2A"
        assert domain.normalize_department("5") == "05"
        assert domain.normalize_department("974") == "974"
        with pytest.raises(domain.InvalidListing):
            domain.normalize_department("20")

    def test_needs_expire_after_the_networks_days_and_offers_never(self) -> None:
        network = replace(NETWORK, need_expiry_days=30)
        assert domain.default_expiry(Kind.NEED, network, NOW) == NOW + timedelta(days=30)
        assert domain.default_expiry(Kind.OFFER, network, NOW) is None

    def test_an_archived_listing_is_no_longer_editable(self) -> None:
        with pytest.raises(domain.ListingArchived):
            listing(status=Status.ARCHIVED).ensure_editable()


class TestViewer:
    def test_a_tenant_only_listing_stays_in_its_tenant(self) -> None:
        item = listing(visibility=Visibility.TENANT)
        assert Viewer("pie", "troc-actif").can_see(item, NOW)
        assert not Viewer("fa-mgp", "troc-actif").can_see(item, NOW)

    def test_a_network_listing_is_seen_by_the_network_only(self) -> None:
        item = listing()
        assert Viewer("fa-mgp", "troc-actif").can_see(item, NOW)
        assert not Viewer("agri-beauce", "agri-echange").can_see(item, NOW)

    def test_paused_and_expired_listings_are_their_owners_only(self) -> None:
        paused = listing(status=Status.PAUSED)
        expired = listing(expires_at=NOW - timedelta(seconds=1))
        author = Viewer("pie", "troc-actif", member_id=paused.member_id)
        for item in (paused, replace(expired, member_id=paused.member_id)):
            assert author.can_see(item, NOW)
            assert Viewer("pie", "troc-actif", staff=True).can_see(item, NOW)
            assert not Viewer("pie", "troc-actif", member_id=uuid.uuid4()).can_see(item, NOW)

    def test_only_the_author_and_its_animators_own_a_listing(self) -> None:
        item = listing()
        assert Viewer("pie", "troc-actif", member_id=item.member_id).owns(item)
        assert Viewer("pie", "troc-actif", staff=True).owns(item)
        assert not Viewer("pie", "troc-actif", member_id=uuid.uuid4()).owns(item)
        assert not Viewer("fa-mgp", "troc-actif", staff=True).owns(item)


class TestMatchScoring:
    def need(self, **changes: object) -> Listing:
        fields = {
            "kind": Kind.NEED,
            "title": "Besoin d'un expert comptable",
            "description": "",
            "price": Price(),
            **changes,
        }
        return listing(**fields)

    def test_an_offer_and_a_need_of_one_category_fit(self) -> None:
        offer, need = listing(), self.need()
        result = domain.score_match(need, terms(need), offer, terms(offer))
        assert result is not None
        assert {"category", "departments"} <= set(result.reasons)

    def test_close_text_fits_across_categories(self) -> None:
        offer = listing(category="conseil", title="Expert comptable indépendant")
        need = self.need(category="comptabilite")
        result = domain.score_match(need, terms(need), offer, terms(offer))
        assert result is not None and "text" in result.reasons

    @pytest.mark.parametrize(
        "changes",
        [
            {"kind": Kind.OFFER},
            {"payment_modes": (50,)},
            {"departments": ("13",)},
            {"category": "nettoyage", "title": "Nettoyage de bureaux"},
            {"network": "agri-echange"},
        ],
    )
    def test_what_cannot_trade_does_not_fit(self, changes: dict) -> None:
        offer = listing(payment_modes=(100,))
        need = self.need(**changes)
        assert domain.score_match(need, terms(need), offer, terms(offer)) is None

    def test_the_members_own_listings_never_fit(self) -> None:
        offer = listing()
        need = self.need(member_id=offer.member_id)
        assert domain.score_match(need, terms(need), offer, terms(offer)) is None

    def test_anywhere_in_france_overlaps_every_department(self) -> None:
        offer = listing(departments=())
        need = self.need(departments=("971",))
        assert domain.score_match(need, terms(need), offer, terms(offer)) is not None

    def test_a_buyer_with_units_and_a_seller_in_deficit_rank_first(self) -> None:
        need = self.need()
        rich_seller, poor_seller = listing(), listing()
        balances = {
            need.member_id: 50_000,
            rich_seller.member_id: 80_000,
            poor_seller.member_id: -30_000,
        }
        ranked = domain.best_matches(
            need,
            terms(need),
            [(rich_seller, terms(rich_seller)), (poor_seller, terms(poor_seller))],
            balances=balances,
        )
        assert [item.id for item, _ in ranked] == [poor_seller.id, rich_seller.id]
        assert "seller_in_deficit" in ranked[0][1].reasons
        assert "buyer_can_spend" in ranked[0][1].reasons


class TestDemoCatalogue:
    def test_every_demo_listing_is_valid(self) -> None:
        for handle in demo.CATALOGUE:
            drafts = demo.drafts_for(f"contact@{handle}.demo.trocactif.org")
            assert len(drafts) == 2
            for draft in drafts:
                item = listing(
                    kind=draft.kind,
                    title=draft.title,
                    category=draft.category,
                    description=draft.description,
                    price=draft.price,
                    departments=draft.departments or (),
                )
                domain.ensure_valid(item, NETWORK, NOW)
                assert all(d in domain.DEPARTMENTS for d in item.departments)

    def test_nobody_else_gets_demo_listings(self) -> None:
        assert demo.drafts_for("contact@atelier-lumiere.example") == []
