"""Migration 0003 both ways, on both backends: a database of the listings before discovery
between networks (the visibility check of 0001's day) gets the federation links and the
``federation`` visibility, and going back leaves network-wide listings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import DataError, IntegrityError

from chassis.db import make_engine
from chassis.migrate import alembic_config, upgrade
from chassis.testing.databases import service_test_settings
from listings.db import listings_table

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "listings" / "migrations"
NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
INDEX = "ix_listings_federation_published"


def _insert(conn: sa.Connection, visibility: str) -> uuid.UUID:
    listing_id = uuid.uuid4()
    conn.execute(
        sa.insert(listings_table).values(
            id=listing_id,
            network="troc-actif",
            tenant="pie",
            member_id=uuid.uuid4(),
            kind="offer",
            title="Offre",
            description="",
            category="autre",
            category_label="",
            price_type="on_quote",
            price_amount=None,
            payment_mask=1,
            departments="",
            nationwide=True,
            visibility=visibility,
            status="active",
            created_at=NOW,
            updated_at=NOW,
            published_at=NOW,
        )
    )
    return listing_id


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_0003_down_and_up_again(backend: str, tmp_path: Path) -> None:
    settings = service_test_settings(
        "listings", tmp_path, migrations=MIGRATIONS, backend=backend, database="listings_0003"
    )
    engine = make_engine(settings)
    try:
        with engine.begin() as conn:
            shared = _insert(conn, "federation")
        command.downgrade(alembic_config(settings, MIGRATIONS), "0002")
        assert "federation_links" not in sa.inspect(engine).get_table_names()
        assert INDEX not in {i["name"] for i in sa.inspect(engine).get_indexes("listings")}
        with engine.begin() as conn:
            kept = conn.execute(
                sa.select(listings_table.c.visibility).where(listings_table.c.id == shared)
            ).scalar_one()
        assert kept == "network"
        with pytest.raises((IntegrityError, DataError)), engine.begin() as conn:
            _insert(conn, "federation")  # the check (SQLite), the column's length (PostgreSQL)

        upgrade(settings, MIGRATIONS)
        assert "federation_links" in sa.inspect(engine).get_table_names()
        assert INDEX in {i["name"] for i in sa.inspect(engine).get_indexes("listings")}
        with engine.begin() as conn:
            _insert(conn, "federation")
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert(conn, "planet")
    finally:
        engine.dispose()
