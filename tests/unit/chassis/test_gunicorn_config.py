"""gunicorn's access log is written by the structured logger, and forwarded headers are believed
from the trusted proxies only (``deploy/gunicorn.conf.py``)."""

from __future__ import annotations

import json
import logging
import runpy
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import structlog
from gunicorn.config import Config

from chassis.config import Settings
from chassis.gunicorn_logging import StructuredAccessLogger
from chassis.logs import configure_logging

CONFIG = Path(__file__).resolve().parents[3] / "deploy" / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def load_config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("TROC_FORWARDED_ALLOW_IPS", "TROC_TRUSTED_PROXIES", "TROC_METRICS_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def gunicorn_config(values: dict[str, Any]) -> Config:
    config = Config()
    for name in ("accesslog", "logger_class", "forwarded_allow_ips"):
        if name in values:
            config.set(name, values[name])
    return config


def test_the_access_log_has_no_hand_written_template(monkeypatch: pytest.MonkeyPatch) -> None:
    values = load_config(monkeypatch)
    assert "access_log_format" not in values
    assert gunicorn_config(values).logger_class is StructuredAccessLogger


@pytest.mark.parametrize(
    "path, agent",
    [
        ('/t/pie/accounts\n{"forged": true}', "curl\\"),
        ('/x"y', 'Mozilla "quoted" \\'),
    ],
)
def test_each_request_is_one_valid_json_line_whatever_it_carries(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: str, agent: str
) -> None:
    configure_logging(Settings(service_name="ledger"))
    logger = StructuredAccessLogger(gunicorn_config(load_config(monkeypatch)))
    response = SimpleNamespace(
        status="404 NOT FOUND", sent=12, headers=[("X-Correlation-ID", "c-1")]
    )
    environ = {
        "REMOTE_ADDR": "198.51.100.7",
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "a=%0A",
        "HTTP_USER_AGENT": agent,
    }
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(microseconds=1500))
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1, lines
    record = json.loads(lines[0])
    assert (record["event"], record["logger"], record["service"]) == (
        "request",
        "troc.access",
        "ledger",
    )
    assert (record["path"], record["user_agent"], record["status"]) == (path, agent, 404)
    assert (record["duration_us"], record["bytes"], record["correlation_id"]) == (1500, 12, "c-1")
    assert "forged" not in record


def test_forwarded_headers_are_believed_from_the_loopback_only_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = load_config(monkeypatch)
    assert "*" not in values["forwarded_allow_ips"]
    assert gunicorn_config(values).forwarded_allow_ips == ["127.0.0.1", "::1"]


def test_forwarded_headers_follow_the_trusted_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    values = load_config(monkeypatch, TROC_TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1")
    assert gunicorn_config(values).forwarded_allow_ips == ["10.0.0.0/8", "127.0.0.1"]
    values = load_config(
        monkeypatch, TROC_TRUSTED_PROXIES="10.0.0.0/8", TROC_FORWARDED_ALLOW_IPS="192.0.2.1"
    )
    assert gunicorn_config(values).forwarded_allow_ips == ["192.0.2.1"]
