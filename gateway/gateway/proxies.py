"""The client's address when requests arrive through proxies the gateway trusts.

A load balancer in front of the gateway, and the gateway's own web pages calling its API, are
peers that speak for someone else: they name the client in ``X-Forwarded-For``. Only those
peers are believed (``TROC_TRUSTED_PROXIES``, networks in CIDR form; by default the loopback,
where the web pages call from), so a client cannot choose its own address to escape the login
throttle or the rate limits. The chain is read from the right, as nginx's ``real_ip_recursive``
does: the first address that is not a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Where the web pages call the API from when the gateway serves both (``make run``, one pod).
LOOPBACK = "127.0.0.0/8,::1/128"
#: The WSGI environ key keeping the address of the peer itself, for the next ``X-Forwarded-For``.
PEER_KEY = "troc.peer"


@dataclass(frozen=True, slots=True)
class TrustedProxies:
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, text: str) -> TrustedProxies:
        """``"10.0.0.0/8, 127.0.0.1"``; empty: trust no proxy. Raises ``ValueError``."""
        networks = []
        for part in (p.strip() for p in text.split(",")):
            if part:
                try:
                    networks.append(ipaddress.ip_network(part, strict=False))
                except ValueError:
                    raise ValueError(f"{part!r} is not an IP address or network") from None
        return cls(tuple(networks))

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client_address(self, peer: str, forwarded_for: str | None) -> str:
        """The client behind ``peer``: ``peer`` itself unless it is a trusted proxy."""
        if not forwarded_for or not self.trusts(peer):
            return peer
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not _is_address(hop):
                return peer  # a trusted proxy would not write this: believe nothing of it
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ClientAddress:
    """WSGI middleware: ``REMOTE_ADDR`` becomes the client; the peer stays in ``PEER_KEY``."""

    def __init__(self, app: WSGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR") or ""
        environ[PEER_KEY] = peer
        environ["REMOTE_ADDR"] = self.proxies.client_address(
            peer, environ.get("HTTP_X_FORWARDED_FOR")
        )
        return self.app(environ, start_response)
