"""Prometheus metrics of every process: request latency, bus messages, outbox backlog, gauges.

A service runs several gunicorn processes and a worker process beside them. Each process writes
its counters and histograms to memory-mapped files in ``settings.metrics_dir`` (prometheus_client
multiprocess mode, switched on by :func:`configure`), and ``GET /metrics`` of any web process
adds them all up. Gauges that describe the database (outbox backlog, invoices by state) are not
kept by any process: collectors registered on the app compute them when Prometheus scrapes.
A worker deployed in a pod of its own serves its folder on its own port instead
(:func:`serve_worker_metrics`, ``TROC_METRICS_PORT``).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

from flask import Flask, Response, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector as PrometheusCollector
from sqlalchemy import Engine, Table, and_, func, select, text

from chassis.config import ConfigError, Settings

log = logging.getLogger(__name__)

#: Metrics of this process when multiprocess mode is off (unit tests, scripts).
REGISTRY: Final = CollectorRegistry()
#: Seconds: a ledger transfer takes a few milliseconds, an import or a PDF a few seconds.
LATENCY_BUCKETS: Final = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Methods kept as a label value; any other (a client may send anything) is ``other``.
METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE: Final = "<unmatched>"
EXTENSION: Final = "chassis.metrics"

#: Every labelled metric of this module and of the services (:func:`counter`).
_METRICS: list[Any] = []

REQUEST_LATENCY: Final = Histogram(
    "troc_http_request_duration_seconds",
    "HTTP request latency by route (url rule) and status",
    ["service", "route", "method", "status"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
BUS_MESSAGES: Final = {
    "consumed": Counter(
        "troc_bus_messages_consumed",
        "Bus messages handled and acked",
        ["service", "queue"],
        registry=REGISTRY,
    ),
    "failed": Counter(
        "troc_bus_messages_failed",
        "Bus messages that failed and were retried",
        ["service", "queue"],
        registry=REGISTRY,
    ),
    "dead_lettered": Counter(
        "troc_bus_messages_dead_lettered",
        "Bus messages sent to the queue's dead-letter queue",
        ["service", "queue"],
        registry=REGISTRY,
    ),
    "requeued": Counter(
        "troc_bus_messages_requeued",
        "Bus messages put back while the database was unavailable",
        ["service", "queue"],
        registry=REGISTRY,
    ),
}


_METRICS.extend([REQUEST_LATENCY, *BUS_MESSAGES.values()])


@dataclass
class _State:
    directory: Path | None = None
    service: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    children: dict[tuple[Any, ...], Any] = field(default_factory=dict)


_state = _State()


def configure(settings: Settings) -> Path | None:
    """Switch this process to multiprocess mode in ``settings.metrics_dir``.

    A service's process calls it once. A test process building many apps follows the last
    folder given (the metrics start again from zero there). Without a folder (settings built
    in a test) nothing changes: metrics stay in this process until a folder is given.
    """
    with _state.lock:
        directory = settings.metrics_dir
        if directory is not None and Path(directory) != _state.directory:
            directory = Path(directory)
            directory.mkdir(parents=True, exist_ok=True)
            # prometheus_client's mmap values read their folder from this variable.
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
            values.ValueClass = values.MultiProcessValue()
            _state.children.clear()
            with warnings.catch_warnings():  # "not implemented in multi-process mode": it
                warnings.simplefilter("ignore", UserWarning)  # is, for this process's children
                for metric in _METRICS:
                    metric.clear()  # labelled children are made again, in the new folder
            _state.directory = directory
        if directory is not None or not _state.service:
            _state.service = settings.service_name
        return _state.directory


def service_name() -> str:
    return _state.service


def _child(metric: Any, *labels: str) -> Any:
    """``metric.labels(*labels)``, memoised (``labels()`` takes a lock and builds a tuple)."""
    key = (id(metric), *labels)
    child = _state.children.get(key)
    if child is None:
        child = _state.children.setdefault(key, metric.labels(*labels))
    return child


def declare_bus_queues(queues: Iterable[str]) -> None:
    """Expose the bus counters of ``queues`` at zero before their first message.

    A labelled counter otherwise appears at its first increment, and ``rate()`` misses that one.
    """
    for queue in queues:
        for kind in BUS_MESSAGES:
            _child(BUS_MESSAGES[kind], _state.service, queue)


def count_bus(kind: str, queue: str, amount: int = 1) -> None:
    """Count ``amount`` messages of ``queue``: consumed, failed, dead_lettered or requeued."""
    _child(BUS_MESSAGES[kind], _state.service, queue).inc(amount)


def counter(name: str, documentation: str, labelnames: Sequence[str]) -> LabelledCounter:
    """A service's own counter (multiprocess-safe), with memoised label children."""
    metric = Counter(name, documentation, list(labelnames), registry=REGISTRY)
    _METRICS.append(metric)
    return LabelledCounter(metric)


