"""The webhooks' HTTP session connects to public addresses only, whatever a name resolved to at
the check before (DNS rebinding): the socket's peer itself is checked before a byte is sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from notifications.egress import webhook_session


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[str]]]:
    handler = type("Handler", (_Handler,), {"hits": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler.hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_private_peer_gets_nothing(receiver: tuple[str, list[str]], host: str) -> None:
    url, hits = receiver
    with webhook_session(allow_private=False) as session, \
            pytest.raises(requests.ConnectionError, match="unsafe target"):
        session.post(url.replace("127.0.0.1", host), data=b"{}", timeout=5)
    assert hits == []


def test_private_peers_are_reached_when_allowed(receiver: tuple[str, list[str]]) -> None:
    url, hits = receiver
    with webhook_session(allow_private=True) as session:
        assert session.post(url, data=b"{}", timeout=5).status_code == 204
    assert hits == ["/hook"]
