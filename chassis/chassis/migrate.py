"""Alembic, driven from code: each service keeps its own migration history for its own database.

A service's ``migrations/env.py`` is three lines calling :func:`run_env`; ``upgrade(settings,
folder)`` is what ``<service>.cli migrate`` and the test fixtures call.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool

from chassis.config import Settings
from chassis.db import make_engine


def alembic_config(settings: Settings, folder: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.attributes["settings"] = settings
    return config


def upgrade(settings: Settings, folder: Path, revision: str = "head") -> None:
    """Bring the service's database to ``revision``."""
    command.upgrade(alembic_config(settings, folder), revision)


def run_env(metadata: MetaData) -> None:
    """Body of a service's ``env.py``: run the migrations online on the service's engine."""
    settings: Settings = context.config.attributes["settings"]
    engine = make_engine(settings, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
