"""The gateway's questions to the ledger when the operator changes tenancy (closing a tenant,
moving a member): ``gateway.service.tenancy.LedgerTenancy`` over HTTP.

Not public paths: the ledger serves them outside ``/t/<tenant>/`` and checks the operator's own
token, which the gateway passes on. A refusal of the ledger becomes the same problem at the
gateway (``UpstreamRefused``: its status and code); a ledger that does not answer, a 503.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID

import requests

from chassis import context
from chassis.http import CORRELATION_HEADER
from gateway.errors import UpstreamRefused, UpstreamUnavailable

TIMEOUT: Final = (3.05, 15)


class HttpLedgerTenancy:
    """The ledger's tenancy endpoints, asked with the caller's (the operator's) token."""

    def __init__(
        self, base_url: str, token: str | None, session: requests.Session | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.http: Any = session or requests

    def set_tenant_status(self, tenant: str, status: str, network: str) -> None:
        self._send("PUT", f"/tenants/{tenant}/status", {"status": status, "network": network})

    def move_account(self, member_id: UUID, from_tenant: str, to_tenant: str) -> None:
        self._send(
            "POST",
            f"/accounts/{member_id}/move",
            {"from_tenant": from_tenant, "tenant": to_tenant},
        )

    def _send(self, method: str, path: str, body: dict[str, Any]) -> None:
        headers = {CORRELATION_HEADER: context.correlation_id.get() or ""}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.http.request(
                method, self.base_url + path, json=body, headers=headers, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise UpstreamUnavailable("ledger") from exc
        if response.status_code >= 500:
            raise UpstreamUnavailable("ledger")
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise UpstreamRefused(
                response.status_code,
                str(problem.get("code") or "refused"),
                str(problem.get("detail") or problem.get("message") or "refused by the ledger"),
            )
