"""The outbox as a queue: the relay woken by the writing transaction; the delivery loop woken
likewise by new webhook deliveries and e-mails; the indexes of the retention purge (inbox,
webhook deliveries, e-mails).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from alembic import op

from chassis.outbox import downgrade_messaging_tables, upgrade_messaging_tables
from chassis.wakeup import outbox_notify_ddl, outbox_notify_drop_ddl
from notifications.db import DELIVERIES_CHANNEL

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: Created from the models by 0001 on a new database; here for one made before.
INDEXES = (
    ("ix_webhook_deliveries_created_at", "webhook_deliveries", "created_at"),
    ("ix_emails_created_at", "emails", "created_at"),
)

#: Tables whose new rows wake the delivery loop.
DUE = ("webhook_deliveries", "emails")


def upgrade() -> None:
    upgrade_messaging_tables(op)
    for name, table, column in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
    if op.get_bind().dialect.name == "postgresql":
        for table in DUE:
            for statement in outbox_notify_ddl(table, DELIVERIES_CHANNEL):
                op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in DUE:
            for statement in outbox_notify_drop_ddl(table, DELIVERIES_CHANNEL):
                op.execute(statement)
    for name, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    downgrade_messaging_tables(op)
