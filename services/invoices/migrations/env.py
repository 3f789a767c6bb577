"""Alembic environment of the invoices database."""

from chassis.migrate import run_env
from invoices.db import Base

run_env(Base.metadata)
