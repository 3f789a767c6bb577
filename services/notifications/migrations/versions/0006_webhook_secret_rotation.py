"""A webhook's previous secret, still signing until the end of a rotation's overlap.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from chassis.db import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates the tables from the current metadata: a new database has the columns already.
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("webhooks")}
    with op.batch_alter_table("webhooks") as batch:
        if "previous_secret" not in present:
            batch.add_column(sa.Column("previous_secret", sa.String(200), nullable=True))
        if "previous_secret_until" not in present:
            batch.add_column(sa.Column("previous_secret_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.drop_column("previous_secret_until")
        batch.drop_column("previous_secret")
