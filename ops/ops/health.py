"""``python -m ops.health``: the operator's check of a whole deployment, in one go.

Checks every service's ``/readyz``; the broker's queues and their dead-letter queues (RabbitMQ
management API on port 15672, credentials of ``TROC_BROKER_URL``; without it, and on the embedded
``filesystem://`` bus, the topology's queues are counted over the bus itself); every service's
outbox backlog (its own database); the ledger's invariants per network. Prints one table and
exits 1 if anything is wrong (0 when all is well). Reads the same ``TROC_*`` variables as the
services, so run it with the deployment's environment.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final
from urllib.parse import quote, unquote, urlsplit

import requests
from sqlalchemy import MetaData, create_engine, func, select

from chassis.config import SERVICE_PORTS, Settings
from chassis.metrics import outbox_backlog
from chassis.outbox import messaging_tables
from chassis.topology import dead_letter_queue

OK: Final = "ok"
WARN: Final = "warn"
FAIL: Final = "FAIL"
SKIP: Final = "not checked"
MANAGEMENT_PORT: Final = 15672


@dataclass(frozen=True)
class Row:
    check: str
    target: str
    status: str
    detail: str = ""


def check_ready(services: Sequence[str], settings: Settings, timeout: float) -> Iterator[Row]:
    for service in services:
        url = f"{settings.service_urls[service]}/readyz"
        try:
            response = requests.get(url, timeout=timeout)
        except requests.RequestException as exc:
            yield Row("ready", service, FAIL, f"{url}: {type(exc).__name__}")
            continue
        if response.status_code == 200:
            yield Row("ready", service, OK, url)
        else:
            try:
                checks = response.json().get("checks", {})
                failing = ", ".join(n for n, c in checks.items() if c.get("status") != "ok")
            except ValueError:
                failing = ""
            yield Row("ready", service, FAIL, f"{url}: {response.status_code} {failing}".strip())


def management_api(broker_url: str, management_url: str = "") -> tuple[str, tuple[str, str], str]:
    """Base URL, credentials and vhost of the broker's management API.

    ``management_url`` (``TROC_RABBITMQ_MANAGEMENT_URL``) overrides the default, the broker's
    host on port 15672; the credentials and the vhost are always those of the broker URL.
    """
    parts = urlsplit(broker_url)
    vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    user, password = unquote(parts.username or "guest"), unquote(parts.password or "guest")
    base = management_url or f"http://{parts.hostname or '127.0.0.1'}:{MANAGEMENT_PORT}"
    return base, (user, password), vhost


def check_queues(settings: Settings, timeout: float) -> Iterator[Row]:
    """Every queue and dead-letter queue: the management API, else passive declares over the bus.

    The management API lists every queue of the vhost with its consumers. Without it (the
    plugin is off, port 15672 closed) and on the embedded ``filesystem://`` bus, the queues of
    the platform's topology are counted one by one (``queue_declare(passive=True)``).
    """
    scheme = settings.broker_url.split("://", 1)[0]
    if scheme in {"amqp", "amqps", "pyamqp"}:
        base, auth, vhost = management_api(settings.broker_url, settings.rabbitmq_management_url)
        try:
            response = requests.get(
                f"{base}/api/queues/{quote(vhost, safe='')}",
                auth=auth,
                timeout=timeout,
                params={"columns": "name,messages,consumers"},
            )
            response.raise_for_status()
            queues = [
                (q["name"], int(q.get("messages") or 0), int(q.get("consumers") or 0))
                for q in response.json()
            ]
        except (requests.RequestException, ValueError) as exc:
            yield Row(
                "queues",
                base,
                WARN,
                f"management API unreachable ({type(exc).__name__}): "
                "the topology's queues are counted over AMQP",
            )
        else:
            yield from _queue_rows(queues)
            return
    try:
        yield from _queue_rows(_declared_queues(settings, timeout))
    except Exception as exc:
        yield Row(
            "queues",
            _safe_url(settings.broker_url),
            FAIL,
            f"broker unreachable ({type(exc).__name__}: {exc})"[:200],
        )


def _declared_queues(settings: Settings, timeout: float) -> list[tuple[str, int, int | None]]:
    """(name, messages, consumers) of the topology's queues; consumers unknown on the filesystem
    bus, which does not track them."""
    from kombu import Queue

    from chassis.bus import connection_for
    from contracts.topology import platform_topology

    counts_consumers = settings.broker_url.split("://", 1)[0] in {"amqp", "amqps", "pyamqp"}
    found: list[tuple[str, int, int | None]] = []
    with connection_for(settings) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
        for spec in platform_topology(settings.max_retries).queues:
            for name in (spec.name, spec.dlq):
                channel = conn.channel()  # a missing queue closes an AMQP channel
                try:
                    _name, depth, consumers = (
                        Queue(name, no_declare=True).bind(channel).queue_declare(passive=True)
                    )
                except conn.channel_errors:
                    continue  # not declared yet: no worker ever started
                finally:
                    with suppress(Exception):
                        channel.close()
                found.append((name, int(depth), int(consumers) if counts_consumers else None))
    return found


def _queue_rows(queues: Iterable[tuple[str, int, int | None]]) -> Iterator[Row]:
    queues = sorted(queues)
    names = {name for name, _depth, _consumers in queues}
    for name, depth, consumers in queues:
        if name.endswith(dead_letter_queue("")):
            status = FAIL if depth else OK
            yield Row(
                "dead letters",
                name,
                status,
                f"{depth} messages" + (" (replay them: see the runbook)" if depth else ""),
            )
        elif dead_letter_queue(name) in names:
            status = WARN if depth and consumers == 0 else OK
            detail = f"{depth} messages" + ("" if consumers is None else f", {consumers} consumers")
            yield Row("queue", name, status, detail)


def _safe_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


def _database_exists(url: str) -> bool:
    if not url.startswith("sqlite"):
        return True
    path = url.split(":///", 1)[-1]
    return path in {"", ":memory:"} or Path(path).exists()


def check_outboxes(services: Sequence[str], max_age: float) -> Iterator[Row]:
    metadata = MetaData()
    outbox, sequence, _inbox = messaging_tables(metadata)
    for service in services:
        url = Settings.from_env(service).database_url
        if not _database_exists(url):
            yield Row("outbox", service, SKIP, "no database yet")
            continue
        engine = create_engine(url)
        try:
            count, age = outbox_backlog(engine, outbox, sequence)
        except Exception as exc:
            yield Row("outbox", service, FAIL, f"{type(exc).__name__}: {exc}"[:200])
            continue
        finally:
            engine.dispose()
        status = FAIL if count and age > max_age else OK
        yield Row("outbox", service, status, f"{count} unpublished, oldest {age:.0f} s")


def check_ledger_invariants() -> Iterator[Row]:
    """Σ balances = 0 per network and balance = Σ postings, with the ledger's own check."""
    try:
        from ledger.bootstrap import bootstrap
        from ledger.db import accounts
    except ImportError:
        yield Row("invariants", "ledger", SKIP, "the ledger package is not installed here")
        return
    settings = Settings.from_env("ledger")
    if not _database_exists(settings.database_url):
        yield Row("invariants", "ledger", SKIP, "no database yet")
        return
    try:
        app = bootstrap(settings)
        with app.engine.connect() as conn:
            problems = app.store.invariants(conn)
            networks: dict[str, int] = dict(
                conn.execute(
                    select(accounts.c.network, func.count()).group_by(accounts.c.network)
                ).all()
            )
            owners = (
                dict(conn.execute(select(accounts.c.id, accounts.c.network)).all())
                if problems
                else {}
            )
    except Exception as exc:
        yield Row("invariants", "ledger", FAIL, f"{type(exc).__name__}: {exc}"[:200])
        return
    by_network: dict[str, list[str]] = {network: [] for network in networks}
    for problem in problems:
        kind, _, rest = problem.partition(" ")
        key = rest.split(":", 1)[0]
        network = (
            key if kind == "network" else owners.get(_uuid(key), "") if kind == "account" else ""
        )
        by_network.setdefault(network or "(unattributed)", []).append(problem)
    if not by_network:
        yield Row("invariants", "ledger", OK, "no accounts yet")
    for network, found in sorted(by_network.items()):
        if found:
            yield Row("invariants", network, FAIL, "; ".join(found)[:300])
        else:
            yield Row("invariants", network, OK, f"{networks.get(network, 0)} accounts")


