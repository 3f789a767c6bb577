"""Request and message context: correlation id, causation id and the acting identity.

Set by the HTTP hook for each request and by the worker for each message; read by the logger, the
outbox (which copies the ids into the envelopes it writes) and the tenancy guards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)


def new_id() -> str:
    return str(uuid.uuid4())


def current_correlation_id() -> str:
    """The correlation id in force, or a fresh one (a root action starts a new chain)."""
    return correlation_id.get() or new_id()


@contextmanager
def message_context(correlation: str | None, causation: str | None) -> Iterator[None]:
    """Bind the ids of the message being handled, so what it causes carries them on."""
    tokens = (
        correlation_id.set(correlation or new_id()),
        causation_id.set(causation),
    )
    try:
        yield
    finally:
        correlation_id.reset(tokens[0])
        causation_id.reset(tokens[1])
