"""Ledger schema: networks, accounts, transfers, postings, outbox/inbox, PL/pgSQL functions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op

from chassis.outbox import create_messaging_tables
from ledger.db import Base, ledger_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LEDGER_TABLES = ("networks", "accounts", "transfers", "postings")


def upgrade() -> None:
    bind = op.get_bind()
    for name in LEDGER_TABLES:
        Base.metadata.tables[name].create(bind)
    create_messaging_tables(op, Base.metadata)
    if bind.dialect.name == "postgresql":
        # Room on each page so that balance updates (no indexed column changes) stay HOT:
        # no new index entries and no page hop for the hottest rows of the database.
        op.execute("ALTER TABLE accounts SET (fillfactor = 70)")
        op.execute(ledger_sql())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS ledger_transfer, ledger_settle, ledger_emit, "
            "ledger_amount_text, ledger_ts"
        )
    for name in ("inbox", "outbox_sequence", "outbox", *reversed(LEDGER_TABLES)):
        Base.metadata.tables[name].drop(bind)
