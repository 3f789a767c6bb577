"""The merged OpenAPI document: filtering by the routing table, component clashes, caching."""

from __future__ import annotations

import copy
import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import marshmallow as ma
import pytest
from flask import Flask
from flask.views import MethodView
from flask_smorest import Blueprint

from chassis.config import Settings
from chassis.http import ServiceApi, create_base_app
from gateway.openapi import (
    SERVICE_EXTENSION,
    SERVICES_EXTENSION,
    MergedOpenApi,
    ServiceSpecs,
    build_document,
    drop_unused_schemas,
    install_openapi,
    merge_specs,
)
from gateway.routing import ROUTES, RouteTable

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PARAMETER_PLACES = {"query", "header", "path", "cookie"}
COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")


def _resolve(document: Mapping[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"external $ref {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, Mapping) and part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, Mapping):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        mapping = node.get("mapping")
        if isinstance(mapping, Mapping) and "propertyName" in node:
            found += [v for v in mapping.values() if isinstance(v, str)]
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def assert_valid_openapi(document: Mapping[str, Any]) -> None:
    """A valid OpenAPI 3.0 document: openapi-spec-validator when installed, else our checks."""
    if importlib.util.find_spec("openapi_spec_validator") is not None:
        from openapi_spec_validator import validate

        validate(dict(document))
    assert str(document["openapi"]).startswith("3.0.")
    assert isinstance(document["info"]["title"], str)
    assert isinstance(document["info"]["version"], str)
    for kind, items in document.get("components", {}).items():
        for name in items:
            assert COMPONENT_NAME.match(name), f"components/{kind}/{name}"
    for ref in _refs(document):
        _resolve(document, ref)
    for path, item in document["paths"].items():
        assert path.startswith("/"), path
        template = set(re.findall(r"\{([^{}]+)\}", path))
        shared = {p["name"] for p in item.get("parameters", []) if p.get("in") == "path"}
        operations = {m: op for m, op in item.items() if m in HTTP_METHODS}
        assert operations, path
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path} has no responses"
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                if "$ref" not in parameter:
                    assert parameter["in"] in PARAMETER_PLACES, f"{method} {path}: {parameter}"
            own = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            assert template == shared | own, f"{method} {path}: path parameters"


def spec(paths: dict[str, Any] | None = None, **components: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": components,
    }


def op(ref: str | None = None, **extra: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": ref}}} if ref else {}
    return {"responses": {"200": {"description": "ok", "content": content}}, **extra}


ALL = RouteTable(ROUTES).routes_operation
ACCOUNT_PATH = "/t/{tenant}/accounts/{member_id}"
TENANT = {"in": "path", "name": "tenant", "required": True, "schema": {"type": "string"}}
MEMBER = {"in": "path", "name": "member_id", "required": True, "schema": {"type": "string"}}


class TestMergeSpecs:
    def test_clashing_components_are_prefixed_and_their_refs_rewritten(self) -> None:
        gateway = spec(
            {"/auth/token": {"post": op("#/components/schemas/Account")}},
            schemas={
                "Account": {"type": "object", "title": "user account"},
                "Problem": {"type": "object"},
            },
        )
        ledger = spec(
            {
                ACCOUNT_PATH: {
                    "get": op("#/components/schemas/Account"),
                    "parameters": [TENANT, MEMBER],
                }
            },
            schemas={
                "Account": {"type": "object", "title": "ledger account"},
                "Problem": {"type": "object"},
                "Page": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}},
                "Any": {
                    "oneOf": [{"$ref": "#/components/schemas/Account"}],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"a": "#/components/schemas/Account"},
                    },
                },
            },
        )
        merged = merge_specs(gateway, {"ledger": ledger}, ALL)
        schemas = merged["components"]["schemas"]
        assert schemas["Account"]["title"] == "user account"
        assert schemas["LedgerAccount"]["title"] == "ledger account"
        assert "LedgerProblem" not in schemas  # identical: shared
        assert schemas["Page"]["items"]["$ref"] == "#/components/schemas/LedgerAccount"
        assert schemas["Any"]["discriminator"]["mapping"]["a"].endswith("/LedgerAccount")
        ledger_op = merged["paths"][ACCOUNT_PATH]["get"]
        assert (
            ledger_op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            == "#/components/schemas/LedgerAccount"
        )
        assert ledger_op[SERVICE_EXTENSION] == "ledger"
        gateway_op = merged["paths"]["/auth/token"]["post"]
        assert (
            gateway_op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            == "#/components/schemas/Account"
        )
        assert_valid_openapi(merged)

    def test_two_services_clashing_with_each_other_are_told_apart(self) -> None:
        first = spec(schemas={"Line": {"title": "a"}})
        second = spec(schemas={"Line": {"title": "b"}, "LedgerLine": {"title": "c"}})
        merged = merge_specs(spec(), {"invoices": first, "ledger": second}, ALL)
        schemas = merged["components"]["schemas"]
        assert schemas["Line"]["title"] == "a"
        assert {schemas["LedgerLine"]["title"], schemas["LedgerLine2"]["title"]} == {"b", "c"}

    def test_only_the_routed_operations_of_a_service_are_kept(self) -> None:
        ledger = spec(
            {
                ACCOUNT_PATH: {"get": op(), "delete": op(), "parameters": [TENANT, MEMBER]},
                "/internal/rebuild": {"post": op()},
                "/healthz": {"get": op()},
                "/t/{tenant}/listings": {"get": op(), "parameters": [TENANT]},
            }
        )
        merged = merge_specs(spec(), {"ledger": ledger}, ALL)
        assert list(merged["paths"]) == [ACCOUNT_PATH]
        assert set(merged["paths"][ACCOUNT_PATH]) == {"get", "parameters"}

    def test_the_gateways_own_path_wins_a_clash(self) -> None:
        gateway = spec({ACCOUNT_PATH: {"get": op(summary="gateway")}})
        ledger = spec({ACCOUNT_PATH: {"get": op(summary="ledger")}})
        merged = merge_specs(gateway, {"ledger": ledger}, ALL)
        assert merged["paths"][ACCOUNT_PATH]["get"]["summary"] == "gateway"

    def test_operation_ids_and_tags_do_not_collide(self) -> None:
        gateway = spec({"/auth/token": {"post": op(operationId="show")}})
        gateway["tags"] = [{"name": "auth"}]
        ledger = spec(
            {ACCOUNT_PATH: {"get": op(operationId="show"), "parameters": [TENANT, MEMBER]}}
        )
        ledger["tags"] = [{"name": "ledger"}, {"name": "auth"}]
        merged = merge_specs(gateway, {"ledger": ledger}, ALL)
        assert merged["paths"][ACCOUNT_PATH]["get"]["operationId"] == "ledger_show"
        assert [t["name"] for t in merged["tags"]] == ["auth", "ledger"]

    def test_inputs_are_left_untouched(self) -> None:
        gateway = spec(schemas={"Account": {"title": "a"}})
        ledger = spec(
            {
                ACCOUNT_PATH: {
                    "get": op("#/components/schemas/Account"),
                    "parameters": [TENANT, MEMBER],
                }
            },
            schemas={"Account": {"title": "b"}},
        )
        before = copy.deepcopy((gateway, ledger))
        merge_specs(gateway, {"ledger": ledger}, ALL)
        assert (gateway, ledger) == before


