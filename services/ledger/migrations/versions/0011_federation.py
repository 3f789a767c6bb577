"""Trade between networks: the links' copies and the cross-network sagas.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

Clearing accounts need no change of schema: they are ``accounts`` rows of kind ``clearing``.
"""

from alembic import op

from ledger.federation_db import federation_links, federation_sagas

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    federation_links.create(bind, checkfirst=True)
    federation_sagas.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    federation_sagas.drop(bind, checkfirst=True)
    federation_links.drop(bind, checkfirst=True)
