"""Directory schema: networks, tenants, members, users, API keys, refresh and reset tokens,
login failures, and the outbox/inbox of the chassis.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op

from chassis.outbox import create_messaging_tables
from gateway.db import DIRECTORY_TABLES, Base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for name in DIRECTORY_TABLES:
        Base.metadata.tables[name].create(bind)
    create_messaging_tables(op, Base.metadata)


def downgrade() -> None:
    bind = op.get_bind()
    for name in ("inbox", "outbox_sequence", "outbox", *reversed(DIRECTORY_TABLES)):
        Base.metadata.tables[name].drop(bind)
