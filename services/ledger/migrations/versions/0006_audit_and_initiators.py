"""Who made each manual transfer (``transfers.initiated_by``), and the ledger's audit log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ledger.db import audit_entries

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # A database created by 0001 from today's models already has the column.
    columns = {c["name"] for c in sa.inspect(bind).get_columns("transfers")}
    if "initiated_by" not in columns:
        op.add_column("transfers", sa.Column("initiated_by", sa.String(64), nullable=True))
    audit_entries.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    audit_entries.drop(bind, checkfirst=True)
    with op.batch_alter_table("transfers") as batch:
        batch.drop_column("initiated_by")
