"""The end-to-end benchmark (``make bench-e2e``; ``make bench`` runs it after the ledger's).

Every service runs as real processes (gunicorn web + bus worker each) on the environment's
PostgreSQL and RabbitMQ (``chassis.testing.platform.running_platform``: databases and vhost of
its own), the demo is seeded, and a local webhook receiver subscribed per tenant records when the
``invoice_settled`` webhooks arrive (after checking their Standard Webhooks signature). Then, with
locust (``bench/locustfile.py``, headless, bounded, 127.0.0.1 only):

1. **Gateway overhead**: the same read (``GET /t/pie/accounts/<id>``, same tokens, same users)
   directly at the ledger and through the gateway: p50/p99 and throughput, and their ratios.
2. **Trades**, in three scenarios of the same workload (N users, each one trade after the other:
   draft, issue, accept where the network requires it, validate, settled): ``base`` (the demo:
   two networks, five tenants), ``tenants`` (plus 1,000 tenants x 50 members admitted through the
   gateway's CSV import and opened in the ledger over the bus) and ``history`` (plus 10x the
   invoices, with their transfers, of the runs so far). Invoices settled per second, p50/p99 of
   validation -> settlement (the invoice's ``validated_at``/``settled_at``) and of settlement ->
   webhook received (arrival at the receiver minus ``settled_at``), each request's p50/p99.

The PostgreSQL reference (``bench/pgbench_reference.sh``) of the same ``make bench`` is the
baseline of the throughput ratios (or it is run here). Writes ``bench/results/e2e.json`` and
``bench/results/e2e_*.png``; logs under ``bench/out/e2e/<timestamp>/``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote, urlsplit

import psycopg
import requests
from common import (
    ROOT,
    BenchError,
    describe_machine,
    load_average,
    log,
    now_iso,
    percentile,
    pg_admin_dsn,
    process_group_cpu_s,
    ratio,
    recent_reference,
    run_reference,
    stamp,
    tool_version,
    wait_for_quiet,
    write_results,
)
from sqlalchemy.engine import make_url
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from chassis.auth import ANIMATOR, Identity, identity_claims
from chassis.config import Settings
from chassis.keys import KeyStore
from chassis.serve import SERVERS, chosen_server
from chassis.testing.platform import Platform, running_platform
from chassis.testing.processes import free_port

BENCH = ROOT / "bench"
LOCUSTFILE = BENCH / "locustfile.py"
WRK_READ = BENCH / "wrk_read.lua"
SETTLED_TYPE = "org.trocactif.invoices.invoice_settled.v1"
NETWORK = "troc-actif"  # the network the scale tenants join
READ_TENANT = "pie"
#: Every demo member's credit limit for the run (see ``setup``).
BENCH_CREDIT_LIMIT = "1000000.00"
#: The demo's animators (one per tenant: the one who validates) and member companies.
ANIMATORS = {
    "pie": "animation@pie.demo.trocactif.org",
    "fa-mgp": "animation@fa-mgp.demo.trocactif.org",
    "initiactive-95": "animation@initiactive-95.demo.trocactif.org",
    "fa-77-91": "animation@fa-77-91.demo.trocactif.org",
    "agri-beauce": "animation@agri-beauce.demo.trocactif.org",
}
ACCEPTANCE_NETWORKS = {"agri-echange"}


@dataclass(frozen=True)
class Options:
    quick: bool
    duration: int
    users: int
    warmup: int
    read_duration: int
    read_users: int
    tenants: int
    members: int
    history_factor: float
    history_max: int
    web_workers: int
    web_server: str
    poll_interval: float
    outbox_poll_ms: int
    reference: str
    quiet_wait: float
    soak: int
    only: str | None
    rounds: int
    read_tool: str
    out: Path

    @classmethod
    def parse(cls, argv: Sequence[str] | None) -> Options:
        parser = argparse.ArgumentParser(
            prog="bench/e2e_bench.py",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="a short form for checks (about 2 minutes): 10 s runs, 4 users, "
            "50 tenants x 10 members, history x3 capped at 300 invoices, "
            "no pgbench unless one of the last 30 minutes is there",
        )
        parser.add_argument("--duration", type=int, help="seconds of each trade run (45)")
        parser.add_argument("--users", type=int, help="locust users of the trade runs (8)")
        parser.add_argument("--warmup", type=int, help="seconds of unmeasured trades first (8)")
        parser.add_argument(
            "--read-duration", type=int, help="seconds of each gateway-overhead run (10)"
        )
        parser.add_argument("--read-users", type=int, help="locust users of the reads (4)")
        parser.add_argument("--tenants", type=int, help="tenants of the scale scenario (1000)")
        parser.add_argument("--members", type=int, help="members per scale tenant (50)")
        parser.add_argument(
            "--history-factor",
            type=float,
            help="history of the last scenario, as a multiple of the invoices so far (10)",
        )
        parser.add_argument(
            "--history-max", type=int, help="at most this many invoices pre-loaded (8000)"
        )
        parser.add_argument(
            "--web-workers",
            type=int,
            default=2,
            help="web processes per service (default 2, for 2 cores)",
        )
        parser.add_argument(
            "--web-server",
            choices=SERVERS,
            default=chosen_server(os.environ),
            help="the HTTP server of the web processes (chassis.serve; default TROC_WEB_SERVER, "
            "else gunicorn)",
        )
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=0.05,
            help="seconds between two polls of an invoice by a locust user",
        )
        parser.add_argument(
            "--outbox-poll-ms",
            type=int,
            default=200,
            help="TROC_OUTBOX_POLL_INTERVAL_MS of every service (default 200, "
            "the services' own default; the test harness uses 50)",
        )
        parser.add_argument(
            "--reference",
            choices=("auto", "run", "skip"),
            default="auto",
            help="pgbench reference: auto = reuse the one of the last 30 min "
            "(the ledger benchmark of the same make bench) else run it",
        )
        parser.add_argument(
            "--soak",
            type=int,
            help="seconds of the soak, trades on the scaled platform while the "
            "outbox tables are sampled (600; quick 60; 0: none)",
        )
        parser.add_argument(
            "--quiet-wait",
            type=float,
            help="wait up to this many seconds for a quiet machine (30; quick 0)",
        )
        parser.add_argument(
            "--only",
            choices=("overhead",),
            help="overhead: only the gateway-overhead reads, on a platform of the gateway and "
            "the ledger alone (no pgbench, trades or soak; results in e2e_overhead.json)",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            help="gateway-overhead rounds, each direct then through the gateway; the ratios "
            "are the median round's (1; with --only overhead 3)",
        )
        parser.add_argument(
            "--read-tool",
            choices=("locust", "wrk"),
            default="locust",
            help="load of the gateway-overhead reads: locust (bench/locustfile.py ReadUser, as "
            "many users as --read-users) or wrk (bench/wrk_read.lua, as many connections; "
            "far lighter on the shared cores)",
        )
        args = parser.parse_args(argv)
        quick = bool(args.quick)

        def pick(value: Any, full: Any, short: Any) -> Any:
            return value if value is not None else (short if quick else full)

        return cls(
            quick=quick,
            duration=pick(args.duration, 45, 10),
            users=pick(args.users, 8, 4),
            warmup=pick(args.warmup, 8, 4),
            read_duration=pick(args.read_duration, 10, 5),
            read_users=pick(args.read_users, 4, 4),
            tenants=pick(args.tenants, 1000, 50),
            members=pick(args.members, 50, 10),
            history_factor=pick(args.history_factor, 10.0, 3.0),
            history_max=pick(args.history_max, 8_000, 300),
            web_workers=args.web_workers,
            web_server=args.web_server,
            poll_interval=args.poll_interval,
            outbox_poll_ms=args.outbox_poll_ms,
            reference="skip"
            if quick and args.reference == "auto" and recent_reference(1800) is None
            else args.reference,
            quiet_wait=pick(args.quiet_wait, 30.0, 0.0),
            soak=pick(args.soak, 600, 60),
            only=args.only,
            rounds=args.rounds or (3 if args.only == "overhead" else 1),
            read_tool=args.read_tool,
            out=BENCH / "out" / "e2e" / stamp(),
        )


# --- the webhook receiver ------------------------------------------------------------------------


class Receiver:
    """A local HTTP endpoint for the tenants' webhooks: checks each signature, records arrivals.

    ``arrivals`` maps an invoice id to (arrival time, ``settled_at`` of the event) for the first
    delivery of its ``invoice_settled`` event.
    """

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}
        self.arrivals: dict[str, tuple[float, float]] = {}
        self.counts = {"received": 0, "bad_signature": 0, "redelivered": 0}
        self.seen: set[tuple[str, str]] = set()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                arrived = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                tenant = self.path.rsplit("/", 1)[-1]
                status = receiver.accept(tenant, body, dict(self.headers.items()), arrived)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def accept(self, tenant: str, body: bytes, headers: dict[str, str], arrived: float) -> int:
        secret = self.secrets.get(tenant)
        lowered = {k.lower(): v for k, v in headers.items()}
        try:
            if secret is None:
                raise WebhookVerificationError("no subscription of this tenant")
            event = Webhook(secret).verify(body, lowered)
        except WebhookVerificationError:
            with self.lock:
                self.counts["bad_signature"] += 1
            return 401
        with self.lock:
            self.counts["received"] += 1
            delivery = (tenant, lowered.get("webhook-id", ""))
            if delivery in self.seen:  # the same event again to the same endpoint
                self.counts["redelivered"] += 1
            self.seen.add(delivery)
            data = event.get("data") or {}
            invoice_id = str(data.get("invoice_id"))
            # A cross-tenant invoice is announced to both tenants: the first arrival counts.
            if event.get("type") == SETTLED_TYPE and invoice_id not in self.arrivals:
                settled = datetime.fromisoformat(str(data["settled_at"])).timestamp()
                self.arrivals[invoice_id] = (arrived, settled)
        return 204

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()


# --- helpers -------------------------------------------------------------------------------------


def claims_of(token: str) -> dict[str, Any]:
    """The (unverified) claims of a JWT we were just given: its subject's member and tenant."""
    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