@dataclass(frozen=True)
class LabelledCounter:
    metric: Counter

    def inc(self, *labels: str, amount: float = 1) -> None:
        _child(self.metric, *labels).inc(amount)


# --- HTTP ------------------------------------------------------------------------------------


class Collector(Protocol):
    def collect(self) -> Iterable[Metric]: ...


def collectors_of(app: Flask) -> list[Collector]:
    collectors: list[Collector] = app.extensions.setdefault(EXTENSION, [])
    return collectors


#: Endpoint of ``GET /metrics`` (its bearer is the metrics token, not a user's JWT).
ENDPOINT: Final = "metrics"
#: WSGI environ key of the direct peer when a middleware put the client in ``REMOTE_ADDR``
#: (``gateway.proxies.PEER_KEY``).
PEER_ENVIRON_KEY: Final = "troc.peer"


def _loopback_peer(environ: Mapping[str, Any]) -> bool:
    peer = str(environ.get(PEER_ENVIRON_KEY) or environ.get("REMOTE_ADDR") or "")
    try:
        return ipaddress.ip_address(peer.split("%")[0]).is_loopback
    except ValueError:
        return False


def install(app: Flask, settings: Settings, *, anonymous: bool = True) -> None:
    """Time every request and serve ``GET /metrics``; called by ``create_base_app``.

    With ``settings.metrics_token`` the scrape must send it as a bearer. Without one,
    ``anonymous`` (internal services, reached on the platform's network only) serves everyone;
    a public port (the gateway's) serves only a peer on the loopback, so the metrics never reach
    the internet: scrape it with the token.
    """
    configure(settings)
    service = settings.service_name
    collectors_of(app)
    app.extensions[EXTENSION + ".service"] = service
    app.wsgi_app = _Timed(app.wsgi_app, service)  # type: ignore[method-assign]

    from chassis.http import problem, public  # the edge imports this module: import here

    def metrics() -> Response:
        token = settings.metrics_token
        if token:
            scheme, _, given = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), token.encode()
            ):
                return problem(
                    401,
                    "unauthenticated",
                    detail="Send the metrics token.",
                    headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
                )
        elif not anonymous and not _loopback_peer(request.environ):
            return problem(404, "not_found", detail="The requested resource was not found.")
        return Response(render(collectors_of(app)), content_type=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", ENDPOINT, public(metrics), methods=["GET"])


class _Timed:
    """WSGI middleware observing each request's latency under its url rule and status.

    A middleware rather than Flask hooks: no per-request hook dispatch nor context-local
    lookups. Werkzeug keeps the request (with its matched ``url_rule``) in the environ.
    """

    def __init__(self, wsgi_app: Callable[..., Any], service: str) -> None:
        self.wsgi_app = wsgi_app
        self.service = service
        self.histogram_id = id(REQUEST_LATENCY)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        seen: list[Any] = []

        def starting(status: str, headers: Any, exc_info: Any = None) -> Any:
            # Still inside the request context: Flask clears the environ's request at its end.
            seen.append(status)
            seen.append(getattr(environ.get("werkzeug.request"), "url_rule", None))
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, starting)
        elapsed = time.perf_counter() - started
        code, rule = (seen[-2][:3], seen[-1]) if seen else ("500", None)
        route = rule.rule if rule is not None else UNMATCHED_ROUTE
        method = environ.get("REQUEST_METHOD", "")
        if method not in METHODS:
            method = "other"
        key = (self.histogram_id, self.service, route, method, code)
        child = _state.children.get(key)
        if child is None:
            child = _state.children.setdefault(
                key, REQUEST_LATENCY.labels(self.service, route, method, code)
            )
        child.observe(elapsed)
        return result


