"""Network-scoped API keys: an integrator's key reading every tenant of one network.

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-06
"""

from alembic import op

from gateway.db import Base

revision = "0010"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    Base.metadata.tables["network_api_keys"].create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    Base.metadata.tables["network_api_keys"].drop(op.get_bind(), checkfirst=True)
