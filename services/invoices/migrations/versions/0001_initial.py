"""Invoices schema: copies of networks, tenants, members and accounts; invoices, counters, saga
links, commissions, documents; outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op

from chassis.outbox import create_messaging_tables
from invoices.db import Base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "networks",
    "tenants",
    "members",
    "accounts",
    "invoices",
    "invoice_counters",
    "saga_transfers",
    "commissions",
    "documents",
)


def upgrade() -> None:
    bind = op.get_bind()
    for name in TABLES:
        Base.metadata.tables[name].create(bind)
    create_messaging_tables(op, Base.metadata)


def downgrade() -> None:
    bind = op.get_bind()
    for name in ("inbox", "outbox_sequence", "outbox", *reversed(TABLES)):
        Base.metadata.tables[name].drop(bind)
