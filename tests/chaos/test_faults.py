"""Faults under load: the platform keeps its invariants while processes and backends die.

Every service runs as real processes (gunicorn + worker each) on a PostgreSQL cluster and a
RabbitMQ node of the test's own, which it restarts freely (the machine's shared servers serve
other runs). While a stream of invoices flows through the gateway (``stream.py``), the test
``kill -9``s each service's web process and worker in turn and starts it again, restarts RabbitMQ
and restarts PostgreSQL (an immediate stop: every session aborted). After each fault the stream
must make progress again; after the last one the system must converge, and then:

- the ledger's invariants hold (``ledger.cli invariants``) and Σ balances = 0 per network through
  the API;
- every settled invoice has exactly one posted transfer (and one commission), and every posted
  invoice transfer belongs to exactly one invoice;
- no invoice is stuck: each ends settled or in a side exit with its reason;
- every ledger event of the tenants' logs reached the webhook receiver (signature verified) at
  least once and was applied once;
- every queue is drained and the dead-letter queues are empty or each message in them is
  explained.

``make chaos`` runs several rounds of faults; ``CHAOS_SHORT=1`` (CI) one round.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from kombu import Connection, Queue

from chassis.testing.backends import (
    PrivatePostgres,
    PrivateRabbit,
    private_postgres,
    private_rabbitmq,
)
from chassis.testing.platform import ALL_SERVICES, Platform, running_platform
from chassis.testing.waiting import eventually
from tests.chaos.receiver import Receipts, webhook_receiver
from tests.chaos.stream import TENANTS, TERMINAL, InvoiceStream, animator_of

pytestmark = pytest.mark.chaos

SHORT = os.environ.get("CHAOS_SHORT", "") not in ("", "0")
ROUNDS = 1 if SHORT else int(os.environ.get("CHAOS_ROUNDS", "3"))
NETWORK = "troc-actif"
LEDGER_TYPES = tuple(
    f"org.trocactif.ledger.{name}.v1"
    for name in (
        "account_opened",
        "credit_limit_changed",
        "transfer_held",
        "transfer_posted",
        "transfer_refused",
        "transfer_voided",
    )
)
#: Seconds the system gets to settle everything after the last fault.
CONVERGE = 180.0
#: Where an invoice in a side exit says why.
REASONS = {
    "rejected": "rejection_reason",
    "disputed": "dispute_reason",
    "cancelled": "cancel_reason",
}
#: Dead-lettered messages the test accepts, by a fragment of their error: none so far.
EXPLAINED_DEAD_LETTERS: dict[str, str] = {}


@pytest.fixture(scope="module")
def backends() -> Iterator[tuple[PrivatePostgres, PrivateRabbit]]:
    with private_postgres() as postgres, private_rabbitmq() as rabbit:
        yield postgres, rabbit


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, backends: tuple[PrivatePostgres, PrivateRabbit]
) -> Iterator[Platform]:
    postgres, rabbit = backends
    env = {
        # The receiver listens on loopback; retries come quickly so the test converges.
        "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
        "TROC_WEBHOOKS_RETRY_SCHEDULE": "1,1,2,2,3,3,5,5,5,5,5,5",
        "TROC_WEBHOOKS_POLL_INTERVAL_MS": "200",
        # A killed notifications worker's claimed deliveries wait for the lease to end.
        "TROC_WEBHOOKS_TIMEOUT": "2",
        "TROC_WEBHOOKS_LEASE_SECONDS": "20",
    }
    with running_platform(
        tmp_path_factory.mktemp("chaos"),
        tag="chaos",
        env=env,
        broker_url=rabbit.url,
        database_template=postgres.url_template(),
        web_workers=1,
    ) as running:
        yield running


def directory(platform: Platform) -> dict[str, dict[str, Any]]:
    """The network's demo members by handle (``contact@<handle>.demo...``)."""
    headers = platform.login(animator_of("pie"))
    listed = platform.get("/t/pie/members", headers, scope="network", per_page=100)
    items = listed["items"] if isinstance(listed, dict) else listed
    return {
        m["email"].split("@")[1].split(".")[0]: m
        for m in items
        if m["email"].endswith(".demo.trocactif.org")
    }


