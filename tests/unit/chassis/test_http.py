"""The HTTP edge through a tiny app built with ``create_base_app``: one problem+json for all."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import marshmallow as ma
import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

from chassis import context, tenancy
from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR
from chassis.http import (
    CORRELATION_HEADER,
    PROBLEM_MIMETYPE,
    ServiceApi,
    auth_required,
    broker_check,
    create_base_app,
    database_check,
    public,
)
from chassis.testing.tokens import TokenFactory

PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "instance", "correlation_id"}


class LedgerError(Exception):
    """A domain error tree, as a service would have."""


class InsufficientFunds(LedgerError):
    pass


class LineSchema(ma.Schema):
    description = ma.fields.String(required=True)
    vat_rate = ma.fields.Decimal(required=True, as_string=True)


class ThingSchema(ma.Schema):
    amount = ma.fields.Integer(required=True)
    lines = ma.fields.List(ma.fields.Nested(LineSchema), load_default=list)


class PageSchema(ma.Schema):
    after = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0))


def build_app(
    factory: TokenFactory,
    *,
    checks: dict[str, Callable[[], object]] | None = None,
    require_auth: bool = True,
    max_content_length: int = 1024 * 1024,
) -> tuple[Flask, ServiceApi]:
    app, api = create_base_app(
        factory.settings(),
        title="Things",
        version="1.0",
        checks=checks,
        require_auth=require_auth,
        max_content_length=max_content_length,
    )
    api.register_error(InsufficientFunds, 409, "insufficient_funds")
    api.register_error(LedgerError, 422, "ledger_error", expose_message=False)
    blp = Blueprint("things", __name__, url_prefix="/t/<tenant>")

    @blp.route("/things")
    class Things(MethodView):
        @blp.arguments(PageSchema, location="query")
        @blp.response(200, ThingSchema(many=True))
        def get(self, page: dict[str, Any], tenant: str) -> list[dict[str, Any]]:
            return []

        @blp.arguments(ThingSchema)
        @blp.response(201, ThingSchema)
        def post(self, thing: dict[str, Any], tenant: str) -> dict[str, Any]:
            if thing["amount"] == 0:
                raise InsufficientFunds("balance too low")
            if thing["amount"] == 1:
                raise LedgerError("internal ledger detail")
            if thing["amount"] == 2:
                abort(409, message="Already there.", code="duplicate_thing")
            if thing["amount"] == 3:
                ThingSchema().load({"amount": "not a number"})
            return thing

    @blp.route("/things/<int:thing_id>")
    class Thing(MethodView):
        @blp.response(200, ThingSchema)
        def get(self, tenant: str, thing_id: int) -> dict[str, Any]:
            abort(404)

    @blp.route("/admin")
    class Admin(MethodView):
        @blp.response(200, ThingSchema)
        def get(self, tenant: str) -> dict[str, Any]:
            tenancy.require_role(OPERATOR)
            return {"amount": 1}

    @blp.route("/events")
    class Events(MethodView):
        @blp.response(200, ThingSchema)
        def get(self, tenant: str) -> dict[str, Any]:
            tenancy.require_scope("events:read")
            return {"amount": 1}

    @blp.route("/catalogue")
    class Catalogue(MethodView):
        @public
        @blp.response(200, ThingSchema)
        def get(self, tenant: str) -> dict[str, Any]:
            return {"amount": 7}

        @blp.arguments(ThingSchema)
        @blp.response(201, ThingSchema)
        def post(self, thing: dict[str, Any], tenant: str) -> dict[str, Any]:
            return thing

    api.register_blueprint(blp)

    @app.post("/raw")
    @public
    def raw() -> dict[str, Any]:
        return {"got": request.get_json()}

    @app.get("/boom")
    @public
    def boom() -> dict[str, Any]:
        raise RuntimeError("secret-internal-detail")

    @app.get("/database-down")
    @public
    def database_down() -> dict[str, Any]:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("secret-host:5432"))

    @app.get("/whoami")
    @auth_required
    def whoami() -> dict[str, Any]:
        identity = tenancy.require_identity()
        return {"subject": identity.subject, "correlation": context.correlation_id.get()}

    return app, api


@pytest.fixture
def app(token_factory: TokenFactory) -> Flask:
    return build_app(token_factory)[0]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def animator(token_factory: TokenFactory) -> dict[str, str]:
    return token_factory.headers(ANIMATOR)


def things(factory: TokenFactory, tenant: str | None = None) -> str:
    return f"/t/{tenant or factory.tenant}/things"


def assert_problem(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_MIMETYPE
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"https://trocactif.org/problems/{code}"
    assert body["correlation_id"] == response.headers[CORRELATION_HEADER]
    assert body["instance"] == response.request.path
    return dict(body)


class TestSuccessAndCorrelation:
    def test_authenticated_post(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        response = client.post(things(token_factory), json={"amount": 5}, headers=animator)
        assert response.status_code == 201
        assert response.get_json() == {"amount": 5, "lines": []}

    def test_correlation_id_is_echoed(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        headers = animator | {CORRELATION_HEADER: "req-123"}
        response = client.get("/whoami", headers=headers)
        assert response.headers[CORRELATION_HEADER] == "req-123"
        assert response.get_json()["correlation"] == "req-123"

    def test_correlation_id_is_generated_when_absent_or_unsafe(self, client: FlaskClient) -> None:
        generated = client.get("/healthz").headers[CORRELATION_HEADER]
        assert len(generated) == 36
        unsafe = client.get("/healthz", headers={CORRELATION_HEADER: "a\tb <script>"})
        assert unsafe.headers[CORRELATION_HEADER] not in {"a\tb <script>", generated}

    def test_request_context_is_cleared_after_the_request(
        self, client: FlaskClient, animator: dict[str, str]
    ) -> None:
        client.get("/whoami", headers=animator | {CORRELATION_HEADER: "req-1"})
        assert tenancy.current_identity.get() is None
        assert tenancy.current_tenant.get() is None
        assert context.correlation_id.get() is None


class TestProblems:
    def test_validation_error_names_the_fields(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        body = {"amount": "many", "lines": [{"description": "bike"}]}
        response = client.post(things(token_factory), json=body, headers=animator)
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"] == {
            "amount": ["Not a valid integer."],
            "lines.0.vat_rate": ["Missing data for required field."],
        }

    def test_query_errors_are_prefixed_with_their_location(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        response = client.get(things(token_factory) + "?after=-1", headers=animator)
        problem = assert_problem(response, 422, "validation_failed")
        assert list(problem["errors"]) == ["query.after"]

    def test_validation_error_raised_in_a_view(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        response = client.post(things(token_factory), json={"amount": 3}, headers=animator)
        assert assert_problem(response, 422, "validation_failed")["errors"] == {
            "amount": ["Not a valid integer."]
        }

    def test_unknown_route(self, client: FlaskClient) -> None:
        assert_problem(client.get("/nowhere"), 404, "not_found")

    def test_method_not_allowed_lists_the_allowed_methods(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        for method in ("DELETE", "TRACE"):
            response = client.open(things(token_factory), method=method, headers=animator)
            assert_problem(response, 405, "method_not_allowed")
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert {"GET", "POST"} <= allowed

    @pytest.mark.parametrize("path", ["things", "/raw"])
    def test_malformed_json(
        self,
        client: FlaskClient,
        token_factory: TokenFactory,
        animator: dict[str, str],
        path: str,
    ) -> None:
        url = things(token_factory) if path == "things" else path
        response = client.post(
            url, data='{"amount": ', content_type="application/json", headers=animator
        )
        assert_problem(response, 400, "malformed_json")

    def test_json_nested_too_deeply_is_malformed_not_a_crash(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        body = '{"amount": ' + "[" * 100_000 + "]" * 100_000 + "}"
        response = client.post(
            things(token_factory), data=body, content_type="application/json", headers=animator
        )
        assert_problem(response, 400, "malformed_json")

    def test_payload_too_large(self, token_factory: TokenFactory) -> None:
        app, _ = build_app(token_factory, max_content_length=64)
        response = app.test_client().post(
            things(token_factory),
            json={"amount": 5, "lines": [{"description": "x" * 200, "vat_rate": "20"}]},
            headers=token_factory.headers(ANIMATOR),
        )
        assert_problem(response, 413, "payload_too_large")

    def test_unexpected_error_leaks_nothing(
        self, client: FlaskClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR, logger="chassis.http"):
            response = client.get("/boom")
        problem = assert_problem(response, 500, "internal_error")
        text = response.get_data(as_text=True)
        assert "secret-internal-detail" not in text
        assert "Traceback" not in text and "RuntimeError" not in text
        assert problem["detail"] == "An unexpected error occurred."
        assert any(record.exc_info for record in caplog.records)

    def test_database_unavailable_is_a_503_to_retry(self, client: FlaskClient) -> None:
        response = client.get("/database-down")
        problem = assert_problem(response, 503, "database_unavailable")
        assert response.headers["Retry-After"] == "1"
        assert "secret-host" not in response.get_data(as_text=True)
        assert problem["detail"].endswith("retry shortly.")

    def test_mapped_domain_errors(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        funds = client.post(things(token_factory), json={"amount": 0}, headers=animator)
        assert assert_problem(funds, 409, "insufficient_funds")["detail"] == "balance too low"
        other = client.post(things(token_factory), json={"amount": 1}, headers=animator)
        assert "internal ledger detail" not in assert_problem(other, 422, "ledger_error")["detail"]

    def test_abort_with_a_code(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        response = client.post(things(token_factory), json={"amount": 2}, headers=animator)
        assert assert_problem(response, 409, "duplicate_thing")["detail"] == "Already there."


class TestAuthentication:
    def test_missing_token(self, client: FlaskClient, token_factory: TokenFactory) -> None:
        response = client.get(things(token_factory))
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"] == "Bearer"

    def test_invalid_token(self, client: FlaskClient, token_factory: TokenFactory) -> None:
        response = client.get(things(token_factory), headers={"Authorization": "Bearer a.b.c"})
        assert_problem(response, 401, "invalid_token")
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]

    def test_expired_token(self, client: FlaskClient, token_factory: TokenFactory) -> None:
        headers = token_factory.headers(ANIMATOR, expires_in=-120)
        assert_problem(client.get(things(token_factory), headers=headers), 401, "token_expired")

    def test_other_schemes_are_refused(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        response = client.get(things(token_factory), headers={"Authorization": "Basic dTpw"})
        assert_problem(response, 401, "invalid_token")

    def test_public_routes_need_no_token(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        assert client.get(f"/t/{token_factory.tenant}/catalogue").status_code == 200
        assert client.post("/raw", json={"a": 1}).get_json() == {"got": {"a": 1}}
        blocked = client.post(f"/t/{token_factory.tenant}/catalogue", json={"amount": 1})
        assert_problem(blocked, 401, "unauthenticated")

    def test_unauthenticated_request_gets_401_before_validation(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        assert_problem(client.post(things(token_factory), json={}), 401, "unauthenticated")

    def test_auth_required_decorator_without_the_default(self, token_factory: TokenFactory) -> None:
        app, _ = build_app(token_factory, require_auth=False)
        client = app.test_client()
        assert client.get(things(token_factory)).status_code == 200
        assert_problem(client.get("/whoami"), 401, "unauthenticated")
        ok = client.get("/whoami", headers=token_factory.headers(MEMBER, subject="user-9"))
        assert ok.get_json()["subject"] == "user-9"

    def test_no_verifier_configured_is_a_503(self, token_factory: TokenFactory) -> None:
        app, api = build_app(token_factory)
        api.verifier = None
        response = app.test_client().get(
            things(token_factory), headers=token_factory.headers(ANIMATOR)
        )
        assert_problem(response, 503, "auth_unavailable")


class TestAuthorisation:
    def test_forbidden_role(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        response = client.get(f"/t/{token_factory.tenant}/admin", headers=animator)
        assert_problem(response, 403, "forbidden")

    def test_missing_scope(self, client: FlaskClient, token_factory: TokenFactory) -> None:
        url = f"/t/{token_factory.tenant}/events"
        reader = token_factory.headers(INTEGRATOR, scopes=["events:read"])
        assert client.get(url, headers=reader).status_code == 200
        ledger_only = token_factory.headers(INTEGRATOR, scopes=["ledger:read"])
        assert_problem(client.get(url, headers=ledger_only), 403, "insufficient_scope")

    def test_another_tenant_looks_like_nothing_is_there(
        self, client: FlaskClient, token_factory: TokenFactory, animator: dict[str, str]
    ) -> None:
        own_missing = client.get(things(token_factory) + "/99", headers=animator)
        foreign = client.get(things(token_factory, "globex") + "/99", headers=animator)
        foreign_admin = client.get("/t/globex/admin", headers=animator)
        never = client.get("/t/never-created/things", headers=animator)
        bodies = [assert_problem(r, 404, "not_found") for r in (own_missing, foreign, never)]
        assert_problem(foreign_admin, 404, "not_found")
        strip = {"instance", "correlation_id"}
        shapes = [{k: v for k, v in body.items() if k not in strip} for body in bodies]
        assert shapes[0] == shapes[1] == shapes[2]

    def test_operator_reaches_every_tenant(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        operator = token_factory.headers(OPERATOR)
        assert client.get("/t/globex/admin", headers=operator).status_code == 200


class TestHealth:
    def test_healthz(self, client: FlaskClient) -> None:
        response = client.get("/healthz")
        assert (response.status_code, response.get_json()) == (200, {"status": "ok"})

    def test_readyz_runs_the_checks(self, token_factory: TokenFactory) -> None:
        checks = {
            "database": database_check(create_engine("sqlite://")),
            "broker": broker_check("memory://"),
        }
        app, _ = build_app(token_factory, checks=checks)
        response = app.test_client().get("/readyz")
        assert response.status_code == 200
        assert response.get_json()["checks"] == {
            "database": {"status": "ok"},
            "broker": {"status": "ok"},
        }

    def test_readyz_fails_when_a_check_fails(self, token_factory: TokenFactory) -> None:
        def broken() -> None:
            raise ConnectionError("broker unreachable")

        app, api = build_app(token_factory, checks={"database": lambda: None})
        api.add_readiness_check("broker", broken)
        response = app.test_client().get("/readyz")
        problem = assert_problem(response, 503, "not_ready")
        assert problem["checks"]["database"] == {"status": "ok"}
        assert problem["checks"]["broker"]["status"] == "fail"
        assert "ConnectionError" in problem["checks"]["broker"]["error"]


class TestDocumentation:
    def test_openapi_documents_bearer_auth_and_problems(self, client: FlaskClient) -> None:
        spec = client.get("/openapi.json").get_json()
        assert spec["openapi"].startswith("3.")
        assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
        assert spec["security"] == [{"bearerAuth": []}]
        assert "/t/{tenant}/things" in spec["paths"]
        problem = spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
        assert PROBLEM_MIMETYPE in problem
        assert {"type", "code", "errors", "correlation_id"} <= set(
            spec["components"]["schemas"]["Problem"]["properties"]
        )
        # RFC 9457 extension members (invalid_fields, rows...) conform to the documented schema.
        assert spec["components"]["schemas"]["Problem"]["additionalProperties"] is True

    def test_docs_page_points_at_the_spec(self, client: FlaskClient) -> None:
        response = client.get("/docs")
        assert response.status_code == 200
        assert "openapi.json" in response.get_data(as_text=True)
