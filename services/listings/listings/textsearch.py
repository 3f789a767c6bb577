"""French text analysis for search and matchmaking: words, accents, Snowball stems.

The SQLite search (FTS5) and the match scoring index what :func:`terms` returns; PostgreSQL does
the same analysis in SQL with its ``french`` Snowball stemmer and the ``unaccent`` dictionary
(migration 0001). Both index each word twice, stemmed then unaccented and unaccented then stemmed,
because the French stemmer reads accents: "comptabilité" stems to "comptabl" (like "comptable")
only with its accents, while "electricite" typed without them must still find "électricité".
A query word typed without accents also tries its accented ending ("comptabilite" ->
"comptabilité"), the commonest way a French word loses its accents on a keyboard.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_REACCENT = ((re.compile(r"ite(s?)$"), r"ité\1"), (re.compile(r"ee(s?)$"), r"ée\1"))

#: Words too common to mean anything in a listing (the core of PostgreSQL's french.stop).
_STOPWORDS_TEXT = """
a au aux avec ce ces cet cette d dans de des du elle en et eux il ils je l la le les leur leurs
lui m ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses
son sur t ta te tes toi ton tu un une vos votre vous y c j est sont ete etre avoir ai as avons
plus tres tout tous toute toutes
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@functools.cache
def _stemmer() -> object:
    return snowballstemmer.stemmer("french")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)  # type: ignore[attr-defined, no-any-return]


def unaccent(text: str) -> str:
    """Lower-case ``text`` without accents or ligatures ("Électricité" -> "electricite")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, stop words left out."""
    found = [w.lower() for w in _WORD.findall(text)]
    return [w for w in found if unaccent(w) not in STOPWORDS]


@functools.lru_cache(maxsize=50_000)
def word_forms(word: str) -> frozenset[str]:
    """What a word is indexed as: stemmed then unaccented, and unaccented then stemmed."""
    return frozenset({unaccent(stem(word)), stem(unaccent(word))})


def reaccented(word: str) -> str | None:
    """The word with its likely accented ending, if it was typed without accents."""
    if unaccent(word) != word:
        return None
    for pattern, replacement in _REACCENT:
        candidate = pattern.sub(replacement, word)
        if candidate != word:
            return candidate
    return None


def query_forms(word: str) -> frozenset[str]:
    """What a query word matches: its forms, and those of its accented spelling."""
    forms = set(word_forms(word))
    accented = reaccented(word)
    if accented is not None:
        forms |= word_forms(accented)
    return frozenset(forms)


def terms(text: str) -> frozenset[str]:
    """The indexed terms of a text."""
    return frozenset(form for word in words(text) for form in word_forms(word))


def index_text(text: str) -> str:
    """The terms of ``text`` as one string, for the SQLite FTS5 index."""
    return " ".join(sorted(terms(text)))


def query_words(query: str) -> list[str]:
    """The meaningful words of a search query, deduplicated, at most 12."""
    return list(dict.fromkeys(words(query)))[:12]


def fts5_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every word must match one of its forms; None if no word."""
    groups = []
    for word in query_words(query):
        forms = sorted(query_forms(word))
        groups.append("(" + " OR ".join(f'"{form}"' for form in forms) + ")")
    return " AND ".join(groups) or None


def fts5_any(words_: Iterable[str]) -> str | None:
    """An FTS5 MATCH expression true if any of the given terms appears (matchmaking)."""
    unique = sorted(set(words_))
    return " OR ".join(f'"{term}"' for term in unique) or None
