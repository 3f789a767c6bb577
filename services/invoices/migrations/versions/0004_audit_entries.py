"""The invoices' audit log: the validations and rejections of the animators.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-06
"""

from alembic import op

from invoices.db import audit_entries

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    audit_entries.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    audit_entries.drop(op.get_bind(), checkfirst=True)
