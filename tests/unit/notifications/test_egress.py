"""The webhooks' HTTP session connects to public addresses only, whatever a name resolved to at
the check before (DNS rebinding): the name is resolved once, every address checked, and the
connection made to a checked one."""

from __future__ import annotations

import socket
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
    with (
        webhook_session(allow_private=False) as session,
        pytest.raises(requests.ConnectionError, match="unsafe target"),
    ):
        session.post(url.replace("127.0.0.1", host), data=b"{}", timeout=5)
    assert hits == []


def test_private_peers_are_reached_when_allowed(receiver: tuple[str, list[str]]) -> None:
    url, hits = receiver
    with webhook_session(allow_private=True) as session:
        assert session.post(url, data=b"{}", timeout=5).status_code == 204
    assert hits == ["/hook"]


def test_the_connection_goes_to_the_address_checked(
    receiver: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is resolved once: a second resolution (DNS rebinding) is never asked for.

    ``hooks.example`` resolves to the receiver's address; the rules are relaxed for that one
    address so that it passes as public. Any other resolution of the name fails the test.
    """
    from urllib3.util import connection

    from notifications import egress

    url, hits = receiver
    port = int(url.split(":")[2].split("/")[0])
    resolved: list[str] = []

    def resolve_once(host: str, port_: int) -> list[tuple[object, ...]]:
        resolved.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port_))]

    real_connect = connection.create_connection
    connected: list[object] = []

    def connect(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        connected.append(address)
        assert address[0] == "127.0.0.1", "connected to an address that was not checked"
        return real_connect(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(egress, "_resolve", resolve_once)
    monkeypatch.setattr(egress, "is_unsafe_address", lambda address: address != "127.0.0.1")
    monkeypatch.setattr(connection, "create_connection", connect)
    with webhook_session(allow_private=False) as session:
        response = session.post(f"http://hooks.example:{port}/hook", data=b"{}", timeout=5)
    assert response.status_code == 204
    assert resolved == ["hooks.example"]
    assert connected == [("127.0.0.1", port)]
    assert hits == ["/hook"]


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from notifications import egress

    monkeypatch.setattr(
        egress,
        "_resolve",
        lambda host, port: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port)),
        ],
    )
    with (
        webhook_session(allow_private=False) as session,
        pytest.raises(requests.ConnectionError, match="unsafe target: 169.254.169.254"),
    ):
        session.post("http://rebind.example/hook", data=b"{}", timeout=5)
