"""Structured logging: JSON lines with the request context, stdlib routed through, no secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from chassis import context, tenancy
from chassis.auth import ANIMATOR, Identity
from chassis.config import Settings
from chassis.logs import REDACTED, configure_logging, get_logger, log_context


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]


def settings(**overrides: Any) -> Settings:
    return Settings(service_name="ledger", **overrides)


class TestJsonLines:
    def test_structlog_line_carries_the_request_context(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging(settings())
        identity = Identity(subject="u", roles=frozenset({ANIMATOR}), tenant="acme")
        with (
            context.message_context("corr-1", "cause-1"),
            tenancy.identity_scope(identity),
            log_context(message_id="msg-1"),
        ):
            get_logger("ledger.handlers").info("transfer_posted", amount_cents=1250)
        (line,) = lines(capsys)
        assert line["event"] == "transfer_posted"
        assert line["level"] == "info"
        assert line["logger"] == "ledger.handlers"
        assert line["service"] == "ledger"
        assert line["correlation_id"] == "corr-1"
        assert line["causation_id"] == "cause-1"
        assert line["tenant"] == "acme"
        assert line["message_id"] == "msg-1"
        assert line["amount_cents"] == 1250
        assert line["timestamp"].endswith("Z")

    def test_standard_logging_goes_through_the_same_chain(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging(settings())
        with tenancy.tenant_scope("globex"):
            logging.getLogger("kombu.somewhere").warning("lost %s", "link", extra={"retry": 2})
        (line,) = lines(capsys)
        assert (line["event"], line["level"], line["tenant"]) == ("lost link", "warning", "globex")
        assert line["retry"] == 2
        assert line["service"] == "ledger"

    def test_level_comes_from_settings(self, capsys: pytest.CaptureFixture[str]) -> None:
        configure_logging(settings(log_level="WARNING"))
        get_logger("x").info("hidden")
        logging.getLogger("y").info("hidden too")
        get_logger("x").warning("shown")
        assert [line["event"] for line in lines(capsys)] == ["shown"]

    def test_configuring_twice_does_not_duplicate_lines(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging(settings())
        configure_logging(settings())
        logging.getLogger("z").warning("once")
        assert len(lines(capsys)) == 1


class TestNoSecrets:
    def test_secret_and_personal_keys_are_redacted(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging(settings())
        get_logger("gateway").info("login", password="hunter2", Email="a@b.fr", user_id="u-1")
        logging.getLogger("gateway").info("key", extra={"api_key": "sk-123"})
        first, second = lines(capsys)
        assert first["password"] == first["Email"] == REDACTED
        assert first["user_id"] == "u-1"
        assert second["api_key"] == REDACTED

    def test_tracebacks_are_structured_without_frame_locals(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging(settings())

        def charge(card_number: str) -> None:
            raise ValueError("declined")

        try:
            charge("4111111111111111")
        except ValueError:
            logging.getLogger("payments").exception("charge_failed")
        (line,) = lines(capsys)
        assert line["exception"][0]["exc_type"] == "ValueError"
        assert "4111111111111111" not in json.dumps(line)


class TestConsole:
    def test_console_rendering_when_json_is_off(self, capsys: pytest.CaptureFixture[str]) -> None:
        configure_logging(settings(log_json=False))
        with context.message_context("corr-9", None):
            get_logger("dev").info("started", port=8002)
        output = capsys.readouterr().err
        assert "started" in output and "port=8002" in output and "correlation_id=corr-9" in output
        with pytest.raises(json.JSONDecodeError):
            json.loads(output)