def all_pages(
    platform: Platform, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = platform.get(path, headers, page=page, per_page=100, **params)
        batch = body["items"]
        items += batch
        if len(batch) < 100 or len(items) >= body["total"]:
            return items
        page += 1


def event_log(platform: Platform, tenant: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The tenant's ledger log, each event's ``sequence`` (a padded string) checked and read."""
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        body = platform.get(f"/t/{tenant}/events", headers, after=after, limit=1000)
        events += body["items"]
        if not body["items"]:
            return events
        after = body["next_after"]


def position(event: dict[str, Any]) -> int:
    """An event's position in its log, from its CloudEvents ``sequence`` string."""
    sequence: str = event["sequence"]
    assert sequence.isdigit() and len(sequence) == 20, sequence
    return int(sequence)


def settled_count(platform: Platform, animators: dict[str, dict[str, str]]) -> int:
    return sum(
        platform.get(f"/t/{t}/invoices", h, status="settled", per_page=1)["total"]
        for t, h in animators.items()
    )


def subscribe(
    platform: Platform, base_url: str, receipts: Receipts, animators: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Subscribe the receiver to every ledger event of each tenant; the webhook ids."""
    hooks = {}
    for tenant, headers in animators.items():
        created = platform.post(
            f"/t/{tenant}/webhooks",
            headers,
            status=201,
            json={
                "url": f"{base_url}/hooks/{tenant}",
                "event_types": list(LEDGER_TYPES),
                "description": "chaos test receiver",
            },
        )
        receipts.secrets[tenant] = created["secret"]
        hooks[tenant] = created["id"]
    return hooks


def quiet_log_heads(platform: Platform, animators: dict[str, dict[str, str]]) -> dict[str, int]:
    """Each tenant's last event sequence once the logs stop growing (the seed has landed)."""

    def heads() -> dict[str, int]:
        return {
            t: max([0] + [position(e) for e in event_log(platform, t, h)])
            for t, h in animators.items()
        }

    last = heads()
    stable_since = time.monotonic()
    while time.monotonic() - stable_since < 3.0:
        time.sleep(0.5)
        now = heads()
        if now != last:
            last, stable_since = now, time.monotonic()
    return last


class Faults:
    """The fault schedule, with a progress check after each fault."""

    def __init__(
        self,
        platform: Platform,
        postgres: PrivatePostgres,
        rabbit: PrivateRabbit,
        animators: dict[str, dict[str, str]],
    ) -> None:
        self.platform = platform
        self.postgres = postgres
        self.rabbit = rabbit
        self.animators = animators
        self.log: list[str] = []

    def progress(self, after: str, timeout: float = 120.0) -> None:
        """Wait until one more invoice settles (the saga works end to end again)."""
        started = time.monotonic()
        before = eventually(lambda: settled_count(self.platform, self.animators) + 1, 60) - 1
        reached = eventually(lambda: settled_count(self.platform, self.animators) > before, timeout)
        assert reached, f"no invoice settled within {timeout}s after {after}\n" + (
            self.platform.logs(20)
        )
        self.log.append(f"{after}: progress after {time.monotonic() - started:.1f}s")
        print(f"[{time.strftime('%H:%M:%S')}] {self.log[-1]}", flush=True)

    def kill(self, name: str, down: float = 0.5) -> None:
        self.platform.kill(name)
        time.sleep(down)
        self.platform.restart(name, timeout=90)
        self.progress(f"kill -9 {name}")

    def restart_rabbitmq(self, hard: bool) -> None:
        self.rabbit.restart(hard=hard)
        self.progress(f"RabbitMQ {'kill -9' if hard else 'stop'} and start")

    def restart_postgres(self) -> None:
        self.postgres.restart("immediate")
        self.progress("PostgreSQL immediate stop and start")

    def round(self, number: int) -> None:
        for service in self.platform.services:
            assert service in ALL_SERVICES
            self.kill(f"{service}-web")
            self.kill(f"{service}-worker")
        # The first round stops RabbitMQ cleanly; the next ones kill it.
        self.restart_rabbitmq(hard=number > 0)
        self.restart_postgres()


class Phases:
    """How long each part of the test took (printed with the summary)."""

    def __init__(self) -> None:
        self.last = self.started = time.monotonic()
        self.spans: list[str] = []

    def mark(self, name: str) -> None:
        now = time.monotonic()
        self.spans.append(f"{name} {now - self.last:.0f}s")
        self.last = now

    def __str__(self) -> str:
        return f"{time.monotonic() - self.started:.0f}s ({', '.join(self.spans)})"


def dead_letters(rabbit: PrivateRabbit) -> list[dict[str, Any]]:
    """The messages of every non-empty dead-letter queue (left in place)."""
    found = []
    with Connection(rabbit.url) as conn:
        channel = conn.channel()
        for name, count in rabbit.queues().items():
            if not name.endswith(".dlq") or not count:
                continue
            queue = Queue(name, no_declare=True).bind(channel)
            for _ in range(count):
                message = queue.get(no_ack=False)
                if message is None:
                    break
                headers = message.headers or {}
                found.append(
                    {
                        "queue": name,
                        "error": str(headers.get("x-error", "")),
                        "type": (message.properties or {}).get("type"),
                        "original": headers.get("x-original-queue"),
                    }
                )
        # Closing the channel without acks puts every message back.
    return found


def explained(letter: dict[str, Any]) -> bool:
    return any(fragment in letter["error"] for fragment in EXPLAINED_DEAD_LETTERS)


def wait_converged(
    platform: Platform, stream: InvoiceStream, animators: dict[str, dict[str, str]]
) -> dict[str, dict[str, Any]]:
    """Every invoice of the stream in a final state (or the timeout); their last views."""
    deadline = time.monotonic() + CONVERGE
    views: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        views = {}
        for tenant, headers in animators.items():
            for item in all_pages(platform, f"/t/{tenant}/invoices", headers):
                if item["tenant"] == tenant:
                    views[item["id"]] = item
        open_ = [i for i in stream.invoices if views.get(i, {}).get("status") not in TERMINAL]
        if not open_:
            return views
        time.sleep(1.0)
    return views


def all_transfers(
    platform: Platform, members: dict[str, dict[str, Any]], animators: dict[str, dict[str, str]]
) -> dict[str, dict[str, Any]]:
    """Every transfer of the demo members' statements, by id."""
    transfers: dict[str, dict[str, Any]] = {}
    for member in members.values():
        tenant = member["tenant"]
        for transfer in all_pages(
            platform, f"/t/{tenant}/accounts/{member['id']}/transfers", animators[tenant]
        ):
            transfers[transfer["id"]] = transfer
    return transfers


def check_invoices_and_transfers(
    stream: InvoiceStream, views: dict[str, dict[str, Any]], transfers: dict[str, dict[str, Any]]
) -> dict[str, int]:
    stuck = {
        i: (views.get(i, {}).get("status"), t.caller_id)
        for i, t in stream.invoices.items()
        if views.get(i, {}).get("status") not in TERMINAL
    }
    assert not stuck, f"invoices not settled nor closed after {CONVERGE}s: {stuck}"
    for invoice in views.values():
        status = invoice["status"]
        if status in REASONS:
            assert invoice[REASONS[status]], f"{invoice['id']} is {status} with no reason"
        if status == "expired":
            assert invoice["hold_expires_at"], invoice
    drafts = [
        i
        for i in views.values()
        if i["status"] == "draft" and i["buyer_reference"].startswith("chaos-")
    ]
    assert not drafts, f"drafts the stream lost track of: {drafts}"

    settled = [i for i in views.values() if i["status"] == "settled" and i["kind"] == "invoice"]
    by_transfer = Counter(i["transfer_id"] for i in views.values() if i["transfer_id"])
    for invoice in settled:
        transfer = transfers.get(invoice["transfer_id"])
        assert transfer is not None, f"settled invoice {invoice['number']}: no transfer"
        assert (
            transfer["status"],
            transfer["kind"],
            transfer["amount"],
            transfer["payer"],
            transfer["payee"],
        ) == (
            "posted",
            "hold",
            invoice["unit_part"],
            invoice["buyer_member_id"],
            invoice["seller_member_id"],
        ), (invoice, transfer)
        # Numbers are per seller: the seller pays its commission.
        fees = [
            t
            for t in transfers.values()
            if t["kind"] == "fee"
            and t["status"] == "posted"
            and t["payer"] == invoice["seller_member_id"]
            and t["reference"].endswith(f"facture {invoice['number']}")
        ]
        assert len(fees) == 1, (invoice["number"], fees)
        assert fees[0]["amount"] == invoice["commission"]["amount"], (invoice, fees)
    posted_holds = [
        t for t in transfers.values() if t["kind"] == "hold" and t["status"] == "posted"
    ]
    for transfer in posted_holds:
        assert by_transfer[transfer["id"]] == 1, (
            f"posted transfer {transfer['id']} belongs to {by_transfer[transfer['id']]} invoices"
        )
        owner = next(i for i in views.values() if i["transfer_id"] == transfer["id"])
        assert owner["status"] == "settled", (transfer, owner)
    pending = [t for t in transfers.values() if t["status"] == "pending"]
    assert not pending, f"holds left pending once every invoice is final: {pending}"
    return dict(Counter(i["status"] for i in views.values()))


def check_balances(
    platform: Platform, animators: dict[str, dict[str, str]], transfers: dict[str, dict[str, Any]]
) -> None:
    """The ledger's own check, then Σ balances = 0 as the API shows it.

    The network's fee account belongs to no tenant: its balance is the sum of the posted
    commissions, which the members' statements show.
    """
    done = platform.cli("ledger", "invariants")
    assert done.returncode == 0, done.stdout + done.stderr
    members = Decimal(0)
    for tenant, headers in animators.items():
        for account in all_pages(platform, f"/t/{tenant}/accounts", headers):
            assert account["network"] == NETWORK
            members += Decimal(account["balance"])
    fees = sum(
        (
            Decimal(t["amount"])
            for t in transfers.values()
            if t["kind"] == "fee" and t["status"] == "posted"
        ),
        Decimal(0),
    )
    assert members + fees == 0, f"{NETWORK}: Σ members {members}, fee account {fees}"


def check_webhooks(
    platform: Platform,
    receipts: Receipts,
    heads: dict[str, int],
    hooks: dict[str, str],
    animators: dict[str, dict[str, str]],
) -> int:
    assert not receipts.forged, receipts.forged
    missing: dict[str, list[int]] = {}
    expected = 0

    def all_received() -> bool:
        missing.clear()
        for tenant, headers in animators.items():
            for event in event_log(platform, tenant, headers):
                if position(event) <= heads[tenant] or event["type"] not in LEDGER_TYPES:
                    continue
                if event["id"] not in receipts.events.get(tenant, {}):
                    missing.setdefault(tenant, []).append(position(event))
        return not missing

    eventually(all_received, timeout=120, interval=1.0)
    assert not missing, f"ledger events never delivered (tenant: sequences): {missing}"
    for tenant, headers in animators.items():
        log = [e for e in event_log(platform, tenant, headers) if position(e) > heads[tenant]]
        expected += len(log)
        unknown = {e["type"] for e in log} - set(LEDGER_TYPES)
        assert not unknown, f"ledger event types no webhook can subscribe to: {unknown}"
        for event in log:
            got = receipts.events[tenant][event["id"]]
            assert (got["type"], got["sequence"], got["data"]) == (
                event["type"],
                event["sequence"],
                event["data"],
            ), (got, event)
        deliveries = all_pages(
            platform, f"/t/{tenant}/webhooks/{hooks[tenant]}/deliveries", headers
        )
        failed = [d for d in deliveries if d["status"] == "failed"]
        assert not failed, failed
    applied_twice = {i: n for i, n in receipts.applied.items() if n != 1}
    assert not applied_twice, applied_twice
    return expected


def test_invoices_survive_process_and_backend_faults(
    platform: Platform, backends: tuple[PrivatePostgres, PrivateRabbit]
) -> None:
    postgres, rabbit = backends
    phases = Phases()
    animators = {t: platform.login(animator_of(t)) for t in TENANTS}
    members = directory(platform)
    with webhook_receiver() as (base_url, receipts):
        hooks = subscribe(platform, base_url, receipts, animators)
        heads = quiet_log_heads(platform, animators)
        stream = InvoiceStream(platform, members, issuers=1 if SHORT else 2)
        # The invoices service learns the directory from events: wait until it can draft.
        stream.start()
        faults = Faults(platform, postgres, rabbit, animators)
        faults.progress("start", timeout=90)
        for number in range(ROUNDS):
            faults.round(number)
        phases.mark("faults")
        stream.stop_issuing.set()
        views = wait_converged(platform, stream, animators)
        phases.mark("convergence")
        stream.stop()
        assert not stream.errors, stream.errors
        transfers = all_transfers(platform, members, animators)
        outcome = check_invoices_and_transfers(stream, views, transfers)
        phases.mark("invoices and transfers")
        check_balances(platform, animators, transfers)
        phases.mark("balances")
        delivered = check_webhooks(platform, receipts, heads, hooks, animators)
        phases.mark("webhooks")

    drained = eventually(
        lambda: {n: c for n, c in rabbit.queues().items() if not n.endswith(".dlq") and c} == {},
        timeout=60,
    )
    assert drained, rabbit.queues()
    letters = dead_letters(rabbit)
    assert all(explained(letter) for letter in letters), letters
    phases.mark("queues")
    errors = {k: stream.client.samples[k] for k in stream.client.unexpected if " -> 5" in k}
    assert not errors, f"server errors (503 aside) while faults were injected: {errors}"
    dead = [name for name, process in platform.processes.items() if not process.alive()]
    assert not dead, f"processes that died on their own: {dead}\n{platform.logs(40)}"
    print(
        f"\nchaos: {ROUNDS} round(s), {phases}; "
        f"{len(stream.invoices)} invoices {outcome}; drafts found again: {stream.adopted}; "
        f"{delivered} ledger events delivered ({sum(receipts.received.values())} deliveries, "
        f"{receipts.refused_on_purpose} refused on purpose); dead letters: {len(letters)}; "
        f"unexpected answers: {dict(stream.client.unexpected)}"
    )
    for line in faults.log:
        print(f"  {line}")
