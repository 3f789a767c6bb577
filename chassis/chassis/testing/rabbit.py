"""pytest plugin: a fresh RabbitMQ virtual host per test (nameko's ``rabbit_config`` idea).

A vhost isolates a test's exchanges, queues and messages from every other test and from the
services running on the same broker; deleting it removes them all. The vhost is created through
the management HTTP API when it answers (``TROC_RABBITMQ_MANAGEMENT_URL``, default port 15672 on
the broker's host) or with ``rabbitmqctl`` (a broker on this machine, preferred when usable).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess  # noqa: S404 (rabbitmqctl is called with fixed arguments, no shell)
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import pytest
import requests

from chassis.testing.plugin import need_rabbitmq, require_services

MANAGEMENT_PORT = 15672


class VhostAdmin(Protocol):
    def create(self, vhost: str, user: str) -> None: ...

    def delete(self, vhost: str) -> None: ...

    def close_connections(self, vhost: str) -> int: ...


class ManagementApi:
    """RabbitMQ management HTTP API (``rabbitmq_management`` plugin)."""

    def __init__(self, base_url: str, user: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = (user, password)

    def available(self) -> bool:
        try:
            response = requests.get(f"{self.base_url}/api/overview", auth=self.auth, timeout=2)
        except requests.RequestException:
            return False
        return response.status_code == 200

    def create(self, vhost: str, user: str) -> None:
        name = quote(vhost, safe="")
        requests.put(
            f"{self.base_url}/api/vhosts/{name}", auth=self.auth, timeout=10, json={}
        ).raise_for_status()
        requests.put(
            f"{self.base_url}/api/permissions/{name}/{quote(user, safe='')}",
            auth=self.auth,
            timeout=10,
            json={"configure": ".*", "write": ".*", "read": ".*"},
        ).raise_for_status()

    def delete(self, vhost: str) -> None:
        response = requests.delete(
            f"{self.base_url}/api/vhosts/{quote(vhost, safe='')}", auth=self.auth, timeout=30
        )
        if response.status_code not in (204, 404):
            response.raise_for_status()

    def close_connections(self, vhost: str, wait: float = 10.0) -> int:
        # The API lists a connection only once its stats were emitted (every 5 s by default).
        deadline = time.monotonic() + wait
        while True:
            response = requests.get(
                f"{self.base_url}/api/vhosts/{quote(vhost, safe='')}/connections",
                auth=self.auth,
                timeout=10,
            )
            response.raise_for_status()
            names = [c["name"] for c in response.json()]
            if names or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for name in names:
            requests.delete(
                f"{self.base_url}/api/connections/{quote(name, safe='')}",
                auth=self.auth,
                timeout=10,
                headers={"X-Reason": "test fault injection"},
            )
        return len(names)


class Rabbitmqctl:
    """``rabbitmqctl`` of a broker running on this machine."""

    def __init__(self, executable: str) -> None:
        self.executable = executable

    def _run(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
            [self.executable, *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    def create(self, vhost: str, user: str) -> None:
        self._run("add_vhost", vhost)
        self._run("set_permissions", "-p", vhost, user, ".*", ".*", ".*")

    def delete(self, vhost: str) -> None:
        self._run("delete_vhost", vhost)

    def close_connections(self, vhost: str) -> int:
        output = self._run(
            "close_all_connections", "--vhost", vhost, "--limit", "100000", "test fault injection"
        )
        closed = re.search(r"Closed (\d+) connection", output)
        return int(closed.group(1)) if closed else 0


def _credentials(amqp_url: str) -> tuple[str, str, str]:
    parts = urlsplit(amqp_url)
    return (
        parts.hostname or "127.0.0.1",
        unquote(parts.username or "guest"),
        unquote(parts.password or "guest"),
    )


@functools.cache
def _local_rabbitmqctl() -> Rabbitmqctl | None:
    executable = shutil.which("rabbitmqctl")
    if executable is None:
        return None
    ctl = Rabbitmqctl(executable)
    try:
        ctl._run("list_vhosts")  # needs the node's Erlang cookie: root or the rabbitmq user
    except (OSError, subprocess.SubprocessError):
        return None
    return ctl


@dataclass(frozen=True)
class LocalBroker:
    """A broker on this machine with its management API: vhosts made and deleted through the
    API (a call costs milliseconds, where each ``rabbitmqctl`` run boots an Erlang VM for about
    a second of CPU), connections closed with ``rabbitmqctl``, which sees a new connection at
    once while the API lists it only after its statistics were emitted (every 5 s by default).
    """

    api: ManagementApi
    ctl: Rabbitmqctl

    def create(self, vhost: str, user: str) -> None:
        self.api.create(vhost, user)

    def delete(self, vhost: str) -> None:
        self.api.delete(vhost)

    def close_connections(self, vhost: str) -> int:
        return self.ctl.close_connections(vhost)


def vhost_admin(amqp_url: str, management_url: str | None = None) -> VhostAdmin | None:
    """The management API and ``rabbitmqctl`` together for a broker on this machine, else
    whichever of them answers, else None."""
    host, user, password = _credentials(amqp_url)
    local = host in {"127.0.0.1", "localhost", "::1"} and management_url is None
    ctl = _local_rabbitmqctl() if local else None
    api = ManagementApi(management_url or f"http://{host}:{MANAGEMENT_PORT}", user, password)
    if api.available():
        return api if ctl is None else LocalBroker(api, ctl)
    return ctl


def url_with_vhost(amqp_url: str, vhost: str) -> str:
    parts = urlsplit(amqp_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), parts.query, ""))


@dataclass(frozen=True)
class RabbitVhost:
    """A test's own vhost: its AMQP URL and the admin that can inject faults into it."""

    url: str
    name: str
    admin: VhostAdmin

    def close_connections(self) -> int:
        """Make the broker close every client connection of this vhost (a network fault)."""
        return self.admin.close_connections(self.name)


@contextmanager
def temporary_vhost(
    amqp_url: str, *, prefix: str = "troc_test", management_url: str | None = None
) -> Iterator[RabbitVhost]:
    """Create a uniquely named vhost, yield it, then delete it (and all it holds)."""
    admin = vhost_admin(amqp_url, management_url)
    if admin is None:
        message = (
            "cannot create a RabbitMQ vhost: neither the management API "
            f"(port {MANAGEMENT_PORT}) nor rabbitmqctl is available"
        )
        if require_services():
            pytest.fail(message)
        pytest.skip(message)
    vhost = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _host, user, _password = _credentials(amqp_url)
    admin.create(vhost, user)
    try:
        yield RabbitVhost(url_with_vhost(amqp_url, vhost), vhost, admin)
    finally:
        admin.delete(vhost)


@pytest.fixture
def rabbit_broker() -> Iterator[RabbitVhost]:
    """A fresh, empty vhost of the test's RabbitMQ, deleted after the test (skips without it)."""
    base = need_rabbitmq("a per-test RabbitMQ vhost")
    management_url = os.environ.get("TROC_RABBITMQ_MANAGEMENT_URL") or None
    with temporary_vhost(base, management_url=management_url) as vhost:
        yield vhost


@pytest.fixture
def rabbit_vhost(rabbit_broker: RabbitVhost) -> str:
    """AMQP URL of a fresh, empty vhost (see ``rabbit_broker``)."""
    return rabbit_broker.url
