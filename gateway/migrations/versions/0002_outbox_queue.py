"""The outbox as a queue: the relay woken by the writing transaction; the indexes of the
retention purge (inbox, refused logins).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from alembic import op

from chassis.outbox import downgrade_messaging_tables, upgrade_messaging_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    upgrade_messaging_tables(op)
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_login_failures_last_failure_at"
        " ON login_failures (last_failure_at)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_login_failures_last_failure_at")
    downgrade_messaging_tables(op)
