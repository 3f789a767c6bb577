"""The lean money path: the checks on the rows the locks return, the unit from the caller's
cache, and a set-based bus batch (``sql/ledger.sql``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Indexes audited against the queries that use them (none dropped): on ``transfers`` the primary
key (idempotency and replays), ``payer``/``payee`` + ``created_at`` (a member's statement, newest
first), the partial ``pending_expiry`` (hold expiry) and ``reverses`` (one reversal at most: only
reversals carry an entry), the partial ``*_tenant_posted`` (a tenant's activity by month); on
``postings`` ``account_id, id`` (a balance rebuilt from its postings) and on ``accounts``
``network, tenant`` and ``tenant``.
"""

from alembic import op

from ledger.db import ledger_sql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ledger_sql())


def downgrade() -> None:
    """Nothing to undo: no table changed, and the functions run on the schema of 0002 (the new
    argument of ``ledger_transfer`` has a default, so the calls of 0002 still work)."""
