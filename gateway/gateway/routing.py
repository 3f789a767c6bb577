"""The gateway as the single public door: which service owns each public path, and forwarding to it.

:data:`ROUTES` is the one table of the service-owned paths of DESIGN.md §6. Each request on one
of them is authenticated at the gateway (``token_for_request``), rate limited, and forwarded on
urllib3 (one pool of kept-alive connections per service, connect and read timeouts, bodies
streamed both ways) with the token, the correlation id and ``X-Forwarded-For``. The services
verify the token again: the gateway is not the only wall. A service that is down, refuses or does
not answer in time gives a 503 problem document, never a hang or a 500. Holds no business rule.

Lag is not absence: a service learns the gateway's directory from events, so for a moment after a
member is admitted it may refuse it as unknown. When a service refuses a request over something
the gateway itself knows exists (``not_yet_known``, given by the gateway's API), the request (one
with a buffered body, or a GET) is sent again a few times within about a second; if the service
still has not caught up, the client gets ``503 not_yet_known`` with ``Retry-After``, never a
refusal claiming the thing does not exist.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Final, TypeGuard
from urllib.parse import quote, urlsplit

from flask import Flask, Request, Response, request
from urllib3 import BaseHTTPResponse, HTTPConnectionPool, Timeout
from urllib3.connectionpool import connection_from_url
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from chassis import context
from chassis.auth import Unauthenticated
from chassis.config import SERVICE_PORTS, Settings
from chassis.http import CORRELATION_HEADER, ServiceApi, problem, public
from contracts import DEFAULT_EVENT_LOG, EVENT_LOGS
from gateway.openapi import MergedOpenApi, ServiceSpecs, http_fetcher, install_openapi
from gateway.proxies import PEER_KEY
from gateway.ratelimit import RateLimits, RequestLimiter, install_rate_limits

log = logging.getLogger(__name__)

#: Returns the JWT to forward for the request (the verified bearer, or one minted for an API
#: key), or None when it carries no credentials; may raise the errors of ``chassis.auth``.
TokenForRequest = Callable[[Request], str | None]

#: Given a service's refusal (its problem document) and the request's JSON body, names what the
#: refusal says does not exist but the gateway knows does ("member <id>"), or None.
NotYetKnown = Callable[[Mapping[str, Any], Mapping[str, Any]], str | None]

#: Statuses of a refusal that may be a service's copy lagging behind the gateway.
_LAG_STATUSES: Final = frozenset({404, 409, 422})

ENDPOINT_PREFIX: Final = "forward:"
_VARIABLE: Final = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_GET: Final = frozenset({"GET"})
_POST: Final = frozenset({"POST"})


@dataclass(frozen=True, slots=True)
class ServiceRoute:
    """A public path (werkzeug rule, tenant in ``<tenant>``), its methods and the owning service.

    A path several services serve alike names, in ``chosen_by``, the query parameter whose value
    picks the service among ``service`` (the default, whose spec documents the path) and
    ``alternatives``; any other value is refused (422) at the gateway.
    """

    service: str
    rule: str
    methods: frozenset[str]
    chosen_by: str | None = None
    alternatives: frozenset[str] = frozenset()

    @property
    def choices(self) -> tuple[str, ...]:
        """The services a request may pick (``service`` first)."""
        return (self.service, *sorted(self.alternatives))

    @property
    def openapi_path(self) -> str:
        """The path as OpenAPI writes it: ``/t/{tenant}/accounts/{member_id}``."""
        return _VARIABLE.sub(r"{\1}", self.rule)

    @property
    def shape(self) -> str:
        """The path with its variables unnamed, to compare with another spelling of it."""
        return path_shape(self.rule)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(_VARIABLE.findall(self.rule))


def path_shape(path: str) -> str:
    """``/t/<tenant>/x/<uuid:id>`` and ``/t/{tenant}/x/{x_id}`` both give ``/t/{}/x/{}``."""
    return re.sub(r"\{[^{}/]+\}", "{}", _VARIABLE.sub("{}", path))


def _routes(service: str, *entries: tuple[str, Iterable[str]]) -> tuple[ServiceRoute, ...]:
    return tuple(ServiceRoute(service, rule, frozenset(methods)) for rule, methods in entries)


#: Every service-owned public path (DESIGN.md §6). A path or method missing here is not public:
#: the tests check that each tenant-scoped path of a running service's own spec is listed.
ROUTES: Final[tuple[ServiceRoute, ...]] = (
    *_routes(
        "ledger",
        ("/t/<tenant>/accounts", _GET),
        ("/t/<tenant>/accounts/<member_id>", _GET),
        ("/t/<tenant>/accounts/<member_id>/transfers", _GET),
        ("/t/<tenant>/accounts/<member_id>/credit-limit", {"PUT"}),
        ("/t/<tenant>/accounts/<member_id>/credit-limit/history", _GET),
        ("/t/<tenant>/accounts/<member_id>/max-balance", {"PUT"}),
        ("/t/<tenant>/credit-reviews", _GET),
        ("/t/<tenant>/activity", _GET),
        ("/t/<tenant>/transfers", _POST),
        ("/t/<tenant>/transfers/<transfer_id>", _GET),
        ("/t/<tenant>/transfers/<transfer_id>/post", _POST),
        ("/t/<tenant>/transfers/<transfer_id>/void", _POST),
        ("/t/<tenant>/transfers/<transfer_id>/approve", _POST),
        ("/t/<tenant>/transfers/<transfer_id>/reject", _POST),
        ("/t/<tenant>/transfer-approvals", _GET),
        ("/networks/<network>/fee-account", _GET),
        ("/networks/<network>/fee-account/transfers", _POST),
        ("/networks/<network>/commissions", _GET),
        ("/federation/links/<link_id>/transfers", _POST),
        ("/federation/links/<link_id>/transfers/<transfer_id>", _GET),
    ),
    # Each producer's per-tenant event log: ?source=ledger (default) | invoices | listings.
    ServiceRoute(
        "ledger",
        "/t/<tenant>/events",
        _GET,
        chosen_by="source",
        alternatives=frozenset(EVENT_LOGS) - {DEFAULT_EVENT_LOG},
    ),
    *_routes(
        "listings",
        ("/t/<tenant>/listings", {"GET", "POST"}),
        ("/t/<tenant>/listings/<listing_id>", {"GET", "PATCH", "DELETE"}),
        ("/t/<tenant>/listings/<listing_id>/contact", _POST),
        ("/t/<tenant>/listings/<listing_id>/matches", _GET),
        ("/t/<tenant>/threads", _GET),
        ("/t/<tenant>/threads/<thread_id>/messages", {"GET", "POST"}),
        ("/t/<tenant>/members/<member_id>/listings", _GET),
        ("/t/<tenant>/categories", _GET),
    ),
    *_routes(
        "invoices",
        ("/t/<tenant>/invoices", {"GET", "POST"}),
        ("/t/<tenant>/invoices/<invoice_id>", _GET),
        ("/t/<tenant>/invoices/bulk/validate", _POST),
        *(
            (f"/t/<tenant>/invoices/<invoice_id>/{action}", _POST)
            for action in (
                "issue",
                "accept",
                "dispute",
                "validate",
                "reject",
                "cancel",
                "euro-payment",
            )
        ),
        ("/t/<tenant>/invoices/<invoice_id>/pdf", _GET),
        ("/t/<tenant>/invoices/statement", _GET),
        ("/t/<tenant>/invoices/accounting-export", _GET),
        ("/t/<tenant>/invoices/commissions", _GET),
        ("/t/<tenant>/payment-requests", {"GET", "POST"}),
        ("/t/<tenant>/payment-requests/<request_id>", _GET),
        *(
            (f"/t/<tenant>/payment-requests/<request_id>/{action}", _POST)
            for action in ("accept", "decline", "validate", "reject")
        ),
        ("/t/<tenant>/payments", {"GET", "POST"}),
        ("/t/<tenant>/payments/<payment_id>", _GET),
        *(
            (f"/t/<tenant>/payments/<payment_id>/{action}", _POST)
            for action in ("validate", "reject")
        ),
        ("/t/<tenant>/fees", _GET),
        ("/t/<tenant>/fees/<fee_id>/paid", _POST),
    ),
    *_routes(
        "notifications",
        ("/t/<tenant>/notifications", _GET),
        ("/t/<tenant>/notifications/preferences", {"GET", "PUT"}),
        ("/t/<tenant>/notifications/<notification_id>/read", _POST),
        ("/t/<tenant>/webhooks", {"GET", "POST"}),
        ("/t/<tenant>/webhooks/<webhook_id>", {"GET", "PATCH", "DELETE"}),
        ("/t/<tenant>/webhooks/<webhook_id>/rotate-secret", _POST),
        ("/t/<tenant>/webhooks/<webhook_id>/redeliver", _POST),
        ("/t/<tenant>/webhooks/<webhook_id>/deliveries", _GET),
        ("/t/<tenant>/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver", _POST),
    ),
)


def services_of(routes: Iterable[ServiceRoute]) -> tuple[str, ...]:
    """The services owning ``routes`` (or chosen among by one), in order of first appearance."""
    return tuple(dict.fromkeys(service for route in routes for service in route.choices))


def default_upstreams(services: Iterable[str] | None = None) -> dict[str, str]:
    """Base URL of each service on this machine, on its port of ``SERVICE_PORTS``."""
    names = services if services is not None else services_of(ROUTES)
    return {name: f"http://127.0.0.1:{SERVICE_PORTS[name]}" for name in names}


class RouteTable:
    """Lookups in a routing table: who owns an OpenAPI path and method."""

    def __init__(self, routes: Sequence[ServiceRoute]) -> None:
        self.routes = tuple(routes)
        self._methods: dict[tuple[str, str], frozenset[str]] = {}
        for route in self.routes:
            key = (route.service, route.shape)
            if key in self._methods:
                raise ValueError(f"{route.rule} is listed twice for {route.service}")
            self._methods[key] = route.methods
        shapes = [route.shape for route in self.routes]
        clashes = {shape for shape in shapes if shapes.count(shape) > 1}
        if clashes:
            raise ValueError(f"paths owned by two services: {sorted(clashes)}")

    def routes_operation(self, service: str, path: str, method: str) -> bool:
        """Whether ``service``'s ``method`` on ``path`` (any spelling) is a public route."""
        methods = self._methods.get((service, path_shape(path)))
        return methods is not None and method.upper() in methods

    def owner(self, path: str) -> str | None:
        """The service owning a path (any spelling), if any."""
        shape = path_shape(path)
        return next((r.service for r in self.routes if r.shape == shape), None)


