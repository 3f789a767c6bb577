"""Listings schema: copies of networks/tenants/members/balances, listings and their departments,
matches, contact threads and messages, outbox/inbox, and the French full-text search (a
generated tsvector with a GIN index on PostgreSQL, an FTS5 table on SQLite).

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op

from chassis.outbox import create_messaging_tables
from listings.db import LISTING_TABLES, Base, search_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE listing_fts USING fts5(listing_id UNINDEXED, title, body, category, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    bind = op.get_bind()
    for name in LISTING_TABLES:
        Base.metadata.tables[name].create(bind)
    create_messaging_tables(op, Base.metadata)
    if bind.dialect.name == "postgresql":
        op.execute(search_sql())
    else:
        op.execute(SQLITE_FTS)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE listings DROP COLUMN search")
        op.execute(
            "DROP FUNCTION IF EXISTS listings_document, listings_word_query, "
            "listings_unaccent_tsquery, listings_unaccent_tsvector"
        )
    else:
        op.execute("DROP TABLE listing_fts")
    for name in ("inbox", "outbox_sequence", "outbox", *reversed(LISTING_TABLES)):
        Base.metadata.tables[name].drop(bind)
