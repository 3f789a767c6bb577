"""The client's address behind trusted proxies: only they are believed."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from chassis.config import ConfigError
from gateway.proxies import LOOPBACK, PEER_KEY, ClientAddress, TrustedProxies
from gateway.settings import GatewaySettings

BALANCER = TrustedProxies.parse("10.0.0.0/8, 127.0.0.1")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.7", None, "203.0.113.7"),
        # A client naming itself someone else is not believed.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # Through the balancer: the address it appended.
        ("10.1.2.3", "198.51.100.1", "198.51.100.1"),
        # A client's own X-Forwarded-For before the balancer's entry changes nothing.
        ("10.1.2.3", "192.0.2.66, 198.51.100.1", "198.51.100.1"),
        # Two trusted hops (the web pages behind the balancer).
        ("127.0.0.1", "198.51.100.1, 10.9.9.9", "198.51.100.1"),
        # Garbage written where a trusted proxy would have written an address.
        ("10.1.2.3", "198.51.100.1, not-an-address", "10.1.2.3"),
        ("10.1.2.3", " , ", "10.1.2.3"),
        ("10.1.2.3", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(
    peer: str, forwarded: str | None, client: str
) -> None:
    assert BALANCER.client_address(peer, forwarded) == client


def test_no_trusted_proxy_believes_no_header() -> None:
    assert TrustedProxies.parse("").client_address("127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_the_default_trusts_the_loopback_where_the_web_pages_call_from() -> None:
    settings = GatewaySettings.from_env(environ={})
    assert settings.trusted_proxies == TrustedProxies.parse(LOOPBACK)
    assert settings.trusted_proxies.client_address("::1", "198.51.100.1") == "198.51.100.1"


def test_a_wrong_network_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="TROC_TRUSTED_PROXIES.*'10.0.0.300/8'"):
        GatewaySettings.from_env(environ={"TROC_TRUSTED_PROXIES": "10.0.0.300/8"})


def test_the_middleware_sets_the_client_and_keeps_the_peer() -> None:
    seen: dict[str, Any] = {}

    @Request.application
    def app(request: Request) -> Response:
        seen.update(client=request.remote_addr, peer=request.environ[PEER_KEY])
        return Response("ok")

    client = Client(ClientAddress(app, BALANCER))
    client.get(
        "/", headers={"X-Forwarded-For": "198.51.100.1"}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert seen == {"client": "198.51.100.1", "peer": "10.0.0.5"}
    client.get(
        "/",
        headers={"X-Forwarded-For": "198.51.100.1"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert seen == {"client": "203.0.113.7", "peer": "203.0.113.7"}
