"""pytest plugin of the chassis: settings and environment fixtures.

``TROC_DATABASE_URL`` / ``TROC_BROKER_URL`` select PostgreSQL and RabbitMQ; without them tests
use SQLite files in a temporary folder and ``memory://``. With ``TROC_REQUIRE_SERVICES=1`` (CI), a
test that needs PostgreSQL or RabbitMQ fails instead of skipping.
"""

from __future__ import annotations

import os

import pytest


def require_services() -> bool:
    return os.environ.get("TROC_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def postgres_url_template() -> str | None:
    url = os.environ.get("TROC_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def amqp_url() -> str | None:
    url = os.environ.get("TROC_BROKER_URL", "")
    return url if url.startswith(("amqp", "pyamqp")) else None


def need_postgres(reason: str) -> str:
    """Return the PostgreSQL URL template, or skip (fail in CI) with ``reason``."""
    url = postgres_url_template()
    if url is None:
        if require_services():
            pytest.fail(
                f"TROC_REQUIRE_SERVICES=1 but TROC_DATABASE_URL is not PostgreSQL ({reason})"
            )
        pytest.skip(f"needs PostgreSQL: {reason}")
    return url


def need_rabbitmq(reason: str) -> str:
    """Return the AMQP URL, or skip (fail in CI) with ``reason``."""
    url = amqp_url()
    if url is None:
        if require_services():
            pytest.fail(f"TROC_REQUIRE_SERVICES=1 but TROC_BROKER_URL is not amqp:// ({reason})")
        pytest.skip(f"needs RabbitMQ: {reason}")
    return url