class _Safe:
    """A scrape-time collector whose failure (database down) costs its metrics, not the scrape."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def collect(self) -> Iterator[Metric]:
        try:
            metrics = list(self.collector.collect())
        except Exception:
            log.warning(
                "metrics_collector_failed",
                exc_info=True,
                extra={"collector": type(self.collector).__name__},
            )
            return
        yield from metrics


class _ProcessCollector:
    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def exposition_registry(collectors: Iterable[Collector] = ()) -> CollectorRegistry:
    """Every process's metrics (the multiprocess folder) plus the scrape-time collectors."""
    registry = CollectorRegistry()
    if _state.directory is not None:
        MultiProcessCollector(registry, path=str(_state.directory))
    else:
        registry.register(_ProcessCollector())
    for collector in collectors:
        registry.register(_Safe(collector))
    return registry


def render(collectors: Iterable[Collector] = ()) -> bytes:
    """The text exposition of every process's metrics plus the scrape-time collectors."""
    return generate_latest(exposition_registry(collectors))


# --- scrape-time gauges ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScrapeGauge:
    """A gauge computed when scraped: ``read()`` yields (label values, value)."""

    name: str
    documentation: str
    labelnames: Sequence[str]
    read: Callable[[], Iterable[tuple[Sequence[str], float]]]

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(self.name, self.documentation, labels=list(self.labelnames))
        for labels, value in self.read():
            gauge.add_metric([str(v) for v in labels], float(value))
        yield gauge


def register_scrape_gauge(
    app: Flask,
    name: str,
    documentation: str,
    labelnames: Sequence[str],
    read: Callable[[], Iterable[tuple[Sequence[str], float]]],
) -> None:
    collectors_of(app).append(ScrapeGauge(name, documentation, labelnames, read))


def _aware(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, str):  # SQLite aggregates return the raw text
        value = datetime.fromisoformat(value)
    moment: datetime = value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def outbox_backlog(engine: Engine, table: Table, sequence_table: Table) -> tuple[int, float]:
    """Unpublished outbox rows and the age in seconds of the oldest, from indexed reads only.

    Unsequenced rows and rows awaiting a sequence are counted through the outbox's partial
    indexes; sequenced rows are ``last - published`` per tenant, and the oldest of them is the
    row just past each lagging tenant's ``published`` pointer (the unique tenant+sequence index).
    """
    t, seq = table, sequence_table
    with engine.connect() as conn:
        loose = conn.execute(
            select(func.count(), func.min(t.c.created_at)).where(
                and_(t.c.published_at.is_(None), ~t.c.sequenced, t.c.sequence.is_(None))
            )
        ).one()
        unsequenced = conn.execute(
            select(func.count(), func.min(t.c.created_at)).where(
                and_(t.c.sequenced, t.c.sequence.is_(None))
            )
        ).one()
        behind = conn.execute(
            select(func.coalesce(func.sum(seq.c.last - seq.c.published), 0)).where(
                seq.c.last > seq.c.published
            )
        ).scalar_one()
        oldest_behind = conn.execute(
            select(func.min(t.c.created_at))
            .select_from(
                seq.join(t, and_(t.c.tenant == seq.c.tenant, t.c.sequence == seq.c.published + 1))
            )
            .where(seq.c.last > seq.c.published)
        ).scalar()
        conn.rollback()
    count = int(loose[0]) + int(unsequenced[0]) + int(behind)
    oldest = [d for d in (_aware(loose[1]), _aware(unsequenced[1]), _aware(oldest_behind)) if d]
    if not count or not oldest:
        return count, 0.0
    return count, max(0.0, (datetime.now(UTC) - min(oldest)).total_seconds())


