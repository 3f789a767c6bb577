"""``eventually``: the one way tests wait for something asynchronous (a bus message, a process)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import requests

T = TypeVar("T")

#: What counts as "not yet" rather than a failure while waiting: a check that asserts, a service
#: that does not answer yet, a row or an item not there yet.
NOT_YET: tuple[type[BaseException], ...] = (
    AssertionError,
    requests.RequestException,
    KeyError,
    IndexError,
    StopIteration,
    LookupError,
)


def eventually(
    check: Callable[[], T], timeout: float = 45.0, interval: float = 0.2, *, what: str = ""
) -> T:
    """Call ``check`` until it returns something truthy, and return that.

    Until ``timeout`` seconds have passed, the errors of :data:`NOT_YET` and falsy results mean
    "try again in ``interval`` seconds". At the deadline it raises ``AssertionError`` naming
    ``what`` (or the check) and the last result, chained to the last error if there was one, so a
    failure shows its real cause. Any other exception propagates at once.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    last_result: object = None
    while True:
        try:
            result = check()
        except NOT_YET as exc:
            last_error, last_result = exc, None
        else:
            if result:
                return result
            last_error, last_result = None, result
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    name = what or getattr(check, "__name__", "the condition")
    detail = (
        f"last error: {type(last_error).__name__}: {last_error}"
        if last_error
        else f"last result: {last_result!r}"
    )
    raise AssertionError(f"{name} not met within {timeout:g} s ({detail})"[:2000]) from last_error
