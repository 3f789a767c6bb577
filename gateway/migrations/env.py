"""Alembic environment of the gateway's directory database."""

from chassis.migrate import run_env
from gateway.db import Base

run_env(Base.metadata)
