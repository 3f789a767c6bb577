"""The ledger as real processes (gunicorn web app + worker) on the environment's database and
bus (RabbitMQ, else the filesystem bus): bus commands, gateway events, duplicate deliveries, and
the broker going away."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from kombu import Exchange, Queue

from chassis.auth import ANIMATOR
from chassis.bus import is_amqp
from chassis.messages import Envelope
from chassis.testing.metrics import Samples, grew, scrape, total
from chassis.testing.processes import free_port
from chassis.testing.proxy import FaultyProxy
from chassis.testing.services import RunningServices, running_services
from chassis.testing.tokens import TokenFactory
from chassis.testing.waiting import eventually
from contracts import gateway as gw
from contracts import ledger as lg
from contracts.topology import platform_topology

ROOT = Path(__file__).resolve().parents[3]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
#: A multiprocess file left by an earlier start of the web pod: deploy/gunicorn.conf.py removes it.
STALE_METRICS_FILE = "counter_4242.db"

pytestmark = pytest.mark.e2e


@dataclass
class RunningLedger:
    services: RunningServices
    #: In front of RabbitMQ, to cut the processes' link to the broker (none on the filesystem bus).
    proxy: FaultyProxy | None
    #: The worker's own /metrics listener (TROC_METRICS_PORT), as in compose and Kubernetes.
    worker_metrics_url: str
    web_metrics_dir: Path

    @property
    def base_url(self) -> str:
        return self.services.url("ledger")

    @property
    def tokens(self) -> TokenFactory:
        return self.services.tokens

    @property
    def database_url(self) -> str:
        return self.services.database_urls["ledger"]

    def publish(
        self,
        message: object,
        *,
        network: str,
        tenant: str | None = None,
        message_id: str | None = None,
    ) -> Envelope:
        return self.services.publish(message, network=network, tenant=tenant, message_id=message_id)

    def headers(self, network: str, tenant: str = "pie") -> dict[str, str]:
        return self.tokens.headers(ANIMATOR, tenant=tenant, network=network)


def _with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(
        (
            parts.scheme,
            f"{netloc[0]}@{host}" if len(netloc) == 2 else host,
            parts.path,
            parts.query,
            "",
        )
    )


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    tmp = tmp_path_factory.mktemp("ledger-processes")
    proxies: list[FaultyProxy] = []

    def through_a_proxy(broker_url: str) -> str:
        if not is_amqp(broker_url):
            return broker_url
        parts = urlsplit(broker_url)
        proxies.append(FaultyProxy(parts.hostname or "127.0.0.1", parts.port or 5672))
        return _with_port(broker_url, proxies[0].port)

    metrics_port = free_port()
    # Laid out as in a deployment: the web pod and the worker pod each have their own metrics
    # folder, the web process runs on deploy/gunicorn.conf.py, the worker serves its metrics on
    # its own port.
    web_metrics = tmp / "metrics-web"
    (web_metrics / "ledger").mkdir(parents=True)
    (web_metrics / "ledger" / STALE_METRICS_FILE).write_bytes(b"left by an earlier start")
    try:
        with running_services(
            tmp,
            ["ledger"],
            platform_topology(),
            gunicorn_args=["-c", str(GUNICORN_CONF)],
            process_broker=through_a_proxy,
            web_env={
                "ledger": {
                    "TROC_METRICS_DIR": str(web_metrics),
                    "TROC_WEB_WORKERS": "2",
                    "TROC_WEB_THREADS": "2",
                    "TROC_WEB_GRACEFUL_TIMEOUT": "5",
                }
            },
            worker_env={
                "ledger": {
                    "TROC_METRICS_DIR": str(tmp / "metrics-worker"),
                    "TROC_METRICS_PORT": str(metrics_port),
                }
            },
        ) as services:
            yield RunningLedger(
                services,
                proxies[0] if proxies else None,
                f"http://127.0.0.1:{metrics_port}/metrics",
                web_metrics,
            )
    finally:
        for proxy in proxies:
            proxy.close()


@pytest.fixture
def network(ledger: RunningLedger) -> str:
    slug = f"net-{uuid.uuid4().hex[:8]}"
    ledger.publish(
        gw.NetworkCreated(
            slug=slug,
            name="Troc test",
            unit=gw.Unit(code="ACT", name="Actif", symbol="A"),
            default_credit_limit=Decimal("1000.00"),
            payment_modes=[100, 50],
            hold_expiry_days=30,
            vat_settlement="unit",
            commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
        ),
        network=slug,
    )
    return slug


def admit(ledger: RunningLedger, network: str, tenant: str = "pie") -> uuid.UUID:
    member_id = uuid.uuid4()
    ledger.publish(
        gw.MemberAdmitted(
            member_id=member_id,
            name="Atelier Test",
            siret="73282932000074",
            department="75",
            email="contact@example.org",
        ),
        network=network,
        tenant=tenant,
    )
    return member_id


def account(
    ledger: RunningLedger, network: str, member: uuid.UUID, tenant: str = "pie"
) -> dict[str, Any]:
    response = requests.get(
        f"{ledger.base_url}/t/{tenant}/accounts/{member}",
        headers=ledger.headers(network, tenant),
        timeout=5,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def observer(ledger: RunningLedger, network: str) -> Iterator[Observer]:
    """Collects the network's ledger events from the bus, as an integrator would."""
    conn = ledger.services.bus()
    queue = Queue(
        f"test.observer.{network}",
        Exchange("ledger.events", type="topic"),
        routing_key=f"{network}.#",
        auto_delete=True,
    )
    received: list[Envelope] = []

    def on_message(body: Any, message: Any) -> None:
        raw = message.body if isinstance(message.body, bytes | str) else json.dumps(body)
        received.append(Envelope.from_json(raw))
        message.ack()

    consumer = conn.Consumer([queue], callbacks=[on_message], accept=None)
    consumer.consume()

    def collect(until: Callable[[list[Envelope]], bool], timeout: float = 30.0) -> list[Envelope]:
        deadline = time.monotonic() + timeout
        while not until(received) and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                conn.drain_events(timeout=0.5)
        return list(received)

    yield collect
    consumer.cancel()
    conn.release()


