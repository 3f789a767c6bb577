"""Networks' membership fee and payments without an invoice (``direct_payments`` and its
validation threshold).

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("membership_fee", lambda: sa.Column("membership_fee", sa.JSON(), nullable=True)),
    (
        "direct_payments",
        lambda: sa.Column(
            "direct_payments", sa.String(8), nullable=False, server_default=sa.text("'off'")
        ),
    ),
    (
        "direct_payments_threshold",
        lambda: sa.Column(
            "direct_payments_threshold",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text("0"),
        ),
    ),
)


def upgrade() -> None:
    # A database created by 0001 from today's models already has the columns.
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("networks")}
    for name, column in COLUMNS:
        if name not in present:
            op.add_column("networks", column())


def downgrade() -> None:
    for name, _column in reversed(COLUMNS):
        op.drop_column("networks", name)
