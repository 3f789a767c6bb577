"""Invoices between linked networks: the ``federation_links`` copy, the invoices' buyer side
(``federation``, ``federation_link_id``), and one commission per invoice *and network*
(``commissions`` keyed by both, with the paying ``side``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from invoices.db import Base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = {
    "invoices": (
        lambda: sa.Column("federation", sa.JSON(), nullable=True),
        lambda: sa.Column("federation_link_id", sa.Uuid(), nullable=True),
    ),
    "commissions": (
        lambda: sa.Column("side", sa.String(6), nullable=False, server_default=sa.text("'seller'")),
    ),
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
    indexes = {i["name"] for i in sa.inspect(bind).get_indexes("invoices")}
    if "ix_invoices_federation_link" not in indexes:
        op.create_index("ix_invoices_federation_link", "invoices", ["federation_link_id", "status"])
    pk = sa.inspect(bind).get_pk_constraint("commissions")
    if pk["constrained_columns"] == ["invoice_id"]:
        with op.batch_alter_table("commissions") as batch:
            batch.drop_constraint(pk["name"] or "pk_commissions", type_="primary")
            batch.create_primary_key("pk_commissions", ["invoice_id", "network"])
    Base.metadata.tables["federation_links"].create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    Base.metadata.tables["federation_links"].drop(bind)
    op.execute("DELETE FROM commissions WHERE side <> 'seller'")
    with op.batch_alter_table("commissions") as batch:
        batch.drop_constraint("pk_commissions", type_="primary")
        batch.create_primary_key("pk_commissions", ["invoice_id"])
    op.drop_index("ix_invoices_federation_link", "invoices")
    for table, columns in COLUMNS.items():
        for make in reversed(columns):
            op.drop_column(table, make().name)
