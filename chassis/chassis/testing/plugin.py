"""pytest plugin of the chassis: settings and environment fixtures.

``TROC_DATABASE_URL`` / ``TROC_BROKER_URL`` select PostgreSQL and RabbitMQ. When they are not set,
the session uses PostgreSQL and RabbitMQ if they answer at their default local addresses
(:mod:`chassis.testing.local`, said in the header of the run); otherwise tests use SQLite files in
a temporary folder, and the whole platform runs on the filesystem bus, as ``make run`` does. With
``TROC_REQUIRE_SERVICES=1`` (CI), a test that needs PostgreSQL or RabbitMQ fails instead of
skipping.
"""

from __future__ import annotations

import os

import pytest

from chassis.testing import local

#: Set once the backends are chosen, so that pytest-xdist's workers inherit the choice.
_CHOSEN = "TROC_TEST_BACKENDS_CHOSEN"


def pytest_configure(config: pytest.Config) -> None:
    """Choose the backends once per session, before pytest-xdist starts its workers."""
    if os.environ.get(_CHOSEN):
        return
    choice = local.apply()
    os.environ[_CHOSEN] = choice.sentence()


def pytest_report_header(config: pytest.Config) -> str:
    return os.environ.get(_CHOSEN) or local.choose().sentence()


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
