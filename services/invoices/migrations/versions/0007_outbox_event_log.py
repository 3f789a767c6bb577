"""The outbox a queue, the event log its own partition (PostgreSQL).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

The invoices' events are sequenced in place and stay as the per-tenant log ``GET /t/<t>/events``
replays. On PostgreSQL the outbox becomes a table partitioned on ``sequence``
(``chassis.outbox.partition_outbox_ddl``): ``outbox_pending`` holds the rows without a sequence
(the queue, as small as what is in flight), ``outbox_log`` the sequenced ones; the relay's
``UPDATE`` that gives a row its sequence moves it from the one to the other. Nothing changes on
SQLite.
"""

from alembic import op

from chassis.outbox import partition_outbox_ddl, unpartition_outbox_ddl

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in partition_outbox_ddl():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in unpartition_outbox_ddl():
            op.execute(statement)
