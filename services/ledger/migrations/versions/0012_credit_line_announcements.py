"""The credit line's date last announced to the animators (``credit_line_due``): each review
or expiry entering the 30-day horizon is announced once, again only when the dates change.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMN = "credit_line_notified_for"


def upgrade() -> None:
    # A database created by 0001 from today's models already has it.
    if COLUMN in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("accounts")}:
        return
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column(COLUMN, sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column(COLUMN)
