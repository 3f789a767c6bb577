"""Alembic environment of the notifications database."""

from chassis.migrate import run_env
from notifications.db import metadata

run_env(metadata)