@dataclass(frozen=True, slots=True)
class ForwardingOptions:
    """Timeouts and sizes of the forwarding."""

    connect_timeout: float = 2.0
    read_timeout: float = 30.0
    #: Connections kept per service; one per concurrent request of a gateway process.
    pool_size: int = 32
    #: ``Retry-After`` advised when a service is unavailable.
    retry_after: int = 5
    #: Bodies up to this size are read whole; larger ones (or of unknown size) are streamed.
    buffer_limit: int = 256 * 1024
    chunk_size: int = 64 * 1024
    #: Pauses before sending again a request refused over something not yet known there.
    lag_retries: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2, 0.4, 0.4)


#: Hop-by-hop headers (RFC 9110 §7.6.1) and those the forwarding sets or must not pass on.
_HOP_BY_HOP: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "proxy-connection",
    }
)
_DROP_REQUEST: Final = _HOP_BY_HOP | {
    "host",
    "content-length",
    "authorization",
    "cookie",
    "x-api-key",
    "accept-encoding",
    CORRELATION_HEADER.lower(),
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
}
#: The gateway's own server adds Date/Server, and its edge echoes the correlation id; cookies of
#: a service must not land on the public domain.
_DROP_RESPONSE: Final = _HOP_BY_HOP | {
    "date",
    "server",
    "set-cookie",
    "content-length",
    CORRELATION_HEADER.lower(),
}
_NO_BODY_STATUSES: Final = frozenset({204, 304})