Observer = Callable[..., list[Envelope]]


def test_admission_opens_accounts_and_bus_transfers_move_actifs(
    ledger: RunningLedger, network: str
) -> None:
    buyer, seller = admit(ledger, network), admit(ledger, network, "fa-mgp")
    assert eventually(lambda: account(ledger, network, buyer))["credit_limit"] == "1000.00"
    eventually(lambda: account(ledger, network, seller, "fa-mgp"))
    for i in range(20):
        ledger.publish(
            lg.Transfer(
                transfer_id=uuid.uuid4(),
                payer=buyer,
                payee=seller,
                amount=Decimal("2.50"),
                reference=f"bus {i}",
            ),
            network=network,
            tenant="pie",
        )
    eventually(lambda: account(ledger, network, buyer)["balance"] == "-50.00")
    assert account(ledger, network, seller, "fa-mgp")["balance"] == "50.00"


def test_a_message_delivered_twice_is_applied_once(ledger: RunningLedger, network: str) -> None:
    buyer, seller = admit(ledger, network), admit(ledger, network)
    eventually(lambda: account(ledger, network, seller))
    command = lg.Transfer(
        transfer_id=uuid.uuid4(), payer=buyer, payee=seller, amount=Decimal("10.00")
    )
    message_id = str(uuid.uuid4())
    ledger.publish(command, network=network, tenant="pie", message_id=message_id)
    ledger.publish(command, network=network, tenant="pie", message_id=message_id)
    ledger.publish(command, network=network, tenant="pie")  # same transfer id, new message id
    marker = lg.Transfer(
        transfer_id=uuid.uuid4(), payer=seller, payee=buyer, amount=Decimal("0.01")
    )
    ledger.publish(marker, network=network, tenant="pie")
    eventually(lambda: account(ledger, network, seller)["balance"] == "9.99")
    assert account(ledger, network, buyer)["balance"] == "-9.99"


