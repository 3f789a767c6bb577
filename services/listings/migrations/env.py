"""Alembic environment of the listings database."""

from chassis.migrate import run_env
from listings.db import Base

run_env(Base.metadata)