#: Characters kept as they are in the path and the query sent on (RFC 3986's unreserved and
#: reserved ones, and ``%`` in the query so that the client's escapes stay as the client wrote
#: them); anything else, a space or a non-ASCII byte, is percent-encoded.
_PATH_SAFE: Final = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE: Final = "/:@!$&'()*+,;=-._~?%[]"

#: Request bodies, as the forwarding sends them: whole, as a stream of known length (its
#: Content-Length given), as a chunked stream, or none.
Body = bytes | IO[bytes] | Iterator[bytes] | None


@functools.lru_cache(maxsize=512)
def _header_name(environ_key: str) -> str:
    """``HTTP_X_TOTAL_COUNT`` -> ``X-Total-Count``, as werkzeug spells a header of the environ."""
    return environ_key[5:].replace("_", "-").title()


#: The environ keys of the request headers in ``_DROP_REQUEST``.
_DROP_ENVIRON: Final = frozenset(
    {
        *("HTTP_" + name.upper().replace("-", "_") for name in _DROP_REQUEST),
        # Some servers also put these two in the environ as headers: they are the WSGI ones.
        "HTTP_CONTENT_TYPE",
        "HTTP_CONTENT_LENGTH",
    }
)


#: Timeouts of the gateway's own calls to a service (its OpenAPI document).
_OWN_TIMEOUT: Final = Timeout(connect=1.0, read=5.0)