def test_holds_over_the_bus_and_a_refusal_event(
    ledger: RunningLedger, network: str, observer: Observer
) -> None:
    buyer, seller = admit(ledger, network), admit(ledger, network)
    eventually(lambda: account(ledger, network, seller))
    hold_id = uuid.uuid4()
    ledger.publish(
        lg.HoldTransfer(
            transfer_id=hold_id,
            payer=buyer,
            payee=seller,
            amount=Decimal("600.00"),
            reference="invoice F1",
        ),
        network=network,
        tenant="pie",
    )
    eventually(lambda: account(ledger, network, buyer)["pending_debits"] == "600.00")
    refused_id = uuid.uuid4()
    ledger.publish(
        lg.HoldTransfer(
            transfer_id=refused_id, payer=buyer, payee=seller, amount=Decimal("400.01")
        ),
        network=network,
        tenant="pie",
    )
    ledger.publish(lg.PostTransfer(transfer_id=hold_id), network=network, tenant="pie")
    eventually(lambda: account(ledger, network, seller)["balance"] == "600.00")
    subjects = {str(hold_id), str(refused_id)}
    events = [
        e
        for e in observer(lambda got: sum(e.subject in subjects for e in got) >= 3)
        if e.subject in subjects
    ]
    kinds = [e.type.split(".")[-2] for e in events]
    # The refused hold may be applied before or after the first one; the post comes last.
    assert sorted(kinds[:2]) == ["transfer_held", "transfer_refused"]
    assert kinds[2] == "transfer_posted"
    refused = next(e for e in events if e.subject == str(refused_id))
    assert refused.message().code == "insufficient_credit"


def test_transfers_commit_while_the_broker_is_away_and_their_events_follow_in_order(
    ledger: RunningLedger, network: str, observer: Observer
) -> None:
    buyer, seller = admit(ledger, network), admit(ledger, network)
    eventually(lambda: account(ledger, network, seller))
    # account_opened of the network's fee account and of the two members
    ledger.services.need_rabbitmq("the broker going away: a TCP proxy in front of RabbitMQ")
    assert ledger.proxy is not None
    already = len(observer(lambda got: len(got) >= 3, timeout=20))
    ledger.proxy.cut()
    try:
        for i in range(15):
            response = requests.post(
                f"{ledger.base_url}/t/pie/transfers",
                timeout=10,
                headers={**ledger.headers(network), "Idempotency-Key": f"away-{i}"},
                json={"payer": str(buyer), "payee": str(seller), "amount": "1.00"},
            )
            assert response.status_code == 201, response.text
        assert account(ledger, network, buyer)["balance"] == "-15.00"
        # Nothing leaves while the broker is away.
        leaked = observer(lambda got: len(got) > already, timeout=1.5)
        assert len(leaked) == already, [(e.type, e.tenant, e.sequence, e.time) for e in leaked]
    finally:
        ledger.proxy.restore()
    events = observer(
        lambda got: len({e.id for e in got if e.tenant == "pie"}) >= already + 14, timeout=120
    )
    # At least once: a batch in flight when the link dropped is published again, with the same
    # ids and sequences. An integrator keeps the first copy of each sequence number.
    first: dict[int, Envelope] = {}
    for envelope in (e for e in events if e.tenant == "pie"):
        assert envelope.sequence is not None
        if envelope.sequence in first:
            assert first[envelope.sequence].id == envelope.id
        else:
            first[envelope.sequence] = envelope
    sequences = list(first)
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    posted = [e for e in first.values() if e.type.endswith("transfer_posted.v1")]
    assert len(posted) == 15


