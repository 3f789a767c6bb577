"""Forwarding through a real gateway server to a real upstream server (both on loopback threads):
headers, bodies both ways, streaming, timeouts and a cut link. Shared helpers of the gateway's
routing tests live here too."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask, Request, Response, request, stream_with_context
from werkzeug.serving import make_server

from chassis.config import Settings
from chassis.http import create_base_app
from chassis.testing.processes import free_port
from chassis.testing.proxy import FaultyProxy
from chassis.testing.tokens import TokenFactory
from gateway.ratelimit import RateLimits
from gateway.routing import (
    ROUTES,
    Forwarder,
    ForwardingOptions,
    NotYetKnown,
    ServiceRoute,
    install_routing,
    services_of,
)

pytestmark = pytest.mark.integration

ANY_METHOD = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def bearer(req: Request) -> str | None:
    """The test gateway's ``token_for_request``: the bearer token as it came."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token.strip() else None


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` over HTTP/1.1 on a loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def build_gateway(
    tokens: TokenFactory,
    tmp_path: Path,
    upstreams: Mapping[str, str],
    *,
    routes: Sequence[ServiceRoute] = ROUTES,
    rate_limits: RateLimits | None = None,
    forwarding: ForwardingOptions | None = None,
    token_for_request: Callable[[Request], str | None] = bearer,
    not_yet_known: NotYetKnown | None = None,
) -> tuple[Flask, Forwarder]:
    """A minimal gateway: the chassis edge trusting ``tokens`` plus the routing under test."""
    settings = tokens.settings(Settings(service_name="gateway", log_json=False, var_dir=tmp_path))
    app, api = create_base_app(
        settings,
        title="Troc Actif",
        version="1.0",
        verifier=tokens.verifier(),
        import_name=__name__,
    )
    forwarder = install_routing(
        app,
        api,
        settings,
        token_for_request=token_for_request,
        upstreams=upstreams,
        routes=routes,
        rate_limits=rate_limits or RateLimits(enabled=False),
        forwarding=forwarding,
        not_yet_known=not_yet_known,
    )
    return app, forwarder


# --- a scriptable upstream -----------------------------------------------------------------------


@dataclass
class Upstream:
    base_url: str
    release: threading.Event


def upstream_app(release: threading.Event) -> Flask:
    app = Flask(__name__)

    @app.route("/t/<tenant>/echo", methods=sorted(ANY_METHOD))
    def echo(tenant: str) -> Response:
        body = request.get_data()
        status = int(request.args.get("status", "200"))
        answer = {
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode(),
            "headers": dict(request.headers),
            "body_length": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "chunked": bool(request.environ.get("wsgi.input_terminated")),
        }
        response = app.json.response(answer)
        response.status_code = status
        response.headers.update(
            {
                "Location": f"{request.host_url.rstrip('/')}/t/{tenant}/echo/42",
                "Set-Cookie": "session=upstream-secret",
                "X-Total-Count": "42",
                "X-Page": "2",
                "Idempotent-Replayed": "true",
                "Keep-Alive": "timeout=5",
            }
        )
        return response

    @app.get("/t/<tenant>/empty")
    def empty(tenant: str) -> Response:
        return Response(status=204)

    @app.get("/t/<tenant>/big")
    def big(tenant: str) -> Response:
        size = int(request.args["kib"])

        def chunks() -> Iterator[bytes]:
            for i in range(size):
                yield bytes([i % 256]) * 1024

        return Response(
            chunks(),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="big.csv"'},
        )

    @app.get("/t/<tenant>/gate")
    def gate(tenant: str) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"first,"
            release.wait(10)
            yield b"second"

        return Response(stream_with_context(chunks()), mimetype="text/plain")

    @app.get("/t/<tenant>/slow")
    def slow(tenant: str) -> Response:
        time.sleep(float(request.args.get("seconds", "2")))
        return Response("late")

    @app.get("/t/<tenant>/gzip")
    def gzipped(tenant: str) -> Response:
        return Response(
            gzip.compress(b"a,b\n1,2\n" * 100),
            mimetype="text/csv",
            headers={"Content-Encoding": "gzip"},
        )

    @app.get("/t/<tenant>/server-page")
    def server_page(tenant: str) -> Response:
        # What gunicorn answers itself for a request line past its limit: HTML, not a problem.
        return Response(
            "<html><body>Request Line is too large</body></html>", 400, mimetype="text/html"
        )

    return app


ECHO_ROUTES = tuple(
    ServiceRoute("ledger", f"/t/<tenant>/{name}", methods)
    for name, methods in [
        ("echo", ANY_METHOD),
        ("empty", frozenset({"GET"})),
        ("big", frozenset({"GET"})),
        ("gate", frozenset({"GET"})),
        ("slow", frozenset({"GET"})),
        ("gzip", frozenset({"GET"})),
        ("server-page", frozenset({"GET"})),
    ]
)


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    release = threading.Event()
    with serve(upstream_app(release)) as base_url:
        yield Upstream(base_url, release)


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenFactory:
    return TokenFactory(tmp_path_factory.mktemp("gateway-keys"))


@pytest.fixture(scope="module")
def gateway(
    upstream: Upstream, tokens: TokenFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    app, forwarder = build_gateway(
        tokens,
        tmp_path_factory.mktemp("gateway"),
        {"ledger": upstream.base_url},
        routes=ECHO_ROUTES,
        forwarding=ForwardingOptions(read_timeout=1.0, buffer_limit=4096),
    )
    with serve(app) as base_url:
        yield base_url
    forwarder.close()


@pytest.fixture
def url(gateway: str, tokens: TokenFactory) -> Callable[[str], str]:
    return lambda path: f"{gateway}/t/{tokens.tenant}/{path}"


class TestRequests:
    def test_method_path_query_and_headers_reach_the_service(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        token = tokens.mint()
        response = requests.get(
            url("echo") + "?q=caf%C3%A9%20cr%C3%A8me&kind=offer&kind=need",
            timeout=5,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept-Language": "fr",
                "Idempotency-Key": "k-1",
                "Cookie": "gateway_session=secret",
                "X-API-Key": "tk_secret",
                "X-Forwarded-For": "203.0.113.9",
                "Connection": "keep-alive, X-Private",
                "X-Private": "hop",
                "TE": "trailers",
                "Accept-Encoding": None,
            },
        )
        assert response.status_code == 200, response.text
        seen = response.json()
        headers = {k.lower(): v for k, v in seen["headers"].items()}
        assert seen["method"] == "GET"
        assert seen["path"] == f"/t/{tokens.tenant}/echo"
        assert seen["query"] == "q=caf%C3%A9%20cr%C3%A8me&kind=offer&kind=need"
        assert headers["authorization"] == f"Bearer {token}"
        assert headers["accept-language"] == "fr"
        assert headers["idempotency-key"] == "k-1"
        assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
        assert headers["x-forwarded-proto"] == "http"
        assert headers["accept-encoding"] == "identity"  # the client asked for no encoding
        for dropped in ("cookie", "x-api-key", "x-private", "te"):
            assert dropped not in headers, dropped
        assert headers["x-correlation-id"] == response.headers["X-Correlation-ID"]

    def test_the_token_forwarded_is_the_one_token_for_request_gives(
        self, upstream: Upstream, tokens: TokenFactory, tmp_path: Path
    ) -> None:
        minted = tokens.mint("integrator", scopes=["ledger:read"])
        app, _ = build_gateway(
            tokens,
            tmp_path,
            {"ledger": upstream.base_url},
            routes=ECHO_ROUTES,
            token_for_request=lambda r: minted if r.headers.get("X-API-Key") == "tk_1" else None,
        )
        with serve(app) as base:
            response = requests.get(
                f"{base}/t/{tokens.tenant}/echo", timeout=5, headers={"X-API-Key": "tk_1"}
            )
            assert response.json()["headers"]["Authorization"] == f"Bearer {minted}"
            assert "X-Api-Key" not in response.json()["headers"]
            assert requests.get(f"{base}/t/{tokens.tenant}/echo", timeout=5).status_code == 401

    def test_the_correlation_id_of_the_client_is_kept(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.get(
            url("echo"), timeout=5, headers={**tokens.headers(), "X-Correlation-ID": "corr-123"}
        )
        assert response.json()["headers"]["X-Correlation-Id"] == "corr-123"
        assert response.headers["X-Correlation-ID"] == "corr-123"

    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
    @pytest.mark.parametrize("size", [0, 100, 300_000])
    def test_bodies_pass_through_with_their_length(
        self, url: Callable[[str], str], tokens: TokenFactory, method: str, size: int
    ) -> None:
        body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        response = requests.request(
            method,
            url("echo"),
            data=body,
            timeout=10,
            headers={**tokens.headers(), "Content-Type": "application/octet-stream"},
        )
        seen = response.json()
        assert seen["method"] == method
        assert (seen["body_length"], seen["body_sha256"]) == (
            size,
            hashlib.sha256(body).hexdigest(),
        )
        assert not seen["chunked"]
        if size:
            assert seen["headers"]["Content-Length"] == str(size)

    def test_a_chunked_upload_is_streamed_on(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        parts = [b"a" * 10_000, b"b" * 20_000, b"c"]
        response = requests.post(
            url("echo"), data=iter(parts), timeout=10, headers=tokens.headers()
        )
        seen = response.json()
        assert seen["body_length"] == 30_001
        assert seen["body_sha256"] == hashlib.sha256(b"".join(parts)).hexdigest()

    def test_a_body_over_the_gateway_limit_is_refused_there(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.post(
            url("echo"), data=b"x" * (1024 * 1024 + 1), timeout=10, headers=tokens.headers()
        )
        assert response.status_code == 413
        assert response.headers["Content-Type"] == "application/problem+json"


class TestResponses:
    def test_status_and_end_to_end_headers_come_back_hop_by_hop_ones_do_not(
        self, url: Callable[[str], str], upstream: Upstream, gateway: str, tokens: TokenFactory
    ) -> None:
        response = requests.post(
            url("echo") + "?status=201", json={"a": 1}, timeout=5, headers=tokens.headers()
        )
        assert response.status_code == 201
        assert response.headers["X-Total-Count"] == "42"
        assert response.headers["X-Page"] == "2"
        assert response.headers["Idempotent-Replayed"] == "true"
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Location"] == f"/t/{tokens.tenant}/echo/42"
        assert "Set-Cookie" not in response.headers
        assert "Keep-Alive" not in response.headers
        assert upstream.base_url not in str(response.headers)

    def test_an_error_page_of_the_services_server_reaches_the_client_as_a_problem(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.get(url("server-page"), timeout=5, headers=tokens.headers())
        assert response.status_code == 400
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "bad_request"
        assert "ledger service's HTTP server refused" in response.json()["detail"]

    def test_an_empty_answer_stays_empty(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.get(url("empty"), timeout=5, headers=tokens.headers())
        assert response.status_code == 204
        assert response.content == b""

    def test_head_gets_the_headers_only(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.head(url("echo"), timeout=5, headers=tokens.headers())
        assert response.status_code == 200
        assert response.content == b""
        assert int(response.headers["Content-Length"]) > 0

    def test_a_large_body_streams_through_unchanged(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.get(
            url("big") + "?kib=5000", timeout=30, stream=True, headers=tokens.headers()
        )
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == 'attachment; filename="big.csv"'
        assert response.headers["Content-Type"].startswith("text/csv")
        digest, total = hashlib.sha256(), 0
        for chunk in response.iter_content(65536):
            digest.update(chunk)
            total += len(chunk)
        expected = hashlib.sha256(b"".join(bytes([i % 256]) * 1024 for i in range(5000)))
        assert (total, digest.hexdigest()) == (5000 * 1024, expected.hexdigest())

    def test_chunks_reach_the_client_while_the_service_is_still_writing(
        self, url: Callable[[str], str], upstream: Upstream, tokens: TokenFactory
    ) -> None:
        upstream.release.clear()
        response = requests.get(url("gate"), timeout=5, stream=True, headers=tokens.headers())
        chunks = response.iter_content(None)
        try:
            assert next(chunks) == b"first,"  # the service is still waiting: nothing buffered
        finally:
            upstream.release.set()
        assert b"".join(chunks) == b"second"

    def test_an_encoded_body_is_passed_as_encoded(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        response = requests.get(
            url("gzip"),
            timeout=5,
            stream=True,
            headers={**tokens.headers(), "Accept-Encoding": "gzip"},
        )
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.raw.read(decode_content=False)) == b"a,b\n1,2\n" * 100


class TestUnavailableServices:
    def test_a_service_that_does_not_answer_in_time_is_a_503(
        self, url: Callable[[str], str], tokens: TokenFactory
    ) -> None:
        started = time.monotonic()
        response = requests.get(url("slow") + "?seconds=3", timeout=10, headers=tokens.headers())
        assert time.monotonic() - started < 2.5
        assert response.status_code == 503
        assert response.json()["code"] == "service_unavailable"
        assert response.json()["service"] == "ledger"
        assert response.headers["Retry-After"] == "5"

    def test_a_cut_link_is_a_503_and_service_resumes_when_it_is_back(
        self, upstream: Upstream, tokens: TokenFactory, tmp_path: Path
    ) -> None:
        port = int(upstream.base_url.rsplit(":", 1)[1])
        proxy = FaultyProxy("127.0.0.1", port)
        app, forwarder = build_gateway(
            tokens, tmp_path, {"ledger": f"http://127.0.0.1:{proxy.port}"}, routes=ECHO_ROUTES
        )
        try:
            with serve(app) as base:
                path = f"{base}/t/{tokens.tenant}/echo"
                assert requests.get(path, timeout=5, headers=tokens.headers()).status_code == 200
                proxy.cut()
                down = requests.get(path, timeout=10, headers=tokens.headers())
                assert down.status_code == 503, down.text
                assert down.headers["Content-Type"] == "application/problem+json"
                proxy.restore()
                assert requests.get(path, timeout=5, headers=tokens.headers()).status_code == 200
        finally:
            proxy.close()
            forwarder.close()

    def test_every_service_not_deployed_answers_503_quickly(
        self, tokens: TokenFactory, tmp_path: Path
    ) -> None:
        dead = {service: f"http://127.0.0.1:{free_port()}" for service in services_of(ROUTES)}
        app, forwarder = build_gateway(tokens, tmp_path, dead)
        with serve(app) as base:
            for route in ROUTES:
                path = route.rule.replace("<tenant>", tokens.tenant)
                path = path.replace("<", "").replace(">", "")  # any value for the ids
                method = sorted(route.methods)[0]
                started = time.monotonic()
                response = requests.request(
                    method, f"{base}{path}", timeout=10, headers=tokens.headers(), json={}
                )
                assert response.status_code == 503, (route, response.text)
                assert response.json()["service"] == route.service
                assert response.headers["Retry-After"] == "5"
                assert time.monotonic() - started < 2
                assert "127.0.0.1" not in response.text  # no internal address told
        forwarder.close()


def test_concurrent_requests_share_the_pool(
    url: Callable[[str], str], tokens: TokenFactory
) -> None:
    headers = tokens.headers()
    results: list[int] = []

    def call() -> None:
        for _ in range(10):
            marker = uuid.uuid4().hex
            response = requests.get(url("echo") + f"?m={marker}", timeout=10, headers=headers)
            assert response.json()["query"] == f"m={marker}"
            results.append(response.status_code)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 80
