"""Per-member e-mail preferences: which kinds of notification a company gets by e-mail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

from notifications.db import metadata

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.tables["email_preferences"].create(op.get_bind())


def downgrade() -> None:
    metadata.tables["email_preferences"].drop(op.get_bind())