def latency_summary(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}
    p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
    return {
        "count": len(values),
        "p50_ms": round(p50 or 0, 2),
        "p99_ms": round(p99 or 0, 2),
        "max_ms": round(max(values), 2),
    }


def seconds_of(stamp_text: str | None) -> float | None:
    return datetime.fromisoformat(stamp_text).timestamp() if stamp_text else None


class E2EBench:
    def __init__(self, options: Options) -> None:
        self.o = options
        self.out = options.out
        self.out.mkdir(parents=True, exist_ok=True)
        self.results: dict[str, Any] = {}
        self.scenarios: list[dict[str, Any]] = []
        self.invalid: list[str] = []
        self.platform: Platform | None = None
        self.receiver: Receiver | None = None
        self.plan: dict[str, Any] = {}
        self.trades_so_far = 0

    # -- the platform ---------------------------------------------------------------------------
    @property
    def p(self) -> Platform:
        assert self.platform is not None
        return self.platform

    def login(self, email: str) -> str:
        """A bearer token; waits out the gateway's per-address login limit if it is reached."""
        for _ in range(30):
            response = requests.post(
                f"{self.p.url}/auth/token",
                timeout=15,
                json={"email": email, "password": self.p.password},
            )
            if response.status_code == 200:
                return str(response.json()["access_token"])
            if response.status_code != 429:
                raise BenchError(f"login of {email}: {response.status_code} {response.text}")
            time.sleep(float(response.headers.get("Retry-After", "2")))
        raise BenchError(f"login of {email}: still rate limited")

    def mint(self, subject: str, tenant: str, network: str) -> str:
        """An animator token signed with the gateway's key (for reads of many distinct users:
        the gateway limits each user's rate)."""
        settings = Settings.from_env("gateway", self.p.service_env("gateway"))
        identity = Identity(
            subject=subject, roles=frozenset({ANIMATOR}), tenant=tenant, network=network
        )
        return KeyStore.from_settings(settings).sign(
            identity_claims(
                identity,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                expires_in=7200,
            )
        )

    def wait_get(self, path: str, token: str, timeout: float = 60) -> dict[str, Any]:
        """GET ``path`` through the gateway until it answers 200 (events are asynchronous)."""
        deadline = time.monotonic() + timeout
        while True:
            response = requests.get(
                f"{self.p.url}{path}", timeout=15, headers={"Authorization": f"Bearer {token}"}
            )
            if response.status_code == 200:
                data: dict[str, Any] = response.json()
                return data
            if time.monotonic() > deadline:
                raise BenchError(
                    f"GET {path}: still {response.status_code} after {timeout:.0f} "
                    f"s: {response.text[:300]}"
                )
            time.sleep(1)

    def setup(self) -> None:
        """Logins, the routes of the trades, the webhook subscriptions."""
        animators = {tenant: self.login(email) for tenant, email in ANIMATORS.items()}
        members: list[dict[str, Any]] = []
        for tenant, token in animators.items():
            headers = {"Authorization": f"Bearer {token}"}
            listed = self.p.get(f"/t/{tenant}/members", headers, per_page=100)
            for member in listed["items"]:
                member_token = self.login(str(member["email"]))
                members.append(
                    {
                        "tenant": tenant,
                        "id": member["id"],
                        "name": member["name"],
                        "token": member_token,
                        "network": claims_of(member_token).get("network"),
                    }
                )
        for member in members:  # the ledger opened their accounts (events of the seed)
            self.wait_get(f"/t/{member['tenant']}/accounts/{member['id']}", member["token"])
            # Fewer users than routes trade, so the ring of routes does not balance: a buyer
            # whose own sales route is idle only pays, and a 10-minute soak would exhaust its
            # credit (holds refused, as they should be). The benchmark measures trades, not that.
            raised = requests.put(
                f"{self.p.url}/t/{member['tenant']}/accounts/{member['id']}/credit-limit",
                headers={"Authorization": f"Bearer {animators[member['tenant']]}"},
                json={"credit_limit": BENCH_CREDIT_LIMIT, "reason": "banc d'essai"},
                timeout=15,
            )
            assert raised.status_code == 200, (member["name"], raised.status_code, raised.text)
        by_network: dict[str, list[dict[str, Any]]] = {}
        for member in members:
            by_network.setdefault(str(member["network"]), []).append(member)
        lanes = []
        for network, group in sorted(by_network.items()):
            lane = []
            for index, seller in enumerate(group):
                buyer = group[(index + 1) % len(group)]
                lane.append(
                    {
                        "name": f"{seller['tenant']}:{seller['name'][:20]}",
                        "network": network,
                        "seller_tenant": seller["tenant"],
                        "seller_id": seller["id"],
                        "seller_token": seller["token"],
                        "buyer_tenant": buyer["tenant"],
                        "buyer_id": buyer["id"],
                        "buyer_token": buyer["token"],
                        "animator_token": animators[seller["tenant"]],
                        "acceptance": network in ACCEPTANCE_NETWORKS,
                    }
                )
            lanes.append(lane)
        # Interleave the networks' routes so that a few users already trade in each.
        routes = [lane[i] for i in range(max(map(len, lanes))) for lane in lanes if i < len(lane)]
        self.plan = {"routes": routes, "poll_interval": self.o.poll_interval}
        assert self.receiver is not None
        for tenant, token in animators.items():
            hook = self.p.post(
                f"/t/{tenant}/webhooks",
                {"Authorization": f"Bearer {token}"},
                {
                    "url": f"{self.receiver.url}/hooks/{tenant}",
                    "event_types": [SETTLED_TYPE],
                    "description": "benchmark",
                },
                status=201,
            )
            self.receiver.secrets[tenant] = hook["secret"]
        self.plan["read"] = self.read_plan([m["id"] for m in members if m["tenant"] == READ_TENANT])
        self.results["workload"] = {
            "routes": [
                {
                    k: r[k]
                    for k in ("name", "network", "seller_tenant", "buyer_tenant", "acceptance")
                }
                for r in routes
            ],
            "members": len(members),
            "tenants": sorted(animators),
            "invoice": "one line, 1.00 excl. VAT at 20 %, payment mode 100",
        }
        log(
            f"setup: {len(members)} demo members, {len(routes)} routes, webhooks of "
            f"{len(animators)} tenants to {self.receiver.url}"
        )

    def read_plan(self, member_ids: Sequence[str]) -> dict[str, Any]:
        """The gateway-overhead reads: the accounts of ``member_ids`` (of the read tenant), read
        with 200 distinct animators' tokens (each user has its own rate limit)."""
        return {
            "paths": [f"/t/{READ_TENANT}/accounts/{member_id}" for member_id in member_ids],
            "tokens": [self.mint(f"bench-reader-{i}", READ_TENANT, NETWORK) for i in range(200)],
        }

    def read_setup(self) -> None:
        """``--only overhead``: the read tenant's members, once the ledger has their accounts."""
        animator = self.login(ANIMATORS[READ_TENANT])
        listed = self.p.get(
            f"/t/{READ_TENANT}/members", {"Authorization": f"Bearer {animator}"}, per_page=100
        )
        member_ids = [str(member["id"]) for member in listed["items"]]
        for member_id in member_ids:
            self.wait_get(f"/t/{READ_TENANT}/accounts/{member_id}", animator)
        self.plan["read"] = self.read_plan(member_ids)
        log(f"setup: {len(member_ids)} accounts of {READ_TENANT} to read")

    # -- locust ---------------------------------------------------------------------------------
    def locust(
        self, name: str, user_class: str, users: int, duration: int, host: str
    ) -> dict[str, Any]:
        """One bounded headless locust run; the locustfile's record of what its users saw."""
        plan_path = self.out / "plan.json"
        plan_path.write_text(json.dumps(self.plan))
        record = self.out / f"{name}.record.json"
        record.unlink(missing_ok=True)
        argv = [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{duration}s",
            "--host",
            host,
            "--csv",
            str(self.out / name),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
            user_class,
        ]
        env = {**os.environ, "BENCH_E2E_PLAN": str(plan_path), "BENCH_E2E_RECORD": str(record)}
        with (self.out / f"{name}.locust.log").open("w") as logfile:
            done = subprocess.run(
                argv,
                env=env,
                stdout=logfile,
                stderr=subprocess.STDOUT,  # noqa: S603
                timeout=duration + 120,
                check=False,
                cwd=ROOT,
            )
        if not record.exists():
            raise BenchError(
                f"locust run {name} wrote no record (exit {done.returncode}); see "
                f"{self.out / (name + '.locust.log')}"
            )
        data: dict[str, Any] = json.loads(record.read_text())
        data["exit_code"] = done.returncode
        return data

    # -- gateway overhead -------------------------------------------------------------------------
    def read_run(self, name: str, host: str, duration: int) -> dict[str, Any]:
        """One run of the reads at ``host``: latencies, throughput, and the CPU the gateway's
        and the ledger's web processes spent per request meanwhile."""
        groups = {
            service: process.process.pid
            for service in ("gateway", "ledger")
            if (process := self.p.web(service)).process is not None
        }
        load = load_average()
        cpu_before = {service: process_group_cpu_s(pgid) for service, pgid in groups.items()}
        if self.o.read_tool == "wrk":
            summary, statuses = self.wrk_reads(name, host, duration)
        else:
            record = self.locust(name, "ReadUser", self.o.read_users, duration, host)
            latencies = record["latencies_ms"].get("read", [])
            summary = {**latency_summary(latencies), "rps": round(len(latencies) / duration, 1)}
            statuses = record["statuses"].get("read", {})
        cpu = {
            service: process_group_cpu_s(pgid) - cpu_before[service]
            for service, pgid in groups.items()
        }
        requests_done = summary["count"] or 1
        return {
            **summary,
            "statuses": statuses,
            "errors": sum(n for code, n in statuses.items() if code not in ("200", "2xx")),
            "cpu_ms_per_request": {
                service: round(1000 * seconds / requests_done, 3)
                for service, seconds in cpu.items()
            },
            "load_before": load,
        }

    def wrk_reads(
        self, name: str, host: str, duration: int
    ) -> tuple[dict[str, Any], dict[str, int]]:
        """The reads with wrk (``bench/wrk_read.lua``): its summary and statuses (2xx or not)."""
        read = self.plan["read"]
        paths, tokens = self.out / "read-paths.txt", self.out / "read-tokens.txt"
        paths.write_text("\n".join(read["paths"]) + "\n")
        tokens.write_text("\n".join(read["tokens"]) + "\n")
        connections = self.o.read_users
        argv = [
            "wrk",
            "-t",
            str(min(2, connections)),
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(WRK_READ),
            host,
            "--",
            str(paths),
            str(tokens),
        ]
        done = subprocess.run(  # noqa: S603 (fixed argument list)
            argv, capture_output=True, text=True, check=False, timeout=duration + 60
        )
        (self.out / f"{name}.wrk.txt").write_text(done.stdout + done.stderr)
        match = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.MULTILINE)
        if done.returncode != 0 or match is None:
            raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        data = json.loads(match.group(1))
        latency = data["latency_us"]
        count = int(data["requests"])
        failed = int(data["errors"]["status"])
        lost = sum(int(data["errors"][k]) for k in ("connect", "read", "write", "timeout"))
        summary = {
            "count": count,
            "p50_ms": round(latency["p50"] / 1000, 2),
            "p99_ms": round(latency["p99"] / 1000, 2),
            "max_ms": round(latency["max"] / 1000, 2),
            "rps": round(count / (data["duration_us"] / 1e6), 1),
        }
        statuses = {"2xx": count - failed, "non-2xx": failed, "socket errors": lost}
        return summary, {code: n for code, n in statuses.items() if n}

    def overhead(self) -> None:
        """The same reads directly at the ledger then through the gateway, ``--rounds`` times
        (after a short unmeasured warm-up of both): each figure is the median of the rounds'."""
        hosts = (("direct", self.p.urls["ledger"]), ("gateway", self.p.url))
        for where, host in hosts:
            self.read_run(f"read-warmup-{where}", host, 2)
        rounds: list[dict[str, Any]] = []
        for number in range(1, self.o.rounds + 1):
            runs: dict[str, Any] = {}
            for where, host in hosts:
                name = f"read-{where}" if self.o.rounds == 1 else f"read-{where}-{number}"
                run = runs[where] = self.read_run(name, host, self.o.read_duration)
                if run["errors"]:
                    self.invalid.append(f"{name}: {run['errors']} failed answers {run['statuses']}")
                cpu = ", ".join(f"{k} {v:.2f}" for k, v in run["cpu_ms_per_request"].items())
                log(
                    f"  {name:<16} {run['rps']:>7,.0f}/s  p50 {run['p50_ms']} ms  p99 "
                    f"{run['p99_ms']} ms  ({run['errors']} errors; CPU ms/request: {cpu})"
                )
            direct, gateway = runs["direct"], runs["gateway"]
            runs["p50_ratio"] = ratio(gateway["p50_ms"], direct["p50_ms"], 2)
            runs["p99_ratio"] = ratio(gateway["p99_ms"], direct["p99_ms"], 2)
            runs["rps_ratio"] = ratio(gateway["rps"], direct["rps"], 2)
            rounds.append(runs)

        def median(*keys: str) -> Any:
            values = []
            for run in rounds:
                value: Any = run
                for key in keys:
                    value = value.get(key) if isinstance(value, dict) else None
                if value is not None:
                    values.append(value)
            return round(statistics.median(values), 3) if values else None

        figures = ("rps", "p50_ms", "p99_ms")
        summary = {
            where: {
                **{figure: median(where, figure) for figure in figures},
                "cpu_ms_per_request": {
                    service: median(where, "cpu_ms_per_request", service)
                    for service in ("gateway", "ledger")
                },
            }
            for where in ("direct", "gateway")
        }
        direct, gateway = summary["direct"], summary["gateway"]
        self.results["gateway_overhead"] = {
            "path": f"GET /t/{READ_TENANT}/accounts/<member> (ledger)",
            "tool": self.o.read_tool,
            "users": self.o.read_users,
            "duration_s": self.o.read_duration,
            "tokens": len(self.plan["read"]["tokens"]),
            **summary,
            "p50_ratio": median("p50_ratio"),
            "p99_ratio": median("p99_ratio"),
            "rps_ratio": median("rps_ratio"),
            "p50_added_ms": round((gateway["p50_ms"] or 0) - (direct["p50_ms"] or 0), 2),
            "rounds": rounds,
        }

    # -- trades ---------------------------------------------------------------------------------
    def trades(
        self, name: str, description: str, size: str, data: dict[str, Any] | None = None
    ) -> None:
        log(f"scenario {name}: {description}; {self.o.users} users, {self.o.duration} s")
        load = load_average()
        record = self.locust(
            f"trades-{name}", "TradeUser", self.o.users, self.o.duration, self.p.url
        )
        trades = record["trades"]
        self.trades_so_far += len(trades)
        first = min((t["started"] for t in trades), default=0.0)
        settled = [seconds_of(t["settled_at"]) for t in trades]
        in_window = [s for s in settled if s is not None and s <= first + self.o.duration]
        validation = [
            1000 * (s - v)
            for t in trades
            if (s := seconds_of(t["settled_at"])) and (v := seconds_of(t["validated_at"]))
        ]
        whole = [1000 * (t["seen_settled"] - t["started"]) for t in trades]
        webhook = self.webhook_latencies([t["invoice_id"] for t in trades])
        requests_ = {
            n: {**latency_summary(v), "statuses": record["statuses"].get(n, {})}
            for n, v in sorted(record["latencies_ms"].items())
        }
        rate = len(in_window) / self.o.duration
        scenario = {
            "name": name,
            "description": description,
            "size": size,
            "users": self.o.users,
            "duration_s": self.o.duration,
            "settled": len(trades),
            "settled_per_s": round(rate, 2),
            "settled_ratio_to_pgbench": ratio(rate, self.results.get("pgbench_tps_uniform"), 5),
            "validation_to_settlement": latency_summary(validation),
            "settlement_to_webhook": webhook,
            "trade_draft_to_settled_seen": latency_summary(whole),
            "requests": requests_,
            "failed_trades": record["failure_count"],
            "failures_sample": record["failures"][:10],
            "locust_exit_code": record["exit_code"],
            "loadavg_before": load,
            "loadavg_after": load_average(),
            **(data or {}),
        }
        if record["failure_count"]:
            self.invalid.append(
                f"{name}: {record['failure_count']} failed trades, e.g. {record['failures'][:2]}"
            )
        self.scenarios.append(scenario)
        v, w = scenario["validation_to_settlement"], webhook
        log(
            f"  {len(trades)} settled, {rate:.1f}/s; validation->settlement p50 {v['p50_ms']} "
            f"p99 {v['p99_ms']} ms; settlement->webhook p50 {w['p50_ms']} p99 {w['p99_ms']} ms "
            f"({w.get('missing', 0)} missing); {record['failure_count']} failed trades"
        )

    def webhook_latencies(self, invoice_ids: list[str], timeout: float = 60) -> dict[str, Any]:
        """Settlement -> webhook received, once every settled invoice's webhook arrived (or
        ``timeout``)."""
        assert self.receiver is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.receiver.lock:
                missing = [i for i in invoice_ids if i not in self.receiver.arrivals]
            if not missing:
                break
            time.sleep(0.5)
        with self.receiver.lock:
            values = [
                1000 * (arrived - settled)
                for i in invoice_ids
                if (found := self.receiver.arrivals.get(i))
                for arrived, settled in [found]
            ]
        summary = latency_summary(values)
        summary["missing"] = len(invoice_ids) - len(values)
        if summary["missing"]:
            self.invalid.append(
                f"{summary['missing']} settled invoices without their webhook after {timeout:.0f} s"
            )
        return summary

    # -- bulk data ------------------------------------------------------------------------------
    def seed(self, service: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, str(BENCH / "e2e_seed.py"), *args],  # noqa: S603
            env={**os.environ, **self.p.service_env(service)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        (self.out / f"seed-{args[0]}.log").open("a").write(done.stdout + done.stderr)
        if done.returncode != 0:
            raise BenchError(f"e2e_seed.py {args[0]} failed:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def queues_backlog(self) -> int:
        """Messages waiting in the platform's vhost (ready + unacknowledged), from the
        management API."""
        broker = urlsplit(self.p.env["TROC_BROKER_URL"])
        vhost = quote(broker.path[1:] or "/", safe="")
        response = requests.get(
            f"http://{broker.hostname}:15672/api/queues/{vhost}",
            auth=(broker.username or "guest", broker.password or "guest"),
            timeout=10,
        )
        response.raise_for_status()
        return sum(
            int(q.get("messages", 0))
            for q in response.json()
            if not q["name"].endswith(".dlq") and "dead" not in q["name"]
        )

    def drain(self, stall: float = 120) -> float:
        """Wait until the bus is empty for 3 s in a row (events consumed), however long that
        takes while the backlog shrinks; give up when it has not shrunk for ``stall`` s."""
        started = time.monotonic()
        quiet_since = None
        lowest, progress_at = None, started
        while True:
            backlog = self.queues_backlog()
            now = time.monotonic()
            if lowest is None or backlog < lowest:
                lowest, progress_at = backlog, now
            if backlog == 0:
                quiet_since = quiet_since or now
                if now - quiet_since >= 3:
                    return round(now - started, 1)
            else:
                quiet_since = None
                if now - progress_at > stall:
                    raise BenchError(
                        f"the bus backlog stayed at {backlog:,} messages for {stall:.0f} s"
                    )
            time.sleep(1)

    def webhooks_quiet(self, quiet: float = 5, limit: float = 900) -> float:
        """Wait until the receiver got nothing for ``quiet`` s (the delivery outbox is empty)."""
        assert self.receiver is not None
        started = time.monotonic()
        last, since = -1, started
        while time.monotonic() - started < limit:
            with self.receiver.lock:
                received = self.receiver.counts["received"]
            if received != last:
                last, since = received, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            time.sleep(0.5)
        return round(time.monotonic() - started, 1)

    def analyze(self) -> None:
        """``VACUUM ANALYZE`` every service database, as autovacuum would after a bulk load (this
        machine's server runs with autovacuum off)."""
        for url in self.p.database_urls.values():
            target = make_url(url)
            if not target.drivername.startswith("postgresql"):
                continue
            dsn = f"{pg_admin_dsn().rsplit('dbname=', 1)[0]}dbname={target.database}"
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("VACUUM (ANALYZE)")

    def seed_tenants(self) -> dict[str, Any]:
        count, members = self.o.tenants, self.o.members
        log(f"seeding {count:,} tenants x {members} members into {NETWORK} (gateway CSV import)")
        started = time.monotonic()
        seeded = self.seed(
            "gateway",
            "tenants",
            "--network",
            NETWORK,
            "--count",
            str(count),
            "--members",
            str(members),
        )
        last = seeded["last"]
        token = self.mint("bench-scale", last["tenant"], NETWORK)
        drained = self.drain()
        # The gateway's outbox relay may still have been publishing: the last member's account
        # answers once everything went through.
        self.wait_get(f"/t/{last['tenant']}/accounts/{last['member_id']}", token, timeout=300)
        drained = round(drained + self.drain(), 1)
        self.analyze()
        total = round(time.monotonic() - started, 1)
        log(
            f"  {seeded['members']:,} members admitted in {seeded['seconds']} s, the bus "
            f"drained {drained} s later; {total} s in all"
        )
        return {"seed": {**seeded, "bus_drained_after_s": drained, "total_s": total}}

    def seed_history(self) -> dict[str, Any]:
        wanted = int(self.trades_so_far * (self.o.history_factor - 1))
        count = min(wanted, self.o.history_max)
        log(
            f"pre-loading {count:,} invoices ({self.o.history_factor:g}x the "
            f"{self.trades_so_far:,} of the runs so far) through the invoices' use cases"
        )
        started = time.monotonic()
        routes = self.plan["routes"]
        halves = [routes[0::2], routes[1::2]]
        procs = []
        for index, half in enumerate(halves):
            path = self.out / f"history-routes-{index}.json"
            path.write_text(json.dumps({"routes": half}))
            share = count // 2 + (count % 2 if index == 0 else 0)
            procs.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        str(BENCH / "e2e_seed.py"),
                        "history",
                        "--routes",
                        str(path),
                        "--count",
                        str(share),
                    ],
                    env={**os.environ, **self.p.service_env("invoices")},
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        parts = []
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=1800)
            (self.out / "seed-history.log").open("a").write(stdout + stderr)
            if proc.returncode != 0:
                raise BenchError(f"e2e_seed.py history failed:\n{stderr[-3000:]}")
            parts.append(json.loads(stdout.strip().splitlines()[-1]))
        drained = self.drain()
        # The preloaded invoices' own webhooks leave the notifications' delivery outbox one by
        # one: measuring before they are all out would time that backlog, not the platform.
        webhooks_s = self.webhooks_quiet()
        self.analyze()
        total = round(time.monotonic() - started, 1)
        validated = sum(p["validated"] for p in parts)
        log(
            f"  {validated:,} of {count:,} invoices validated; the bus drained {drained} s "
            f"later; {total} s in all"
        )
        if validated < count:
            self.invalid.append(f"history: {count - validated} invoices not validated")
        self.trades_so_far += validated
        before = self.trades_so_far - validated
        return {
            "history": {
                "invoices": count,
                "wanted": wanted,
                "validated": validated,
                "parts": parts,
                "bus_drained_after_s": drained,
                "webhooks_done_after_s": webhooks_s,
                "total_s": total,
                "factor": self.o.history_factor,
                "factor_reached": round(self.trades_so_far / before, 1) if before else None,
            }
        }

    # -- the whole run ----------------------------------------------------------------------------
    def reference(self) -> None:
        if self.o.reference == "skip":
            log("pgbench reference skipped: no ratios to it")
            return
        data = recent_reference(1800) if self.o.reference == "auto" else None
        if data is not None:
            log(
                f"pgbench reference of this make bench (fn-uniform "
                f"{data['pgbench_tps_uniform']:,}/s)"
            )
        else:
            log("pgbench reference (bench/pgbench_reference.sh: fn-uniform, fn-hot at 4 clients)")
            data = run_reference(self.out / "pgbench_reference.log")
        self.results.update(data)

    def begin(self) -> float:
        """Describe the machine and the options, wait for a quiet moment; the start time."""
        locust = tool_version(
            [str(Path(sys.executable).with_name("locust")), "--version"],
            r"locust\s+(\d+\.\d+\.\d+)",
        )
        tools = f"locust {locust}"
        if self.o.read_tool == "wrk":
            wrk = tool_version(["wrk", "-v"], r"wrk\s+(?:\S*/)?(\d+\.\d+\.\d+)")
            tools = f"wrk {wrk} (reads)" if self.o.only else f"{tools}, wrk {wrk} (reads)"
        self.results.update(describe_machine(tools, backends=True))
        self.results["started_at"] = now_iso()
        self.results["options"] = {
            k: (str(v) if isinstance(v, Path) else v) for k, v in self.o.__dict__.items()
        }
        started = time.monotonic()
        self.results["machine_busy_pct_before"] = wait_for_quiet(self.o.quiet_wait)
        return started

    def running_platform(
        self, tmp: str, env: dict[str, str], services: tuple[str, ...] | None = None
    ) -> contextlib.AbstractContextManager[Platform]:
        """The benchmarked platform (every service unless ``services``) in ``tmp``: its
        databases named after this process, the web server and workers of the options."""
        return running_platform(
            Path(tmp),
            services=services,
            tag=f"_e2ebench{os.getpid()}",
            env=env,
            web_workers=self.o.web_workers,
            web_server=self.o.web_server,
            ready_timeout=120,
        )

    def run_overhead(self) -> int:
        """``--only overhead``: the gateway and the ledger alone (with their bus workers), the
        demo seeded, then the gateway-overhead reads; writes ``e2e_overhead.json``."""
        started = self.begin()
        env = {"TROC_LOG_LEVEL": "WARNING", "TROC_ACCESS_TOKEN_TTL": "7200"}
        self.results["platform_env"] = env
        log(
            f"starting the gateway and the ledger ({self.o.web_server}, "
            f"{self.o.web_workers} workers each)"
        )
        with (
            tempfile.TemporaryDirectory(prefix="troc-e2e-bench-") as tmp,
            self.databases_dropped(),
            self.running_platform(tmp, env, services=("gateway", "ledger")) as platform,
        ):
            self.platform = platform
            self.results["platform_start_s"] = round(time.monotonic() - started, 1)
            self.read_setup()
            log(
                f"gateway overhead ({self.o.read_tool}, {self.o.read_users} users, "
                f"{self.o.rounds} rounds of {self.o.read_duration} s each way)"
            )
            self.overhead()
        r = self.results
        r["run_s"] = round(time.monotonic() - started, 1)
        r["loadavg_at_end"] = load_average()
        r["finished_at"] = now_iso()
        r["valid"] = not self.invalid
        r["invalid"] = self.invalid
        path = write_results("e2e_overhead", r)
        print(overhead_table(r))
        log(f"wrote {path.relative_to(ROOT)}")
        return 0 if not self.invalid else 1

    def run(self) -> int:
        if self.o.only == "overhead":
            return self.run_overhead()
        started = self.begin()
        self.reference()
        # The receiver listens on loopback: the notifications' SSRF guard lets it through only
        # with this test setting (off by default).
        env = {
            "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
            "TROC_LOG_LEVEL": "WARNING",
            "TROC_ACCESS_TOKEN_TTL": "7200",
            "TROC_OUTBOX_POLL_INTERVAL_MS": str(self.o.outbox_poll_ms),
        }
        self.results["platform_env"] = env
        log(
            f"starting the platform ({self.o.web_server}, {self.o.web_workers} workers per "
            f"service; logs: "
            f"{self.out.relative_to(ROOT)})"
        )
        with (
            tempfile.TemporaryDirectory(prefix="troc-e2e-bench-") as tmp,
            self.databases_dropped(),
            Receiver() as receiver,
            self.running_platform(tmp, env) as platform,
        ):
            self.platform, self.receiver = platform, receiver
            # For bench/run_all.sh's safety net, should this process be killed outright.
            (self.out / "databases").write_text(
                "".join(
                    f"{make_url(url).database}\n"
                    for url in platform.database_urls.values()
                    if make_url(url).drivername.startswith("postgresql")
                )
            )
            self.results["platform_start_s"] = round(time.monotonic() - started, 1)
            self.setup()
            log(f"warm-up: {self.o.warmup} s of trades (not measured)")
            warm = self.locust("warmup", "TradeUser", self.o.users, self.o.warmup, platform.url)
            self.trades_so_far += len(warm["trades"])
            log("gateway overhead: the same read directly at the ledger, then through the gateway")
            self.overhead()
            self.trades("base", "the demo: 2 networks, 5 tenants, 12 members", "demo")
            self.trades(
                "tenants",
                f"+ {self.o.tenants:,} tenants x {self.o.members} members",
                f"+{self.o.tenants * self.o.members:,} members",
                self.seed_tenants(),
            )
            history = self.seed_history()
            added = history["history"]["validated"]
            self.trades(
                "history",
                f"+ {added:,} invoices ({history['history']['factor_reached']}x the history)",
                f"+{added:,} invoices",
                history,
            )
            if self.o.soak:
                self.soak()
            self.results["webhooks"] = dict(receiver.counts)
            if receiver.counts["bad_signature"]:
                self.invalid.append(
                    f"{receiver.counts['bad_signature']} webhooks with a bad signature"
                )
        self.results["run_s"] = round(time.monotonic() - started, 1)
        self.report()
        return 0 if not self.invalid else 1

    @contextlib.contextmanager
    def databases_dropped(self) -> Iterator[None]:
        """Drop the platform's databases when it has stopped (they are this run's alone)."""
        try:
            yield
        finally:
            for url in self.platform.database_urls.values() if self.platform else []:
                target = make_url(url)
                if target.drivername.startswith("postgresql"):
                    with (
                        contextlib.suppress(psycopg.Error),
                        psycopg.connect(pg_admin_dsn(), autocommit=True) as conn,
                    ):
                        conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            (self.out / "databases").unlink(missing_ok=True)

    # -- soak -------------------------------------------------------------------------------------
    def outbox_rows(self) -> dict[str, dict[str, int]]:
        """Per service: its outbox's queue, its event log, and the rows of the table.

        ``queue`` (also ``waiting``, its former name) is what has not left: the rows without a
        sequence (on PostgreSQL the ``outbox_pending`` partition) plus the sequenced rows past
        their tenant's ``published`` pointer. ``log`` is the per-tenant event log, sequences 1 to
        ``last`` of each tenant (read from the counters, not counted, so that sampling costs
        nothing per event of history); ``rows`` is both. Every read is an index read.
        """
        rows: dict[str, dict[str, int]] = {}
        for service, url in self.p.database_urls.items():
            target = make_url(url)
            if not target.drivername.startswith("postgresql"):
                continue
            dsn = f"{pg_admin_dsn().rsplit('dbname=', 1)[0]}dbname={target.database}"
            with psycopg.connect(dsn, autocommit=True) as conn:
                pending, behind, logged = conn.execute(
                    "SELECT (SELECT count(*) FROM outbox WHERE sequence IS NULL),"
                    " coalesce(sum(last - published), 0), coalesce(sum(last), 0)"
                    " FROM outbox_sequence"
                ).fetchone() or (0, 0, 0)
            queue = int(pending) + int(behind)
            rows[service] = {
                "rows": int(pending) + int(logged),
                "queue": queue,
                "waiting": queue,
                "log": int(logged),
            }
        return rows

    def soak(self) -> None:
        """Trades for ``--soak`` seconds on the platform as the scenarios left it, the outbox
        tables sampled every few seconds: what is waiting to leave, every service's queue, must
        stay bounded (no growth with the trades settled): ``outbox_rows_max``. The sequenced rows
        of the ledger, the invoices and the listings are their replayable event logs, which grow
        by design: ``outbox_log_rows`` gives each service's log size at the first and the last
        sample, apart from the queue."""
        log(f"soak: {self.o.soak} s of trades, the outbox tables sampled")
        samples: list[dict[str, Any]] = []
        done = threading.Event()
        started = time.monotonic()

        def sample() -> None:
            while not done.wait(5.0):
                with contextlib.suppress(psycopg.Error):
                    samples.append(
                        {
                            "t_s": round(time.monotonic() - started, 1),
                            "services": self.outbox_rows(),
                        }
                    )

        sampler = threading.Thread(target=sample, name="outbox-sampler", daemon=True)
        sampler.start()
        try:
            record = self.locust("soak", "TradeUser", self.o.users, self.o.soak, self.p.url)
        finally:
            done.set()
            sampler.join(timeout=30)
        trades = record["trades"]
        self.trades_so_far += len(trades)
        queue = [sum(v["queue"] for v in s["services"].values()) for s in samples]
        half = len(queue) // 2
        services = sorted({n for s in samples for n in s["services"]})
        log_rows = {
            n: {
                "first": samples[0]["services"].get(n, {}).get("log"),
                "last": samples[-1]["services"].get(n, {}).get("log"),
            }
            for n in services
        }
        queue_max = {
            n: max((s["services"].get(n, {}).get("queue", 0) for s in samples), default=None)
            for n in services
        }
        self.results["soak"] = {
            "duration_s": self.o.soak,
            "users": self.o.users,
            "settled": len(trades),
            "settled_per_s": round(len(trades) / self.o.soak, 2),
            "failed_trades": record["failure_count"],
            "outbox_rows_max": max(queue, default=None),
            "outbox_waiting_max": max(queue, default=None),
            "outbox_rows_max_first_half": max(queue[:half], default=None),
            "outbox_rows_max_second_half": max(queue[half:], default=None),
            "outbox_queue_max_by_service": queue_max,
            "outbox_log_rows": log_rows,
            "samples": samples,
        }
        if record["failure_count"]:
            self.invalid.append(
                f"soak: {record['failure_count']} failed trades, e.g. {record['failures'][:2]}"
            )
        log(
            f"  {len(trades)} settled in the soak; outbox queue max {max(queue, default=0)}"
            f" (first half {max(queue[:half], default=0)}, second half "
            f"{max(queue[half:], default=0)}); event logs {_log_growth(log_rows)}"
        )

    # -- report ---------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The figures of issue #14's targets, under the names the issue gives them."""
        by_name = {s["name"]: s for s in self.scenarios}
        base, scale, history = (by_name.get(n) for n in ("base", "tenants", "history"))
        overhead = self.results.get("gateway_overhead") or {}
        soak = self.results.get("soak") or {}
        return {
            "scale_settled_ratio": (scale or {}).get("vs_base", {}).get("settled_per_s"),
            "scale_p50_ratio": (scale or {}).get("vs_base", {}).get("validation_to_settlement_p50"),
            "history_settled_ratio": (history or {}).get("vs_base", {}).get("settled_per_s"),
            "gateway_rps_ratio": overhead.get("rps_ratio"),
            "gateway_p50_ratio": overhead.get("p50_ratio"),
            "validation_to_settlement_p50_ms": (base or {})
            .get("validation_to_settlement", {})
            .get("p50_ms"),
            "settlement_to_webhook_p50_ms": (base or {})
            .get("settlement_to_webhook", {})
            .get("p50_ms"),
            "outbox_rows_max": soak.get("outbox_rows_max"),
        }

    def report(self) -> None:
        r = self.results
        r["scenarios"] = self.scenarios
        base = next((s for s in self.scenarios if s["name"] == "base"), None)
        for scenario in self.scenarios:
            if base is not None:
                scenario["vs_base"] = {
                    "settled_per_s": ratio(scenario["settled_per_s"], base["settled_per_s"], 2),
                    "validation_to_settlement_p50": ratio(
                        scenario["validation_to_settlement"]["p50_ms"],
                        base["validation_to_settlement"]["p50_ms"],
                        2,
                    ),
                    "validation_to_settlement_p99": ratio(
                        scenario["validation_to_settlement"]["p99_ms"],
                        base["validation_to_settlement"]["p99_ms"],
                        2,
                    ),
                }
        r["summary"] = self.summary()
        r.update(r["summary"])
        r["loadavg_at_end"] = load_average()
        r["finished_at"] = now_iso()
        r["valid"] = not self.invalid
        r["invalid"] = self.invalid
        r["plots"] = [str(p.relative_to(ROOT)) for p in plots(r)]
        path = write_results("e2e", r)
        print(table(r))
        log(f"wrote {path.relative_to(ROOT)} and {', '.join(r['plots'])}")


