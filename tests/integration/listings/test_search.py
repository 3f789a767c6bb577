"""French full-text search, on SQLite (FTS5 + Python stemming) and PostgreSQL (french +
unaccent): accents, plurals and word families meet; filters and ranking work."""

from __future__ import annotations

import pytest

from tests.integration.listings.conftest import Market


@pytest.fixture
def catalogue(market: Market) -> Market:
    author = market.member()
    for title, category, description in [
        ("Tenue de comptabilité et bilan", "comptabilite", "Déclarations de TVA, liasse"),
        ("Expert-comptable pour TPE", "comptabilite", "Cabinet indépendant"),
        ("COMPTABILITÉ ANALYTIQUE", "comptabilite", ""),
        ("Travaux d'électricité générale", "electricite-energie", "Mise aux normes"),
        ("Location de salles de réunion", "locaux-salles", "Vidéoprojecteur inclus"),
        ("Impression de flyers", "graphisme-impression", "Offset et numérique"),
    ]:
        market.publish(author, title=title, category=category, description=description)
    return market


class TestFrenchSearch:
    def test_comptabilite_finds_comptable_and_its_capitalised_forms(
        self, catalogue: Market
    ) -> None:
        found = catalogue.titles(catalogue.member(), q="comptabilité")
        assert set(found) == {
            "Tenue de comptabilité et bilan",
            "Expert-comptable pour TPE",
            "COMPTABILITÉ ANALYTIQUE",
        }

    @pytest.mark.parametrize(
        "query", ["comptable", "comptables", "Comptabilité", "comptabilite", "COMPTABLE"]
    )
    def test_every_spelling_of_the_family_finds_the_same(
        self, catalogue: Market, query: str
    ) -> None:
        assert len(catalogue.titles(catalogue.member(), q=query)) == 3

    @pytest.mark.parametrize("query", ["electricite", "électricité", "ELECTRICITE"])
    def test_accents_do_not_matter(self, catalogue: Market, query: str) -> None:
        assert catalogue.titles(catalogue.member(), q=query) == ["Travaux d'électricité générale"]

    @pytest.mark.parametrize("query", ["salle", "salles", "réunions", "reunion"])
    def test_plurals_meet_singulars(self, catalogue: Market, query: str) -> None:
        assert catalogue.titles(catalogue.member(), q=query) == ["Location de salles de réunion"]

    def test_every_word_of_the_query_must_match(self, catalogue: Market) -> None:
        viewer = catalogue.member()
        assert catalogue.titles(viewer, q="comptabilité TVA") == ["Tenue de comptabilité et bilan"]
        assert catalogue.titles(viewer, q="comptabilité flyers") == []

    def test_a_title_match_ranks_above_a_description_match(self, market: Market) -> None:
        author = market.member()
        market.publish(author, title="Conseil en gestion", description="et en fiscalité")
        market.publish(author, title="Fiscalité des TPE", description="conseil")
        assert market.titles(market.member(), q="fiscalité")[0] == "Fiscalité des TPE"

    def test_the_category_label_is_searched_too(self, market: Market) -> None:
        market.publish(market.member(), title="Bilan annuel", category="comptabilite")
        assert market.titles(market.member(), q="gestion") == ["Bilan annuel"]

    def test_a_query_of_stop_words_filters_nothing(self, catalogue: Market) -> None:
        assert catalogue.search(catalogue.member(), q="de la")["total"] == 6


class TestFilters:
    def test_kind_category_department_and_payment_mode(self, market: Market) -> None:
        author = market.member()
        market.publish(author, title="Offre 92 en 50", departments=["92"], payment_modes=[50])
        market.publish(author, title="Offre partout", departments=[], payment_modes=[100])
        market.publish(author, kind="need", title="Besoin 75", category="nettoyage")
        viewer = market.member()
        assert market.titles(viewer, kind="need") == ["Besoin 75"]
        assert market.titles(viewer, category="nettoyage") == ["Besoin 75"]
        assert set(market.titles(viewer, department="92")) == {"Offre 92 en 50", "Offre partout"}
        assert set(market.titles(viewer, payment_mode=100)) == {"Offre partout", "Besoin 75"}
        assert market.titles(viewer, payment_mode=50, kind="offer") == ["Offre 92 en 50"]

    def test_pages_hold_every_listing_once(self, market: Market) -> None:
        author = market.member()
        for index in range(7):
            market.publish(author, title=f"Annonce numéro {index}")
        viewer = market.member()
        first = market.search(viewer, per_page=4, page=1)
        second = market.search(viewer, per_page=4, page=2)
        assert first["total"] == second["total"] == 7
        titles = [i["title"] for i in first["items"] + second["items"]]
        assert sorted(titles) == sorted(f"Annonce numéro {i}" for i in range(7))

    def test_an_unknown_department_is_a_named_422(self, market: Market) -> None:
        response = market.client.get(
            f"/t/{market.tenant_a}/listings?department=20", headers=market.headers()
        )
        assert response.status_code == 422
        assert "query.department" in response.json["errors"]
