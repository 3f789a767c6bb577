"""History of credit limits, and the indexes of a tenant's activity.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op
from sqlalchemy import insert, literal, select

from chassis.db import UTCDateTime, utcnow
from ledger.db import Base, accounts, credit_limit_changes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Built from the models: a database created by 0001 from today's models already has them.
NEW_INDEXES = (
    "ix_accounts_tenant",
    "ix_transfers_payer_tenant_posted",
    "ix_transfers_payee_tenant_posted",
)


def _indexes() -> list:
    return [
        index
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if index.name in NEW_INDEXES
    ]


def upgrade() -> None:
    bind = op.get_bind()
    credit_limit_changes.create(bind, checkfirst=True)
    for index in _indexes():
        index.create(bind, checkfirst=True)
    # Accounts opened before the history existed start it with their current limit.
    bind.execute(
        insert(credit_limit_changes).from_select(
            ["account_id", "credit_limit", "reason", "changed_at"],
            select(
                accounts.c.id,
                accounts.c.credit_limit,
                literal(""),
                literal(utcnow(), UTCDateTime()),
            )
            .where(accounts.c.kind == "member")
            .where(~accounts.c.id.in_(select(credit_limit_changes.c.account_id))),
        )
    )


def downgrade() -> None:
    bind = op.get_bind()
    for index in _indexes():
        index.drop(bind, checkfirst=True)
    credit_limit_changes.drop(bind, checkfirst=True)