def check_federation_invariants() -> Iterator[Row]:
    """Each federation link: its two clearing balances mirror each other at the frozen rates of
    its posted transfers, no transfer is posted on one side only; and Σ balances = 0 in the
    databases holding some networks' books apart (``TROC_LEDGER_NETWORK_DATABASES``)."""
    try:
        from ledger.bootstrap import bootstrap
        from ledger.federation_db import all_links
        from ledger.sagas import FederationSagas
        from ledger.settings import LedgerSettings
    except ImportError:
        yield Row("federation", "ledger", SKIP, "the ledger package is not installed here")
        return
    settings = LedgerSettings.from_env()
    if not _database_exists(settings.database_url):
        yield Row("federation", "ledger", SKIP, "no database yet")
        return
    try:
        app = bootstrap(settings)
        apart = [engine for engine in app.engines() if engine is not app.engine]
        for engine in apart:
            with engine.connect() as conn:
                found = app.store_for_engine(engine).invariants(conn)
            target = _safe_url(str(engine.url))
            yield Row("invariants", target, FAIL if found else OK, "; ".join(found)[:300])
        with app.engine.connect() as conn:
            links = all_links(conn)
        problems = FederationSagas(app).invariants()
    except Exception as exc:
        yield Row("federation", "ledger", FAIL, f"{type(exc).__name__}: {exc}"[:200])
        return
    for link in links:
        mine = [p for p in problems if p.startswith(f"link {link.id}:")]
        target = f"{link.network_a}<->{link.network_b}"
        yield Row("federation", target, FAIL if mine else OK, "; ".join(mine)[:300])


