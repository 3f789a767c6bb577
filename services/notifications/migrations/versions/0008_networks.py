"""The networks' names, from the gateway's events: webhooks of cross-network transfers name the
partner network.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from alembic import op

from notifications.db import metadata

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.tables["networks"].create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    metadata.tables["networks"].drop(op.get_bind(), checkfirst=True)
