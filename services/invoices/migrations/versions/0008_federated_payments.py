"""Payments without an invoice between linked networks: the payments' other side
(``federation``: the partner network, its unit, the frozen rate and the converted amount) and
its link (``federation_link_id``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    lambda: sa.Column("federation", sa.JSON(), nullable=True),
    lambda: sa.Column("federation_link_id", sa.Uuid(), nullable=True),
)


def upgrade() -> None:
    # A database whose ``payments`` table 0005 created from today's models already has them.
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("payments")}
    for make in COLUMNS:
        column = make()
        if column.name not in present:
            op.add_column("payments", column)


def downgrade() -> None:
    for make in reversed(COLUMNS):
        op.drop_column("payments", make().name)
