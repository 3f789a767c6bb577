"""The HTTP edge of every service: app factory, one problem+json error format, health, auth hook.

:func:`create_base_app` returns a Flask app and a :class:`ServiceApi` (flask-smorest) that serves
``/openapi.json`` and ``/docs``, answers every error as ``application/problem+json`` (RFC 9457),
binds the correlation id, verifies the bearer token and sets :data:`tenancy.current_identity`.
Every route needs a valid token unless marked :func:`public`.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from http import HTTPStatus
from json import JSONDecodeError
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar

import flask
import flask_smorest  # type: ignore[import-untyped]
import flask_swagger_ui  # type: ignore[import-untyped]
import marshmallow as ma
from apispec import BasePlugin
from flask import Flask, Response, g, request, send_from_directory
from flask.typing import ResponseReturnValue
from kombu.connection import Connection
from sqlalchemy import Engine, text
from werkzeug.exceptions import BadRequest, HTTPException

from chassis import context, metrics, tenancy
from chassis.auth import (
    AuthError,
    InvalidToken,
    KeysUnavailable,
    NotFound,
    TokenVerifier,
    Unauthenticated,
)
from chassis.config import Settings
from chassis.db import is_database_unavailable
from chassis.lists import LIST_SHAPES_DOC
from chassis.logs import configure_logging
from chassis.schemas import AMOUNT_PATTERN, Amount

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE: Final = "application/problem+json"
PROBLEM_TYPE_BASE: Final = "https://trocactif.org/problems/"
CORRELATION_HEADER: Final = "X-Correlation-ID"
#: Name of the URL variable holding the tenant slug (``/t/<tenant>/...``), checked on every request.
TENANT_VIEW_ARG: Final = "tenant"
DEFAULT_MAX_CONTENT_LENGTH: Final = 1024 * 1024

#: Where ``/docs`` loads Swagger UI's scripts and styles from: this process, never a CDN (the
#: documentation works without internet). The files are those flask-swagger-ui ships.
SWAGGER_UI_ASSETS: Final = "/docs/assets/"

#: Body locations whose fields are named bare in ``errors``; others get a ``<location>.`` prefix.
BODY_LOCATIONS: Final = frozenset({"json", "form", "files", "json_or_form"})

_STATUS_CODES: Final = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}
_CORRELATION_RE: Final = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_CORRELATION_ENVIRON: Final = "HTTP_" + CORRELATION_HEADER.upper().replace("-", "_")
_PUBLIC_FLAG: Final = "__chassis_public__"
_CONTEXT_KEY: Final = "_chassis_context_tokens"

P = ParamSpec("P")
R = TypeVar("R")
Target = TypeVar("Target")
Check = Callable[[], object]


class MalformedJSON(BadRequest):
    """The request body claims to be JSON but cannot be decoded."""

    description = "The request body is not valid JSON."


class ServiceRequest(flask.Request):
    """Flask request whose JSON decoding failures are recognisable as :class:`MalformedJSON`."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            return super().on_json_loading_failed(e)
        raise MalformedJSON() from e


class ProblemSchema(ma.Schema):
    """RFC 9457 problem document (documentation only: errors are built by :func:`problem`).

    Open to extension members (RFC 9457 §3.2: ``invalid_fields``, ``rows``, ``service``...), so
    the documented schema admits every problem the services send.
    """

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(
        metadata={
            "description": "URI of the problem type",
            "example": PROBLEM_TYPE_BASE + "validation_failed",
        }
    )
    title = ma.fields.String(
        metadata={
            "description": "Short summary of the problem type",
            "example": "Unprocessable Entity",
        }
    )
    status = ma.fields.Integer(metadata={"description": "HTTP status code", "example": 422})
    detail = ma.fields.String(
        metadata={
            "description": "What went wrong in this occurrence",
            "example": "The request has invalid fields.",
        }
    )
    code = ma.fields.String(
        metadata={"description": "Stable snake_case error code", "example": "validation_failed"}
    )
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={
            "description": "Invalid fields and their messages",
            "example": {
                "lines.0.unit_price": [
                    'Give the amount as digits with at most two decimals, e.g. "1250.00".'
                ]
            },
        },
    )
    instance = ma.fields.String(
        metadata={"description": "Path of the request", "example": "/t/pie/invoices"}
    )
    correlation_id = ma.fields.String(
        metadata={
            "description": "Correlation id of the request",
            "example": "5b0e8f3c-2d4a-4f0e-9d7e-1c2b3a4d5e6f",
        }
    )