def _log_growth(log_rows: dict[str, dict[str, int | None]]) -> str:
    """Each service's event log at the first and the last sample of the soak, ``a -> b``."""
    grown = [(n, v) for n, v in log_rows.items() if v.get("first") or v.get("last")]
    return ", ".join(f"{n} {v['first']} -> {v['last']}" for n, v in grown) or "none"


def table(r: dict[str, Any]) -> str:
    def num(value: Any, digits: int = 1) -> str:
        return "-" if value is None else f"{value:,.{digits}f}"

    m = r["machine"]
    lines = [
        "",
        f"End-to-end benchmark, {r['started_at']} (git {r['git_commit'][:10]}), {m['cores']} "
        f"cores {m['cpu_model']}, {m['memory_gb']} GB, PostgreSQL {m.get('postgresql_version')}, "
        f"RabbitMQ {m.get('rabbitmq_version')}; {r['load_tool']}; load {m['loadavg_at_start']} "
        f"-> {r.get('loadavg_at_end')}",
        f"pgbench fn-uniform (baseline of the ratios): {num(r.get('pgbench_tps_uniform'), 0)}/s",
        "",
    ]
    g = r.get("gateway_overhead")
    if g:
        lines += [*overhead_lines(g), ""]
    lines.append(
        f"{'scenario':<10}{'settled/s':>10}{'/pgbench':>10}{'vs base':>9}"
        f"{'valid->settled p50/p99 ms':>28}{'settled->webhook p50/p99 ms':>30}"
        f"{'failed':>8}  load before"
    )
    for s in r.get("scenarios", []):
        v, w = s["validation_to_settlement"], s["settlement_to_webhook"]
        lines.append(
            f"{s['name']:<10}{num(s['settled_per_s']):>10}"
            f"{num(s['settled_ratio_to_pgbench'], 4):>10}"
            f"{num(s.get('vs_base', {}).get('settled_per_s'), 2):>9}"
            f"{num(v['p50_ms'], 0) + ' / ' + num(v['p99_ms'], 0):>28}"
            f"{num(w['p50_ms'], 0) + ' / ' + num(w['p99_ms'], 0):>30}"
            f"{s['failed_trades']:>8}  {s['loadavg_before'][0]}"
        )
    lines.append("")
    for s in r.get("scenarios", []):
        lines.append(
            f"{s['name']}: "
            + ", ".join(
                f"{n} {num(q['p50_ms'], 0)}/{num(q['p99_ms'], 0)}"
                for n, q in s["requests"].items()
                if q["count"]
            )
            + " (request p50/p99 ms)"
        )
    soak = r.get("soak")
    if soak:
        lines.append(
            f"soak: {soak['duration_s']} s, {soak['settled']} settled "
            f"({soak['settled_per_s']}/s); outbox rows (queue) max {soak['outbox_rows_max']} "
            f"(first half {soak['outbox_rows_max_first_half']}, second half "
            f"{soak['outbox_rows_max_second_half']}); event logs "
            f"{_log_growth(soak.get('outbox_log_rows') or {})} (they grow by design)"
        )
    lines.append("summary: " + ", ".join(f"{k} {v}" for k, v in r.get("summary", {}).items()))
    lines.append("webhooks: " + ", ".join(f"{k} {v}" for k, v in r.get("webhooks", {}).items()))
    lines.append("all runs valid" if r["valid"] else "INVALID: " + "; ".join(r["invalid"]))
    lines.append(f"run time {r.get('run_s')} s")
    return "\n".join(lines) + "\n"


