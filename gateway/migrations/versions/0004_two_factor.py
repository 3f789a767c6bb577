"""Two-factor login: TOTP secrets, recovery codes, and the networks' staff_2fa_required.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from gateway.db import Base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # A database created by 0001 from today's models already has the column.
    if "staff_2fa_required" not in {c["name"] for c in sa.inspect(bind).get_columns("networks")}:
        op.add_column(
            "networks",
            sa.Column(
                "staff_2fa_required", sa.Boolean(), nullable=False, server_default=sa.false()
            ),
        )
    Base.metadata.tables["user_totp"].create(bind, checkfirst=True)
    Base.metadata.tables["recovery_codes"].create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    Base.metadata.tables["recovery_codes"].drop(bind, checkfirst=True)
    Base.metadata.tables["user_totp"].drop(bind, checkfirst=True)
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("staff_2fa_required")
