"""The whole platform as real processes, for end-to-end, browser, fault and load tests.

``running_platform`` starts every installed service (gateway, ledger, listings, invoices,
notifications: a gunicorn web process and a bus worker each) on fresh databases of the
environment's PostgreSQL (SQLite files otherwise) and a fresh RabbitMQ vhost (the filesystem
bus in its own folder otherwise), seeds the demo with the gateway's CLI as ``make run`` does, and
stops everything afterwards. Processes can be killed and restarted one by one
(``Platform.kill`` / ``Platform.restart``) for fault tests.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from chassis.testing.databases import service_test_settings
from chassis.testing.plugin import amqp_url, need_rabbitmq, require_services
from chassis.testing.processes import (
    ServiceProcess,
    ServiceProcesses,
    free_port,
    python_module,
    service_folder,
    stop_all,
    wait_ready,
    web_process,
)
from chassis.testing.rabbit import temporary_vhost
from chassis.testing.waiting import eventually

#: The order services start in: the gateway first, since it writes the signing key the others
#: verify tokens with.
ALL_SERVICES = ("gateway", "ledger", "listings", "invoices", "notifications")
#: How many times a login waits out a 429 before the test fails on it.
LOGIN_ATTEMPTS = 10
DEMO_PASSWORD = "troc-demo"  # noqa: S105 (the documented demo password, DESIGN.md §8)


def installed(service: str) -> bool:
    """Whether ``service`` is importable from this checkout (not a stray copy elsewhere)."""
    spec = importlib.util.find_spec(service)
    return (
        spec is not None
        and spec.origin is not None
        and Path(spec.origin).resolve().is_relative_to(service_folder(service))
    )


def installed_services() -> tuple[str, ...]:
    return tuple(service for service in ALL_SERVICES if installed(service))


@dataclass
class Platform(ServiceProcesses):
    """A started platform: where it answers, its environment and its processes."""

    url: str
    urls: dict[str, str]
    env: dict[str, str]
    database_urls: dict[str, str]
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    password: str = DEMO_PASSWORD

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(self.urls)

    def kill(self, name: str) -> None:
        """``kill -9`` the process group of ``name`` (``ledger-web``, ``invoices-worker``...)."""
        self.processes[name].kill()

    def restart(self, name: str, timeout: float = 60.0) -> None:
        """Start ``name`` again (after ``kill`` or a crash) and wait until it is ready."""
        process = self.processes[name]
        process.stop()
        process.start()
        service, _, kind = name.rpartition("-")
        if kind == "web":
            wait_ready(self.urls[service], process, timeout=timeout)

    def logs(self, lines: int = 30) -> str:
        return "\n".join(
            f"--- {name}\n{process.log_tail(lines)}" for name, process in self.processes.items()
        )

    def login(self, email: str, password: str | None = None) -> dict[str, str]:
        """Bearer headers of a demo (or any) user; waits out a 429 as its ``Retry-After`` asks."""
        for _ in range(LOGIN_ATTEMPTS):
            response = requests.post(
                f"{self.url}/auth/token",
                timeout=15,
                json={"email": email, "password": password or self.password},
            )
            if response.status_code != 429:
                break
            time.sleep(float(response.headers.get("Retry-After", "1")))
        if response.status_code != 200:
            raise AssertionError(f"login of {email}: {response.status_code} {response.text}")
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def get(self, path: str, headers: Mapping[str, str], **params: Any) -> Any:
        """GET through the gateway, asserting 200; the JSON body."""
        response = requests.get(
            f"{self.url}{path}", headers=dict(headers), params=params, timeout=15
        )
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def post(
        self, path: str, headers: Mapping[str, str], json: Any = None, status: int = 200
    ) -> Any:
        """POST through the gateway, asserting ``status``; the JSON body."""
        response = requests.post(f"{self.url}{path}", headers=dict(headers), json=json, timeout=15)
        assert response.status_code == status, (path, response.status_code, response.text)
        return response.json()


@contextmanager
def running_platform(
    tmp: Path,
    *,
    services: Sequence[str] | None = None,
    seed: bool = True,
    tag: str = "e2e",
    env: Mapping[str, str] | None = None,
    broker_url: str | None = None,
    database_template: str | None = None,
    web_workers: int = 1,
    web_server: str | None = None,
    ready_timeout: float = 60.0,
) -> Iterator[Platform]:
    """Start the platform, yield it, stop it (its logs are printed if the body fails).

    ``tag`` names the databases (``<service><tag>``, plus the test run and xdist worker), so two
    platforms of one test session do not share them. ``broker_url`` is an AMQP URL whose vhost is
    used as it is; by default a fresh vhost of the environment's RabbitMQ is created and deleted.
    ``database_template`` (a ``TROC_DATABASE_URL`` template) puts the databases on that
    PostgreSQL server instead of the environment's.
    ``env`` adds or overrides ``TROC_*`` settings of every process.
    ``web_workers``: web processes per service, each with 4 threads. One is enough for a test's
    few clients and boots the platform with about a third less CPU (a worker imports the whole
    service); the barter flow's platform, the processes tests, the benchmarks and the container
    stage run several per service, as production does.
    ``web_server``: ``gunicorn`` or ``granian`` (``chassis.serve``); by default the one
    ``TROC_WEB_SERVER`` of the test run names, else gunicorn.
    """
    names = tuple(services) if services is not None else installed_services()
    if "gateway" not in names:
        raise ValueError("the platform needs the gateway")
    names = tuple(s for s in ALL_SERVICES if s in names)
    with ExitStack() as stack:
        if broker_url is None:
            broker_url = platform_broker(stack)
        yield stack.enter_context(
            _started(
                tmp,
                names,
                seed,
                tag,
                env or {},
                broker_url,
                database_template,
                web_workers,
                web_server,
                ready_timeout,
            )
        )


def platform_broker(stack: ExitStack) -> str:
    """The bus of a platform: a fresh vhost of the environment's RabbitMQ, else the filesystem
    bus in the platform's own var/ folder (as ``make run``); in CI, RabbitMQ or a failure."""
    amqp = amqp_url()
    if amqp is None and require_services():
        need_rabbitmq("the platform as real processes")
    if amqp is None:
        return "filesystem://"
    return stack.enter_context(temporary_vhost(amqp)).url


