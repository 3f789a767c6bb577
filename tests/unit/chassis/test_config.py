"""Settings come from TROC_* variables only, with embedded defaults and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from chassis.config import ConfigError, Settings


def test_defaults_run_embedded(tmp_path: Path) -> None:
    settings = Settings.from_env("ledger", {"TROC_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/ledger.db"
    assert settings.broker_url == "filesystem://"
    assert settings.port == 8002
    assert settings.bus_dir == tmp_path / "bus"
    assert settings.jwks == str(tmp_path / "keys" / "jwks.json")
    assert settings.service_urls["ledger"] == "http://127.0.0.1:8002"


def test_the_database_template_names_each_service_database(tmp_path: Path) -> None:
    env = {
        "TROC_DATABASE_URL": "postgresql+psycopg://postgres@db:5432/troc_{service}",
        "TROC_VAR_DIR": str(tmp_path),
    }
    assert Settings.from_env("ledger", env).database_url.endswith("/troc_ledger")
    assert Settings.from_env("gateway", env).database_url.endswith("/troc_gateway")
    override = {**env, "TROC_LEDGER_DATABASE_URL": "postgresql+psycopg://ledger-db/ledger"}
    assert Settings.from_env("ledger", override).database_url == (
        "postgresql+psycopg://ledger-db/ledger"
    )


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("TROC_LEDGER_PORT", "eighty", "integer"),
        ("TROC_WORKER_PREFETCH", "0", ">= 1"),
        ("TROC_LOG_JSON", "maybe", "boolean"),
        ("TROC_BROKER_URL", "redis://localhost", "amqp://"),
        ("TROC_LOG_LEVEL", "chatty", "TROC_LOG_LEVEL"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env("ledger", {"TROC_VAR_DIR": str(tmp_path), name: value})


def test_service_urls_follow_ports_and_explicit_urls(tmp_path: Path) -> None:
    settings = Settings.from_env(
        "gateway",
        {
            "TROC_VAR_DIR": str(tmp_path),
            "TROC_LISTINGS_PORT": "9001",
            "TROC_LEDGER_URL": "http://ledger.internal:8080/",
        },
    )
    assert settings.service_urls["listings"] == "http://127.0.0.1:9001"
    assert settings.service_urls["ledger"] == "http://ledger.internal:8080"
