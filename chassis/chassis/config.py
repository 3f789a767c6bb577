"""Settings from the environment: the only module that reads ``os.environ``.

Every variable has the ``TROC_`` prefix and an embedded default, so a fresh clone runs with no
configuration (SQLite files and the filesystem bus under ``var/``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

SERVICE_PORTS: dict[str, int] = {
    "gateway": 8000,
    "listings": 8001,
    "ledger": 8002,
    "invoices": 8003,
    "notifications": 8004,
}


class ConfigError(ValueError):
    """A setting has a value the platform cannot use."""


def int_setting(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    """An integer variable, for this module and the services' own settings modules."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


def bool_setting(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def _root() -> Path:
    """Repository root in a checkout (``var/`` lives there), else the working directory."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "Makefile").exists() and (parent / "chassis").is_dir():
            return parent
    return Path.cwd()


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Typed configuration of one process of one service."""

    service_name: str
    env: str = "dev"
    var_dir: Path = field(default_factory=lambda: _root() / "var")
    database_url: str = ""
    broker_url: str = ""
    port: int = 0
    host: str = "127.0.0.1"
    jwks: str = ""
    jwt_audience: str = "troc-actif"
    jwt_issuer: str = "troc-actif-gateway"
    log_level: str = "INFO"
    log_json: bool = True
    require_services: bool = False
    worker_prefetch: int = 200
    worker_batch_size: int = 100
    #: How long a worker keeps gathering a batch while messages trickle in (each within 10 ms
    #: of the last): the latency a message may gain at each hop of a saga. A queue that is
    #: already full fills a batch at once; this only bounds the wait under a light, steady load.
    worker_batch_max_delay_ms: int = 20
    max_retries: int = 5
    outbox_batch_size: int = 500
    outbox_poll_interval_ms: int = 200
    #: After a relay pass that published rows, the next waits this long (0: at once), so that
    #: under load a pass carries several rows; an idle relay still publishes the first at once.
    outbox_gather_ms: int = 10
    db_pool_size: int = 5
    synchronous_commit: bool = True
    #: Base URL of each service, as the gateway reaches it (``TROC_<SERVICE>_URL``).
    service_urls: Mapping[str, str] = field(default_factory=dict)
    #: Password of every demo login created by ``gateway.cli seed-demo``.
    demo_password: str = "troc-demo"  # noqa: S105 (public demo password, documented)
    #: Prometheus multiprocess folder of this service's processes (``TROC_METRICS_DIR``/<service>,
    #: default ``var/metrics/<service>``); ``None``: metrics stay in the process (tests).
    metrics_dir: Path | None = None
    #: Port of a worker's own ``/metrics`` listener (``TROC_<SERVICE>_METRICS_PORT``, else
    #: ``TROC_METRICS_PORT``); 0, the default: off (web processes serve ``/metrics`` themselves).
    metrics_port: int = 0
    #: Bearer token ``GET /metrics`` asks for (``TROC_METRICS_TOKEN``); empty: none asked, except
    #: on the gateway, whose public port then serves metrics to the loopback only.
    metrics_token: str = field(default="", repr=False)
    #: RabbitMQ management API (``TROC_RABBITMQ_MANAGEMENT_URL``); empty: the broker's host, 15672.
    rabbitmq_management_url: str = ""
    #: Days kept (0: forever) of processed message ids, of webhook deliveries and e-mails that
    #: are done, and of refused logins; how often a worker purges (``chassis.retention``).
    inbox_retention_days: int = 14
    webhook_retention_days: int = 30
    email_retention_days: int = 30
    login_failure_retention_days: int = 7
    retention_interval_s: int = 600

    #: The service whose settings a subclass describes (``from_env()`` needs no name then).
    service: ClassVar[str] = ""

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        """The fields a service's settings add to the base ones, read from ``env``.

        The one way to extend the settings: a subclass declares its fields and reads them here
        (an empty ``env`` gives their defaults); ``from_env`` and ``of`` do the rest.
        """
        return {}

    @classmethod
    def of(cls, settings: Settings) -> Self:
        """These settings from plain chassis ones, the service's own fields at their defaults."""
        if isinstance(settings, cls):
            return settings
        base = {f.name: getattr(settings, f.name) for f in dataclasses.fields(Settings)}
        return cls(**base, **cls.own_from_env({}, settings))

    @classmethod
    def from_env(
        cls, service_name: str | None = None, environ: Mapping[str, str] | None = None
    ) -> Self:
        """Build the settings of ``service_name`` (default: ``cls.service``) from ``TROC_*``."""
        env = os.environ if environ is None else environ
        service_name = service_name or cls.service
        if not service_name:
            raise TypeError("from_env() needs the name of the service")
        base = cls._base_from_env(service_name, env)
        if cls is Settings:
            return base  # type: ignore[return-value]  # cls is Settings: base is a Self
        fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(Settings)}
        return cls(**fields, **cls.own_from_env(env, base))

    @staticmethod
    def _base_from_env(service_name: str, env: Mapping[str, str]) -> Settings:
        var_dir = Path(env.get("TROC_VAR_DIR") or (_root() / "var")).resolve()
        db_template = env.get("TROC_DATABASE_URL") or f"sqlite:///{var_dir}/{{service}}.db"
        database_url = env.get(f"TROC_{service_name.upper()}_DATABASE_URL") or db_template.format(
            service=service_name
        )
        broker_url = env.get("TROC_BROKER_URL") or "filesystem://"
        if broker_url.split("://", 1)[0] not in {"amqp", "amqps", "pyamqp", "filesystem", "memory"}:
            raise ConfigError(
                f"TROC_BROKER_URL must be amqp://, filesystem:// or memory://, got {broker_url!r}"
            )
        service_urls = {
            name: (
                env.get(f"TROC_{name.upper()}_URL")
                or f"http://127.0.0.1:{int_setting(env, f'TROC_{name.upper()}_PORT', port)}"
            ).rstrip("/")
            for name, port in SERVICE_PORTS.items()
        }
        default_port = SERVICE_PORTS.get(service_name, 0)
        port = int_setting(env, f"TROC_{service_name.upper()}_PORT", default_port)
        metrics_port = int_setting(
            env,
            f"TROC_{service_name.upper()}_METRICS_PORT",
            int_setting(env, "TROC_METRICS_PORT", 0),
        )
        if metrics_port > 65535:
            raise ConfigError(f"TROC_METRICS_PORT must be a TCP port (0: off), got {metrics_port}")
        settings = Settings(
            service_name=service_name,
            env=env.get("TROC_ENV", "dev"),
            var_dir=var_dir,
            database_url=database_url,
            broker_url=broker_url,
            port=port,
            host=env.get("TROC_HOST", "127.0.0.1"),
            jwks=env.get("TROC_JWKS") or str(var_dir / "keys" / "jwks.json"),
            jwt_audience=env.get("TROC_JWT_AUDIENCE", "troc-actif"),
            jwt_issuer=env.get("TROC_JWT_ISSUER", "troc-actif-gateway"),
            log_level=env.get("TROC_LOG_LEVEL", "INFO").upper(),
            log_json=bool_setting(env, "TROC_LOG_JSON", True),
            require_services=bool_setting(env, "TROC_REQUIRE_SERVICES", False),
            worker_prefetch=int_setting(env, "TROC_WORKER_PREFETCH", 200, minimum=1),
            worker_batch_size=int_setting(env, "TROC_WORKER_BATCH_SIZE", 100, minimum=1),
            worker_batch_max_delay_ms=int_setting(env, "TROC_WORKER_BATCH_MAX_DELAY_MS", 20),
            max_retries=int_setting(env, "TROC_MAX_RETRIES", 5),
            outbox_batch_size=int_setting(env, "TROC_OUTBOX_BATCH_SIZE", 500, minimum=1),
            outbox_poll_interval_ms=int_setting(
                env, "TROC_OUTBOX_POLL_INTERVAL_MS", 200, minimum=1
            ),
            outbox_gather_ms=int_setting(env, "TROC_OUTBOX_GATHER_MS", 10, minimum=0),
            db_pool_size=int_setting(env, "TROC_DB_POOL_SIZE", 5, minimum=1),
            synchronous_commit=bool_setting(env, "TROC_SYNCHRONOUS_COMMIT", True),
            service_urls=service_urls,
            demo_password=env.get("TROC_DEMO_PASSWORD") or "troc-demo",
            metrics_dir=Path(env.get("TROC_METRICS_DIR") or var_dir / "metrics").resolve()
            / service_name,
            metrics_port=metrics_port,
            metrics_token=env.get("TROC_METRICS_TOKEN", "").strip(),
            rabbitmq_management_url=(env.get("TROC_RABBITMQ_MANAGEMENT_URL") or "").rstrip("/"),
            inbox_retention_days=int_setting(env, "TROC_INBOX_RETENTION_DAYS", 14),
            webhook_retention_days=int_setting(env, "TROC_WEBHOOK_RETENTION_DAYS", 30),
            email_retention_days=int_setting(env, "TROC_EMAIL_RETENTION_DAYS", 30),
            login_failure_retention_days=int_setting(env, "TROC_LOGIN_FAILURE_RETENTION_DAYS", 7),
            retention_interval_s=int_setting(env, "TROC_RETENTION_INTERVAL_S", 600, minimum=1),
        )
        if settings.log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError("TROC_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        return settings

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def bus_dir(self) -> Path:
        """Folder of the broker-less ``filesystem://`` transport, shared by all processes."""
        return self.var_dir / "bus"