def _num(value: Any, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def overhead_lines(g: dict[str, Any]) -> list[str]:
    """The gateway-overhead figures: direct, through the gateway, their ratios."""
    cpu = "CPU ms/request gateway+ledger"
    rounds = len(g.get("rounds") or [None])
    return [
        f"Gateway overhead, {g['path']}, {g.get('tool', 'locust')} {g['users']} users x "
        f"{g['duration_s']} s" + (f", median of {rounds} rounds:" if rounds > 1 else ":"),
        f"  {'':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{cpu:>34}",
        *(
            f"  {where:<10}{_num(g[where]['rps'], 0):>10}{_num(g[where]['p50_ms'], 2):>10}"
            f"{_num(g[where]['p99_ms'], 2):>10}"
            + " " * 14
            + " + ".join(
                f"{_num((g[where].get('cpu_ms_per_request') or {}).get(s), 2):>7}"
                for s in ("gateway", "ledger")
            )
            for where in ("direct", "gateway")
        ),
        f"  {'ratio':<10}{_num(g['rps_ratio'], 2):>10}{_num(g['p50_ratio'], 2):>10}"
        f"{_num(g['p99_ratio'], 2):>10}   (gateway / direct)",
    ]


def overhead_table(r: dict[str, Any]) -> str:
    """The report of ``--only overhead``."""
    m = r["machine"]
    lines = [
        "",
        f"Gateway overhead, {r['started_at']} (git {r['git_commit'][:10]}), {m['cores']} cores "
        f"{m['cpu_model']}, PostgreSQL {m.get('postgresql_version')}; {r['load_tool']}; load "
        f"{m['loadavg_at_start']} -> {r.get('loadavg_at_end')}",
        *overhead_lines(r["gateway_overhead"]),
        "all runs valid" if r["valid"] else "INVALID: " + "; ".join(r["invalid"]),
        f"run time {r.get('run_s')} s",
    ]
    return "\n".join(lines) + "\n"


def plots(r: dict[str, Any]) -> list[Path]:
    """``e2e_latency.png`` (p50/p99 per scenario) and ``e2e_throughput.png`` (per scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = BENCH / "results"
    out.mkdir(parents=True, exist_ok=True)
    scenarios = r.get("scenarios", [])
    if not scenarios:
        return []
    names = [f"{s['name']}\n{s.get('size', '')}" for s in scenarios]
    series = [
        ("validation -> settlement", "validation_to_settlement"),
        ("settlement -> webhook", "settlement_to_webhook"),
        ("draft -> settled seen (whole trade)", "trade_draft_to_settled_seen"),
    ]
    fig, axes = plt.subplots(1, len(series) + 1, figsize=(17, 5))
    width = 0.38
    for ax, (title, key) in zip(axes, series, strict=False):
        xs = range(len(names))
        p50 = [s[key]["p50_ms"] or 0 for s in scenarios]
        p99 = [s[key]["p99_ms"] or 0 for s in scenarios]
        ax.bar([x - width / 2 for x in xs], p50, width, label="p50")
        ax.bar([x + width / 2 for x in xs], p99, width, label="p99")
        ax.set_xticks(list(xs), names, fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("ms")
        ax.legend(fontsize=8)
    g = r.get("gateway_overhead")
    ax = axes[-1]
    if g:
        xs = range(2)
        ax.bar(
            [x - width / 2 for x in xs],
            [g["direct"]["p50_ms"], g["gateway"]["p50_ms"]],
            width,
            label="p50",
        )
        ax.bar(
            [x + width / 2 for x in xs],
            [g["direct"]["p99_ms"], g["gateway"]["p99_ms"]],
            width,
            label="p99",
        )
        ax.set_xticks(list(xs), ["ledger direct", "through gateway"])
        ax.set_title(f"the same read ({g['users']} users)", fontsize=10)
        ax.set_ylabel("ms")
        ax.legend(fontsize=8)
    fig.suptitle(
        f"End-to-end latency per scenario ({r['started_at']}, "
        f"{r['machine']['cores']} cores, load {r['machine']['loadavg_at_start'][0]})"
    )
    fig.tight_layout()
    latency_png = out / "e2e_latency.png"
    fig.savefig(latency_png, dpi=90)
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    rates = [s["settled_per_s"] for s in scenarios]
    bars = axes[0].bar(names, rates, color="tab:green")
    axes[0].tick_params(axis="x", labelsize=8)
    axes[0].bar_label(bars, [f"{v:.1f}/s" for v in rates])
    axes[0].set_title(f"invoices settled per second ({scenarios[0]['users']} users)", fontsize=10)
    axes[0].set_ylabel("settled / s")
    if g:
        bars = axes[1].bar(
            ["ledger direct", "through gateway"],
            [g["direct"]["rps"], g["gateway"]["rps"]],
            color="tab:blue",
        )
        axes[1].bar_label(bars, [f"{g['direct']['rps']:.0f}/s", f"{g['gateway']['rps']:.0f}/s"])
        axes[1].set_title(f"reads per second, same read ({g['users']} users)", fontsize=10)
    fig.suptitle(
        "Throughput per scale"
        + (
            f" (pgbench fn-uniform {r['pgbench_tps_uniform']:,}/s in the same run)"
            if r.get("pgbench_tps_uniform")
            else ""
        )
    )
    fig.tight_layout()
    throughput_png = out / "e2e_throughput.png"
    fig.savefig(throughput_png, dpi=90)
    plt.close(fig)
    return [latency_png, throughput_png]


def main(argv: Sequence[str] | None = None) -> int:
    options = Options.parse(argv)
    if options.read_tool == "wrk" and shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    os.environ.setdefault("TROC_TEST_RUN", "bench")
    os.environ.setdefault(
        "TROC_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/troc_{service}"
    )
    os.environ.setdefault("TROC_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")

    def interrupted(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    bench = E2EBench(options)
    try:
        return bench.run()
    except BenchError as exc:
        print(f"end-to-end benchmark failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("end-to-end benchmark interrupted (cleaned up)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
