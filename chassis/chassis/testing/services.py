"""Some services of the platform as real processes, for the end-to-end tests of one service.

``running_services`` starts, for each service named, a web process (``chassis.serve``) and a bus
worker on fresh migrated databases (the environment's PostgreSQL, SQLite files otherwise) and one
bus: a fresh vhost of the environment's RabbitMQ, else the filesystem bus in the test's own folder,
as ``make run`` does. It yields a :class:`RunningServices` (URLs, processes, a publisher, a bus
connection, tokens) and stops everything afterwards, printing the logs if the body failed. The
whole platform with the gateway and the demo is :func:`chassis.testing.platform.running_platform`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kombu import Connection

from chassis.bus import Publisher, connection_for, is_amqp
from chassis.config import Settings
from chassis.messages import Envelope, envelope_for
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
from chassis.testing.tokens import TokenFactory
from chassis.topology import Topology


def broker_for_test(stack: ExitStack) -> str:
    """The bus of a test's processes: a fresh vhost of the environment's RabbitMQ (deleted when
    ``stack`` closes), else ``filesystem://``; in CI (``TROC_REQUIRE_SERVICES=1``) RabbitMQ or a
    failure."""
    amqp = amqp_url()
    if amqp is None and require_services():
        need_rabbitmq("the services as real processes")
    if amqp is None:
        return "filesystem://"
    return stack.enter_context(temporary_vhost(amqp)).url


@dataclass
class RunningServices(ServiceProcesses):
    """Started services: where each answers, the environment of its processes, the bus."""

    tmp: Path
    broker_url: str
    urls: dict[str, str]
    env: dict[str, str]
    database_urls: dict[str, str]
    publisher: Publisher
    #: Signs the tokens the services accept (their ``TROC_JWKS``).
    tokens: TokenFactory
    processes: dict[str, ServiceProcess] = field(default_factory=dict)

    @property
    def on_rabbitmq(self) -> bool:
        return is_amqp(self.broker_url)

    def url(self, service: str) -> str:
        return self.urls[service]

    def settings(self, service: str) -> Settings:
        """The settings of ``service``'s processes (to open its database in the test, say)."""
        return Settings.from_env(service, self.service_env(service))

    def bus(self) -> Connection:
        """A new kombu connection to the services' bus (RabbitMQ or the filesystem bus)."""
        return connection_for(self.broker_url, self.tmp / "bus")

    def publish(
        self,
        message: object,
        *,
        network: str,
        tenant: str | None = None,
        source: str = "tests",
        message_id: str | None = None,
    ) -> Envelope:
        """Publish ``message`` as ``source`` would, in its envelope; return the envelope."""
        envelope = envelope_for(
            message, source=source, network=network, tenant=tenant, message_id=message_id
        )
        self.publisher.publish(envelope.message_type.exchange, envelope.routing_key, envelope)
        return envelope

    def need_rabbitmq(self, reason: str) -> None:
        """Skip (fail in CI) a test that is about RabbitMQ itself when the bus is the filesystem."""
        if not self.on_rabbitmq:
            need_rabbitmq(reason)

    def logs(self, lines: int = 40) -> str:
        return "\n".join(
            f"--- {name}\n{process.log_tail(lines)}" for name, process in self.processes.items()
        )


@contextmanager
def running_services(
    tmp: Path,
    services: Sequence[str],
    topology: Topology,
    *,
    tag: str = "proc",
    env: Mapping[str, str] | None = None,
    web_env: Mapping[str, Mapping[str, str]] | None = None,
    worker_env: Mapping[str, Mapping[str, str]] | None = None,
    gunicorn_args: Sequence[str] = (),
    process_broker: Callable[[str], str] | None = None,
    web_workers: int = 2,
    ready_timeout: float = 60.0,
) -> Iterator[RunningServices]:
    """Start ``services`` (web + worker each), yield them, stop them.

    ``topology`` (``contracts.topology.platform_topology()``) is declared by the publisher.
    ``tag`` names the databases (``<service><tag>``, plus the test run and xdist worker).
    ``env`` adds ``TROC_*`` settings to every process, ``web_env`` / ``worker_env`` to one
    service's web or worker process; ``gunicorn_args`` go before the web processes' own (on
    gunicorn, the test run's default server).
    ``process_broker`` maps the bus URL to the one the processes use (through a proxy, say).
    Tokens are signed by :class:`TokenFactory` unless the gateway runs (it writes the keys).
    """
    topology_services = tuple(services)
    with ExitStack() as stack:
        broker_url = broker_for_test(stack)
        tokens = TokenFactory(tmp / "keys")
        databases = {
            service: service_test_settings(
                service,
                tmp,
                database=f"{service}{tag}",
                migrations=service_folder(service) / "migrations",
            ).database_url
            for service in topology_services
        }
        ports = {service: free_port() for service in topology_services}
        urls = {service: f"http://127.0.0.1:{ports[service]}" for service in topology_services}
        common = {
            "TROC_VAR_DIR": str(tmp),
            "TROC_BROKER_URL": process_broker(broker_url) if process_broker else broker_url,
            "TROC_OUTBOX_POLL_INTERVAL_MS": "50",
            "TROC_LOG_JSON": "0",
            **({} if "gateway" in topology_services else {"TROC_JWKS": str(tokens.jwks_path)}),
            **{f"TROC_{s.upper()}_URL": urls[s] for s in topology_services},
            **(env or {}),
        }
        publisher = stack.enter_context(
            Publisher(broker_url, bus_dir=tmp / "bus", topology=topology)
        )
        running = RunningServices(tmp, broker_url, urls, common, databases, publisher, tokens)
        for service in topology_services:
            service_env = running.service_env(service)
            web = web_process(
                f"{service}-web",
                f"{service}.api:create_app",
                ports[service],
                {**service_env, **(web_env or {}).get(service, {})},
                tmp,
                workers=web_workers,
            )
            if web.argv[2] == "gunicorn":
                web.argv[3:3] = list(gunicorn_args)  # after `python -m gunicorn`
            running.processes[f"{service}-web"] = web
            running.processes[f"{service}-worker"] = python_module(
                f"{service}-worker",
                f"{service}.consumer",
                {**service_env, **(worker_env or {}).get(service, {})},
                tmp,
            )
        try:
            if "gateway" in topology_services:  # first: it writes the keys the others verify
                wait_ready(urls["gateway"], running.web("gateway").start(), timeout=ready_timeout)
            for process in running.processes.values():
                if not process.alive():
                    process.start()
            for service in topology_services:
                wait_ready(urls[service], running.web(service), timeout=ready_timeout)
            yield running
        except BaseException:
            print(running.logs())
            raise
        finally:
            stop_all(reversed(running.processes.values()))
