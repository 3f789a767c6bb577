"""Member categories: a network's ``member_categories`` and a member's ``category``.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0010"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # A database created by 0001 from today's models already has the columns.
    if "member_categories" not in _columns("networks"):
        op.add_column("networks", sa.Column("member_categories", sa.JSON(), nullable=True))
    if "category" not in _columns("members"):
        op.add_column("members", sa.Column("category", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("category")
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("member_categories")
