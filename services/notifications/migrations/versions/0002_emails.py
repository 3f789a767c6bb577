"""The e-mail outbox: one row per feed entry sent by e-mail, with its rendered French message.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

from notifications.db import metadata

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.tables["emails"].create(op.get_bind())


def downgrade() -> None:
    metadata.tables["emails"].drop(op.get_bind())
