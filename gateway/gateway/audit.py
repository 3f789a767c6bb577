"""The audit log as one list: the gateway's own entries and those each service keeps of its own.

Every service records the staff actions it performs (from the token's subject) in its own
database and lists them at ``GET /audit?tenant=…`` (not a public path: the gateway asks it with
the caller's own token, which the service verifies). Nobody reads another's tables: the gateway
asks each source for its newest ``page × per_page`` entries matching the filters, merges them
newest first and cuts the page out; ``total`` is the sum of the sources' totals. A source that
does not answer is named in ``sources`` (``"unavailable"``) rather than silently left out.
The actors' e-mail addresses are the gateway's: it fills them in for the services' entries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from uuid import UUID

import requests

from chassis import context
from chassis.http import CORRELATION_HEADER
from gateway.domain.audit import Actor, AuditEntry
from gateway.domain.errors import ValidationError

log = logging.getLogger(__name__)

#: The services that keep an audit log of their own.
AUDIT_SERVICES: Final = ("ledger", "invoices", "notifications")
#: The deepest entry a page may reach (page × per_page): beyond it, narrow the query (``since``).
MAX_DEPTH: Final = 5_000
TIMEOUT: Final = (3.05, 15)


@dataclass(frozen=True, slots=True)
class Query:
    tenant: str | None
    action: str | None
    actor: str | None
    since: datetime | None
    page: int
    per_page: int

    @property
    def depth(self) -> int:
        return self.page * self.per_page


@dataclass(frozen=True, slots=True)
class Slice:
    """A source's newest entries for a query, and how many entries match in all."""

    items: list[AuditEntry]
    total: int


Source = Callable[[Query], Slice]


def remote_source(
    service: str, base_url: str, token: str | None, session: requests.Session | None = None
) -> Source:
    """A service's audit entries over HTTP, asked with the caller's token."""
    http = session or requests

    def fetch(query: Query) -> Slice:
        params: dict[str, Any] = {"per_page": query.depth, "page": 1}
        for name in ("tenant", "action", "actor"):
            if getattr(query, name):
                params[name] = getattr(query, name)
        if query.since is not None:
            params["since"] = query.since.isoformat()
        headers = {CORRELATION_HEADER: context.correlation_id.get() or ""}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = http.get(f"{base_url}/audit", params=params, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        body = response.json()
        return Slice([entry_of(item) for item in body["items"]], int(body["total"]))

    fetch.__name__ = f"audit_of_{service}"
    return fetch


def entry_of(item: Mapping[str, Any]) -> AuditEntry:
    actor = item.get("actor") or {}
    target = item.get("target") or {}
    return AuditEntry(
        id=UUID(str(item["id"])),
        at=datetime.fromisoformat(str(item["at"])),
        actor=Actor(str(actor.get("user_id")), actor.get("email"), str(actor.get("role"))),
        action=str(item["action"]),
        target_type=str(target.get("type")),
        target_id=str(target.get("id")),
        network=item.get("network"),
        tenant=item.get("tenant"),
        details=dict(item.get("details") or {}),
    )


def assemble(
    query: Query,
    sources: Mapping[str, Source],
    emails: Callable[[Iterable[str]], Mapping[str, str]],
) -> dict[str, Any]:
    """One page of the merged log: ``{items, page, per_page, total, sources}``."""
    if query.depth > MAX_DEPTH:
        raise ValidationError(
            "page",
            "too_deep",
            f"at most {MAX_DEPTH} entries can be paged through; "
            "narrow the query with 'since', 'action' or 'actor'",
        )
    found: list[AuditEntry] = []
    total = 0
    states: dict[str, str] = {}
    for name, source in sources.items():
        try:
            part = source(query)
        except (requests.RequestException, ValueError, KeyError) as exc:
            log.warning("audit_source_unavailable", extra={"source": name, "error": str(exc)})
            states[name] = "unavailable"
            continue
        states[name] = "ok"
        found.extend(part.items)
        total += part.total
    found.sort(key=lambda e: (e.at, str(e.id)), reverse=True)
    start = (query.page - 1) * query.per_page
    items = found[start : start + query.per_page]
    missing = {e.actor.user_id for e in items if e.actor.email is None}
    known = emails(missing) if missing else {}
    items = [
        e
        if e.actor.email is not None or e.actor.user_id not in known
        else _with_email(e, known[e.actor.user_id])
        for e in items
    ]
    return {
        "items": items,
        "page": query.page,
        "per_page": query.per_page,
        "total": total,
        "sources": states,
    }


def _with_email(entry: AuditEntry, email: str) -> AuditEntry:
    return AuditEntry(
        id=entry.id,
        at=entry.at,
        actor=Actor(entry.actor.user_id, email, entry.actor.role),
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        network=entry.network,
        tenant=entry.tenant,
        details=entry.details,
    )
