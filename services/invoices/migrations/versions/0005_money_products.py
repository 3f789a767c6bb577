"""Payments without an invoice and membership fees: the ``payments`` and ``membership_fees``
tables, the networks' ``membership_fee`` and ``direct_payments`` settings, the members'
``admitted_at``.

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from chassis.db import UTCDateTime
from invoices.db import Base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = {
    "networks": (
        lambda: sa.Column("membership_fee", sa.JSON(), nullable=True),
        lambda: sa.Column(
            "direct_payments", sa.String(8), nullable=False, server_default=sa.text("'off'")
        ),
        lambda: sa.Column(
            "direct_payments_threshold",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text("0"),
        ),
    ),
    "members": (lambda: sa.Column("admitted_at", UTCDateTime(), nullable=True),),
}


def upgrade() -> None:
    bind = op.get_bind()
    # A database created by 0001 from today's models already has them.
    for table, columns in COLUMNS.items():
        present = {c["name"] for c in sa.inspect(bind).get_columns(table)}
        for make in columns:
            column = make()
            if column.name not in present:
                op.add_column(table, column)
    op.execute("UPDATE members SET admitted_at = updated_at WHERE admitted_at IS NULL")
    for name in ("payments", "membership_fees"):
        Base.metadata.tables[name].create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    for name in ("membership_fees", "payments"):
        Base.metadata.tables[name].drop(bind)
    for table, columns in COLUMNS.items():
        for make in reversed(columns):
            op.drop_column(table, make().name)
