"""Alembic environment of the ledger database."""

from chassis.migrate import run_env
from ledger.db import Base

run_env(Base.metadata)