def test_metrics_of_the_web_processes_and_of_the_worker_on_its_own_port(
    ledger: RunningLedger, network: str
) -> None:
    """gunicorn's processes add up on the web's /metrics; the worker serves its own numbers."""
    web_url = f"{ledger.base_url}/metrics"
    worker_samples = eventually(lambda: scrape(ledger.worker_metrics_url))
    for kind in ("consumed", "failed", "dead_lettered"):  # declared before the first message
        assert (
            f"troc_bus_messages_{kind}_total",
            frozenset({("service", "ledger"), ("queue", "ledger.commands")}),
        ) in worker_samples
    before, worker_before = scrape(web_url), worker_samples
    buyer, seller = admit(ledger, network), admit(ledger, network)
    eventually(lambda: account(ledger, network, seller))
    for i in range(3):
        ledger.publish(
            lg.Transfer(
                transfer_id=uuid.uuid4(),
                payer=buyer,
                payee=seller,
                amount=Decimal("1.00"),
                reference=f"metrics {i}",
            ),
            network=network,
            tenant="pie",
        )
    eventually(lambda: account(ledger, network, buyer)["balance"] == "-3.00")
    response = requests.post(
        f"{ledger.base_url}/t/pie/transfers",
        timeout=10,
        headers={**ledger.headers(network), "Idempotency-Key": f"too-much-{uuid.uuid4()}"},
        json={"payer": str(buyer), "payee": str(seller), "amount": "5000.00"},
    )
    assert response.status_code == 422, response.text
    with ledger.services.bus() as conn:  # undecodable: straight to ledger.commands.dlq
        conn.Producer().publish(
            b"{not json",
            exchange="",
            routing_key="ledger.commands",
            content_type="application/cloudevents+json",
        )

    after = scrape(web_url)

    def worker_saw_the_dead_letter() -> Samples | None:
        samples = scrape(ledger.worker_metrics_url)
        dead = grew(
            worker_before, samples, "troc_bus_messages_dead_lettered_total", queue="ledger.commands"
        )
        return samples if dead else None

    worker_after = eventually(worker_saw_the_dead_letter)

    route = {
        "service": "ledger",
        "route": "/t/<tenant>/accounts/<uuid:member_id>",
        "method": "GET",
        "status": "200",
    }
    assert grew(before, after, "troc_http_request_duration_seconds_count", **route) >= 2
    assert grew(before, after, "troc_http_request_duration_seconds_bucket", le="+Inf", **route) >= 2
    assert not [ls for (_n, ls) in after if ("route", f"/t/pie/accounts/{buyer}") in ls]
    assert (
        grew(
            before,
            after,
            "troc_ledger_transfers_total",
            source="api",
            outcome="refused",
            code="insufficient_credit",
        )
        == 1
    )
    assert not (ledger.web_metrics_dir / "ledger" / STALE_METRICS_FILE).exists()
    # The worker's pod: bus messages and bus transfers, none of the web's requests.
    assert (
        grew(worker_before, worker_after, "troc_bus_messages_consumed_total", service="ledger") >= 5
    )  # 2 admissions + 3 transfers
    assert (
        grew(
            worker_before,
            worker_after,
            "troc_bus_messages_dead_lettered_total",
            service="ledger",
            queue="ledger.commands",
        )
        == 1
    )
    assert (
        grew(
            worker_before,
            worker_after,
            "troc_ledger_transfers_total",
            source="bus",
            outcome="posted",
        )
        >= 3
    )
    assert total(worker_after, "troc_http_request_duration_seconds_count") == 0
    for samples in (after, worker_after):
        assert ("troc_outbox_backlog", frozenset({("service", "ledger")})) in samples
        assert ("troc_outbox_oldest_age_seconds", frozenset({("service", "ledger")})) in samples
    with ledger.services.bus() as conn:  # leave no dead letter to the health check
        conn.default_channel.queue_purge("ledger.commands.dlq")


def test_the_health_command_checks_the_running_ledger(ledger: RunningLedger, network: str) -> None:
    """``python -m ops.health``: readiness, queues and dead letters, outbox, invariants; its
    former name ``python -m chassis.health`` runs the same check."""
    import os
    import subprocess
    import sys

    buyer, seller = admit(ledger, network), admit(ledger, network)
    eventually(lambda: account(ledger, network, seller))
    ledger.publish(
        lg.Transfer(transfer_id=uuid.uuid4(), payer=buyer, payee=seller, amount=Decimal("1.00")),
        network=network,
        tenant="pie",
    )
    eventually(lambda: account(ledger, network, buyer)["balance"] == "-1.00")
    env = {
        **os.environ,
        "TROC_LEDGER_DATABASE_URL": ledger.database_url,
        "TROC_LEDGER_URL": ledger.base_url,
        "TROC_BROKER_URL": ledger.services.broker_url,
        "TROC_VAR_DIR": str(ledger.services.tmp),
    }

    def health(*args: str) -> tuple[int, dict[str, Any]]:
        done = subprocess.run(
            [sys.executable, "-m", "ops.health", "--json", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.returncode, json.loads(done.stdout)

    code, report = health("--services", "ledger")
    rows = {(r["check"], r["target"]): r for r in report["rows"]}
    assert rows[("ready", "ledger")]["status"] == "ok"
    assert rows[("outbox", "ledger")]["status"] == "ok"
    assert rows[("invariants", network)]["status"] == "ok"
    assert rows[("invariants", network)]["detail"].endswith(" accounts")
    queues = [r for r in report["rows"] if r["check"] in {"queue", "dead letters"}]
    # The management API on RabbitMQ, passive declares on the filesystem bus.
    assert any(r["target"].startswith("ledger.") for r in queues), report
    failing = [r for r in report["rows"] if r["status"] == "FAIL"]
    assert code == (1 if failing else 0)
    assert report["ok"] is not bool(failing)

    unreachable = {**env, "TROC_LISTINGS_URL": "http://127.0.0.1:9"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "chassis.health",
            "--services",
            "ledger,listings",
            "--no-invariants",
        ],
        env=unreachable,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "listings" in done.stdout and "FAIL" in done.stdout
