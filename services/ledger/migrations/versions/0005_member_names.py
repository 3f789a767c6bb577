"""Who each account belongs to (company name and SIRET), so that statements name counterparties.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from alembic import op

from ledger.db import member_names

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 builds from today's models only the tables it lists: this one is created here.
    member_names.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    member_names.drop(op.get_bind(), checkfirst=True)
