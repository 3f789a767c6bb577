"""French text analysis: the same words, accents, plurals and word families meet."""

from __future__ import annotations

import pytest

from listings import textsearch


def finds(query: str, text: str) -> bool:
    """Whether every word of ``query`` meets a term of ``text`` (what both searches do)."""
    indexed = textsearch.terms(text)
    return all(textsearch.query_forms(w) & indexed for w in textsearch.query_words(query))


class TestFrenchAnalysis:
    @pytest.mark.parametrize(
        ("query", "text"),
        [
            ("comptabilité", "Cabinet comptable à Créteil"),
            ("comptabilité", "Tenue de Comptabilité pour TPE"),
            ("comptable", "COMPTABILITÉ et gestion"),
            ("comptabilite", "Expert comptable"),
            ("electricite", "Travaux d'électricité générale"),
            ("ÉLECTRICITÉ", "electricite"),
            ("salles", "Location de salle de réunion"),
            ("réunions", "Salle pour vos reunions"),
            ("traiteurs", "Traiteur pour séminaires"),
            ("formations", "Formation Excel"),
            ("cœur", "Produits du coeur de la Beauce"),
        ],
    )
    def test_a_query_finds_the_same_word_family(self, query: str, text: str) -> None:
        assert finds(query, text)

    @pytest.mark.parametrize(
        ("query", "text"),
        [
            ("comptabilité", "Impression de flyers"),
            ("electricite", "Plomberie et chauffage"),
            ("salle traiteur", "Location de salle de réunion"),
        ],
    )
    def test_unrelated_words_do_not_meet(self, query: str, text: str) -> None:
        assert not finds(query, text)

    def test_stop_words_are_not_search_words(self) -> None:
        assert textsearch.query_words("de la comptabilité pour les TPE") == ["comptabilité", "tpe"]
        assert textsearch.fts5_query("de la le") is None

    def test_the_fts5_query_needs_every_word_in_one_of_its_forms(self) -> None:
        assert textsearch.fts5_query("comptabilité Paris") == (
            '("comptabilit" OR "comptabl") AND ("paris")'
        )

    def test_unaccent_removes_accents_and_ligatures(self) -> None:
        assert textsearch.unaccent("Électricité Œuvre") == "electricite oeuvre"
        assert textsearch.reaccented("comptabilite") == "comptabilité"
        assert textsearch.reaccented("comptabilité") is None
