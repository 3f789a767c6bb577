"""The invoices' 0008 (a payment's other side between linked networks): down and up again."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from chassis.db import make_engine
from chassis.migrate import alembic_config, upgrade
from chassis.testing.databases import service_test_settings

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "invoices" / "migrations"
COLUMNS = {"federation", "federation_link_id"}


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_0008_down_and_up_again(backend: str, tmp_path: Path) -> None:
    settings = service_test_settings(
        "invoices", tmp_path, migrations=MIGRATIONS, backend=backend, database="invoices_0008"
    )
    engine = make_engine(settings)
    try:
        present = {c["name"] for c in sa.inspect(engine).get_columns("payments")}
        assert present >= COLUMNS
        command.downgrade(alembic_config(settings, MIGRATIONS), "0007")
        present = {c["name"] for c in sa.inspect(engine).get_columns("payments")}
        assert not COLUMNS & present
        upgrade(settings, MIGRATIONS)
        present = {c["name"] for c in sa.inspect(engine).get_columns("payments")}
        assert present >= COLUMNS
    finally:
        engine.dispose()
