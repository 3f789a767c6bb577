"""The outbox as a queue: the relay woken by the writing transaction, the inbox's retention index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from alembic import op

from chassis.outbox import downgrade_messaging_tables, upgrade_messaging_tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    upgrade_messaging_tables(op)


def downgrade() -> None:
    downgrade_messaging_tables(op)
