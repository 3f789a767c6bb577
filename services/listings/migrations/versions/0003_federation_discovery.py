"""Discovery between linked networks (issue #20): the copy of the federation links, the
``federation`` visibility of listings (a longer column, a wider check) and the partial index of
the live shared listings that a linked network's search reads.

A database created by 0001 from today's models already has all three: each step checks first.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from listings.db.tables import VISIBILITY_CHECK, federation_links, listings_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_CHECK = "visibility IN ('tenant', 'network')"


def _listings_sql(bind: sa.Connection) -> str:
    """The listings table's check constraints as the database holds them."""
    if bind.dialect.name == "postgresql":
        return " ".join(
            bind.execute(
                sa.text(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = 'listings'::regclass AND contype = 'c'"
                )
            ).scalars()
        )
    return str(
        bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'listings'")
        ).scalar()
    )


def _set_visibility_check(old: str, new: str, length: int) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE listings DROP CONSTRAINT IF EXISTS ck_listings_visibility")
        op.execute(f"ALTER TABLE listings ALTER COLUMN visibility TYPE varchar({length})")
        op.execute(f"ALTER TABLE listings ADD CONSTRAINT ck_listings_visibility CHECK ({new})")
        return
    # SQLite alters no check: rebuilding the table would cascade to its dependants (foreign keys
    # are on). A check that only changes what is accepted is rewritten in the schema instead,
    # SQLite's documented way (ALTER TABLE, "making other kinds of table schema changes").
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar_one()
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(
        sa.text(
            "UPDATE sqlite_master SET sql = replace(sql, :old, :new)"
            " WHERE type = 'table' AND name = 'listings'"
        ),
        {"old": old, "new": new},
    )
    bind.execute(sa.text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))


FEDERATION_INDEX = "ix_listings_federation_published"


def _federation_index() -> sa.Index:
    (index,) = [i for i in listings_table.indexes if i.name == FEDERATION_INDEX]
    return index


def upgrade() -> None:
    bind = op.get_bind()
    federation_links.create(bind, checkfirst=True)
    if "federation" not in _listings_sql(bind):
        _set_visibility_check(OLD_CHECK, VISIBILITY_CHECK, 16)
    _federation_index().create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    op.execute(f"DROP INDEX IF EXISTS {FEDERATION_INDEX}")
    op.execute("UPDATE listings SET visibility = 'network' WHERE visibility = 'federation'")
    _set_visibility_check(VISIBILITY_CHECK, OLD_CHECK, 8)
    federation_links.drop(bind, checkfirst=True)
