"""The HTTP session webhooks leave through: it connects to public addresses only.

:func:`check_resolved` refuses a URL whose host resolves to a private address, but a client
that resolves the name again when it connects could be told another address (DNS rebinding: a
public one to the check, a private one to the connection). So the connection resolves the name
once, checks every address against the same rules and connects to a checked address itself; the
name is still the one TLS verifies (SNI and the certificate), the address is the one checked.
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

from notifications.domain import UnsafeTarget, check_url, is_unsafe_address


def check_resolved(url: str, *, allow_private: bool) -> None:
    """Resolve the URL's host and refuse it if any address is private (unless allowed)."""
    check_url(url, allow_private=allow_private)
    if allow_private:
        return
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname or "", port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise UnsafeTarget(f"The host does not resolve: {exc}") from None
    for info in infos:
        if is_unsafe_address(str(info[4][0]).split("%")[0]):
            raise UnsafeTarget("The host resolves to a private, loopback or reserved address.")


def _resolve(host: str, port: int) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` for TCP (a seam for tests)."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


class _PublicPeer:
    """Mixin of urllib3 connections: resolve once, refuse any non-public address, connect to
    the address checked (never resolving the name a second time)."""

    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        try:
            infos = _resolve(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        addresses = [info for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]
        unsafe = [
            str(info[4][0])
            for info in addresses
            if is_unsafe_address(str(info[4][0]).split("%")[0])
        ]
        if unsafe or not addresses:
            raise NewConnectionError(  # type: ignore[arg-type]
                self, f"unsafe target: {', '.join(unsafe) or self.host} is not a public address"
            )
        error: OSError | None = None
        for *_kind, address in addresses:
            checked = str(address[0])
            try:
                # A literal address: create_connection resolves nothing, it connects there.
                return connection.create_connection(
                    (checked, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(  # type: ignore[arg-type]
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(  # type: ignore[arg-type]
            self, f"Failed to establish a new connection: {error}"
        )


class _PublicHTTPConnection(_PublicPeer, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicPeer, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """A requests adapter whose connections reach public addresses only."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PublicHTTPPool,
            "https": _PublicHTTPSPool,
        }


def webhook_session(*, allow_private: bool) -> requests.Session:
    """The session deliveries use; ``allow_private`` (development, tests) lifts the rule."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the peer is the target itself
    if not allow_private:
        adapter = PublicOnlyAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session
