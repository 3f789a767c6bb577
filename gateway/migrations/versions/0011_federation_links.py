"""Links between networks (trade across networks through clearing accounts).

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op

from gateway.db import Base

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    Base.metadata.tables["federation_links"].create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    Base.metadata.tables["federation_links"].drop(op.get_bind(), checkfirst=True)