@contextmanager
def _started(
    tmp: Path,
    names: tuple[str, ...],
    seed: bool,
    tag: str,
    extra: Mapping[str, str],
    broker_url: str,
    database_template: str | None,
    web_workers: int,
    web_server: str | None,
    ready_timeout: float,
) -> Iterator[Platform]:
    databases = {
        service: service_test_settings(
            service,
            tmp,
            database=f"{service}{tag}",
            migrations=service_folder(service) / "migrations",
            template=database_template,
        ).database_url
        for service in names
    }
    ports = {service: free_port() for service in names}
    urls = {service: f"http://127.0.0.1:{ports[service]}" for service in names}
    # One var/ folder, as on a developer's machine: the gateway writes the JWKS the others
    # verify tokens with.
    common = {
        "TROC_VAR_DIR": str(tmp),
        "TROC_BROKER_URL": broker_url,
        "TROC_OUTBOX_POLL_INTERVAL_MS": "50",
        "TROC_LOG_JSON": "0",
        "TROC_DEMO_PASSWORD": DEMO_PASSWORD,
        # One test driver logs dozens of users in from one address; the per-address login
        # bucket (an office's worth by default) is tested on its own, with its own limits.
        "TROC_RATE_LIMIT_LOGIN": "50/500",
        **{f"TROC_{s.upper()}_URL": urls[s] for s in names},
        **extra,
    }
    platform = Platform(urls["gateway"], urls, common, databases)
    for service in names:
        service_env = platform.service_env(service)
        platform.processes[f"{service}-web"] = web_process(
            f"{service}-web",
            f"{service}.api:create_app",
            ports[service],
            service_env,
            tmp,
            workers=web_workers,
            server=web_server,
        )
        platform.processes[f"{service}-worker"] = python_module(
            f"{service}-worker", f"{service}.consumer", service_env, tmp
        )
    try:
        gateway = platform.web("gateway").start()
        wait_ready(platform.url, gateway, timeout=ready_timeout)
        for process in platform.processes.values():
            if process is not gateway:
                process.start()
        for service in names:
            wait_ready(urls[service], platform.web(service), timeout=ready_timeout)
        if seed:
            seeded = platform.cli("gateway", "seed-demo")
            if seeded.returncode != 0:
                raise RuntimeError(f"seed-demo failed:\n{seeded.stdout}{seeded.stderr}")
        yield platform
    except BaseException:
        print(platform.logs())
        raise
    finally:
        stop_all(reversed(platform.processes.values()))


def wait_for(
    platform: Platform,
    path: str,
    headers: Mapping[str, str],
    predicate: Callable[[Any], bool],
    timeout: float = 45.0,
) -> Any:
    """GET ``path`` through the gateway until ``predicate(json)`` holds; return that JSON."""

    def attempt() -> Any:
        response = requests.get(f"{platform.url}{path}", headers=dict(headers), timeout=15)
        response.raise_for_status()
        body = response.json()
        return body if predicate(body) else None

    return eventually(attempt, timeout)