@dataclass(frozen=True, slots=True)
class _Upstream:
    """A service as the forwarding reaches it: its base URL (to rewrite its ``Location``), the
    path its routes sit under (usually none) and its pool of kept-alive connections."""

    base: str
    prefix: str
    pool: HTTPConnectionPool


def _upstream(base: str, options: ForwardingOptions) -> _Upstream:
    # No retries: a service may have acted on a request whose answer was lost, and a client
    # that retries does so with its Idempotency-Key. A refused connection is answered at once.
    # No proxy from the environment between us and a service, no default headers: only the
    # client's and ours. Past ``pool_size`` busy connections, more are opened and not kept.
    pool = connection_from_url(
        base,
        maxsize=options.pool_size,
        block=False,
        retries=False,
        timeout=Timeout(connect=options.connect_timeout, read=options.read_timeout),
    )
    return _Upstream(base, urlsplit(base).path, pool)


class Forwarder:
    """Forward the current request to the service owning it, on one connection pool per service.

    The forwarding speaks to urllib3's pools directly: ``requests`` would build a session
    request, merge settings, run hooks and a cookie jar and wrap the answer in its own object
    for each request, none of which a proxy needs.
    """

    def __init__(
        self,
        upstreams: Mapping[str, str],
        options: ForwardingOptions | None = None,
        not_yet_known: NotYetKnown | None = None,
    ) -> None:
        self.options = options or ForwardingOptions()
        self.not_yet_known = not_yet_known
        self.upstreams = {name: url.rstrip("/") for name, url in upstreams.items()}
        self._upstreams = {
            name: _upstream(url, self.options) for name, url in self.upstreams.items()
        }

    def get(self, service: str, path: str) -> tuple[int, bytes]:
        """GET ``path`` of ``service`` itself (its OpenAPI document): the status and the body."""
        upstream = self._upstreams.get(service)
        if upstream is None:
            raise LookupError(f"no address is configured for {service}")
        answer = upstream.pool.urlopen(
            "GET", upstream.prefix + path, redirect=False, timeout=_OWN_TIMEOUT
        )
        return answer.status, answer.data

    def close(self) -> None:
        for upstream in self._upstreams.values():
            upstream.pool.close()

    def forward(self, service: str, token: str) -> Response:
        """Send the current request to ``service`` with ``token``; stream its answer back."""
        upstream = self._upstreams.get(service)
        if upstream is None:
            return self.unavailable(service, "is not deployed")
        target = upstream.prefix + quote(request.path, safe=_PATH_SAFE)
        if request.query_string:
            target += "?" + quote(request.query_string, safe=_QUERY_SAFE)
        headers = self._request_headers(token)
        body = self._request_body(headers)
        try:
            answer = self._send(upstream, target, headers, body)
            if self.not_yet_known is not None and self._may_send_again(body):
                lagging = self._while_lagging(service, upstream, target, headers, body, answer)
                if isinstance(lagging, Response):
                    return lagging
                answer, refusal = lagging
                if refusal is not None:
                    return self._response(service, upstream, answer, refusal)
        except Urllib3Error as exc:
            log.warning(
                "upstream_unavailable", extra={"service": service, "error": type(exc).__name__}
            )
            timed_out = isinstance(exc, Urllib3Timeout)
            return self.unavailable(
                service, "did not answer in time" if timed_out else "is unavailable"
            )
        return self._response(service, upstream, answer)

    @staticmethod
    def _send(
        upstream: _Upstream, target: str, headers: Mapping[str, str], body: Body
    ) -> BaseHTTPResponse:
        """One exchange with the service; the answer's body is left unread."""
        return upstream.pool.urlopen(
            request.method,
            target,
            body=body,
            headers=headers,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=False,
        )

    @staticmethod
    def _may_send_again(body: Body) -> TypeGuard[bytes | None]:
        """A request the gateway can send again as it came: a buffered body, or a bodiless GET
        (safe, so sending it twice changes nothing)."""
        return isinstance(body, bytes) or (body is None and request.method == "GET")

    def _while_lagging(
        self,
        service: str,
        upstream: _Upstream,
        target: str,
        headers: Mapping[str, str],
        body: bytes | None,
        answer: BaseHTTPResponse,
    ) -> tuple[BaseHTTPResponse, bytes | None] | Response:
        """Send again while ``service`` refuses over something the gateway knows exists.

        Returns the answer to pass on (with its body when it had to be read), or the
        ``503 not_yet_known`` problem when the service has not caught up in time.
        """
        for pause in (*self.options.lag_retries, None):
            refusal = self._refusal(answer)
            if refusal is None:
                return answer, None
            missing = self._missing(refusal, body)
            if missing is None:
                return answer, refusal
            if pause is None:
                log.warning("upstream_not_caught_up", extra={"service": service, "what": missing})
                return problem(
                    503,
                    "not_yet_known",
                    detail=f"The {service} service has not yet received {missing}, which exists;"
                    " try again shortly.",
                    headers={"Retry-After": "1"},
                    extra={"service": service},
                )
            time.sleep(pause)
            answer = self._send(upstream, target, headers, body)
        raise AssertionError("the last pause is None")

    @staticmethod
    def _refusal(answer: BaseHTTPResponse) -> bytes | None:
        """The body of a small problem document refusing the request, read (else None)."""
        if answer.status not in _LAG_STATUSES:
            return None
        if not answer.headers.get("Content-Type", "").startswith("application/problem+json"):
            return None
        length = answer.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > 64 * 1024:
            return None
        if answer.headers.get("Content-Encoding", "identity") != "identity":
            return None
        content = answer.read(decode_content=False)
        answer.release_conn()
        return content

    def _missing(self, refusal: bytes, body: bytes | None) -> str | None:
        assert self.not_yet_known is not None
        try:
            document, sent = json.loads(refusal), json.loads(body) if body else {}
        except ValueError:
            return None
        if not isinstance(document, dict) or not isinstance(sent, dict):
            return None
        return self.not_yet_known(document, sent)

    def unavailable(self, service: str, reason: str) -> Response:
        """The 503 problem document of a service that cannot answer now."""
        return problem(
            503,
            "service_unavailable",
            detail=f"The {service} service {reason}; try again shortly.",
            headers={"Retry-After": str(self.options.retry_after)},
            extra={"service": service},
        )

    @staticmethod
    def _request_headers(token: str) -> dict[str, str]:
        """The client's end-to-end headers, read off the WSGI environ, plus the forwarding's."""
        environ = request.environ
        connection = environ.get("HTTP_CONNECTION")
        listed = {name.strip().lower() for name in connection.split(",")} if connection else None
        headers: dict[str, str] = {}
        for key, value in environ.items():
            if not key.startswith("HTTP_") or key in _DROP_ENVIRON:
                continue
            name = _header_name(key)
            if listed is None or name.lower() not in listed:
                headers[name] = value
        content_type = environ.get("CONTENT_TYPE")
        if content_type:
            headers["Content-Type"] = content_type
        headers["Authorization"] = f"Bearer {token}"
        headers[CORRELATION_HEADER] = context.current_correlation_id()
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR")
        peer = environ.get(PEER_KEY) or request.remote_addr or "unknown"
        headers["X-Forwarded-For"] = f"{forwarded_for}, {peer}" if forwarded_for else peer
        headers["X-Forwarded-Proto"] = request.scheme
        headers["X-Forwarded-Host"] = request.host
        # Bodies are passed through as the service encoded them, so ask only for what the
        # client accepts.
        headers["Accept-Encoding"] = environ.get("HTTP_ACCEPT_ENCODING", "identity")
        return headers

    def _request_body(self, headers: dict[str, str]) -> Body:
        """The body to send; a stream of known length gets its Content-Length in ``headers``."""
        length = request.content_length
        if length is not None:
            if length <= self.options.buffer_limit:
                return request.get_data(cache=False) or None
            headers["Content-Length"] = str(length)
            return request.stream
        # A request with neither Content-Length nor chunked encoding has no body (RFC 9112
        # §6.3), although gunicorn marks every input as terminated.
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        if chunked and request.environ.get("wsgi.input_terminated"):  # stream it on
            stream = request.stream
            return iter(functools.partial(stream.read, self.options.chunk_size), b"")
        return None

    def _response(
        self,
        service: str,
        upstream: _Upstream,
        answer: BaseHTTPResponse,
        content: bytes | None = None,
    ) -> Response:
        """The service's answer as the client gets it: its body read whole when small (or
        already read, ``content``), else streamed."""
        if answer.status >= 400 and _server_page(answer):
            _discard(answer)
            return _problem_instead(service, answer.status)
        headers: list[tuple[str, str]] = []
        for name, value in answer.headers.items():
            lowered = name.lower()
            if lowered in _DROP_RESPONSE:
                continue
            if lowered == "location" and value.startswith(upstream.base):
                value = value[len(upstream.base) :] or "/"
            headers.append((name, value))
        length_header = answer.headers.get("Content-Length")
        length = int(length_header) if length_header and length_header.isdigit() else None
        no_body = request.method == "HEAD" or answer.status in _NO_BODY_STATUSES
        if content is not None:
            response = Response(content, status=answer.status, headers=headers)
        elif no_body or (length is not None and length <= self.options.buffer_limit):
            try:
                body = b"" if no_body else answer.read(decode_content=False)
            except (Urllib3Error, OSError):
                _discard(answer)
                log.warning("upstream_body_lost", extra={"service": service})
                return self.unavailable(service, "broke off its answer")
            answer.release_conn()
            response = Response(body, status=answer.status, headers=headers)
            if no_body and length is not None:
                response.headers["Content-Length"] = str(length)
        else:
            if length is not None:
                headers.append(("Content-Length", str(length)))
            response = Response(
                _stream(service, answer, self.options.chunk_size),
                status=answer.status,
                headers=headers,
                direct_passthrough=True,
            )
            response.call_on_close(functools.partial(_discard, answer))
        if "content-type" not in answer.headers:
            response.headers.pop("Content-Type", None)
        return response


