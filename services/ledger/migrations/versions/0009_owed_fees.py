"""A fee owed to a network's fee account is never refused for insufficient credit
(``sql/ledger.sql``: ``ledger_transfer``); the functions are loaded again.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-06
"""

from alembic import op

from ledger.db import ledger_sql

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ledger_sql())


def downgrade() -> None:
    """Nothing to undo: no table changed; the earlier functions refused such a fee instead."""
