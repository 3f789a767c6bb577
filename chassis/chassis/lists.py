"""One shape for every list, and the deprecated opt-in to the older shapes.

Every list answers an object whose ``items`` holds the entries:

- offset pages (``?page=&per_page=``): ``{"items": [...], "page", "per_page", "total"}``
  (``chassis.schemas.page_of``);
- an event log read by position (``?after=&limit=``): ``{"items": [...], "next_after"}``, where
  ``next_after`` is the position to pass as ``after`` to read on.

Some lists used to answer another shape: a bare array (``/accounts``, ``/categories``, a
listing's ``/matches``), a bare array with ``X-Total-Count``/``X-Page``/``X-Per-Page`` (a
statement) or ``{"events": [...], "next_after"}`` (``/events``). For one version a client still
reading one of those sends the request header ``Troc-List-Shape: legacy``: the answer comes in
the old shape, with ``Deprecation`` (RFC 9745) and a ``Link`` to the documentation of the change.
The opt-in is deprecated and goes in the next version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from flask import Response, jsonify, request
from flask_smorest import abort  # type: ignore[import-untyped]

from chassis.messages import Envelope

#: The request header choosing a list's shape.
LIST_SHAPE_HEADER: Final = "Troc-List-Shape"
#: Its values: the older shape of the list (deprecated), or the current one (the default).
LEGACY: Final = "legacy"
CURRENT: Final = "items"

#: ``Deprecation`` (RFC 9745, a structured-field date): the older shapes are deprecated since
#: 2026-12-06T00:00:00Z.
DEPRECATED_SINCE: Final = "@1796515200"
#: Where the change is explained (``Link: <...>; rel="deprecation"``).
DEPRECATION_LINK: Final = '</docs#list-shapes>; rel="deprecation"'

#: The spec's words on list shapes (``info.description`` of every service's and the gateway's).
LIST_SHAPES_DOC: Final = (
    "## List shapes\n\n"
    "Every list answers an object whose `items` holds the entries. Offset pages (`page`, "
    "`per_page`) answer `{items, page, per_page, total}`; an event log read by position "
    "(`after`, `limit`) answers `{items, next_after}`, `next_after` being the `after` of the "
    "next page.\n\n"
    "**Deprecated**, for one version: a client still reading a list's older shape (a bare "
    "array; a statement's bare array with `X-Total-Count`, `X-Page`, `X-Per-Page`; the event "
    "log's `{events, next_after}`) sends the header `Troc-List-Shape: legacy` and gets it, "
    "with the response headers `Deprecation` (RFC 9745) and `Link: </docs#list-shapes>; "
    'rel="deprecation"`. CSV answers (`Accept: text/csv`) are unchanged.\n\n'
    "## Event logs\n\n"
    "`GET /t/{tenant}/events?source=ledger|invoices|listings` replays each producer's "
    "per-tenant log, gap-free. Every event is the CloudEvents document the bus and the "
    "webhooks carry: its `source` is per tenant (`/t/<tenant>/<producer>`) and its `sequence` "
    "(CloudEvents Sequence extension) the position in that log as 20 zero-padded digits, so "
    "the strings order as the positions do. **Deprecated**, for one version: `data.sequence` "
    "repeats the position as an integer."
)

#: The header as an OpenAPI parameter, on each list that had an older shape.
LIST_SHAPE_PARAMETER: Final[dict[str, Any]] = {
    "in": "header",
    "name": LIST_SHAPE_HEADER,
    "required": False,
    "deprecated": True,
    "schema": {"type": "string", "enum": [CURRENT, LEGACY], "default": CURRENT},
    "example": LEGACY,
    "description": "Deprecated, for one version: `legacy` answers this list in its older "
    "shape (see the operation's description), with a `Deprecation` header. Without it (or "
    "with `items`) the answer is the `{items, ...}` object documented here.",
}


#: Operation extension asking for :data:`LIST_SHAPE_PARAMETER` beside the operation's own
#: parameters (``chassis.http``'s spec plugin adds it). A ``parameters`` list in ``@blp.doc``
#: would replace those that ``@blp.arguments`` documents (flask-smorest's update of a list).
LIST_SHAPE_EXTENSION: Final = "x-troc-list-shape"


def list_shape_doc(older: str) -> dict[str, Any]:
    """The ``@blp.doc`` of a list that had an older shape, ``older`` describing it."""
    return {
        LIST_SHAPE_EXTENSION: True,
        "description": f"Deprecated opt-in: with `{LIST_SHAPE_HEADER}: {LEGACY}` the answer is "
        f"the older shape, {older}, with a `Deprecation` header.",
    }


def wants_legacy_shape() -> bool:
    """Whether the request asks for a list's older shape; an unknown value is refused (422)."""
    value = request.headers.get(LIST_SHAPE_HEADER, CURRENT).strip().lower()
    if value not in (CURRENT, LEGACY):
        abort(
            422,
            message="The request has invalid fields.",
            errors={"headers": {LIST_SHAPE_HEADER: [f"Give {CURRENT!r} or {LEGACY!r}."]}},
        )
    return value == LEGACY


def legacy_response(body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A list in its older shape (``body``, JSON-ready), marked deprecated."""
    response = jsonify(body)
    response.headers.update(headers or {})
    response.headers["Deprecation"] = DEPRECATED_SINCE
    response.headers["Link"] = DEPRECATION_LINK
    return response


def page(items: list[Any], page: int, per_page: int, total: int) -> dict[str, Any]:
    """The offset page of a list: ``{items, page, per_page, total}``."""
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def page_in_memory(items: list[Any], query: Mapping[str, int]) -> dict[str, Any]:
    """The requested page (``query``'s ``page`` and ``per_page``) of a list already whole."""
    number, size = query["page"], query["per_page"]
    start = (number - 1) * size
    return page(items[start : start + size], number, size, len(items))


EVENTS_OLDER_SHAPE: Final = "`{events: [...], next_after}`"


def event_log_page(
    service: str, query: Mapping[str, Any], envelopes: Sequence[Envelope]
) -> dict[str, Any] | Response:
    """The answer of ``GET /t/<tenant>/events`` read from ``service``'s log: a cursor page.

    ``query`` is the loaded :func:`chassis.schemas.events_query`; a ``source`` other than this
    service's is refused (the gateway sends each source to its owner).
    """
    if query["source"] != service:
        abort(
            422,
            message="The request has invalid fields.",
            errors={"query": {"source": [f"This service serves the {service!r} log only."]}},
        )
    items = [envelope.to_dict() for envelope in envelopes]
    last = envelopes[-1].sequence if envelopes else None
    next_after = last if last is not None else query["after"]
    if wants_legacy_shape():
        return legacy_response({"events": items, "next_after": next_after})
    return {"items": items, "next_after": next_after}
