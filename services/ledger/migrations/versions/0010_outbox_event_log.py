"""One outbox row per event, and the per-tenant event log written once with its sequence.

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-06

``outbox.other_tenant``: a transfer between two tenants is one row naming both; the relay copies
it into each tenant's log with that tenant's sequence (``chassis.outbox``). On PostgreSQL the
outbox becomes a table partitioned on ``sequence``: the queue ``outbox_pending`` (rows leave it
once logged or published) and the append-only log ``outbox_log`` (never purged); the functions of
``sql/ledger.sql`` stage one row per event.
"""

import sqlalchemy as sa
from alembic import op

from chassis.outbox import partition_outbox_ddl, unpartition_outbox_ddl
from ledger.db import ledger_sql

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # A database created by 0001 from today's models already has the column.
    columns = {c["name"] for c in sa.inspect(bind).get_columns("outbox")}
    if "other_tenant" not in columns:
        op.add_column("outbox", sa.Column("other_tenant", sa.String(100), nullable=True))
    if bind.dialect.name == "postgresql":
        for statement in partition_outbox_ddl():
            op.execute(statement)
        op.execute(ledger_sql())


def downgrade() -> None:
    """One plain outbox again. Run the relay dry first (a pending row naming two tenants is
    copied for both only by this revision's relay), and install the functions of the code
    deployed with 0006 (they stage a row per tenant)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in unpartition_outbox_ddl():
            op.execute(statement)
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("other_tenant")
