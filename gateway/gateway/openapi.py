"""One OpenAPI document for the whole public API: the gateway's own spec plus each service's routes.

Clients see a single API, so ``/openapi.json`` merges the gateway's spec with the public paths
of every service (those of the routing table), fetched from the services' own ``/openapi.json``.
Fetched specs are cached for a while and a service that is down keeps its last known spec (or is
listed under ``x-troc-services`` as unavailable): the documentation never fails because one
service does. Component names that clash take the service's name as a prefix, and every ``$ref``
to them is rewritten. Imports Flask and the chassis only.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from flask import Flask, Response, current_app

from chassis.http import SWAGGER_UI_ASSETS, ServiceApi, public

log = logging.getLogger(__name__)

HTTP_METHODS: Final = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
)
COMPONENT_PREFIX: Final = "#/components/"
#: Root extension listing each service's state in the merged document.
SERVICES_EXTENSION: Final = "x-troc-services"
#: Operation extension naming the service that answers it.
SERVICE_EXTENSION: Final = "x-troc-service"

#: ``keep(service, path, method)``: whether a service's operation is part of the public API.
KeepOperation = Callable[[str, str, str], bool]
#: Fetch a service's spec; raise (any exception) when it cannot be had.
FetchSpec = Callable[[str], Mapping[str, Any]]


def _prefix(service: str) -> str:
    return "".join(part.capitalize() for part in service.replace("_", "-").split("-"))


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    """A copy of ``node`` whose ``$ref`` (and discriminator mapping) targets follow ``renames``."""
    if isinstance(node, dict):
        rewritten: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                rewritten[key] = renames.get(value, value)
            elif key == "mapping" and isinstance(value, dict):
                rewritten[key] = {
                    k: renames.get(v, v) if isinstance(v, str) else v for k, v in value.items()
                }
            else:
                rewritten[key] = _rewrite_refs(value, renames)
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _component_renames(
    merged: Mapping[str, Mapping[str, Any]], incoming: Mapping[str, Mapping[str, Any]], service: str
) -> dict[tuple[str, str], str]:
    """New names of ``incoming`` components that clash with different ``merged`` ones."""
    renames: dict[tuple[str, str], str] = {}
    for kind, items in incoming.items():
        existing = merged.get(kind, {})
        taken = set(existing) | set(items)
        for name, value in items.items():
            if name not in existing or existing[name] == value:
                continue
            candidate, number = f"{_prefix(service)}{name}", 2
            while candidate in taken:
                candidate, number = f"{_prefix(service)}{name}{number}", number + 1
            taken.add(candidate)
            renames[(kind, name)] = candidate
    return renames


def merge_specs(
    gateway: Mapping[str, Any], services: Mapping[str, Mapping[str, Any]], keep: KeepOperation
) -> dict[str, Any]:
    """The gateway's spec plus the kept operations and the components of each service.

    Identical components are shared; different ones with the same name are renamed with the
    service as prefix (``Account`` -> ``LedgerAccount``). The gateway's own paths win a clash.
    """
    merged = copy.deepcopy(dict(gateway))
    components: dict[str, dict[str, Any]] = merged.setdefault("components", {})
    paths: dict[str, Any] = merged.setdefault("paths", {})
    tags: list[dict[str, Any]] = merged.setdefault("tags", [])
    operation_ids = {
        op["operationId"]
        for item in paths.values()
        if isinstance(item, dict)
        for method, op in item.items()
        if method in HTTP_METHODS and isinstance(op, dict) and "operationId" in op
    }
    for service in sorted(services):
        spec = services[service]
        incoming: Mapping[str, Mapping[str, Any]] = spec.get("components") or {}
        renames = _component_renames(components, incoming, service)
        refs = {
            f"{COMPONENT_PREFIX}{kind}/{name}": f"{COMPONENT_PREFIX}{kind}/{new}"
            for (kind, name), new in renames.items()
        }
        for kind, items in incoming.items():
            target = components.setdefault(kind, {})
            for name, value in items.items():
                target[renames.get((kind, name), name)] = _rewrite_refs(value, refs)
        for path, item in (spec.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            # A path several services serve alike is documented by the one routed by default.
            methods = [m for m in item if m in HTTP_METHODS and keep(service, path, m)]
            if not methods:
                continue
            if path in paths:
                log.warning("openapi_path_clash", extra={"path": path, "service": service})
                continue
            kept = _rewrite_refs(
                {
                    key: value
                    for key, value in item.items()
                    if key not in HTTP_METHODS or key in methods
                },
                refs,
            )
            for method in methods:
                operation = kept[method]
                operation[SERVICE_EXTENSION] = service
                operation_id = operation.get("operationId")
                if operation_id is not None:
                    if operation_id in operation_ids:
                        operation_id = operation["operationId"] = f"{service}_{operation_id}"
                    operation_ids.add(operation_id)
            paths[path] = kept
        known_tags = {tag.get("name") for tag in tags}
        for tag in spec.get("tags") or []:
            if tag.get("name") not in known_tags:
                tags.append(copy.deepcopy(tag))
                known_tags.add(tag.get("name"))
    if not tags:
        del merged["tags"]
    return merged


#: Example values by string format, for properties that give none of their own.
_FORMAT_EXAMPLES: Final[Mapping[str, str]] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2026-11-20T09:30:00Z",
    "date": "2026-11-20",
    "email": "contact@example.org",
    "uri": "https://example.org/hooks/troc",
    "url": "https://example.org/hooks/troc",
}
_JSON_MEDIA: Final = ("application/json", "application/problem+json")


def example_of(
    schema: Any, document: Mapping[str, Any], *, reading: bool, seen: frozenset[str] = frozenset()
) -> Any:
    """A value of ``schema`` built from its (and its properties') ``example``, ``enum``,
    ``default`` and format; ``reading``: an answer (no write-only properties), else a request
    (no read-only ones). A recursive reference is cut short (``None``)."""
    if not isinstance(schema, Mapping):
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen or not ref.startswith(COMPONENT_PREFIX):
            return None
        node: Any = document
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        return example_of(node, document, reading=reading, seen=seen | {ref})
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("default") is not None:
        return copy.deepcopy(schema["default"])
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return example_of(schema[key][0], document, reading=reading, seen=seen)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example_of(part, document, reading=reading, seen=seen)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        skip = "writeOnly" if reading else "readOnly"
        return {
            name: example_of(prop, document, reading=reading, seen=seen)
            for name, prop in (schema.get("properties") or {}).items()
            if not (isinstance(prop, Mapping) and prop.get(skip))
        }
    if kind == "array":
        return [example_of(schema.get("items"), document, reading=reading, seen=seen)]
    if kind == "string":
        if "pattern" in schema and "0-9" in schema["pattern"]:
            return "1250.00"
        return _FORMAT_EXAMPLES.get(str(schema.get("format")), "string")
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return None


def add_examples(document: dict[str, Any]) -> dict[str, Any]:
    """Give every JSON request body, answer and reusable error response an ``example``.

    Explicit examples are kept; the others are built by :func:`example_of` from the schema,
    so a client generator and a reader of ``/docs`` see a whole document for each.
    """

    def fill(content: Any, *, reading: bool) -> None:
        if not isinstance(content, dict):
            return
        for media_type, media in content.items():
            if (
                media_type in _JSON_MEDIA
                and isinstance(media, dict)
                and "schema" in media
                and "example" not in media
                and "examples" not in media
            ):
                media["example"] = example_of(media["schema"], document, reading=reading)

    for item in (document.get("paths") or {}).values():
        for method, operation in item.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            body = operation.get("requestBody")
            if isinstance(body, dict):
                fill(body.get("content"), reading=False)
            for response in (operation.get("responses") or {}).values():
                if isinstance(response, dict):
                    fill(response.get("content"), reading=True)
    for response in ((document.get("components") or {}).get("responses") or {}).values():
        if isinstance(response, dict):
            fill(response.get("content"), reading=True)
    return document


_SCHEMA_PREFIX: Final = f"{COMPONENT_PREFIX}schemas/"


def _schema_refs(node: Any) -> Iterator[str]:
    """Names of the component schemas ``node`` refers to (``$ref`` and discriminator maps)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_SCHEMA_PREFIX):
                yield value[len(_SCHEMA_PREFIX) :]
            elif key == "mapping" and isinstance(value, dict):
                for target in value.values():
                    if isinstance(target, str) and target.startswith(_SCHEMA_PREFIX):
                        yield target[len(_SCHEMA_PREFIX) :]
            else:
                yield from _schema_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _schema_refs(item)


