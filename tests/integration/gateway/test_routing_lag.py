"""Lag is not absence: a service refusing a member the gateway knows is asked again, then 503.

A scripted upstream refuses a draft with ``422 unknown_member`` naming the member in
``unknown_ids`` a given number of times before it accepts it (its copy of the directory catching
up), and a read of a member's settings with ``404 unknown_member`` likewise; the gateway's
``not_yet_known`` knows some member ids.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask, Response, request

from chassis.http import problem
from chassis.testing.tokens import TokenFactory
from gateway.routing import ForwardingOptions, ServiceRoute
from tests.integration.gateway.test_routing import build_gateway, serve

pytestmark = pytest.mark.integration

KNOWN = str(uuid.uuid4())


class Script:
    """How many more times the upstream refuses each member, and what it received."""

    def __init__(self) -> None:
        self.refusals: dict[str, int] = {}
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()


def upstream_app(script: Script) -> Flask:
    app = Flask(__name__)

    @app.post("/t/<tenant>/drafts")
    def draft(tenant: str) -> Response:
        body = request.get_data()
        member = request.get_json()["buyer_member_id"]
        with script.lock:
            script.bodies.append(body)
            left = script.refusals.get(member, 0)
            script.refusals[member] = left - 1
        if left > 0:
            extra = {"unknown_ids": [member]} if request.args.get("named", "1") == "1" else None
            return problem(
                422,
                "unknown_member",
                detail=f"no member {member} in the directory",
                errors={"buyer_member_id": ["unknown"]},
                extra=extra,
            )
        return Response('{"id": "d-1"}', status=201, mimetype="application/json")

    @app.route("/t/<tenant>/settings/<member>", methods=["GET", "DELETE"])
    def settings(tenant: str, member: str) -> Response:
        assert "Transfer-Encoding" not in request.headers  # a bodiless request stays bodiless
        with script.lock:
            script.bodies.append(request.method.encode())
            left = script.refusals.get(member, 0)
            script.refusals[member] = left - 1
        if left > 0:
            return problem(
                404, "unknown_member", detail="no such member", extra={"unknown_ids": [member]}
            )
        return Response('{"email": true}', status=200, mimetype="application/json")

    return app


def not_yet_known(refusal: Mapping[str, Any], _sent: Mapping[str, Any]) -> str | None:
    ids = refusal.get("unknown_ids") or []
    return f"member {KNOWN}" if refusal.get("code") == "unknown_member" and KNOWN in ids else None


@pytest.fixture(scope="module")
def script() -> Script:
    return Script()


@pytest.fixture(scope="module")
def base(
    script: Script, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, TokenFactory]]:
    tokens = TokenFactory(tmp_path_factory.mktemp("lag-keys"))
    with serve(upstream_app(script)) as upstream:
        app, forwarder = build_gateway(
            tokens,
            Path(tmp_path_factory.mktemp("lag-gateway")),
            {"invoices": upstream},
            routes=(
                ServiceRoute("invoices", "/t/<tenant>/drafts", frozenset({"POST"})),
                ServiceRoute(
                    "invoices", "/t/<tenant>/settings/<member>", frozenset({"GET", "DELETE"})
                ),
            ),
            forwarding=ForwardingOptions(lag_retries=(0.01, 0.02, 0.05)),
            not_yet_known=not_yet_known,
        )
        wsgi = app.wsgi_app

        def as_under_gunicorn(environ: dict[str, Any], start_response: Any) -> Any:
            if not environ.get("CONTENT_LENGTH"):  # gunicorn marks bodiless requests so too
                environ["wsgi.input_terminated"] = True
            return wsgi(environ, start_response)

        app.wsgi_app = as_under_gunicorn  # type: ignore[method-assign]
        with serve(app) as gateway:
            yield f"{gateway}/t/{tokens.tenant}/drafts", tokens
        forwarder.close()


def post(base: tuple[str, TokenFactory], member: str, query: str = "") -> requests.Response:
    url, tokens = base
    return requests.post(
        url + query,
        json={"buyer_member_id": member, "note": "é" * 10},
        headers=tokens.headers(),
        timeout=10,
    )


def test_a_known_member_is_sent_again_until_the_service_caught_up(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    script.refusals[KNOWN] = 2
    script.bodies.clear()
    response = post(base, KNOWN)
    assert response.status_code == 201, response.text
    assert len(script.bodies) == 3 and len(set(script.bodies)) == 1  # the same body each time


def test_a_service_that_does_not_catch_up_in_time_is_a_503_to_retry(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    script.refusals[KNOWN] = 10
    script.bodies.clear()
    response = post(base, KNOWN)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "not_yet_known"
    assert KNOWN in response.json()["detail"]
    assert len(script.bodies) == 4  # the first try and three more


def test_a_member_nobody_knows_is_refused_at_once(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    stranger = str(uuid.uuid4())
    script.refusals[stranger] = 1
    script.bodies.clear()
    response = post(base, stranger)
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_member"
    assert response.json()["unknown_ids"] == [stranger]
    assert len(script.bodies) == 1


def test_a_refusal_that_names_no_missing_id_is_passed_on(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    script.refusals[KNOWN] = 1
    script.bodies.clear()
    response = post(base, KNOWN, "?named=0")
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_member"
    assert len(script.bodies) == 1


def read(base: tuple[str, TokenFactory], member: str, method: str = "GET") -> requests.Response:
    url, tokens = base
    return requests.request(
        method, url.replace("/drafts", f"/settings/{member}"), headers=tokens.headers(), timeout=10
    )


def test_a_read_of_a_known_member_is_sent_again_until_the_service_caught_up(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    script.refusals[KNOWN] = 2
    script.bodies.clear()
    response = read(base, KNOWN)
    assert response.status_code == 200, response.text
    assert response.json() == {"email": True}
    assert script.bodies == [b"GET"] * 3


def test_a_read_the_service_does_not_catch_up_with_is_a_503_to_retry(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    script.refusals[KNOWN] = 10
    script.bodies.clear()
    response = read(base, KNOWN)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "not_yet_known"
    assert len(script.bodies) == 4


def test_a_read_of_a_member_nobody_knows_is_a_404_at_once(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    stranger = str(uuid.uuid4())
    script.refusals[stranger] = 1
    script.bodies.clear()
    response = read(base, stranger)
    assert response.status_code == 404
    assert response.json()["unknown_ids"] == [stranger]
    assert len(script.bodies) == 1


def test_a_bodiless_request_that_is_not_safe_is_never_sent_twice(
    base: tuple[str, TokenFactory], script: Script
) -> None:
    script.refusals[KNOWN] = 1
    script.bodies.clear()
    response = read(base, KNOWN, "DELETE")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_member"
    assert script.bodies == [b"DELETE"]
