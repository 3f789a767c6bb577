"""gunicorn's access log written by the structured logger (``logger_class`` of the gunicorn config).

gunicorn's own access log fills a ``%``-template: values are pasted into the line as they come,
so a JSON template breaks on a User-Agent ending in ``\\`` and a client can forge a second line
with a ``%0A`` in a path. Here each request becomes one ``logging`` record whose values are keys
of the event, rendered (and escaped) by the chassis' structlog chain like every other line.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from gunicorn.glogging import Logger as GunicornBaseLogger

#: The standard-library logger the access records go to (propagating to the chassis' handler).
ACCESS_LOGGER: Final = "troc.access"


class StructuredAccessLogger(GunicornBaseLogger):  # type: ignore[misc]
    """gunicorn's logger whose access lines are structured records, not a filled template."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.cfg.accesslog:
            return
        status = getattr(resp, "status_code", None)
        if status is None:
            status_text = str(getattr(resp, "status", "") or "")
            status = int(status_text.split(None, 1)[0]) if status_text[:3].isdigit() else None
        duration_us = request_time.seconds * 1_000_000 + request_time.microseconds
        answered = {name.lower(): value for name, value in (getattr(resp, "headers", None) or ())}
        fields: dict[str, Any] = {
            "remote": environ.get("REMOTE_ADDR") or "-",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or "",
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_us": duration_us,
            "user_agent": environ.get("HTTP_USER_AGENT"),
            # The id the service answered with (the client's when valid, else a new one).
            "correlation_id": answered.get("x-correlation-id")
            or environ.get("HTTP_X_CORRELATION_ID"),
        }
        logging.getLogger(ACCESS_LOGGER).info("request", extra=fields)