def drop_unused_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Keep only the component schemas the public operations use, directly or not.

    A service's spec also describes its internal routes (those the gateway calls, absent from
    the routing table): their schemas are no part of the public API, and a client generator
    would still make models of them, whose names may clash with the public ones.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    roots = {key: value for key, value in document.items() if key != "components"}
    roots["components"] = {
        kind: items for kind, items in document["components"].items() if kind != "schemas"
    }
    used: set[str] = set()
    pending = list(_schema_refs(roots))
    while pending:
        name = pending.pop()
        if name in used or name not in schemas:
            continue
        used.add(name)
        pending.extend(_schema_refs(schemas[name]))
    document["components"]["schemas"] = {k: v for k, v in schemas.items() if k in used}
    return document


def build_document(
    gateway: Mapping[str, Any], services: Mapping[str, Mapping[str, Any]], keep: KeepOperation
) -> dict[str, Any]:
    """The public document: :func:`merge_specs`, :func:`drop_unused_schemas`, then
    :func:`add_examples`."""
    return add_examples(drop_unused_schemas(merge_specs(gateway, services, keep)))


@dataclass
class _Cached:
    spec: Mapping[str, Any] | None = None
    next_attempt: float = float("-inf")


class ServiceSpecs:
    """The services' specs, re-fetched every ``ttl`` seconds; a failed fetch keeps the last one.

    A failure is retried after ``retry`` seconds. One thread refreshes at a time; the others
    wait for it (fetches have short timeouts), so a burst of readers fetches once.
    """

    def __init__(
        self,
        services: Sequence[str],
        fetch: FetchSpec,
        *,
        ttl: float = 60.0,
        retry: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._services = tuple(services)
        self._fetch = fetch
        self._ttl = ttl
        self._retry = retry
        self._clock = clock
        self._cache = {service: _Cached() for service in self._services}
        self._lock = threading.Lock()

    def current(self) -> tuple[dict[str, Mapping[str, Any]], dict[str, str]]:
        """Known specs by service, and the state of each: ``ok``, ``stale`` or ``unavailable``."""
        with self._lock:
            now = self._clock()
            states: dict[str, str] = {}
            for service, cached in self._cache.items():
                fresh = True
                if now >= cached.next_attempt:
                    fresh = self._refresh(service, cached, now)
                if cached.spec is None:
                    states[service] = "unavailable"
                else:
                    states[service] = "ok" if fresh else "stale"
            specs = {s: c.spec for s, c in self._cache.items() if c.spec is not None}
        return specs, states

    def _refresh(self, service: str, cached: _Cached, now: float) -> bool:
        try:
            spec = self._fetch(service)
            if not isinstance(spec, Mapping) or not isinstance(spec.get("paths"), Mapping):
                raise ValueError("not an OpenAPI document")
        except Exception as exc:  # any failure of a service only degrades the documentation
            log.warning(
                "openapi_fetch_failed", extra={"service": service, "error": type(exc).__name__}
            )
            cached.next_attempt = now + self._retry
            return False
        cached.spec = spec
        cached.next_attempt = now + self._ttl
        return True


#: GET a path of a service: the status and the body of its answer; raises when it cannot.
GetFromService = Callable[[str, str], tuple[int, bytes]]


def http_fetcher(get: GetFromService) -> FetchSpec:
    """Fetch ``/openapi.json`` of a service with ``get`` (the forwarding's connection pools)."""

    def fetch(service: str) -> Mapping[str, Any]:
        status, body = get(service, "/openapi.json")
        if status != 200:
            raise LookupError(f"{service} answered {status} for its OpenAPI document")
        document: Mapping[str, Any] = json.loads(body)
        return document

    return fetch


class MergedOpenApi:
    """The merged document of the gateway's ``api`` and the services known to ``specs``."""

    def __init__(self, api: ServiceApi, specs: ServiceSpecs, keep: KeepOperation) -> None:
        self._api = api
        self._specs = specs
        self._keep = keep

    def document(self) -> dict[str, Any]:
        """Build the document now (the services' specs come from the cache)."""
        specs, states = self._specs.current()
        merged = build_document(self._api.spec.to_dict(), specs, self._keep)
        merged[SERVICES_EXTENSION] = states
        return merged


_DOCS_PAGE: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{assets}swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{assets}swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "{url}", dom_id: "#swagger-ui"}});</script>
</body></html>
"""


def install_openapi(app: Flask, api: ServiceApi, merged: MergedOpenApi) -> None:
    """Serve ``merged`` at ``/openapi.json`` in place of the gateway-only spec, and ``/docs``.

    flask-smorest's Swagger UI (when configured, as the chassis does) reads ``/openapi.json``,
    so it shows the merged document; without smorest's doc routes, both are added here.
    """

    def openapi_json() -> Response:
        return current_app.json.response(merged.document())

    endpoint = f"{api._make_doc_blueprint_name()}.openapi_json"
    if endpoint in app.view_functions:
        app.view_functions[endpoint] = openapi_json
        return
    app.add_url_rule("/openapi.json", "merged_openapi_json", public(openapi_json))

    def docs() -> Response:
        title = str(app.config.get("API_TITLE", "API"))
        page = _DOCS_PAGE.format(title=title, assets=SWAGGER_UI_ASSETS, url="/openapi.json")
        return Response(page, mimetype="text/html")

    if not any(rule.rule == "/docs" for rule in app.url_map.iter_rules()):
        app.add_url_rule("/docs", "merged_openapi_docs", public(docs))
