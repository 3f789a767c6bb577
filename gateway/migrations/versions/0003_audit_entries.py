"""The audit log of staff actions (append-only).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from alembic import op

from gateway.db import Base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    Base.metadata.tables["audit_entries"].create(op.get_bind())


def downgrade() -> None:
    Base.metadata.tables["audit_entries"].drop(op.get_bind())