def _server_page(answer: BaseHTTPResponse) -> bool:
    """An error page of the service's HTTP server itself (gunicorn's HTML for a request line or
    a header past its limits), not an answer of the application, which are JSON or CSV."""
    return answer.headers.get("Content-Type", "").startswith("text/html")


def _problem_instead(service: str, status: int) -> Response:
    """One error format for the client: the status of a server's own error page, as a problem
    document."""
    log.warning("upstream_server_error_page", extra={"service": service, "status": status})
    detail = (
        f"The {service} service's HTTP server refused the request: its request line or "
        "headers are malformed or too long."
        if status < 500
        else None
    )
    return problem(status, detail=detail)


def _stream(service: str, answer: BaseHTTPResponse, chunk_size: int) -> Iterator[bytes]:
    """The service's body as it comes; a break midway can only cut the answer short.

    Read to its end, the answer has given its connection back to the pool; cut short, its
    connection is closed (:func:`_discard`).
    """
    try:
        yield from answer.stream(chunk_size, decode_content=False)
    except (Urllib3Error, OSError):
        log.warning("upstream_stream_broken", extra={"service": service})
    finally:
        _discard(answer)


def _discard(answer: BaseHTTPResponse) -> None:
    """Close the connection of an answer that may have unread bytes, and give its place back
    to the pool (which opens a new connection there when it is next needed). Harmless on an
    answer read to its end, whose connection already went back."""
    answer.close()
    answer.release_conn()


