"""What a viewer may see, the search filters, and full-text search.

Full-text search is PostgreSQL's ranked ``tsvector``, or SQLite's FTS5 over the terms of
``textsearch``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
)

from listings import textsearch
from listings.db.tables import (
    SEARCH_COLUMN,
    fts_table,
    listing_departments,
    listings_table,
)
from listings.domain import (
    Kind,
    Listing,
    Viewer,
    Visibility,
)

# --- search filters ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchFilters:
    q: str = ""
    kind: Kind | None = None
    category: str | None = None
    department: str | None = None
    tenant: str | None = None
    payment_mode: int | None = None
    member_id: UUID | None = None
    scope: str = "network"  # or "tenant", or "federation" (and the linked networks' listings)
    status: str | None = None  # None: live listings; "active", "paused", "archived", "all"
    page: int = 1
    per_page: int = 20


#: Searches count their matches up to this many (more is "1000+").
COUNT_CAP = 1000


@dataclass(frozen=True, slots=True)
class SearchResult:
    items: list[Listing]
    total: int
    capped: bool = False  # there are more than ``total`` matches


def live(now: datetime) -> ColumnElement[bool]:
    c = listings_table.c
    return and_(c.status == "active", or_(c.expires_at.is_(None), c.expires_at > now))


#: Visibilities the whole network sees.
NETWORK_WIDE = tuple(v.value for v in Visibility if v.network_wide)


def visible_to(viewer: Viewer, now: datetime, *, federation: bool = False) -> ColumnElement[bool]:
    """The SQL of ``Viewer.can_see``: what a viewer may read, and nothing else.

    Without ``federation``, the viewer's own network only (``scope`` network and tenant); with
    it, also the live ``federation`` listings of the networks in ``viewer.partners``. Both halves
    filter on ``network IN (...)`` first, so the listings' network index serves the query.
    """
    c = listings_table.c
    if viewer.network is None:
        where = c.tenant == viewer.tenant
    else:
        where = and_(
            c.network == viewer.network,
            or_(c.tenant == viewer.tenant, c.visibility.in_(NETWORK_WIDE)),
        )
    if viewer.staff:
        owned = c.tenant == viewer.tenant
    elif viewer.member_id is not None:
        owned = and_(c.tenant == viewer.tenant, c.member_id == viewer.member_id)
    else:
        owned = false()
    own = and_(where, or_(live(now), owned))
    partners = sorted(viewer.partners - {viewer.network}) if viewer.network else []
    if not federation or not partners:
        return own
    across = and_(c.visibility == Visibility.FEDERATION.value, live(now))
    return and_(
        c.network.in_([viewer.network, *partners]),
        or_(own, and_(c.network.in_(partners), across)),
    )


def serves(departments_: Iterable[str]) -> ColumnElement[bool]:
    """Listings serving one of ``departments_`` (or anywhere)."""
    wanted = sorted(set(departments_))
    c = listings_table.c
    if not wanted:
        return true()
    d = listing_departments.c
    return or_(c.nationwide, exists().where(and_(d.listing_id == c.id, d.department.in_(wanted))))


# --- full-text search, one per database ----------------------------------------------------------


class TextSearch:
    """Full-text search of one database: filter and rank, and the index it keeps."""

    def matching(self, query: str) -> tuple[ColumnElement[bool], ColumnElement[Any]] | None:
        """WHERE clause and rank (larger is better) of a user's query; None if no word."""
        raise NotImplementedError

    def any_of(self, words: Sequence[str]) -> ColumnElement[bool] | None:
        """Listings sharing a word with ``words`` (candidates of matchmaking)."""
        raise NotImplementedError

    def index(self, conn: Connection, listing: Listing) -> None:
        """Keep the index in step with a listing just written."""

    def rank_column(self, rank: ColumnElement[Any]) -> ColumnElement[Any]:
        return rank


class PgTextSearch(TextSearch):
    """PostgreSQL: the ``listings.search`` generated column and the SQL functions of 0001."""

    @staticmethod
    def _word(word: str) -> ColumnElement[Any]:
        forms = [func.listings_word_query(word)]
        accented = textsearch.reaccented(word)
        if accented is not None:
            forms.append(func.listings_word_query(accented))
        return functools.reduce(lambda a, b: a.op("||")(b), forms)

    def _query(self, words: Sequence[str], joiner: str) -> ColumnElement[Any] | None:
        if not words:
            return None
        return functools.reduce(lambda a, b: a.op(joiner)(b), [self._word(w) for w in words])

    def matching(self, query: str) -> tuple[ColumnElement[bool], ColumnElement[Any]] | None:
        tsquery = self._query(textsearch.query_words(query), "&&")
        if tsquery is None:
            return None
        return SEARCH_COLUMN.op("@@")(tsquery), func.ts_rank(SEARCH_COLUMN, tsquery)

    def any_of(self, words: Sequence[str]) -> ColumnElement[bool] | None:
        tsquery = self._query(list(dict.fromkeys(words))[:16], "||")
        return None if tsquery is None else SEARCH_COLUMN.op("@@")(tsquery)


class SqliteTextSearch(TextSearch):
    """SQLite: an FTS5 table of the terms of ``textsearch.py`` (stems without accents)."""

    @staticmethod
    def _match(expression: str) -> ColumnElement[bool]:
        return literal_column("listing_fts").op("MATCH")(expression)  # type: ignore[no-any-return]

    def _ids(self, expression: str) -> Any:
        return select(fts_table.c.listing_id).where(self._match(expression))

    def matching(self, query: str) -> tuple[ColumnElement[bool], ColumnElement[Any]] | None:
        expression = textsearch.fts5_query(query)
        if expression is None:
            return None
        # bm25 is smaller for better matches; weights: title, body, category label.
        rank = (
            select(func.bm25(literal_column("listing_fts"), 10.0, 4.0, 2.0))
            .where(and_(fts_table.c.listing_id == listings_table.c.id, self._match(expression)))
            .scalar_subquery()
        )
        return listings_table.c.id.in_(self._ids(expression)), -rank

    def any_of(self, words: Sequence[str]) -> ColumnElement[bool] | None:
        forms = [form for word in words for form in textsearch.word_forms(word)]
        expression = textsearch.fts5_any(forms)
        return None if expression is None else listings_table.c.id.in_(self._ids(expression))

    def index(self, conn: Connection, listing: Listing) -> None:
        conn.execute(delete(fts_table).where(fts_table.c.listing_id == listing.id))
        conn.execute(
            insert(fts_table).values(
                listing_id=listing.id,
                title=textsearch.index_text(listing.title),
                body=textsearch.index_text(listing.description),
                category=textsearch.index_text(listing.category_label),
            )
        )


def text_search_for(dialect: str) -> TextSearch:
    return PgTextSearch() if dialect == "postgresql" else SqliteTextSearch()
