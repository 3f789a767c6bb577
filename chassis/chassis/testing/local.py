"""Which backends the tests use: the environment's, else the machine's, else the embedded ones.

``TROC_DATABASE_URL`` / ``TROC_BROKER_URL`` set by hand (or by CI) win. When they are not set,
PostgreSQL and RabbitMQ are used if they answer at their default local addresses
(``postgresql+psycopg://postgres@127.0.0.1:5432`` with trust authentication,
``amqp://guest:guest@127.0.0.1:5672//``); otherwise the tests run on SQLite files and the
filesystem bus, as ``make run`` does. ``TROC_TEST_BACKENDS=embedded`` skips the probe and keeps
the embedded backends even when local servers answer.

``python -m chassis.testing.local`` prints the ``KEY=value`` lines to export (one per backend
found and not already configured) and, on standard error, one sentence saying what was chosen:
the Makefile's test stages and the benchmarks read it.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_DATABASE_TEMPLATE = "postgresql+psycopg://postgres@127.0.0.1:5432/troc_{service}"
LOCAL_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
PROBE_TIMEOUT = 2.0


def _port_answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            return True
    except OSError:
        return False


def postgres_answers() -> bool:
    """Whether PostgreSQL accepts ``postgres`` without a password on 127.0.0.1:5432."""
    if not _port_answers(5432):
        return False
    import psycopg

    try:
        with psycopg.connect(
            host="127.0.0.1",
            port=5432,
            user="postgres",
            dbname="postgres",
            connect_timeout=int(PROBE_TIMEOUT),
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def rabbitmq_answers() -> bool:
    """Whether RabbitMQ accepts guest/guest on 127.0.0.1:5672."""
    if not _port_answers(5672):
        return False
    from kombu import Connection

    try:
        with Connection(LOCAL_BROKER_URL, connect_timeout=PROBE_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure of the probe means "not there"
        return False
    return True


@dataclass(frozen=True)
class Choice:
    """The backends of a test run and the variables to export for them."""

    exports: dict[str, str]
    database: str
    broker: str

    def sentence(self) -> str:
        return f"test backends: database {self.database}; bus {self.broker}"


def choose(env: Mapping[str, str] | None = None) -> Choice:
    """Decide the backends for ``env`` (``os.environ`` by default), probing local servers."""
    env = os.environ if env is None else env
    embedded_only = env.get("TROC_TEST_BACKENDS", "").lower() == "embedded"
    exports: dict[str, str] = {}
    if env.get("TROC_DATABASE_URL"):
        database = f"{_redacted(env['TROC_DATABASE_URL'])} (TROC_DATABASE_URL)"
    elif not embedded_only and postgres_answers():
        exports["TROC_DATABASE_URL"] = LOCAL_DATABASE_TEMPLATE
        database = "PostgreSQL at 127.0.0.1:5432 (found running)"
    else:
        database = (
            "SQLite files (no PostgreSQL at 127.0.0.1:5432)"
            if not embedded_only
            else "SQLite files (TROC_TEST_BACKENDS=embedded)"
        )
    if env.get("TROC_BROKER_URL"):
        broker = f"{_redacted(env['TROC_BROKER_URL'])} (TROC_BROKER_URL)"
    elif not embedded_only and rabbitmq_answers():
        exports["TROC_BROKER_URL"] = LOCAL_BROKER_URL
        broker = "RabbitMQ at 127.0.0.1:5672 (found running)"
    else:
        broker = (
            "filesystem bus (no RabbitMQ at 127.0.0.1:5672)"
            if not embedded_only
            else "filesystem bus (TROC_TEST_BACKENDS=embedded)"
        )
    return Choice(exports, database, broker)


def apply(env: dict[str, str] | os._Environ[str] | None = None) -> Choice:
    """:func:`choose`, then set the chosen variables in ``env`` (``os.environ`` by default)."""
    target = os.environ if env is None else env
    choice = choose(target)
    target.update(choice.exports)
    return choice


def _redacted(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="no sentence on standard error")
    args = parser.parse_args(argv)
    choice = choose()
    for key, value in choice.exports.items():
        print(f"{key}={value}")
    if not args.quiet:
        print(choice.sentence(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
