"""Structured logging: structlog for our code, the standard library routed through the same chain.

One JSON object per line (or a console rendering when ``log_json`` is off), each carrying the
service, the correlation and causation ids, the tenant in force and any ``message_id`` bound with
:func:`log_context`. Values of secret-looking keys are redacted: logs carry ids, never PII.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Final

import structlog
import structlog.tracebacks
from structlog.contextvars import bound_contextvars, merge_contextvars
from structlog.typing import EventDict, Processor, WrappedLogger

from chassis import context, tenancy
from chassis.config import Settings

#: Bind keys (e.g. ``message_id``) to every log line emitted inside the block.
log_context = bound_contextvars

REDACTED: Final = "[redacted]"
SENSITIVE_KEYS: Final = frozenset(
    {
        "password",
        "secret",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "api_key",
        "email",
        "phone",
        "iban",
    }
)

_HANDLER_FLAG: Final = "_chassis_log_handler"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at emit time (test capture, reconfiguration)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def add_request_context(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """Add the correlation id, causation id and tenant of the running request or message."""
    correlation = context.correlation_id.get()
    if correlation is not None:
        event.setdefault("correlation_id", correlation)
    causation = context.causation_id.get()
    if causation is not None:
        event.setdefault("causation_id", causation)
    tenant = tenancy.active_tenant()
    if tenant is not None:
        event.setdefault("tenant", tenant)
    return event


def redact_secrets(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """Replace the values of secret or personal keys, however a caller spelled them."""
    for key in event:
        if key.lower() in SENSITIVE_KEYS:
            event[key] = REDACTED
    return event


def _service_adder(service: str) -> Processor:
    def add_service(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
        event.setdefault("service", service)
        return event

    return add_service


def _drop_color_message(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    event.pop("color_message", None)
    return event


def configure_logging(settings: Settings) -> None:
    """Route structlog and standard logging to stderr at ``settings.log_level``; idempotent."""
    shared: list[Processor] = [
        merge_contextvars,
        add_request_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _service_adder(settings.service_name),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        _drop_color_message,
        redact_secrets,
    ]
    final: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if settings.log_json:
        # Frame locals are left out: they hold request bodies, passwords and tokens.
        tracebacks = structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False, use_rich=False)
        )
        final += [tracebacks, structlog.processors.JSONRenderer()]
    else:
        final.append(
            structlog.dev.ConsoleRenderer(
                colors=False, exception_formatter=structlog.dev.plain_traceback
            )
        )
    formatter = structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=final)

    handler = _StderrHandler()
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_FLAG, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_FLAG, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str | None = None, **initial: Any) -> structlog.stdlib.BoundLogger:
    """A structlog logger (named after the module by convention) with ``initial`` keys bound."""
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name, **initial)
    return logger
