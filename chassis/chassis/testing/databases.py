"""Test databases: one per service and per pytest-xdist worker, migrated once per session.

On PostgreSQL (``TROC_DATABASE_URL`` set) the database ``troc_<service>_test_<worker>`` is
recreated from scratch; otherwise a SQLite file in a temporary folder is used. Tests isolate
themselves with random networks, tenants and ids rather than truncating tables.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chassis.config import Settings
from chassis.migrate import upgrade
from chassis.testing.plugin import need_postgres, postgres_url_template


def worker_id() -> str:
    """This pytest process's part of a test database name.

    ``TROC_TEST_RUN`` (letters and digits) keeps two test runs on one PostgreSQL server apart.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    run = os.environ.get("TROC_TEST_RUN", "")
    if run and not run.isalnum():
        raise ValueError(f"TROC_TEST_RUN must be letters and digits, not {run!r}")
    return f"{run}_{worker}" if run else worker


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in ``url`` (connecting to ``postgres``)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = target.database
    assert name and name.replace("_", "").isalnum(), name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def service_test_settings(
    service: str,
    tmp_dir: Path,
    *,
    migrations: Path | None = None,
    backend: str = "auto",
    extra: dict[str, str] | None = None,
    database: str | None = None,
    template: str | None = None,
) -> Settings:
    """Settings of ``service`` on a fresh, migrated test database.

    ``backend``: ``auto`` (PostgreSQL when ``TROC_DATABASE_URL`` names one, else SQLite),
    ``sqlite``, or ``postgres`` (skips, or fails in CI, without PostgreSQL). ``template``, a
    PostgreSQL URL template like ``TROC_DATABASE_URL``'s, names the server to use instead of the
    environment's (a test's own server, say).
    """
    if template is None and backend == "postgres":
        template = need_postgres(f"{service} on PostgreSQL")
    elif template is None and backend == "auto":
        template = postgres_url_template()
    env = {"TROC_VAR_DIR": str(tmp_dir), "TROC_BROKER_URL": "memory://", **(extra or {})}
    if template:
        url = template.format(service=f"{database or service}_test_{worker_id()}")
        recreate_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_dir}/{database or service}.db"
    env["TROC_DATABASE_URL"] = url
    settings = Settings.from_env(service, env)
    if migrations is not None:
        upgrade(settings, migrations)
    return settings