def status_code_name(status: int) -> str:
    """The stable ``code`` of a bare HTTP status (``404`` -> ``not_found``)."""
    known = _STATUS_CODES.get(status)
    if known is not None:
        return known
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(
    status: int,
    code: str | None = None,
    *,
    title: str | None = None,
    detail: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """An ``application/problem+json`` response; the one shape of every error."""
    code = code or status_code_name(status)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title or _title(status),
        "status": status,
        "detail": detail or title or _title(status),
        "code": code,
    }
    if errors:
        body["errors"] = dict(errors)
    if flask.has_request_context():
        body["instance"] = request.path
    body["correlation_id"] = context.correlation_id.get()
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    response = Response(
        json.dumps(body, separators=(",", ":"), default=str),
        status=status,
        mimetype=PROBLEM_MIMETYPE,
    )
    if headers:
        response.headers.update(headers)
    return response


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as ``{"lines.0.vat_rate": ["..."]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        flat.setdefault(prefix or "_schema", []).extend(messages)
    elif isinstance(messages, list | tuple):
        for index, value in enumerate(messages):
            flat.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat.setdefault(prefix or "_schema", []).append(str(messages))
    return flat


def flatten_request_errors(messages: Any) -> dict[str, list[str]]:
    """Webargs messages keyed by location: body fields bare, others as ``query.after``."""
    if not isinstance(messages, Mapping):
        return flatten_errors(messages)
    flat: dict[str, list[str]] = {}
    for location, value in messages.items():
        prefix = "" if location in BODY_LOCATIONS else str(location)
        flat.update(flatten_errors(value, prefix))
    return flat


def public(target: Target) -> Target:
    """Mark a view function, a MethodView class or one of its methods as open without a token."""
    setattr(target, _PUBLIC_FLAG, True)
    return target


def auth_required(view: Callable[P, R]) -> Callable[P, R]:
    """Refuse the view (401) when the request carries no valid token."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        tenancy.require_identity()
        return view(*args, **kwargs)

    return wrapper


_CAMEL_WORD: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def operation_id(endpoint: str, method: str) -> str:
    """The stable ``operationId`` of ``method`` on a view: ``<blueprint>_<method>_<view>``.

    ``invoices.InvoiceView`` + GET -> ``invoices_get_invoice``; ``ledger.Statement`` + GET ->
    ``ledger_get_statement``. Blueprint names differ across the services, so the ids are unique
    in the gateway's merged document too; a view names its own with ``@blp.doc(operationId=...)``.
    """
    blueprint, _, view = endpoint.rpartition(".")
    view = view.removesuffix("View") or view
    words = _CAMEL_WORD.sub("_", view).lower()
    return "_".join(part for part in (blueprint.replace(".", "_"), method.lower(), words) if part)


class OperationIds(BasePlugin):
    """apispec plugin giving every documented operation an ``operationId`` (see above)."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        for method, operation in operations.items():
            if isinstance(operation, dict):
                operation.setdefault("operationId", operation_id(rule.endpoint, method))


def _amount_properties(
    self: Any, field: ma.fields.Field[Any], ret: dict[str, Any], **_kwargs: Any
) -> dict[str, Any]:
    """Amounts are documented as what they are on the wire: decimal strings of a pattern."""
    if isinstance(field, Amount):
        return {"type": "string", "pattern": AMOUNT_PATTERN}
    return {}


class ServiceApi(flask_smorest.Api):  # type: ignore[misc]
    """flask-smorest ``Api`` speaking problem+json, with the service's error table and checks."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_RESPONSE_CONTENT_TYPE: str = "application/json"

    def __init__(
        self,
        app: Flask | None = None,
        *,
        verifier: TokenVerifier | None = None,
        require_auth: bool = True,
        **kwargs: Any,
    ) -> None:
        self.verifier = verifier
        self.require_auth = require_auth
        #: The service's tenants and their networks (``tenancy.TenantNetworks``): without it, a
        #: network-scoped API key reaches no tenant of this service.
        self.tenant_networks: tenancy.TenantNetworks | None = None
        self.readiness_checks: dict[str, Check] = {}
        self.mapped_errors: dict[type[BaseException], tuple[int, str]] = {}
        self._public_cache: dict[tuple[str, str], bool] = {}
        super().__init__(app, **kwargs)

    def _init_spec(self, **kwargs: Any) -> None:
        kwargs["extra_plugins"] = [*(kwargs.get("extra_plugins") or ()), OperationIds()]
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(_amount_properties)

    def _register_responses(self) -> None:
        content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_MIMETYPE
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = content_type

    def _register_error_handlers(self) -> None:
        app = self._app
        app.register_error_handler(HTTPException, self.handle_http_exception)
        app.register_error_handler(AuthError, _handle_auth_error)
        app.register_error_handler(ma.ValidationError, _handle_validation_error)
        app.register_error_handler(RecursionError, _handle_recursion)
        app.register_error_handler(Exception, _handle_unexpected)

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        """Render any werkzeug/webargs HTTP error as a problem document."""
        status = error.code or 500
        if status < 400:
            return error.get_response()
        data: Mapping[str, Any] = getattr(error, "data", None) or {}
        code = data.get("code") or status_code_name(status)
        detail = data.get("message") or error.description
        cause = getattr(error, "exc", None)
        raw_errors = data.get("errors", data.get("messages"))
        errors = None
        if isinstance(error, MalformedJSON) or isinstance(cause, JSONDecodeError | UnicodeError):
            code, detail = "malformed_json", MalformedJSON.description
        elif raw_errors:
            errors = flatten_request_errors(raw_errors)
            if status == 422:
                detail = data.get("message") or "The request has invalid fields."
        headers = {
            name: value
            for name, value in error.get_headers(request.environ)
            if name.lower() != "content-type"
        }
        headers.update(data.get("headers") or {})
        if status == 404 and not data.get("message"):
            detail = NotFound.default_message  # the same words whether or not the thing exists
        elif status >= 500:
            detail = data.get("message") or _title(status)
        return problem(status, code, detail=detail, errors=errors, headers=headers)

    def register_error(
        self,
        exc_class: type[BaseException],
        status: int,
        code: str,
        *,
        title: str | None = None,
        expose_message: bool = True,
    ) -> None:
        """Answer ``exc_class`` (and subclasses) with ``status`` and ``code``: the service's table.

        The exception's message becomes ``detail`` unless ``expose_message`` is false.
        """

        def handle(exc: BaseException) -> Response:
            if status >= 500:
                log.error("mapped_error", extra={"code": code}, exc_info=exc)
            message = str(exc) if expose_message else ""
            return problem(status, code, title=title, detail=message or None)

        self.mapped_errors[exc_class] = (status, code)
        self._app.register_error_handler(exc_class, handle)

    def add_readiness_check(self, name: str, check: Check) -> None:
        """Run ``check()`` on every ``/readyz``; an exception makes the service not ready."""
        self.readiness_checks[name] = check

    def is_public(self, endpoint: str, method: str) -> bool:
        """Whether ``endpoint`` answers ``method`` without a token (memoised per pair)."""
        key = (endpoint, method)
        cached = self._public_cache.get(key)
        if cached is None:
            cached = self._lookup_public(endpoint, method)
            self._public_cache[key] = cached
        return cached

    def _lookup_public(self, endpoint: str, method: str) -> bool:
        if endpoint in {"healthz", "readyz", "static"} or method == "OPTIONS":
            return True
        if endpoint.startswith(self._make_doc_blueprint_name() + "."):
            return True
        view = self._app.view_functions.get(endpoint)
        if view is None:
            return False
        if getattr(view, _PUBLIC_FLAG, False):
            return True
        view_class = getattr(view, "view_class", None)
        if view_class is None:
            return False
        if getattr(view_class, _PUBLIC_FLAG, False):
            return True
        handler = getattr(view_class, "get" if method == "HEAD" else method.lower(), None)
        return bool(getattr(handler, _PUBLIC_FLAG, False))


def _handle_auth_error(exc: AuthError) -> Response:
    headers: dict[str, str] = {}
    if exc.status == 401:
        if isinstance(exc, InvalidToken):
            description = exc.message.replace('"', "'")
            headers["WWW-Authenticate"] = (
                f'Bearer error="invalid_token", error_description="{description}"'
            )
        else:
            headers["WWW-Authenticate"] = "Bearer"
    return problem(exc.status, exc.code, detail=exc.message, headers=headers, extra=exc.extra)


def _handle_validation_error(exc: ma.ValidationError) -> Response:
    return problem(
        422,
        "validation_failed",
        detail="The request has invalid fields.",
        errors=flatten_errors(exc.messages),
    )


def _handle_unexpected(exc: Exception) -> Response:
    if is_database_unavailable(exc):
        # The database restarts or fails over: nothing of this request was committed (or its
        # commit's outcome is unknown, which a retry with the same idempotency key settles).
        log.warning("database_unavailable", extra={"error": type(exc).__name__})
        return problem(
            503,
            "database_unavailable",
            detail="The service's database cannot be reached; retry shortly.",
            headers={"Retry-After": "1"},
        )
    log.error("unhandled_exception", exc_info=exc)
    return problem(500, "internal_error", detail="An unexpected error occurred.")


def _handle_recursion(exc: RecursionError) -> Response:
    """A JSON body nested deeper than the parser's recursion limit is the client's mistake.

    webargs decodes bodies with ``json.loads`` and lets its ``RecursionError`` through; any
    other recursion is a bug of ours, answered as one.
    """
    if request.is_json:
        try:
            json.loads(request.get_data(cache=True))
        except RecursionError:
            return problem(400, "malformed_json", detail="The request body is nested too deeply.")
        except ValueError:
            pass
    return _handle_unexpected(exc)


def _bind_request_context(api: ServiceApi) -> None:
    """Correlation id, identity and tenant of this request; raises the auth errors."""
    tokens: list[tuple[Any, Any]] = []
    setattr(g, _CONTEXT_KEY, tokens)
    environ = request.environ
    correlation = environ.get(_CORRELATION_ENVIRON)
    if correlation is None or _CORRELATION_RE.fullmatch(correlation) is None:
        correlation = str(uuid.uuid4())
    tokens.append((context.correlation_id, context.correlation_id.set(correlation)))

    identity = None
    authorization = environ.get("HTTP_AUTHORIZATION")
    if authorization and request.endpoint != metrics.ENDPOINT:  # its bearer: the metrics token
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken(message="Use the Bearer authentication scheme.")
        if api.verifier is None:
            raise KeysUnavailable()
        identity = api.verifier.verify(token.strip())
        tokens.append((tenancy.current_identity, tenancy.current_identity.set(identity)))

    if api.tenant_networks is not None:
        networks = tenancy.current_tenant_networks.set(api.tenant_networks)
        tokens.append((tenancy.current_tenant_networks, networks))

    view_args = request.view_args
    tenant = view_args.get(TENANT_VIEW_ARG) if view_args else None
    if isinstance(tenant, str):
        if identity is not None:
            tenancy.require_tenant(tenant)
        tokens.append((tenancy.current_tenant, tenancy.current_tenant.set(tenant)))

    if (
        identity is None
        and api.require_auth
        and request.url_rule is not None
        and request.endpoint is not None
        and not api.is_public(request.endpoint, request.method)
    ):
        raise Unauthenticated()


def _echo_correlation(response: Response) -> Response:
    correlation = context.correlation_id.get()
    if correlation is not None:
        response.headers[CORRELATION_HEADER] = correlation
    return response


def _reset_request_context(_exc: BaseException | None) -> None:
    tokens = g.pop(_CONTEXT_KEY, None)
    if not tokens:
        return
    for var, token in reversed(tokens):
        try:
            var.reset(token)
        except ValueError:
            var.set(None)  # reset from another context (streamed response): clear instead


def _run_checks(api: ServiceApi) -> ResponseReturnValue:
    results: dict[str, dict[str, str]] = {}
    ready = True
    for name, check in api.readiness_checks.items():
        try:
            check()
        except Exception as exc:
            ready = False
            results[name] = {"status": "fail", "error": f"{type(exc).__name__}: {exc}"[:300]}
            log.warning("readiness_check_failed", extra={"check": name})
        else:
            results[name] = {"status": "ok"}
    if not ready:
        failed = ", ".join(sorted(n for n, r in results.items() if r["status"] != "ok"))
        detail = f"Failing checks: {failed}."
        return problem(503, "not_ready", detail=detail, extra={"checks": results})
    return {"status": "ok", "checks": results}


def create_base_app(
    settings: Settings,
    *,
    title: str,
    version: str,
    verifier: TokenVerifier | None = None,
    checks: Mapping[str, Check] | None = None,
    require_auth: bool = True,
    max_content_length: int = DEFAULT_MAX_CONTENT_LENGTH,
    import_name: str | None = None,
    anonymous_metrics: bool = True,
) -> tuple[Flask, ServiceApi]:
    """Create a service's Flask app and smorest Api with the chassis edge installed.

    ``verifier`` defaults to one reading ``settings.jwks``; ``checks`` feed ``/readyz``. With
    ``require_auth`` every route except the :func:`public` ones and health/docs needs a token.
    ``anonymous_metrics`` false (a public port): ``/metrics`` needs the metrics token or a
    loopback peer (:func:`chassis.metrics.install`).
    """
    configure_logging(settings)
    app = Flask(import_name or settings.service_name)
    app.request_class = ServiceRequest
    app.config.update(
        MAX_CONTENT_LENGTH=max_content_length,
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=SWAGGER_UI_ASSETS,
        API_SPEC_OPTIONS={
            "security": [{"bearerAuth": []}],
            "info": {"description": LIST_SHAPES_DOC},
        },
    )
    if verifier is None and settings.jwks:
        verifier = TokenVerifier.from_settings(settings)
    api = ServiceApi(app, verifier=verifier, require_auth=require_auth)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    for name, check in (checks or {}).items():
        api.add_readiness_check(name, check)

    app.before_request(functools.partial(_bind_request_context, api))
    app.after_request(_echo_correlation)
    app.teardown_request(_reset_request_context)
    # GET /metrics and the request latency histogram
    metrics.install(app, settings, anonymous=anonymous_metrics)

    install_docs_assets(app)

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> ResponseReturnValue:
        return _run_checks(api)

    return app, api


def install_docs_assets(app: Flask) -> None:
    """Serve Swagger UI's files under :data:`SWAGGER_UI_ASSETS` (public, cached for a day)."""
    folder = Path(flask_swagger_ui.__file__).resolve().parent / "dist"

    def docs_asset(filename: str) -> Response:
        return send_from_directory(folder, filename, max_age=86400)

    app.add_url_rule(f"{SWAGGER_UI_ASSETS}<path:filename>", "docs_asset", public(docs_asset))


def database_check(engine: Engine) -> Check:
    """Readiness check running ``SELECT 1`` on a SQLAlchemy engine."""

    def check() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    return check


def broker_check(url: str, *, timeout: float = 2.0) -> Check:
    """Readiness check opening (and closing) a kombu connection to ``url``."""

    def check() -> None:
        with Connection(url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)

    return check
