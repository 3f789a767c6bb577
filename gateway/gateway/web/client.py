"""The web application's one door to the platform: the gateway's public HTTP API.

Pages never read a database nor call the gateway's use cases: they call the same API as any
integrator, with the signed-in user's bearer token, through :class:`ApiClient`. A problem+json
answer becomes an :class:`ApiError` (status, stable ``code``, French message, French messages per
form field). :data:`Transport` is the one seam tests may replace (a ``requests.Session``-like
object); everything else is the real thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import requests

from gateway.web.messages import french_field_message, french_problem

#: Seconds to connect to the gateway and to wait for its answer.
TIMEOUT: Final = (3.05, 30)
_INDEX: Final = re.compile(r"\.(\d+)(?=\.|$)")


class Transport(Protocol):
    """What the client needs of ``requests.Session`` (tests pass a double of it)."""

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response: ...


@dataclass
class ApiError(Exception):
    """A refusal of the API, ready to show: a French message and French messages per field."""

    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    #: The problem document as sent, for its extension members (an import's ``rows``…).
    body: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    @property
    def unauthenticated(self) -> bool:
        return self.status == 401


def form_field(api_field: str) -> str:
    """The form name of an API error key: ``json.lines.0.quantity`` -> ``lines-0-quantity``."""
    name = api_field
    for prefix in ("json.", "query.", "form.", "body."):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return _INDEX.sub(r"-\1", name).replace(".", "-")


def error_of(response: requests.Response) -> ApiError:
    """The :class:`ApiError` of a refused response (problem+json, or anything else)."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("code") or "http_" + str(response.status_code))
    fields: dict[str, list[str]] = {}
    for key, messages in (body.get("errors") or {}).items():
        texts = messages if isinstance(messages, list) else [messages]
        fields.setdefault(form_field(str(key)), []).extend(
            french_field_message(str(text)) for text in texts
        )
    return ApiError(
        response.status_code,
        code,
        french_problem(response.status_code, code, str(body.get("detail") or "")),
        fields,
        body,
    )


class ApiClient:
    """Calls of one user (or of nobody, for the login) to the gateway's public API."""

    def __init__(
        self,
        base_url: str,
        transport: Transport,
        token: str | None = None,
        correlation_id: str | None = None,
        forwarded_for: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.token = token
        self.correlation_id = correlation_id
        #: The browser's address: the gateway's login throttle and rate limits count per client
        #: (they read it through werkzeug's ProxyFix where the gateway trusts its proxy).
        self.forwarded_for = forwarded_for

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.correlation_id:
            headers["X-Correlation-ID"] = self.correlation_id
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        headers.update(extra or {})
        return headers

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        files: Mapping[str, Any] | None = None,
    ) -> requests.Response:
        """Send one request; a refusal (4xx/5xx) raises :class:`ApiError`."""
        extra = {"files": files} if files is not None else {}
        try:
            response = self.transport.request(
                method,
                self.base_url + path,
                params=params,
                json=json,
                headers=self._headers(headers),
                timeout=TIMEOUT,
                stream=stream,
                allow_redirects=False,
                **extra,
            )
        except requests.RequestException:
            raise ApiError(503, "unreachable", french_problem(503, "unreachable", "")) from None
        if response.status_code >= 400:
            error = error_of(response)
            response.close()
            raise error
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self.send("GET", path, params=_clean(params)).json()

    def post(self, path: str, json: Any = None) -> Any:
        response = self.send("POST", path, json=json if json is not None else {})
        return response.json() if response.content else None

    def upload(
        self, path: str, data: bytes, *, filename: str, content_type: str, field_name: str = "file"
    ) -> Any:
        """POST a file as the ``field_name`` part of a multipart form (a CSV import)."""
        response = self.send("POST", path, files={field_name: (filename, data, content_type)})
        return response.json() if response.content else None

    def patch(self, path: str, json: Any) -> Any:
        return self.send("PATCH", path, json=json).json()

    def put(self, path: str, json: Any) -> Any:
        return self.send("PUT", path, json=json).json()

    def delete(self, path: str) -> None:
        self.send("DELETE", path)

    def download(self, path: str, accept: str, **params: Any) -> requests.Response:
        """A streamed response (PDF, CSV) to pass on to the browser."""
        return self.send(
            "GET", path, params=_clean(params), headers={"Accept": accept}, stream=True
        )

    def items(
        self, path: str, *, per_page: int = 100, limit: int = 1000, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list (``{"items": [...], "page", "per_page", "total"}``)."""
        page = 1
        seen = 0
        while seen < limit:
            body = self.get(path, page=page, per_page=per_page, **params)
            batch = body["items"]
            yield from batch
            seen += len(batch)
            total = body.get("total")
            if len(batch) < per_page or (total is not None and seen >= total):
                return
            page += 1


def _clean(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty query parameters (a blank filter of a form means no filter)."""
    return {k: v for k, v in params.items() if v not in (None, "", [], ())}
