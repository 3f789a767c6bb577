"""The public OpenAPI document is one a client can be generated from.

The gateway's merged document is built here in-process, from each service's own spec (every app
created on an empty SQLite folder), exactly as ``/openapi.json`` merges them. It fails on an
operation without an ``operationId`` (or with a duplicate one), a property or array item without
a type, an amount that is not a patterned string, a request or answer without an example, an
error not documented as an RFC 9457 problem, or a routed path missing from the document; and
``/docs`` must load nothing from outside.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from chassis.http import PROBLEM_MIMETYPE, SWAGGER_UI_ASSETS
from chassis.schemas import AMOUNT_PATTERN
from gateway.openapi import build_document, merge_specs
from gateway.routing import ROUTES, RouteTable, path_shape

SERVICES = {
    "ledger": "ledger.api",
    "listings": "listings.api",
    "invoices": "invoices.api",
    "notifications": "notifications.api",
}
METHODS = ("get", "put", "post", "patch", "delete")
COMBINATORS = frozenset({"type", "$ref", "allOf", "oneOf", "anyOf"})


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Flask]]:
    folder = tmp_path_factory.mktemp("openapi")
    with pytest.MonkeyPatch.context() as patch:
        for name in (
            "TROC_DATABASE_URL",
            *(f"TROC_{s.upper()}_DATABASE_URL" for s in SERVICES),
            "TROC_GATEWAY_DATABASE_URL",
        ):
            patch.delenv(name, raising=False)
        patch.setenv("TROC_VAR_DIR", str(folder))
        patch.setenv("TROC_BROKER_URL", "memory://")
        modules = {**SERVICES, "gateway": "gateway.api"}
        yield {
            name: importlib.import_module(module).create_app() for name, module in modules.items()
        }


@pytest.fixture(scope="module")
def document(apps: dict[str, Flask]) -> dict[str, Any]:
    specs = {name: apps[name].test_client().get("/openapi.json").get_json() for name in SERVICES}
    gateway = apps["gateway"].extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return build_document(gateway, specs, RouteTable(ROUTES).routes_operation)


# --- the checks, reusable on any document --------------------------------------------------------


def operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield method, path, item[method]


def operations_without_id(document: Mapping[str, Any]) -> list[str]:
    return [f"{m.upper()} {p}" for m, p, op in operations(document) if not op.get("operationId")]


def duplicate_operation_ids(document: Mapping[str, Any]) -> list[str]:
    ids = [op.get("operationId") for _, _, op in operations(document) if op.get("operationId")]
    return sorted({i for i in ids if ids.count(i) > 1})


def untyped(node: Any, where: str = "#") -> list[str]:
    """Properties and array items (anywhere in ``node``) that say nothing of their type."""
    found: list[str] = []
    if isinstance(node, Mapping):
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, Mapping) and not COMBINATORS & set(prop):
                found.append(f"{where}/properties/{name}")
        items = node.get("items")
        if (
            node.get("type") == "array"
            and isinstance(items, Mapping)
            and not COMBINATORS & set(items)
        ):
            found.append(f"{where}/items")
        for key, value in node.items():
            found += untyped(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += untyped(value, f"{where}/{index}")
    return found


def routed_paths_missing(document: Mapping[str, Any]) -> list[str]:
    documented = {(method, path_shape(path)) for method, path, _ in operations(document)}
    return [
        f"{method} {route.rule}"
        for route in ROUTES
        for method in sorted(route.methods)
        if (method.lower(), route.shape) not in documented
    ]


def examples_missing(document: Mapping[str, Any]) -> list[str]:
    missing = []
    for method, path, op in operations(document):
        bodies = [("request", (op.get("requestBody") or {}).get("content") or {})]
        bodies += [
            (status, (r.get("content") or {}))
            for status, r in op["responses"].items()
            if status.startswith("2") and isinstance(r, Mapping)
        ]
        for where, content in bodies:
            json_media = content.get("application/json")
            if json_media and "example" not in json_media and "examples" not in json_media:
                missing.append(f"{method.upper()} {path} {where}")
    return missing


def errors_not_problems(document: Mapping[str, Any]) -> list[str]:
    """Operations whose error answers are not ``application/problem+json`` Problem documents."""

    def resolve(response: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = response.get("$ref")
        if isinstance(ref, str):
            return document["components"]["responses"][ref.rsplit("/", 1)[1]]
        return response

    wrong = []
    for method, path, op in operations(document):
        responses = op["responses"]
        if "default" not in responses:
            wrong.append(f"{method.upper()} {path}: no default (error) response")
        for status, response in responses.items():
            if status.startswith("2"):
                continue
            content = resolve(response).get("content") or {}
            schema = (content.get(PROBLEM_MIMETYPE) or {}).get("schema") or {}
            if not str(schema.get("$ref", "")).endswith("/Problem"):
                wrong.append(f"{method.upper()} {path} {status}")
    return wrong


# --- the public document -------------------------------------------------------------------------


def test_every_operation_has_a_unique_operation_id(document: dict[str, Any]) -> None:
    assert not operations_without_id(document)
    assert not duplicate_operation_ids(document)


def test_operation_ids_name_the_service_method_and_view(document: dict[str, Any]) -> None:
    ids = {op["operationId"] for _, _, op in operations(document)}
    assert {
        "ledger_get_account",
        "ledger_post_transfers",
        "invoices_post_issue",
        "invoices_get_statement",
        "ledger_get_statement",
        "auth_post_token",
        "directory_post_members",
        "notifications_post_webhooks",
    } <= ids
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids), ids


def test_every_property_has_a_type(document: dict[str, Any]) -> None:
    assert not untyped(document), untyped(document)


def test_amounts_are_patterned_strings(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for schema, field in (
        ("Account", "balance"),
        ("Account", "credit_limit"),
        ("Transfer", "amount"),
        ("TransferIn", "amount"),
        ("Invoice", "total_incl_vat"),
        ("LineIn", "unit_price"),
    ):
        prop = schemas[schema]["properties"][field]
        assert prop["type"] == "string" and prop["pattern"] == AMOUNT_PATTERN, (schema, prop)


def test_every_routed_path_is_in_the_document(document: dict[str, Any]) -> None:
    assert not routed_paths_missing(document)
    for path in (
        "/t/{tenant}/invoices/statement",
        "/t/{tenant}/invoices/accounting-export",
        "/t/{tenant}/invoices/commissions",
    ):
        assert document["paths"][path]["get"]["x-troc-service"] == "invoices"


def test_requests_and_answers_have_examples(document: dict[str, Any]) -> None:
    assert not examples_missing(document)
    body = document["paths"]["/t/{tenant}/transfers"]["post"]["requestBody"]
    assert body["content"]["application/json"]["example"]["amount"] == "1250.00"


def test_errors_are_documented_as_problems(document: dict[str, Any]) -> None:
    assert not errors_not_problems(document)
    problem = document["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "code", "instance"} <= set(problem)


# --- the checks catch what they are for ----------------------------------------------------------


def _tiny(operation: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/t/{tenant}/accounts": {"get": operation}},
        "components": {"schemas": schemas or {}},
    }


def test_the_checks_fail_on_a_missing_id_an_untyped_property_and_a_missing_route() -> None:
    document = _tiny(
        {"responses": {"200": {"description": "ok"}}},
        {
            "Account": {
                "type": "object",
                "properties": {"balance": {"example": "1"}},
                "required": [],
            },
            "Page": {"type": "array", "items": {"description": "no type"}},
        },
    )
    assert operations_without_id(document) == ["GET /t/{tenant}/accounts"]
    assert untyped(document) == [
        "#/components/schemas/Account/properties/balance",
        "#/components/schemas/Page/items",
    ]
    missing = routed_paths_missing(document)
    assert "GET /t/<tenant>/invoices/statement" in missing
    assert "GET /t/<tenant>/accounts" not in missing


def test_an_amount_field_was_untyped_before_the_chassis_mapped_it() -> None:
    """apispec ignores a field's own type hook: without the chassis' mapping, no type."""
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin
    from marshmallow import Schema

    from chassis.schemas import Amount

    class Priced(Schema):
        price = Amount()

    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Priced", schema=Priced)
    assert "type" not in spec.to_dict()["components"]["schemas"]["Priced"]["properties"]["price"]


def test_merging_keeps_service_ids_and_prefixes_only_a_clash() -> None:
    gateway = _tiny({"operationId": "ledger_get_accounts", "responses": {}})
    gateway["paths"] = {"/me": gateway["paths"].pop("/t/{tenant}/accounts")}
    ledger = _tiny({"operationId": "ledger_get_accounts", "responses": {}})
    merged = merge_specs(gateway, {"ledger": ledger}, RouteTable(ROUTES).routes_operation)
    assert duplicate_operation_ids(merged) == []


# --- /docs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["gateway", "ledger"])
def test_docs_load_their_assets_from_this_process(apps: dict[str, Flask], service: str) -> None:
    client = apps[service].test_client()
    page = client.get("/docs").get_data(as_text=True)
    assert "swagger-ui" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"{SWAGGER_UI_ASSETS}{asset}" in page
        response = client.get(f"{SWAGGER_UI_ASSETS}{asset}")
        assert response.status_code == 200 and len(response.data) > 10_000
        response.close()
    assert client.get(f"{SWAGGER_UI_ASSETS}../../etc/passwd").status_code == 404


def test_the_docs_assets_come_from_a_pinned_package() -> None:
    constraints = Path(__file__).resolve().parents[2] / "requirements" / "constraints.txt"
    assert re.search(r"^flask-swagger-ui==", constraints.read_text(), re.MULTILINE | re.I)


def test_the_gateway_serves_no_metrics_on_its_public_port(apps: dict[str, Flask]) -> None:
    """Its port faces the internet: metrics only with TROC_METRICS_TOKEN (or on the loopback)."""
    client = apps["gateway"].test_client()
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 404
    internal = apps["ledger"].test_client()
    assert internal.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200


def test_a_list_with_an_older_shape_keeps_its_query_parameters(document: dict[str, Any]) -> None:
    """The deprecated ``Troc-List-Shape`` header is documented beside the operation's own
    parameters, never instead of them (a client could not page or read on otherwise)."""
    expected = {
        "/t/{tenant}/events": {"source", "after", "limit"},
        "/t/{tenant}/accounts": {"page", "per_page"},
        "/t/{tenant}/accounts/{member_id}/transfers": {"page", "per_page"},
    }
    for path, wanted in expected.items():
        item = document["paths"][path]
        parameters = [*item.get("parameters", []), *item["get"].get("parameters", [])]
        names = {p["name"] for p in parameters}
        assert wanted | {"Troc-List-Shape"} <= names, (path, names)