def _forwarding_view(
    service: str, forwarder: Forwarder, limiter: RequestLimiter, token_for_request: TokenForRequest
) -> Callable[..., Response]:
    def forward(**_view_args: Any) -> Response:
        token = token_for_request(request)
        if not token:
            raise Unauthenticated()
        limiter.check_token(token)
        return forwarder.forward(service, token)

    forward.__name__ = f"forward_{service}"
    return public(forward)  # the view authenticates itself: an API key is no bearer JWT


def _choosing_view(
    route: ServiceRoute,
    forwarder: Forwarder,
    limiter: RequestLimiter,
    token_for_request: TokenForRequest,
) -> Callable[..., Response]:
    """Forward to the service a query parameter names (``route.chosen_by``)."""
    assert route.chosen_by is not None
    parameter = route.chosen_by

    def forward(**_view_args: Any) -> Response:
        token = token_for_request(request)
        if not token:
            raise Unauthenticated()
        limiter.check_token(token)
        chosen = request.args.get(parameter, route.service)
        if chosen not in route.choices:
            return problem(
                422,
                "validation_failed",
                detail="The request has invalid fields.",
                errors={f"query.{parameter}": [f"Must be one of: {', '.join(route.choices)}."]},
            )
        return forwarder.forward(chosen, token)

    forward.__name__ = f"forward_by_{parameter}"
    return public(forward)