def _uuid(text: str) -> object:
    import uuid

    try:
        return uuid.UUID(text)
    except ValueError:
        return text


def run_checks(
    services: Sequence[str],
    *,
    timeout: float = 3.0,
    outbox_max_age: float = 60.0,
    invariants: bool = True,
) -> list[Row]:
    settings = Settings.from_env("health")
    rows = [
        *check_ready(services, settings, timeout),
        *check_queues(settings, timeout),
        *check_outboxes(services, outbox_max_age),
    ]
    if invariants and "ledger" in services:
        rows.extend(check_ledger_invariants())
        rows.extend(check_federation_invariants())
    return rows


def render(rows: Iterable[Row]) -> str:
    rows = list(rows)
    header = Row("CHECK", "TARGET", "STATUS", "DETAIL")
    widths = [
        max(len(getattr(r, f)) for r in [header, *rows]) for f in ("check", "target", "status")
    ]
    return "\n".join(
        f"{r.check:<{widths[0]}}  {r.target:<{widths[1]}}  "
        f"{r.status:<{widths[2]}}  {r.detail}".rstrip()
        for r in [header, *rows]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.health",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--services",
        default=",".join(SERVICE_PORTS),
        help="comma-separated services to check (default: all)",
    )
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds per HTTP call")
    parser.add_argument(
        "--outbox-max-age",
        type=float,
        default=60.0,
        help="seconds an unpublished outbox row may wait before it is a failure",
    )
    parser.add_argument(
        "--no-invariants",
        action="store_true",
        help="skip the ledger invariants (a full scan of the ledger)",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    services = [s.strip() for s in args.services.split(",") if s.strip()]
    unknown = sorted(set(services) - set(SERVICE_PORTS))
    if unknown:
        parser.error(f"unknown services: {', '.join(unknown)}")
    rows = run_checks(
        services,
        timeout=args.timeout,
        outbox_max_age=args.outbox_max_age,
        invariants=not args.no_invariants,
    )
    failed = [r for r in rows if r.status == FAIL]
    if args.json:
        print(json.dumps({"ok": not failed, "rows": [asdict(r) for r in rows]}, indent=2))
    else:
        print(render(rows))
        print(f"\n{len(failed)} failing check(s)" if failed else "\nall checks pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
