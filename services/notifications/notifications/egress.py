"""The HTTP session webhooks leave through: it connects to public addresses only.

``domain.check_resolved`` refuses a URL whose host resolves to a private address, but the HTTP
client resolves the name again when it connects: a DNS server answering a public address to
the check and a private one to the connection (DNS rebinding) would pass it. So the socket
itself is checked, once connected and before anything is sent, against the same rules.
"""

from __future__ import annotations

import socket
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from notifications.domain import is_unsafe_address


class _PublicPeer:
    """Mixin of urllib3 connections: close the socket at once if its peer is not public."""

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        peer = str(sock.getpeername()[0]).split("%")[0]
        if is_unsafe_address(peer):
            sock.close()
            raise NewConnectionError(self, f"unsafe target: {peer} is not a public address")
        return sock


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
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool,
                                                   "https": _PublicHTTPSPool}


def webhook_session(*, allow_private: bool) -> requests.Session:
    """The session deliveries use; ``allow_private`` (development, tests) lifts the rule."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the peer is the target itself
    if not allow_private:
        adapter = PublicOnlyAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session
