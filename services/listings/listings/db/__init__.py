"""Persistence of the listings: tables, the store, the two full-text searches, the unit of work.

Listings, threads, messages and matches are the service's own; networks, tenants, members and
balances are copies kept from other services' events. Full-text search is PostgreSQL's (a
generated ``tsvector`` of the ``fr_unaccent`` and ``french`` configurations, GIN index, ranked
by ``ts_rank``) or, on SQLite, an FTS5 table holding the terms of ``textsearch.py`` (ranked by
``bm25``). Every read takes a ``Viewer`` and filters by it: tenant-only listings never leave
their tenant.

One module per concern: ``tables`` (the schema), ``mapping`` (rows <-> domain objects),
``search`` (visibility rules, filters and the two full-text strategies), ``store`` (the
queries and writes, and the unit of work)."""

from __future__ import annotations

from listings.db.mapping import (
    listing_terms,
    to_listing,
    to_match,
    to_member,
    to_network,
    to_thread,
)
from listings.db.search import (
    COUNT_CAP,
    PgTextSearch,
    SearchFilters,
    SearchResult,
    SqliteTextSearch,
    TextSearch,
    text_search_for,
    visible_to,
)
from listings.db.store import BoundStore, Store, UnitOfWork
from listings.db.tables import (
    LISTING_TABLES,
    SEARCH_COLUMN,
    BalanceRow,
    Base,
    ListingDepartmentRow,
    ListingRow,
    MatchRow,
    MemberRow,
    MessageRow,
    NetworkRow,
    TenantRow,
    ThreadRow,
    balances,
    fts_table,
    inbox_table,
    listing_departments,
    listings_table,
    matches,
    members,
    messages,
    networks,
    outbox_sequence_table,
    outbox_table,
    search_sql,
    tenants,
    threads,
)

__all__ = [
    "BalanceRow",
    "Base",
    "BoundStore",
    "COUNT_CAP",
    "LISTING_TABLES",
    "ListingDepartmentRow",
    "ListingRow",
    "MatchRow",
    "MemberRow",
    "MessageRow",
    "NetworkRow",
    "PgTextSearch",
    "SEARCH_COLUMN",
    "SearchFilters",
    "SearchResult",
    "SqliteTextSearch",
    "Store",
    "TenantRow",
    "TextSearch",
    "ThreadRow",
    "UnitOfWork",
    "balances",
    "fts_table",
    "inbox_table",
    "listing_departments",
    "listing_terms",
    "listings_table",
    "matches",
    "members",
    "messages",
    "networks",
    "outbox_sequence_table",
    "outbox_table",
    "search_sql",
    "tenants",
    "text_search_for",
    "threads",
    "to_listing",
    "to_match",
    "to_member",
    "to_network",
    "to_thread",
    "visible_to",
]