def install_routing(
    app: Flask,
    api: ServiceApi,
    settings: Settings,
    *,
    token_for_request: TokenForRequest,
    upstreams: Mapping[str, str] | None = None,
    routes: Sequence[ServiceRoute] = ROUTES,
    rate_limits: RateLimits | None = None,
    forwarding: ForwardingOptions | None = None,
    openapi_ttl: float = 60.0,
    not_yet_known: NotYetKnown | None = None,
) -> Forwarder:
    """Serve every route of ``routes`` by forwarding, the merged ``/openapi.json``, rate limits.

    ``token_for_request`` must return a token the gateway vouches for (it verified or minted
    it): its subject keys the rate limits. ``upstreams`` maps each service to its base URL
    (default: this machine, on the ports of ``SERVICE_PORTS``); a service missing from it
    answers 503. Returns the :class:`Forwarder`, whose pools live as long as the app.
    """
    table = RouteTable(routes)
    forwarder = Forwarder(
        upstreams if upstreams is not None else default_upstreams(), forwarding, not_yet_known
    )
    limiter = install_rate_limits(
        app,
        rate_limits or RateLimits(),
        exempt=lambda endpoint: endpoint.startswith(ENDPOINT_PREFIX),
    )
    views = {
        service: _forwarding_view(service, forwarder, limiter, token_for_request)
        for service in services_of(table.routes)
    }
    for route in table.routes:
        endpoint = f"{ENDPOINT_PREFIX}{route.service}:{route.rule}"
        view = views[route.service]
        if route.chosen_by is not None:
            view = _choosing_view(route, forwarder, limiter, token_for_request)
        app.add_url_rule(route.rule, endpoint, view, methods=sorted(route.methods))

    specs = ServiceSpecs(
        services_of(table.routes),
        http_fetcher(forwarder.get),
        ttl=openapi_ttl,
    )
    install_openapi(app, api, MergedOpenApi(api, specs, table.routes_operation))
    app.extensions["gateway.routing"] = forwarder
    log.debug(
        "routing_installed", extra={"service": settings.service_name, "routes": len(table.routes)}
    )
    return forwarder
