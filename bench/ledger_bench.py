"""The ledger benchmark behind ``make bench`` (driven by ``bench/run_all.sh``).

Measures, in one run on this machine and its PostgreSQL and RabbitMQ (loopback only):

* the PostgreSQL ceiling: ``bench/pgbench_reference.sh`` (fn-uniform / fn-hot at 4 clients);
* HTTP: ``POST /t/pie/transfers`` through the web server (gunicorn or granian, the faster kept)
  with everything a real request does (token check, validation, idempotency key, outbox row),
  driven by ``wrk`` and ``bench/wrk_transfer.lua``:
  max throughput (uniform pairs), p50/p99 at half that rate (paced), and one hot account;
* bus: N ``transfer`` commands queued on ``ledger.commands`` while the worker is stopped, then the
  worker's drain rate; and how long the outbox relay then takes to publish the events.

Everything it creates is its own and is removed at the end, even on failure: the database
``troc_ledger_bench``, the RabbitMQ vhost ``troc_ledger_bench``, the processes it started, the keys.
Writes ``bench/results/ledger.json`` (git-ignored); logs and raw outputs go to
``bench/out/ledger/<timestamp>/``. ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg
from common import (
    BenchError,
    describe_machine,
    log,
    machine_busy,
    run_reference,
    tool_version,
    wait_for_quiet,
    write_results,
)
from kombu import Connection as KombuConnection

from chassis.auth import ANIMATOR, Identity, identity_claims
from chassis.bus import Publisher
from chassis.config import Settings
from chassis.keys import KeyStore
from chassis.messages import envelope_for
from chassis.serve import WebServer
from chassis.testing.processes import ServiceProcess, free_port, wait_ready
from chassis.testing.rabbit import VhostAdmin, url_with_vhost, vhost_admin
from contracts import ledger as lg
from contracts.topology import platform_topology

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA_SCRIPT = BENCH / "wrk_transfer.lua"

DB_NAME = "troc_ledger_bench"
VHOST = "troc_ledger_bench"
NETWORK = "bench"
TENANTS = ("pie", "fa-mgp", "initiactive-95", "fa-77-91")
HTTP_TENANT = "pie"  # the animator's tenant: HTTP payers are its 2,500 accounts
ACCOUNTS = 10_000
CREDIT_LIMIT_CENTS = 100_000_000  # 1,000,000.00: no transfer of the bench is ever refused
EVENTS_SINK = "bench.ledger.events"  # where the relay's events land (bounded, see _declare_sink)

TARGETS = {
    "http_ratio": 0.30,
    "http_p99_ms": 25.0,
    "bus_ratio": 0.5,
    "hot_ratio": 0.55,
    "http_bare_ratio": 1.0,
    "hot_uniform_ratio": 0.9,
}

#: The bare prototype (a Flask + psycopg endpoint over the reference's stored function, no token,
#: validation, idempotency or outbox): run in the same invocation, it sizes the full path's cost.
#: ``../shared/bench`` beside the checkout (a worktree one level deeper finds it one level up).
SHARED_BENCH = Path(
    os.environ.get("SHARED_BENCH")
    or next(
        (
            str(p)
            for p in (ROOT.parent / "shared" / "bench", ROOT.parent.parent / "shared" / "bench")
            if (p / "bare" / "run.sh").exists()
        ),
        str(ROOT.parent / "shared" / "bench"),
    )
)


# --- configuration -------------------------------------------------------------------------


@dataclass(frozen=True)
class WebConfig:
    """A web server configuration: gunicorn's worker class (sync, gthread) or granian, worker
    processes, threads (gthread and granian)."""

    workers: int
    worker_class: str = "sync"
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> WebConfig:
        """``3`` or ``sync:3`` (3 sync workers), ``gthread:3x4`` (3 workers x 4 threads),
        ``granian:3x2`` (granian instead of gunicorn: 3 processes x 2 threads)."""
        kind, _, count = text.strip().rpartition(":")
        kind = kind or "sync"
        workers, _, threads = count.partition("x")
        if kind not in {"sync", "gthread", "granian"} or not workers.isdigit():
            raise argparse.ArgumentTypeError(f"bad web config {text!r} (e.g. sync:3, gthread:3x4)")
        return cls(int(workers), kind, int(threads or 1))

    @property
    def label(self) -> str:
        if self.worker_class in {"gthread", "granian"}:
            return f"{self.worker_class} {self.workers}x{self.threads}"
        return f"{self.worker_class} x{self.workers}"

    def as_json(self) -> dict[str, Any]:
        return {
            "worker_class": self.worker_class,
            "workers": self.workers,
            "threads": self.threads,
            "label": self.label,
            "keep_alive": self.worker_class != "sync",
        }


@dataclass(frozen=True)
class Options:
    duration: int
    tune_duration: int
    warmup: int
    connections: int
    paced_connections: int
    threads: int
    candidates: tuple[WebConfig, ...]
    bus_messages: int
    reference: bool
    bare: bool
    pg_admin: str
    broker_base: str
    out_dir: Path
    profile: bool
    relay_wait: float
    quiet_wait: float

    @classmethod
    def from_args(cls, argv: Sequence[str] | None) -> Options:
        parser = argparse.ArgumentParser(
            prog="bench/run_all.sh",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument(
            "--duration", type=int, default=20, help="seconds of each measured wrk run (default 20)"
        )
        parser.add_argument(
            "--tune-duration",
            type=int,
            default=8,
            help="seconds of each web server candidate's trial (default 8)",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=3,
            help="seconds of unmeasured load after a (re)start (default 3)",
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=4,
            help="wrk connections for max throughput and hot (default 4)",
        )
        parser.add_argument(
            "--paced-connections",
            type=int,
            default=8,
            help="wrk connections of the paced half-rate run (default 8)",
        )
        parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
        parser.add_argument(
            "--web",
            type=WebConfig.parse,
            action="append",
            help="web server candidate, repeatable: 3 | sync:3 | gthread:3x4 (gunicorn) | "
            "granian:3x2 (default: sync:3, gthread:2x4, granian:2x4, granian:3x2 (keep-alive);"
            " the best is kept)",
        )
        parser.add_argument(
            "--bus-messages",
            type=int,
            default=60_000,
            help="transfer commands of the bus run (default 60000)",
        )
        parser.add_argument(
            "--relay-wait",
            type=float,
            default=60,
            help="seconds granted to the outbox relay after the bus run before "
            "giving up on its backlog (default 60)",
        )
        parser.add_argument(
            "--quiet-wait",
            type=float,
            default=30,
            help="wait up to this many seconds for the machine to be quiet "
            "(< 30%% busy) before starting (default 30; 0: no wait)",
        )
        parser.add_argument(
            "--no-reference",
            action="store_true",
            help="skip pgbench (no ratios); for quick trials only",
        )
        parser.add_argument(
            "--no-bare",
            action="store_true",
            help="skip the bare prototype (no http_bare_ratio); quick trials only",
        )
        parser.add_argument(
            "--profile",
            action="store_true",
            help="py-spy top-like sampling of the web workers during the max "
            "throughput run (needs py-spy in the venv; slows the run)",
        )
        args = parser.parse_args(argv)
        host = os.environ.get("PGHOST", "127.0.0.1")
        port = os.environ.get("PGPORT", "5432")
        user = os.environ.get("PGUSER", "postgres")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return cls(
            duration=args.duration,
            tune_duration=args.tune_duration,
            warmup=args.warmup,
            connections=args.connections,
            paced_connections=args.paced_connections,
            threads=args.threads,
            candidates=tuple(
                args.web
                or (
                    WebConfig(3),
                    WebConfig(2, "gthread", 4),
                    WebConfig(2, "granian", 4),
                    WebConfig(3, "granian", 2),
                )
            ),
            bus_messages=args.bus_messages,
            reference=not args.no_reference,
            bare=not args.no_bare,
            pg_admin=f"host={host} port={port} user={user} dbname=postgres",
            broker_base=os.environ.get(
                "TROC_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"
            ),
            out_dir=BENCH / "out" / "ledger" / stamp,
            profile=args.profile,
            relay_wait=args.relay_wait,
            quiet_wait=args.quiet_wait,
        )

    @property
    def database_url(self) -> str:
        parts = dict(item.split("=", 1) for item in self.pg_admin.split())
        return f"postgresql+psycopg://{parts['user']}@{parts['host']}:{parts['port']}/{DB_NAME}"


# --- CPU accounting ------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcInfo:
    ppid: int
    comm: str
    cpu_s: float


def processes() -> dict[int, ProcInfo]:
    """Every process of the machine: parent, command name, CPU seconds used so far."""
    found: dict[int, ProcInfo] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            data = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = data[data.index("(") + 1 : data.rindex(")")]
        rest = data[data.rindex(")") + 2 :].split()
        found[int(entry)] = ProcInfo(
            int(rest[1]), comm, (int(rest[11]) + int(rest[12])) / CLOCK_TICKS
        )
    return found


def descendants(table: dict[int, ProcInfo], root: int) -> set[int]:
    out, todo = {root}, [root]
    while todo:
        parent = todo.pop()
        children = [pid for pid, info in table.items() if info.ppid == parent]
        out.update(children)
        todo.extend(children)
    return out & set(table)


@dataclass
class CpuSample:
    table: dict[int, ProcInfo]
    busy: tuple[float, float]
    children_s: float
    at: float


def cpu_sample() -> CpuSample:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuSample(processes(), machine_busy(), usage.ru_utime + usage.ru_stime, time.monotonic())


# --- the benchmark -------------------------------------------------------------------------


@dataclass
class RunResult:
    name: str
    mode: str
    web: str
    connections: int
    duration_s: float
    requests: int
    tps: float
    errors: dict[str, int]
    latency_ms: dict[str, float]
    rows: dict[str, int]
    rate_target: float | None = None
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)
    machine_busy_pct: float = 0.0
    load1_before: float = 0.0
    other_processes_cpu_s: dict[str, float] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        refused = sum(n for status, n in self.rows.items() if status != "posted")
        return sum(self.errors.values()) + refused

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mode": self.mode,
            "web": self.web,
            "connections": self.connections,
            "duration_s": round(self.duration_s, 2),
            "requests": self.requests,
            "tps": round(self.tps, 1),
            "errors": self.errors,
            "db_rows_by_status": self.rows,
            "latency_ms": self.latency_ms,
            "rate_target": self.rate_target,
            "cpu_ms_per_request": self.cpu_ms_per_request,
            "machine_busy_pct": self.machine_busy_pct,
            "load1_before": self.load1_before,
            "other_processes_cpu_s": self.other_processes_cpu_s,
        }


class LedgerBench:
    def __init__(self, options: Options) -> None:
        self.o = options
        self.out = options.out_dir
        self.out.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix="troc-ledger-bench-"))
        self.cleanups = contextlib.ExitStack()
        self.results: dict[str, Any] = {}
        self.runs: list[RunResult] = []
        self.invalid: list[str] = []
        self.token = ""
        self.broker_url = ""
        self.vhost_admin: VhostAdmin | None = None
        self.account_ids: list[uuid.UUID] = []
        self.tenant_of: dict[uuid.UUID, str] = {}
        self.web: ServiceProcess | None = None
        self.web_config: WebConfig | None = None
        self.base_url = ""
        self.worker: ServiceProcess | None = None
        self.pidfile = self.out / "pids"

    # -- environment of the services --------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        return {
            "TROC_DATABASE_URL": self.o.database_url,
            "TROC_BROKER_URL": self.broker_url,
            "TROC_JWKS": str(self.tmp / "keys" / "jwks.json"),
            "TROC_VAR_DIR": str(self.tmp / "var"),
            "TROC_LOG_LEVEL": "WARNING",
            "TROC_ENV": "dev",
        }

    def sql(self, query: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(
            self.o.pg_admin.replace("dbname=postgres", f"dbname={DB_NAME}"), autocommit=True
        ) as conn:
            return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]

    # -- setup --------------------------------------------------------------------------------
    def setup(self) -> None:
        log(
            f"setup: database {DB_NAME}, vhost {VHOST}, {ACCOUNTS:,} accounts, keys "
            f"(logs: {self.out.relative_to(ROOT)})"
        )
        self._database()
        self.cleanups.callback(self._drop_database)
        self._vhost()
        self._migrate_and_seed()
        self._keys()
        self.vacuum()

    def _database(self) -> None:
        with psycopg.connect(self.o.pg_admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
            version = conn.execute("SHOW server_version").fetchone()
            settings = dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', "
                    "'shared_buffers', 'max_connections', 'fsync', 'autovacuum', 'max_wal_size', "
                    "'wal_sync_method')"
                ).fetchall()
            )
        self.results["postgresql"] = {"version": version[0] if version else "?", **settings}

    def _drop_database(self) -> None:
        with (
            contextlib.suppress(Exception),
            psycopg.connect(self.o.pg_admin, autocommit=True) as conn,
        ):
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            log(f"dropped database {DB_NAME}")

    def _vhost(self) -> None:
        admin = vhost_admin(self.o.broker_base)
        if admin is None:
            raise BenchError(
                "cannot create a RabbitMQ vhost: neither rabbitmqctl nor the "
                "management API (port 15672) is usable"
            )
        self.vhost_admin = admin
        with contextlib.suppress(Exception):
            admin.delete(VHOST)  # left over by a killed run
        user = re.sub(r"^.*://", "", self.o.broker_base).split(":")[0] or "guest"
        admin.create(VHOST, user)
        self.cleanups.callback(self._delete_vhost)
        self.broker_url = url_with_vhost(self.o.broker_base, VHOST)

    def _delete_vhost(self) -> None:
        if self.vhost_admin is not None:
            with contextlib.suppress(Exception):
                self.vhost_admin.delete(VHOST)
                log(f"deleted vhost {VHOST}")

    def _migrate_and_seed(self) -> None:
        self._run_python(["-m", "ledger.cli", "migrate"], "migrate")
        ids = [
            uuid.uuid5(uuid.NAMESPACE_URL, f"https://trocactif.org/bench/account/{i}")
            for i in range(ACCOUNTS)
        ]
        self.account_ids = ids
        self.tenant_of = {account: TENANTS[i % len(TENANTS)] for i, account in enumerate(ids)}
        dsn = self.o.pg_admin.replace("dbname=postgres", f"dbname={DB_NAME}")
        with psycopg.connect(dsn) as conn:
            conn.execute(
                "INSERT INTO networks (slug, name, unit_code, unit_name, unit_symbol, "
                "default_credit_limit, hold_expiry_days, member_categories, updated_at) "
                "VALUES (%s, 'Bench', 'ACT', 'Actif', 'A', %s, 30, '[]', now())",
                (NETWORK, CREDIT_LIMIT_CENTS),
            )
            with conn.cursor().copy(
                "COPY accounts (id, network, tenant, kind, balance, pending_debits, "
                "pending_credits, credit_limit, max_balance, status, version, created_at, "
                "updated_at) FROM STDIN"
            ) as copy:
                now = datetime.now(UTC)
                for account in ids:
                    copy.write_row(
                        (
                            account,
                            NETWORK,
                            self.tenant_of[account],
                            "member",
                            0,
                            0,
                            0,
                            CREDIT_LIMIT_CENTS,
                            None,
                            "active",
                            0,
                            now,
                            now,
                        )
                    )
            conn.commit()
            conn.execute("ANALYZE")
        payers = [a for a in ids if self.tenant_of[a] == HTTP_TENANT]
        (self.tmp / "payers.txt").write_text("".join(f"{a}\n" for a in payers))
        (self.tmp / "payees.txt").write_text("".join(f"{a}\n" for a in ids))

    def vacuum(self) -> None:
        """VACUUM ANALYZE the ledger's tables between phases.

        The server may run with autovacuum off (this machine's CI configuration does): the
        relay's updates of outbox rows would then leave dead index entries behind forever and
        each phase would pay for the previous ones. A phase still pays for its own dead rows.
        """
        with psycopg.connect(
            self.o.pg_admin.replace("dbname=postgres", f"dbname={DB_NAME}"), autocommit=True
        ) as conn:
            conn.execute(
                "VACUUM (ANALYZE) accounts, transfers, postings, outbox, outbox_sequence, inbox"
            )

    def _keys(self) -> None:
        keys = self.tmp / "keys"
        self._run_python(["-m", "chassis.keys", "--dir", str(keys), "ensure"], "keys")
        defaults = Settings(service_name="ledger")
        identity = Identity(
            subject="bench-animator",
            roles=frozenset({ANIMATOR}),
            tenant=HTTP_TENANT,
            network=NETWORK,
        )
        self.token = KeyStore(keys).sign(
            identity_claims(
                identity,
                issuer=defaults.jwt_issuer,
                audience=defaults.jwt_audience,
                expires_in=3600,
            )
        )

    def _run_python(self, args: list[str], name: str) -> None:
        done = subprocess.run(
            [sys.executable, *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        (self.out / f"{name}.log").write_text(done.stdout + done.stderr)
        if done.returncode != 0:
            raise BenchError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    # -- processes ----------------------------------------------------------------------------
    def _track(self, process: ServiceProcess) -> None:
        assert process.process is not None
        with self.pidfile.open("a") as f:
            f.write(f"{process.process.pid}\n")
        self.cleanups.callback(process.stop)

    def start_worker(self) -> None:
        self.worker = ServiceProcess(
            "ledger-worker", [sys.executable, "-m", "ledger.consumer"], self.env, self.out
        ).start()
        self._track(self.worker)

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop(timeout=30)
            self.worker = None

    def start_web(self, config: WebConfig) -> None:
        port = free_port()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "ledger.api:create_app()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(config.workers),
            "--worker-class",
            config.worker_class,
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
            "--name",
            "troc-ledger-bench",
        ]
        if config.worker_class == "gthread":
            argv += ["--threads", str(config.threads)]
        if config.worker_class == "granian":
            argv = WebServer(
                "granian", "ledger.api:create_app", "127.0.0.1", port, config.workers,
                config.threads, graceful_timeout=5,
            ).argv()  # fmt: skip
        name = f"ledger-web-{config.label.replace(' ', '')}"
        self.web = ServiceProcess(name, argv, self.env, self.out).start()
        self._track(self.web)
        self.web_config = config
        self.base_url = f"http://127.0.0.1:{port}"
        wait_ready(self.base_url, self.web, timeout=60)

    def stop_web(self) -> None:
        if self.web is not None:
            self.web.stop()
            self.web = None

    def check_alive(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and not process.alive():
                raise BenchError(f"{process.name} exited:\n{process.log_tail()}")

    # -- HTTP ---------------------------------------------------------------------------------
    def wrk(
        self,
        name: str,
        mode: str,
        duration: int,
        connections: int,
        rate: float = 0.0,
        measured: bool = True,
    ) -> RunResult:
        assert self.web is not None and self.web_config is not None
        run_id = f"{name}-{uuid.uuid4().hex[:6]}"
        argv = [
            "wrk",
            "-t",
            str(self.o.threads),
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(LUA_SCRIPT),
            self.base_url,
            "--",
            HTTP_TENANT,
            run_id,
            mode,
            str(self.tmp / "payers.txt"),
            str(self.tmp / "payees.txt"),
            f"{rate:.1f}",
        ]
        env = {**os.environ, "BENCH_TOKEN": self.token, "BENCH_THREADS": str(self.o.threads)}
        load1 = os.getloadavg()[0]
        profiler = self._start_profiler(name) if measured and self.o.profile else None
        before = cpu_sample()
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, check=False, timeout=duration + 60
        )
        after = cpu_sample()
        if profiler is not None:
            self._stop_profiler(profiler)
        if measured:
            (self.out / f"wrk-{name}.txt").write_text(done.stdout + done.stderr)
        match = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.MULTILINE)
        if done.returncode != 0 or match is None:
            raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        self.check_alive()
        data = json.loads(match.group(1))
        time.sleep(0.5)  # requests still in flight when wrk stopped
        rows = {
            status: int(n)
            for status, n in self.sql(
                "SELECT status, count(*) FROM transfers WHERE reference = %s GROUP BY status",
                (run_id,),
            )
        }
        seconds = data["duration_us"] / 1e6
        latency = {k: round(v / 1000, 3) for k, v in data["latency_us"].items()}
        result = RunResult(
            name=name,
            mode=mode,
            web=self.web_config.label,
            connections=connections,
            duration_s=seconds,
            requests=data["requests"],
            tps=data["requests"] / seconds,
            errors=data["errors"],
            latency_ms=latency,
            rows=rows,
            rate_target=rate or None,
            load1_before=load1,
        )
        self._account_cpu(result, before, after)
        if measured:
            self.runs.append(result)
            if result.error_count or rows.get("posted", 0) < result.requests:
                self.invalid.append(
                    f"{name}: errors {result.errors}, rows {rows}, requests {result.requests}"
                )
        return result

    def _account_cpu(self, result: RunResult, before: CpuSample, after: CpuSample) -> None:
        """CPU milliseconds per request of each component during the run."""
        cpu, others, busy_pct = self._cpu_by_component(before, after, result.requests)
        result.other_processes_cpu_s = others
        result.cpu_ms_per_request = cpu
        result.machine_busy_pct = busy_pct

    def _cpu_by_component(
        self, before: CpuSample, after: CpuSample, requests: int
    ) -> tuple[dict[str, float], dict[str, float], float]:
        """(CPU ms per request by component, the busiest other processes' seconds, busy %).

        The worker's own process and its relay child (spawned, so its own interpreter) are told
        apart, and so are the PostgreSQL backends serving each.
        """
        groups: dict[str, set[int]] = {}
        if self.web is not None and self.web.process is not None:
            groups["gunicorn"] = descendants(after.table, self.web.process.pid)
        if self.worker is not None and self.worker.process is not None:
            root = self.worker.process.pid
            tree = descendants(after.table, root)
            relay = tree - {root}  # the relay child (and its own helpers)
            groups["ledger_worker"] = tree - relay
            groups["ledger_relay"] = relay
        backends = self._backend_owners()
        owners = {name: pids for name, pids in groups.items()}
        for name, pids in owners.items():
            groups[f"postgres_for_{name}"] = {b for b, owner in backends.items() if owner in pids}
        groups["postgres_bench_db_other"] = set(backends) - set().union(
            *(groups[f"postgres_for_{name}"] for name in owners)
        )
        groups["postgres_other"] = {
            pid
            for pid, info in after.table.items()
            if info.comm == "postgres" and pid not in backends
        }
        groups["rabbitmq"] = {
            pid for pid, info in after.table.items() if info.comm in {"beam.smp", "erl_child_setup"}
        }

        def spent(pids: set[int]) -> float:
            total = 0.0
            for pid in pids:
                end = after.table.get(pid)
                start = before.table.get(pid)
                if end is not None:
                    total += end.cpu_s - (start.cpu_s if start and start.comm == end.comm else 0)
            return total

        cpu = {name: spent(pids) for name, pids in groups.items()}
        cpu["wrk"] = after.children_s - before.children_s
        known = set().union(*groups.values())
        others: dict[str, float] = {}
        for pid, info in after.table.items():
            if pid not in known and pid != os.getpid():
                others[info.comm] = others.get(info.comm, 0.0) + spent({pid})
        top = {
            k: round(v, 2)
            for k, v in sorted(others.items(), key=lambda kv: -kv[1])[:5]
            if v >= 0.05
        }
        busy = after.busy[0] - before.busy[0]
        total = after.busy[1] - before.busy[1]
        cpu["machine_total"] = busy
        accounted = sum(v for k, v in cpu.items() if k != "machine_total")
        cpu["other_and_kernel"] = max(0.0, busy - accounted)
        n = max(requests, 1)
        return (
            {k: round(v * 1000 / n, 3) for k, v in cpu.items()},
            top,
            round(100 * busy / total, 1) if total else 0.0,
        )

    def cpu_split(self) -> dict[str, dict[str, float]]:
        """CPU ms per transfer by component (web, PostgreSQL, worker, relay, broker) per path."""

        def split(cpu: dict[str, float]) -> dict[str, float]:
            # The bench database's backends only: other databases' (other workloads) apart.
            postgres = sum(
                v
                for k, v in cpu.items()
                if k.startswith("postgres_for_") or k == "postgres_bench_db_other"
            )
            return {
                "web": cpu.get("gunicorn", 0.0),
                "worker": cpu.get("ledger_worker", 0.0),
                "relay": cpu.get("ledger_relay", 0.0),
                "postgresql": round(postgres, 3),
                "postgresql_for_web": cpu.get("postgres_for_gunicorn", 0.0),
                "postgresql_for_worker": cpu.get("postgres_for_ledger_worker", 0.0),
                "postgresql_for_relay": cpu.get("postgres_for_ledger_relay", 0.0),
                "postgresql_other_databases": cpu.get("postgres_other", 0.0),
                "broker": cpu.get("rabbitmq", 0.0),
                "load_tool": cpu.get("wrk", 0.0),
                "other_and_kernel": cpu.get("other_and_kernel", 0.0),
                "machine_total": cpu.get("machine_total", 0.0),
            }

        out = {run.name: split(run.cpu_ms_per_request) for run in self.runs}
        bus_cpu = self.results.get("bus", {}).get("cpu_ms_per_command")
        if bus_cpu:
            out["bus"] = split(bus_cpu)
        return out

    def _backend_owners(self) -> dict[int, int]:
        """PostgreSQL backend pid -> pid of the client process holding its connection."""
        done = subprocess.run(
            ["ss", "-tnpH", "state", "established", "( dport = :5432 )"],
            capture_output=True,
            text=True,
            check=False,
        )
        by_port: dict[int, int] = {}
        for line in done.stdout.splitlines():
            match = re.search(r":(\d+)\s+\S+:5432\s.*pid=(\d+)", line)
            if match:
                by_port[int(match.group(1))] = int(match.group(2))
        return {
            int(pid): by_port.get(int(port or 0), 0)
            for pid, port in self.sql(
                "SELECT pid, client_port FROM pg_stat_activity WHERE datname = %s", (DB_NAME,)
            )
        }

    def _start_profiler(self, name: str) -> list[subprocess.Popen[bytes]]:
        py_spy = Path(sys.executable).parent / "py-spy"
        if not py_spy.exists() or self.web is None or self.web.process is None:
            log("py-spy is not in the venv: no profile (pip install py-spy)")
            return []
        table = processes()
        workers = sorted(descendants(table, self.web.process.pid) - {self.web.process.pid})
        procs = []
        for pid in workers:
            out = self.out / f"py-spy-{name}-{pid}.txt"
            procs.append(
                subprocess.Popen(  # noqa: S603
                    [
                        str(py_spy),
                        "record",
                        "--pid",
                        str(pid),
                        "--format",
                        "raw",
                        "--rate",
                        "50",
                        "--duration",
                        str(self.o.duration),
                        "--output",
                        str(out),
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        return procs

    @staticmethod
    def _stop_profiler(procs: list[subprocess.Popen[bytes]]) -> None:
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    def tune_web(self) -> WebConfig:
        """Try each web server candidate briefly; keep the one with the best throughput."""
        trials: list[dict[str, Any]] = []
        if len(self.o.candidates) == 1:
            self.results["gunicorn_trials"] = trials
            return self.o.candidates[0]
        for config in self.o.candidates:
            self.start_web(config)
            self.wrk("warmup", "uniform", self.o.warmup, self.o.connections, measured=False)
            trial = self.wrk(
                f"tune-{config.label.replace(' ', '')}",
                "uniform",
                self.o.tune_duration,
                self.o.connections,
                measured=False,
            )
            self.stop_web()
            ok = trial.error_count == 0
            trials.append(
                {
                    **config.as_json(),
                    "tps": round(trial.tps, 1),
                    "p99_ms": trial.latency_ms["p99"],
                    "errors": trial.error_count,
                    "cpu_ms_per_request": trial.cpu_ms_per_request,
                }
            )
            log(
                f"  {config.label}: {trial.tps:,.0f} transfers/s"
                f"{'' if ok else f' ({trial.error_count} errors: ignored)'}"
            )
        self.results["gunicorn_trials"] = trials
        usable = [t for t in trials if t["errors"] == 0]
        if not usable:
            raise BenchError("every web server candidate had errors; see the logs")
        best = max(usable, key=lambda t: t["tps"])
        return next(c for c in self.o.candidates if c.label == best["label"])

    def http(self) -> None:
        log(
            f"HTTP: trying {', '.join(c.label for c in self.o.candidates)} "
            f"({self.o.tune_duration} s each, {self.o.connections} connections)"
        )
        config = self.tune_web()
        log(
            f"HTTP: {config.label}; max throughput, {self.o.duration} s, "
            f"{self.o.connections} connections, {self.o.threads} wrk threads"
        )
        self.vacuum()
        self.start_web(config)
        self.wrk("warmup", "uniform", self.o.warmup, self.o.connections, measured=False)
        best = self.wrk("http-uniform-max", "uniform", self.o.duration, self.o.connections)
        self._say(best)
        rate = best.tps / 2
        log(
            f"HTTP: latency at half that rate ({rate:,.0f}/s, paced, "
            f"{self.o.paced_connections} connections)"
        )
        paced = self.wrk(
            "http-uniform-half-rate",
            "uniform",
            self.o.duration,
            self.o.paced_connections,
            rate=rate,
        )
        self._say(paced)
        if paced.tps < 0.95 * rate:
            self.invalid.append(f"paced run reached {paced.tps:,.0f}/s of {rate:,.0f}/s")
        log(
            f"HTTP: hot account (account #1 of {HTTP_TENANT} in every transfer), "
            f"{self.o.duration} s"
        )
        self.wait_relay(timeout=120)
        self.vacuum()
        hot = self.wrk("http-hot-max", "hot", self.o.duration, self.o.connections)
        self._say(hot)
        self.results.update(
            {
                "http_tps": round(best.tps, 1),
                "http_p50_ms": paced.latency_ms["p50"],
                "http_p99_ms": paced.latency_ms["p99"],
                "http_rate_for_latency": round(rate, 1),
                "http_achieved_rate_for_latency": round(paced.tps, 1),
                "http_max_p50_ms": best.latency_ms["p50"],
                "http_max_p99_ms": best.latency_ms["p99"],
                "hot_tps": round(hot.tps, 1),
                "hot_p99_ms": hot.latency_ms["p99"],
                # The web processes inherit it (README: configuration); unset is the default.
                "group_commit_us": os.environ.get("TROC_LEDGER_GROUP_COMMIT_US", "default"),
                "gunicorn": {
                    **config.as_json(),
                    "timeout": 30,
                    "log_level": "WARNING",
                    "access_log": False,
                    "bind": "127.0.0.1 (loopback)",
                },
            }
        )
        self.stop_web()

    @staticmethod
    def _say(run: RunResult) -> None:
        lat = run.latency_ms
        errors = run.error_count
        cpu = run.cpu_ms_per_request
        log(
            f"  {run.name}: {run.tps:,.0f}/s over {run.duration_s:.1f} s ({run.requests:,} "
            f"requests, {errors} errors/non-2xx), p50 {lat['p50']:.2f} ms, p99 {lat['p99']:.2f} "
            f"ms; machine {run.machine_busy_pct:.0f}% busy; CPU ms/request: web "
            f"{cpu.get('gunicorn', 0):.2f} (+ its postgres "
            f"{cpu.get('postgres_for_gunicorn', 0):.2f}), "
            f"worker {cpu.get('ledger_worker', 0):.2f} (+ its postgres "
            f"{cpu.get('postgres_for_ledger_worker', 0):.2f}), wrk {cpu.get('wrk', 0):.2f}, "
            f"others {cpu.get('other_and_kernel', 0):.2f} (load1 {run.load1_before:.1f})"
        )

    # -- outbox relay -------------------------------------------------------------------------
    def unpublished(self) -> int:
        # Rows without a tenant are marked one by one; a tenant's log leaves up to a pointer.
        return int(
            self.sql(
                "SELECT (SELECT count(*) FROM outbox WHERE NOT sequenced AND published_at IS NULL)"
                " + (SELECT count(*) FROM outbox WHERE sequenced AND sequence IS NULL)"
                " + (SELECT coalesce(sum(last - published), 0) FROM outbox_sequence)"
            )[0][0]
        )

    def wait_relay(self, timeout: float) -> tuple[float, int]:
        """Wait for the relay to publish every outbox row; (seconds, backlog at the start)."""
        start = time.monotonic()
        backlog = self.unpublished()
        while True:
            left = self.unpublished()
            if left == 0:
                return time.monotonic() - start, backlog
            self.check_alive()
            if time.monotonic() - start > timeout:
                raise BenchError(f"the outbox relay still has {left:,} rows after {timeout:.0f} s")
            time.sleep(0.25)

    def relay_window(self, limit: float) -> tuple[float, int]:
        """Let the relay publish for at most ``limit`` seconds; (seconds, rows left)."""
        start = time.monotonic()
        while True:
            left = self.unpublished()
            elapsed = time.monotonic() - start
            if left == 0 or elapsed > limit:
                return elapsed, left
            self.check_alive()
            time.sleep(0.25)

    def _declare_sink(self) -> None:
        """A bounded queue on ``ledger.events``: the relay's events are routed, not returned.

        Nothing consumes the ledger's events in this benchmark; without a bound queue every
        publish would come back unroutable (and be logged). It keeps the newest 10,000.
        """
        topology = platform_topology()
        with KombuConnection(self.broker_url, connect_timeout=5) as conn:
            channel = conn.channel()
            spec = next(e for e in topology.exchanges if e.name == "ledger.events")
            channel.exchange_declare(
                exchange=spec.name, type=spec.type, durable=True, auto_delete=False
            )
            channel.queue_declare(
                queue=EVENTS_SINK,
                durable=False,
                auto_delete=False,
                arguments={"x-max-length": 10_000, "x-overflow": "drop-head"},
            )
            channel.queue_bind(queue=EVENTS_SINK, exchange=spec.name, routing_key="#")
            channel.close()

    # -- bus ----------------------------------------------------------------------------------
    def bus(self) -> None:
        n = self.o.bus_messages
        log("bus: waiting for the relay to publish the HTTP runs' events, then stopping the worker")
        seconds, backlog = self.wait_relay(timeout=180)
        self.results["relay_after_http"] = {"backlog_rows": backlog, "drain_s": round(seconds, 2)}
        self.stop_worker()
        self.vacuum()
        log(f"bus: publishing {n:,} transfer commands to ledger.commands (worker stopped)")
        reference = f"bus-{uuid.uuid4().hex[:6]}"
        rng = random.Random(7)
        ids = self.account_ids
        publish_start = time.monotonic()
        with Publisher(self.broker_url, topology=platform_topology()) as publisher:
            chunk: list[tuple[str, str, Any]] = []
            for i in range(n):
                payer, payee = rng.sample(ids, 2)
                envelope = envelope_for(
                    lg.Transfer(
                        transfer_id=uuid.uuid4(),
                        payer=payer,
                        payee=payee,
                        amount=Decimal(rng.randint(1, 99)) / 100,
                        reference=reference,
                    ),
                    source="bench",
                    network=NETWORK,
                    tenant=self.tenant_of[payer],
                )
                chunk.append((envelope.message_type.exchange, envelope.routing_key, envelope))
                if len(chunk) == 1000 or i == n - 1:
                    publisher.publish_batch(chunk)
                    chunk = []
        publish_s = time.monotonic() - publish_start
        log(f"  published in {publish_s:.1f} s ({n / publish_s:,.0f}/s, confirmed)")
        before = int(self.sql("SELECT count(*) FROM transfers")[0][0])
        load1 = os.getloadavg()[0]
        cpu_before = cpu_sample()
        started = time.monotonic()
        self.start_worker()
        timeline: list[tuple[float, int]] = []
        deadline = started + max(120.0, n / 200)
        while True:
            applied = int(self.sql("SELECT count(*) FROM transfers")[0][0]) - before
            timeline.append((round(time.monotonic() - started, 2), applied))
            if applied >= n:
                break
            self.check_alive()
            if time.monotonic() > deadline:
                raise BenchError(f"the worker applied {applied:,} of {n:,} commands in time")
            time.sleep(0.25)
        drained = time.monotonic()
        cpu_after = cpu_sample()
        first, last, count, refused = self.sql(
            "SELECT min(created_at), max(created_at), count(*), "
            "count(*) FILTER (WHERE status <> 'posted') FROM transfers WHERE reference = %s",
            (reference,),
        )[0]
        span = (last - first).total_seconds()
        bus_tps = (count - 1) / span if span > 0 else 0.0
        if refused or count != n:
            self.invalid.append(f"bus: {count} transfers of {n}, {refused} not posted")
        backlog_at_drain = self.unpublished()
        relay_s, left = self.relay_window(self.o.relay_wait)
        relay_total = time.monotonic() - started
        events = int(
            self.sql("SELECT count(*) FROM outbox WHERE data->>'reference' = %s", (reference,))[0][
                0
            ]
        )
        worker_cpu = 0.0
        if self.worker is not None and self.worker.process is not None:
            pids = descendants(cpu_after.table, self.worker.process.pid)
            worker_cpu = sum(cpu_after.table[p].cpu_s for p in pids)
        busy = cpu_after.busy[0] - cpu_before.busy[0]
        total = cpu_after.busy[1] - cpu_before.busy[1]
        bus_cpu, _, _ = self._cpu_by_component(cpu_before, cpu_after, n)
        self.results.update(
            {
                "bus_tps": round(bus_tps, 1),
                "bus": {
                    "messages": n,
                    "transfers_applied": count,
                    "not_posted": refused,
                    "publish_s": round(publish_s, 2),
                    "publish_rate": round(n / publish_s, 1),
                    "apply_span_s": round(span, 2),
                    "wall_from_worker_start_s": round(drained - started, 2),
                    "wall_rate_incl_startup": round(n / (drained - started), 1),
                    "worker_batch_size": Settings(service_name="ledger").worker_batch_size,
                    "worker_cpu_ms_per_command": round(worker_cpu * 1000 / n, 3),
                    "cpu_ms_per_command": bus_cpu,
                    "machine_busy_pct": round(100 * busy / total, 1) if total else 0.0,
                    "load1_before": load1,
                    "timeline": timeline[:: max(1, len(timeline) // 40)],
                },
                "relay_after_bus": {
                    "events": events,
                    "backlog_when_commands_drained": backlog_at_drain,
                    "extra_drain_s": round(relay_s, 2),
                    "left_unpublished": left,
                    "gave_up_after_s": self.o.relay_wait if left else None,
                    "total_from_worker_start_s": round(relay_total, 2),
                    "events_per_s_overall": round((events - left) / relay_total, 1)
                    if relay_total
                    else None,
                    "events_per_s_after_drain": round((backlog_at_drain - left) / relay_s, 1)
                    if relay_s > 0
                    else None,
                },
            }
        )
        log(
            f"  bus: {bus_tps:,.0f} transfers/s applied ({count:,} in {span:.1f} s; "
            f"{drained - started:.1f} s from worker start); relay: {backlog_at_drain:,} of "
            f"{events:,} events still unpublished when the commands were done, "
            + (
                f"published {relay_s:.1f} s later"
                if not left
                else f"{left:,} still unpublished after {relay_s:.0f} s (not waited for)"
            )
        )

    # -- reference, invariants, report ---------------------------------------------------------
    def reference(self) -> None:
        if not self.o.reference:
            log("pgbench reference skipped (--no-reference): no ratios")
            return
        log("pgbench reference (bench/pgbench_reference.sh: fn-uniform, fn-hot at 4 clients)")
        data = run_reference(self.out / "pgbench_reference.log")
        self.results.update({k: v for k, v in data.items()})
        log(f"  fn-uniform {data['pgbench_tps_uniform']:,}/s, fn-hot {data['pgbench_tps_hot']:,}/s")

    def bare(self) -> None:
        """The bare prototype (``../shared/bench/bare/run.sh``), uniform and hot, in this run."""
        if not self.o.bare:
            log("bare prototype skipped (--no-bare): no http_bare_ratio")
            return
        script = SHARED_BENCH / "bare" / "run.sh"
        if not script.exists():
            raise BenchError(f"the bare prototype is missing: {script} (set SHARED_BENCH)")
        out = self.out / "bare"
        log(
            f"bare prototype ({script}: gunicorn sync x3, wrk 8 connections, "
            f"{self.o.duration} s each)"
        )
        env = {
            **os.environ,
            "VENV": str(Path(sys.executable).parent.parent),
            "OUT": str(out),
            "DURATION": str(self.o.duration),
            "PORT": str(free_port()),
        }
        load1 = os.getloadavg()[0]
        with (self.out / "bare.log").open("w") as log_file:
            proc = subprocess.Popen(
                ["bash", str(script)],
                env=env,
                stdout=log_file,  # noqa: S607
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                code = proc.wait(timeout=4 * self.o.duration + 300)
            except BaseException:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
                raise
        table = out / "bare.tsv"
        if code != 0 or not table.exists():
            raise BenchError(f"bare/run.sh failed:\n{(self.out / 'bare.log').read_text()[-3000:]}")
        rows = {}
        for line in table.read_text().splitlines()[1:]:
            scenario, tps, p50, p99, non2xx = line.split("\t")
            rows[scenario] = {"tps": float(tps), "p50": p50, "p99": p99, "non2xx": int(non2xx)}
        uniform, hot = rows["bare-uniform"], rows["bare-hot"]
        self.results.update(
            {
                "bare_http_tps_uniform": round(uniform["tps"], 1),
                "bare_http_tps_hot": round(hot["tps"], 1),
                "bare": {
                    "script": str(script),
                    "workers": "gunicorn sync x3",
                    "connections": 8,
                    "duration_s": self.o.duration,
                    "load1_before": load1,
                    "latency": {k: {"p50": v["p50"], "p99": v["p99"]} for k, v in rows.items()},
                    "non2xx": {k: v["non2xx"] for k, v in rows.items()},
                },
            }
        )
        if uniform["non2xx"] or hot["non2xx"]:
            self.invalid.append(f"bare prototype: non-2xx answers {rows}")
        log(
            f"  bare uniform {uniform['tps']:,.0f}/s (p99 {uniform['p99']}), "
            f"hot {hot['tps']:,.0f}/s (p99 {hot['p99']})"
        )

    def invariants(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "ledger.cli", "invariants"],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        ok = done.returncode == 0
        self.results["invariants_ok"] = ok
        (self.out / "invariants.log").write_text(done.stdout + done.stderr)
        if not ok:
            self.invalid.append(f"invariants: {done.stdout[-500:]}")
        log(f"invariants: {'ok' if ok else 'VIOLATED (see invariants.log)'}")

    def report(self) -> None:
        r = self.results
        uniform, hot = r.get("pgbench_tps_uniform"), r.get("pgbench_tps_hot")

        def ratio(value: float | None, ceiling: float | None) -> float | None:
            return round(value / ceiling, 3) if value and ceiling else None

        r["http_ratio"] = ratio(r.get("http_tps"), uniform)
        r["bus_ratio"] = ratio(r.get("bus_tps"), uniform)
        r["hot_ratio"] = ratio(r.get("hot_tps"), hot)
        r["http_bare_ratio"] = ratio(r.get("http_tps"), r.get("bare_http_tps_uniform"))
        r["hot_bare_ratio"] = ratio(r.get("hot_tps"), r.get("bare_http_tps_hot"))
        r["bare_ratio"] = ratio(r.get("bare_http_tps_uniform"), uniform)
        r["hot_uniform_ratio"] = ratio(r.get("hot_tps"), r.get("http_tps"))
        r["cpu_ms_per_transfer"] = self.cpu_split()
        r["targets"] = TARGETS
        r["runs"] = [run.as_json() for run in self.runs]
        r["valid"] = not self.invalid
        r["invalid"] = self.invalid
        r["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        path = write_results("ledger", r)
        print(self.table())
        log(f"wrote {path.relative_to(ROOT)}")

    def table(self) -> str:
        r = self.results

        def mark(ok: bool | None) -> str:
            return "n/a" if ok is None else ("reached" if ok else "NOT reached")

        def num(value: Any, digits: int = 0) -> str:
            return "-" if value is None else f"{value:,.{digits}f}"

        def cmp(value: float | None, target: float) -> bool | None:
            return None if value is None else value >= target

        p99 = r.get("http_p99_ms")
        lines = [
            "",
            f"Ledger benchmark, {r['started_at']} (git {r['git_commit'][:10]}), "
            f"{r['machine']['cores']} cores {r['machine']['cpu_model']}, "
            f"{r['machine']['memory_gb']} GB; load tool {r['load_tool']}",
            f"web server: {r.get('gunicorn', {}).get('label', '-')} (trials: "
            + ", ".join(f"{t['label']} {t['tps']:,.0f}/s" for t in r.get("gunicorn_trials", []))
            + "); PostgreSQL "
            + r.get("postgresql", {}).get("version", "?"),
            "",
            f"{'workload':<34}{'measured':>14}{'ceiling':>19}{'ratio':>8}  {'target':<12}result",
            f"{'HTTP uniform, max (wrk)':<34}{num(r.get('http_tps')) + '/s':>14}"
            f"{'fn-uniform ' + num(r.get('pgbench_tps_uniform')):>19}"
            f"{num(r.get('http_ratio'), 2):>8}  {'>= 0.30':<12}"
            f"{mark(cmp(r.get('http_ratio'), TARGETS['http_ratio']))}",
            f"{'HTTP p50 / p99 at half rate':<34}"
            f"{num(r.get('http_p50_ms'), 1) + ' / ' + num(p99, 1) + ' ms':>14}"
            f"{'at ' + num(r.get('http_rate_for_latency')) + '/s':>19}{'':>8}  {'p99 < 25 ms':<12}"
            f"{mark(None if p99 is None else p99 < TARGETS['http_p99_ms'])}",
            f"{'bus commands, drain':<34}{num(r.get('bus_tps')) + '/s':>14}"
            f"{'fn-uniform ' + num(r.get('pgbench_tps_uniform')):>19}"
            f"{num(r.get('bus_ratio'), 2):>8}  {'>= 0.5':<12}"
            f"{mark(cmp(r.get('bus_ratio'), TARGETS['bus_ratio']))}",
            f"{'HTTP hot account, max (wrk)':<34}{num(r.get('hot_tps')) + '/s':>14}"
            f"{'fn-hot ' + num(r.get('pgbench_tps_hot')):>19}"
            f"{num(r.get('hot_ratio'), 2):>8}  {'>= 0.55':<12}"
            f"{mark(cmp(r.get('hot_ratio'), TARGETS['hot_ratio']))}",
            f"{'bare prototype uniform / hot':<34}"
            f"{num(r.get('bare_http_tps_uniform')) + ' / ' + num(r.get('bare_http_tps_hot')):>14}"
            f"{'fn-uniform ' + num(r.get('pgbench_tps_uniform')):>19}"
            f"{num(r.get('bare_ratio'), 2):>8}",
            f"{'HTTP uniform / bare prototype':<34}{num(r.get('http_tps')) + '/s':>14}"
            f"{'bare ' + num(r.get('bare_http_tps_uniform')):>19}"
            f"{num(r.get('http_bare_ratio'), 2):>8}  {'>= 1.0':<12}"
            f"{mark(cmp(r.get('http_bare_ratio'), TARGETS['http_bare_ratio']))}",
            f"{'HTTP hot / HTTP uniform':<34}{num(r.get('hot_tps')) + '/s':>14}"
            f"{'uniform ' + num(r.get('http_tps')):>19}"
            f"{num(r.get('hot_uniform_ratio'), 2):>8}  {'>= 0.9':<12}"
            f"{mark(cmp(r.get('hot_uniform_ratio'), TARGETS['hot_uniform_ratio']))}",
            "",
        ]
        for name, split in r.get("cpu_ms_per_transfer", {}).items():
            lines.append(
                f"CPU ms per transfer, {name}: "
                + ", ".join(
                    f"{k} {v:.2f}"
                    for k, v in split.items()
                    if k
                    in {
                        "web",
                        "worker",
                        "relay",
                        "postgresql",
                        "broker",
                        "load_tool",
                        "other_and_kernel",
                    }
                )
            )
        relay = r.get("relay_after_bus")
        if relay:
            lines.append(
                f"outbox relay after the bus run: {relay['events']:,} events, "
                f"{relay['backlog_when_commands_drained']:,} still queued when the "
                f"commands were applied, published {relay['extra_drain_s']} s later"
            )
        lines.append(
            "errors/non-2xx per run: "
            + ", ".join(f"{run.name} {run.error_count}" for run in self.runs)
        )
        lines.append(
            "other processes' CPU during the runs (ms per request; load1 before): "
            + ", ".join(
                f"{run.name} "
                f"{run.cpu_ms_per_request.get('other_and_kernel', 0):.2f}"
                f" ({run.load1_before:.1f})"
                for run in self.runs
            )
            + f"; machine {r.get('machine_busy_pct_before', '?')}% busy before the run"
        )
        lines.append(
            f"invariants: {'ok' if r.get('invariants_ok') else 'NOT ok'}; "
            + ("all runs valid" if not self.invalid else "INVALID: " + "; ".join(self.invalid))
        )
        return "\n".join(lines) + "\n"

    # -- the whole run ------------------------------------------------------------------------
    def run(self) -> int:
        wrk = tool_version(["wrk", "-v"], r"wrk\s+(?:\S*/)?(\d+\.\d+\.\d+)")
        self.results.update(describe_machine(f"wrk {wrk}" if wrk else "wrk"))
        self.results["started_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.results["options"] = {
            "duration_s": self.o.duration,
            "tune_duration_s": self.o.tune_duration,
            "connections": self.o.connections,
            "paced_connections": self.o.paced_connections,
            "wrk_threads": self.o.threads,
            "bus_messages": self.o.bus_messages,
            "accounts": ACCOUNTS,
            "tenants": list(TENANTS),
            "http_tenant": HTTP_TENANT,
            "http_payers": ACCOUNTS // len(TENANTS),
            "credit_limit": "1000000.00",
            "relay_wait_s": self.o.relay_wait,
        }
        self.cleanups.callback(shutil.rmtree, self.tmp, True)
        with self.cleanups:
            self.results["machine_busy_pct_before"] = wait_for_quiet(self.o.quiet_wait)
            self.reference()
            self.bare()
            self.setup()
            self.start_worker()
            self._declare_sink()
            self.http()
            self.bus()
            self.stop_worker()
            self.invariants()
            self.report()
        return 0 if not self.invalid else 1


def main(argv: Sequence[str] | None = None) -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    options = Options.from_args(argv)

    def interrupted(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    bench = LedgerBench(options)
    try:
        return bench.run()
    except BenchError as exc:
        print(f"ledger benchmark failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ledger benchmark interrupted (cleaned up)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
