"""Notifications schema: member copies, the feed, webhook subscriptions, deliveries and their
attempts, outbox/inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op

from chassis.outbox import create_messaging_tables
from notifications.db import TABLES, metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for name in TABLES:
        metadata.tables[name].create(bind)
    create_messaging_tables(op, metadata)


def downgrade() -> None:
    bind = op.get_bind()
    for name in ("inbox", "outbox_sequence", "outbox", *reversed(TABLES)):
        metadata.tables[name].drop(bind)
