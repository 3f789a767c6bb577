"""Account e-mails (password reset links, invitations) have no feed entry.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("emails") as batch:
        batch.alter_column("notification_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM emails WHERE notification_id IS NULL")
    with op.batch_alter_table("emails") as batch:
        batch.alter_column("notification_id", existing_type=sa.Uuid(), nullable=False)
