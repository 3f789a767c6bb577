"""Discovery between linked networks (issue #20): who sees a ``federation`` listing, the price
in the reader's unit, and which copy of a link wins."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from listings import demo, domain
from listings.domain import FederationLink, LinkStatus, Status, Viewer, Visibility
from tests.unit.listings.test_domain import NOW, listing

LINK = FederationLink(
    id=uuid.uuid4(),
    network_a="troc-actif",
    network_b="agri-echange",
    rate=Decimal("1.5"),
    status=LinkStatus.ACTIVE,
    as_of=NOW,
)
AGRI = Viewer(
    "agri-beauce", "agri-echange", member_id=uuid.uuid4(), partners=frozenset({"troc-actif"})
)


class TestVisibility:
    def test_a_federation_listing_is_seen_across_an_active_link(self) -> None:
        item = listing(visibility=Visibility.FEDERATION)
        assert AGRI.can_see(item, NOW)

    def test_it_is_seen_by_its_whole_network_like_a_network_listing(self) -> None:
        item = listing(visibility=Visibility.FEDERATION)
        assert Viewer("fa-mgp", "troc-actif").can_see(item, NOW)
        assert Viewer("pie", "troc-actif").can_see(item, NOW)

    @pytest.mark.parametrize("visibility", [Visibility.NETWORK, Visibility.TENANT])
    def test_network_and_tenant_listings_stay_home(self, visibility: Visibility) -> None:
        assert not AGRI.can_see(listing(visibility=visibility), NOW)

    def test_without_an_active_link_nothing_crosses(self) -> None:
        item = listing(visibility=Visibility.FEDERATION)
        assert not replace(AGRI, partners=frozenset()).can_see(item, NOW)
        assert not replace(AGRI, partners=frozenset({"other-network"})).can_see(item, NOW)

    def test_only_live_listings_cross_and_never_to_be_edited(self) -> None:
        for item in (
            listing(visibility=Visibility.FEDERATION, status=Status.PAUSED),
            listing(visibility=Visibility.FEDERATION, expires_at=NOW - timedelta(seconds=1)),
        ):
            assert not AGRI.can_see(item, NOW)
        staff = replace(AGRI, tenant="pie", staff=True)  # a same-named tenant of another network
        item = listing(visibility=Visibility.FEDERATION)
        assert staff.can_see(item, NOW)
        assert not staff.owns(item)
        assert not AGRI.owns(item)

    def test_every_visibility_but_tenant_is_network_wide(self) -> None:
        assert [v for v in Visibility if v.network_wide] == [
            Visibility.NETWORK,
            Visibility.FEDERATION,
        ]


class TestConversion:
    def test_a_to_b_multiplies_b_to_a_divides(self) -> None:
        assert LINK.price_for(10_000, "troc-actif") == 15_000
        assert LINK.price_for(15_000, "agri-echange") == 10_000

    @pytest.mark.parametrize(
        ("amount", "rate", "a_to_b", "expected"),
        [
            (1, Decimal("0.5"), True, 1),  # 0.5 cent: half away from zero
            (3, Decimal("0.5"), True, 2),  # 1.5
            (1, Decimal("3"), False, 0),  # 0.333...
            (2, Decimal("3"), False, 1),  # 0.666...
            (100, Decimal("3"), False, 33),
            (-1, Decimal("0.5"), True, -1),  # away from zero on both sides
            (12_345, Decimal("1"), True, 12_345),
        ],
    )
    def test_cents_round_half_away_from_zero(
        self, amount: int, rate: Decimal, a_to_b: bool, expected: int
    ) -> None:
        assert domain.convert(amount, rate, a_to_b=a_to_b) == expected

    def test_the_partner_of_each_side(self) -> None:
        assert LINK.partner_of("troc-actif") == "agri-echange"
        assert LINK.partner_of("agri-echange") == "troc-actif"
        with pytest.raises(ValueError, match="does not join"):
            LINK.partner_of("elsewhere")


class TestLinkCopies:
    def test_a_later_state_replaces_an_earlier_one_never_the_reverse(self) -> None:
        later = replace(LINK, status=LinkStatus.SUSPENDED, as_of=NOW + timedelta(seconds=1))
        assert later.supersedes(LINK)
        assert not LINK.supersedes(later)
        assert LINK.supersedes(None)
        assert LINK.supersedes(LINK)  # the same event again: same state


class TestDemo:
    def test_both_demo_networks_share_some_offers(self) -> None:
        shared = {
            handle
            for handle in demo.CATALOGUE
            for draft in demo.drafts_for(f"contact@{handle}.demo.trocactif.org")
            if draft.visibility is Visibility.FEDERATION
        }
        assert {"earl-plaine", "gaec-trois-chenes"} <= shared
        assert shared - {"earl-plaine", "gaec-trois-chenes"}, "troc-actif shares offers too"
