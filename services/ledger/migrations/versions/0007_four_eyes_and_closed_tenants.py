"""Four eyes on manual transfers (the networks' threshold, who approved or rejected) and closed
tenants (``closed_tenants``, and the accounts their closing froze in ``tenant_freezes``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ledger.db import closed_tenants, ledger_sql, tenant_freezes

revision = "0007"
down_revision = "0008"
branch_labels = None
depends_on = None


def transfer_columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column("approval_required", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("approved_by", sa.String(64), nullable=True),
        sa.Column("rejected_by", sa.String(64), nullable=True),
    )


def upgrade() -> None:
    bind = op.get_bind()
    # A database created by 0001 from today's models already has the columns.
    inspector = sa.inspect(bind)
    if "manual_transfer_approval_threshold" not in {
        c["name"] for c in inspector.get_columns("networks")
    }:
        op.add_column(
            "networks",
            sa.Column("manual_transfer_approval_threshold", sa.BigInteger(), nullable=True),
        )
    existing = {c["name"] for c in inspector.get_columns("transfers")}
    for column in transfer_columns():
        if column.name not in existing:
            op.add_column("transfers", column)
    closed_tenants.create(bind, checkfirst=True)
    tenant_freezes.create(bind, checkfirst=True)
    if bind.dialect.name == "postgresql":
        # The money functions return transfers rows: recreated over the new row type.
        op.execute(ledger_sql())


def downgrade() -> None:
    bind = op.get_bind()
    tenant_freezes.drop(bind, checkfirst=True)
    closed_tenants.drop(bind, checkfirst=True)
    with op.batch_alter_table("transfers") as batch:
        for column in transfer_columns():
            batch.drop_column(column.name)
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("manual_transfer_approval_threshold")
    if bind.dialect.name == "postgresql":
        op.execute(ledger_sql())