class TestUnusedSchemas:
    def test_only_the_schemas_of_public_operations_are_kept(self) -> None:
        """An internal route's schemas (the ledger's tenant closing, for the gateway) are left
        out: a client generator would make models of them, whose names may clash."""
        ledger = spec(
            {
                ACCOUNT_PATH: {
                    "get": op("#/components/schemas/Page"),
                    "parameters": [TENANT, MEMBER],
                },
                "/tenants/{tenant}/status": {"put": op("#/components/schemas/TenantStatus")},
            },
            schemas={
                "Page": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}},
                "Account": {
                    "type": "object",
                    "properties": {"kind": {"$ref": "#/components/schemas/Kind"}},
                },
                "Kind": {"type": "string", "enum": ["member", "fee"]},
                "TenantStatus": {"type": "object"},
                "Problem": {"type": "object"},
            },
            responses={
                "DEFAULT_ERROR": {
                    "description": "error",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
            },
        )
        document = build_document(spec(), {"ledger": ledger}, ALL)
        assert set(document["components"]["schemas"]) == {"Page", "Account", "Kind", "Problem"}
        assert "DEFAULT_ERROR" in document["components"]["responses"]
        assert_valid_openapi(document)

    def test_a_document_without_schemas_is_left_as_it_is(self) -> None:
        document = spec({"/auth/token": {"post": op()}})
        assert drop_unused_schemas(copy.deepcopy(document)) == document


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TestServiceSpecs:
    def test_specs_are_cached_for_their_ttl(self) -> None:
        calls: list[str] = []

        def fetch(service: str) -> dict[str, Any]:
            calls.append(service)
            return spec()

        clock = Clock()
        specs = ServiceSpecs(["ledger"], fetch, ttl=60, clock=clock)
        assert specs.current()[1] == {"ledger": "ok"}
        clock.now = 59
        specs.current()
        assert calls == ["ledger"]
        clock.now = 61
        specs.current()
        assert calls == ["ledger", "ledger"]

    def test_a_service_that_goes_down_keeps_its_last_spec(self) -> None:
        up = {"ledger": True, "listings": False}

        def fetch(service: str) -> dict[str, Any]:
            if not up[service]:
                raise ConnectionError(service)
            return spec({"/t/{tenant}/events": {"get": op()}})

        clock = Clock()
        specs = ServiceSpecs(["ledger", "listings"], fetch, ttl=60, retry=5, clock=clock)
        known, states = specs.current()
        assert set(known) == {"ledger"}
        assert states == {"ledger": "ok", "listings": "unavailable"}
        up.update(ledger=False, listings=True)
        clock.now = 100
        known, states = specs.current()
        assert set(known) == {"ledger", "listings"}
        assert states == {"ledger": "stale", "listings": "ok"}

    def test_an_answer_that_is_no_openapi_document_counts_as_down(self) -> None:
        specs = ServiceSpecs(["ledger"], lambda _s: {"error": "nope"}, clock=Clock())
        assert specs.current() == ({}, {"ledger": "unavailable"})