def table_rows(engine: Engine, tables: Sequence[Table]) -> dict[str, int]:
    """Rows per table: the statistics' estimate on PostgreSQL (no scan), a count on SQLite."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            found = conn.execute(
                text(
                    "SELECT relname, reltuples FROM pg_class WHERE relkind IN ('r', 'p')"
                    " AND relnamespace = 'public'::regnamespace AND relname = ANY(:names)"
                ),
                {"names": [t.name for t in tables]},
            ).all()
            rows = {name: max(0, int(estimate)) for name, estimate in found}
        else:
            rows = {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in tables
            }
        conn.rollback()
    return rows


@dataclass(frozen=True)
class OutboxCollector:
    service: str
    engine: Engine
    table: Table
    sequence_table: Table

    def collect(self) -> Iterator[Metric]:
        count, age = outbox_backlog(self.engine, self.table, self.sequence_table)
        backlog = GaugeMetricFamily(
            "troc_outbox_backlog", "Outbox rows not yet published", labels=["service"]
        )
        backlog.add_metric([self.service], count)
        yield backlog
        oldest = GaugeMetricFamily(
            "troc_outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox row (0 when empty)",
            labels=["service"],
        )
        oldest.add_metric([self.service], age)
        yield oldest
        sizes = GaugeMetricFamily(
            "troc_table_rows",
            "Rows of each table of the service's database (PostgreSQL: the planner's estimate)",
            labels=["service", "table"],
        )
        for name, rows in table_rows(
            self.engine, list(self.table.metadata.tables.values())
        ).items():
            sizes.add_metric([self.service, name], rows)
        yield sizes


def register_outbox_collector(
    app: Flask, engine: Engine, table: Table, sequence_table: Table
) -> None:
    """Report the service's outbox backlog and oldest age on ``/metrics``, read when scraped."""
    service = app.extensions.get(EXTENSION + ".service", app.name)
    collectors_of(app).append(OutboxCollector(service, engine, table, sequence_table))


# --- a worker's own listener -----------------------------------------------------------------


def clear_directory(directory: Path) -> int:
    """Delete the multiprocess files of ``directory`` (a process group starting afresh)."""
    removed = 0
    for path in Path(directory).glob("*.db"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


@dataclass
class MetricsServer:
    """prometheus_client's HTTP server of a worker process, in a daemon thread."""

    port: int
    server: Any
    thread: threading.Thread

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_worker_metrics(
    settings: Settings, collectors: Iterable[Collector] = ()
) -> MetricsServer | None:
    """Serve this worker's metrics on ``settings.metrics_port`` (``TROC_METRICS_PORT``), if set.

    A worker running in its own container or pod (compose, Kubernetes) does not share a
    multiprocess folder with any web process, so nothing would ever serve its bus counters:
    this listener does, with the scrape-time ``collectors`` (the service's outbox backlog). It
    serves what the folder holds, so where a web process shares the folder (``make run``) it
    would repeat the web's numbers: the port is off there by default. Any path answers.
    """
    if not settings.metrics_port:
        return None
    configure(settings)
    collectors = list(collectors)

    class _Scrape(PrometheusCollector):
        def collect(self) -> Iterable[Metric]:
            return exposition_registry(collectors).collect()

    try:
        server, thread = start_http_server(
            settings.metrics_port, addr=settings.host, registry=_Scrape()
        )
    except OSError as exc:
        raise ConfigError(
            f"TROC_METRICS_PORT {settings.metrics_port} on {settings.host}: {exc.strerror or exc}"
        ) from None
    log.info(
        "metrics_listening",
        extra={"port": settings.metrics_port, "metrics_dir": str(_state.directory or "")},
    )
    return MetricsServer(settings.metrics_port, server, thread)


def serve_worker_outbox_metrics(
    settings: Settings, engine: Engine, table: Table, sequence_table: Table
) -> MetricsServer | None:
    """:func:`serve_worker_metrics` with the service's outbox backlog and age."""
    return serve_worker_metrics(
        settings, [OutboxCollector(settings.service_name, engine, table, sequence_table)]
    )
