"""Closing a tenant (``tenants.status``, ``closed_at``) and the networks' four-eyes threshold
(``networks.manual_transfer_approval_threshold``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None


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
    tenant_columns = {c["name"] for c in inspector.get_columns("tenants")}
    if "status" not in tenant_columns:
        op.add_column(
            "tenants",
            sa.Column("status", sa.String(10), nullable=False, server_default="active"),
        )
    if "closed_at" not in tenant_columns:
        op.add_column("tenants", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("closed_at")
        batch.drop_column("status")
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("manual_transfer_approval_threshold")
