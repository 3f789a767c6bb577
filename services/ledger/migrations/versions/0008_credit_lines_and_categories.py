"""Credit lines with a life and member categories: an account's category, the expiry and
review dates of its limit, the shortfall an expiry may leave it with (tolerated by the credit
check, never spendable), and the network's member categories.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ledger.db import accounts

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

WITHIN_CREDIT = "ck_accounts_within_credit"
OLD_CHECK = "balance - pending_debits + credit_limit >= 0"
NEW_CHECK = "balance - pending_debits + credit_limit + credit_shortfall >= 0"
SHORTFALL_CHECK = "ck_accounts_credit_shortfall_positive"
EXPIRY_INDEX = "ix_accounts_credit_limit_expires_on"


def _columns(bind: sa.Connection, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(bind).get_columns(table)}


def upgrade() -> None:
    bind = op.get_bind()
    # A database created by 0001 from today's models already has all of it.
    if "member_categories" not in _columns(bind, "networks"):
        op.add_column("networks", sa.Column("member_categories", sa.JSON(), nullable=True))
    if "credit_shortfall" in _columns(bind, "accounts"):
        return
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("category", sa.String(40), nullable=True))
        batch.add_column(sa.Column("credit_limit_expires_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("credit_limit_review_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("credit_shortfall", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.drop_constraint(op.f(WITHIN_CREDIT), type_="check")
        batch.create_check_constraint(op.f(WITHIN_CREDIT), sa.text(NEW_CHECK))
        batch.create_check_constraint(op.f(SHORTFALL_CHECK), sa.text("credit_shortfall >= 0"))
    next(i for i in accounts.indexes if i.name == EXPIRY_INDEX).create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    next(i for i in accounts.indexes if i.name == EXPIRY_INDEX).drop(bind, checkfirst=True)
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint(op.f(SHORTFALL_CHECK), type_="check")
        batch.drop_constraint(op.f(WITHIN_CREDIT), type_="check")
        batch.create_check_constraint(op.f(WITHIN_CREDIT), sa.text(OLD_CHECK))
        batch.drop_column("credit_shortfall")
        batch.drop_column("credit_limit_review_on")
        batch.drop_column("credit_limit_expires_on")
        batch.drop_column("category")
    op.drop_column("networks", "member_categories")