class AccountSchema(ma.Schema):
    email = ma.fields.String()


def gateway_api(tmp_path: Path) -> tuple[Flask, ServiceApi]:
    settings = Settings(service_name="gateway", log_json=False, var_dir=tmp_path)
    app, api = create_base_app(settings, title="Troc Actif", version="1.0", import_name=__name__)
    blp = Blueprint("users", __name__, url_prefix="/t/<tenant>")

    @blp.route("/users")
    class Users(MethodView):
        @blp.response(200, AccountSchema(many=True))
        def get(self, tenant: str) -> list[dict[str, str]]:
            return []

    api.register_blueprint(blp)
    return app, api


def ledger_spec(tmp_path: Path) -> dict[str, Any]:
    from ledger.api import create_app

    settings = Settings.from_env(
        "ledger", {"TROC_VAR_DIR": str(tmp_path), "TROC_BROKER_URL": "memory://"}
    )
    document: dict[str, Any] = create_app(settings).test_client().get("/openapi.json").json
    return document


class TestServedDocument:
    def test_the_gateway_serves_its_paths_and_the_services_at_openapi_json(
        self, tmp_path: Path
    ) -> None:
        app, api = gateway_api(tmp_path)
        ledger = ledger_spec(tmp_path)
        specs = ServiceSpecs(
            ["ledger", "listings"], lambda s: ledger if s == "ledger" else {}, clock=Clock()
        )
        install_openapi(app, api, MergedOpenApi(api, specs, ALL))
        client = app.test_client()
        document = client.get("/openapi.json").json
        assert "/t/{tenant}/users" in document["paths"]
        for route in ROUTES:
            if route.service == "ledger":
                assert route.openapi_path in document["paths"], route
        assert "/healthz" not in document["paths"]
        assert document[SERVICES_EXTENSION] == {"ledger": "ok", "listings": "unavailable"}
        schemas = document["components"]["schemas"]
        assert "Account" in schemas and "LedgerAccount" in schemas
        assert_valid_openapi(document)
        docs = client.get("/docs")
        assert docs.status_code == 200
        assert "openapi.json" in docs.get_data(as_text=True)

    def test_without_smorests_doc_routes_both_are_added(self, tmp_path: Path) -> None:
        app = Flask(__name__)
        app.config.update(API_TITLE="gw", API_VERSION="1", OPENAPI_VERSION="3.0.3")
        api = ServiceApi(app)
        specs = ServiceSpecs(["ledger"], lambda _s: ledger_spec(tmp_path), clock=Clock())
        install_openapi(app, api, MergedOpenApi(api, specs, ALL))
        client = app.test_client()
        document = client.get("/openapi.json").json
        assert ACCOUNT_PATH in document["paths"]
        assert "swagger-ui" in client.get("/docs").get_data(as_text=True)


@pytest.mark.parametrize("service", ["ledger"])
def test_every_tenant_path_of_a_services_own_spec_is_routed(tmp_path: Path, service: str) -> None:
    table = RouteTable(ROUTES)
    document = ledger_spec(tmp_path)
    missing = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        if path.startswith("/t/")
        for method in item
        if method in HTTP_METHODS
        if not table.routes_operation(service, path, method)
    ]
    assert not missing, f"add these {service} routes to gateway.routing.ROUTES: {missing}"
