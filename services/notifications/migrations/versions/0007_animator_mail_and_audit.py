"""The animators' validation e-mails (who the staff are, their choice, the invoices waiting,
the keys of the e-mails queued) and the notifications' audit log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from alembic import op

from notifications.db import metadata

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_TABLES = (
    "staff_users",
    "animator_preferences",
    "validations",
    "notice_keys",
    "audit_entries",
)


def upgrade() -> None:
    bind = op.get_bind()
    for name in NEW_TABLES:
        metadata.tables[name].create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    for name in reversed(NEW_TABLES):
        metadata.tables[name].drop(bind, checkfirst=True)
