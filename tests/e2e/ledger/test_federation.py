"""Trade between the two demo networks, through the gateway, services as processes.

The agricultural exchange keeps its books in a database of its own
(``TROC_LEDGER_NETWORK_DATABASES``), Troc Actif in the ledger's: the demo's link opens a clearing
account on each side; a Troc Actif member pays an Agri-échange member (a saga over the bus:
holds on both sides, then posts); a payment beyond the partner's clearing limit is refused on
its side and voids the payer's hold. Both networks' balances sum to zero and the clearing
balances mirror each other exactly (the ledger's invariants command).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.bus import Publisher
from chassis.messages import envelope_for
from chassis.testing.databases import service_test_settings
from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from contracts import ledger as lg
from contracts.topology import platform_topology

pytestmark = pytest.mark.e2e

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"
OPERATOR = "operator@demo.trocactif.org"
PIE_ANIMATOR = "animation@pie.demo.trocactif.org"
AGRI_ANIMATOR = "animation@agri-beauce.demo.trocactif.org"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    folder = tmp_path_factory.mktemp("federation")
    agri_books = service_test_settings(
        "ledger", folder, database="ledgeragri", migrations=MIGRATIONS
    ).database_url
    with running_platform(
        folder,
        services=("gateway", "ledger"),
        tag="fed",
        env={"TROC_LEDGER_NETWORK_DATABASES": json.dumps({"agri-echange": agri_books})},
    ) as started:
        yield started


def _demo_link(platform: Platform, operator: dict[str, str]) -> dict[str, Any]:
    """The demo's link, once both ledgers opened their clearing accounts."""

    demo = {"troc-actif", "agri-echange"}

    def opened() -> dict[str, Any] | None:
        items = platform.get("/federation/links", operator)["items"]
        (link,) = [i for i in items if {i["network_a"], i["network_b"]} == demo]
        opened = link["clearing_balance_a"] is not None and link["clearing_balance_b"] is not None
        return link if opened else None

    found: dict[str, Any] = eventually(opened, timeout=60, what="the clearing accounts")
    return found


def _member(platform: Platform, tenant: str, headers: dict[str, str]) -> str:
    items = platform.get(f"/t/{tenant}/members", headers)["items"]
    return str(items[0]["id"])


def _account(platform: Platform, tenant: str, member: str, headers: dict[str, str]) -> Any:
    return platform.get(f"/t/{tenant}/accounts/{member}", headers)


def _pay(
    platform: Platform, link: str, headers: dict[str, str], body: dict[str, Any], key: str
) -> requests.Response:
    return requests.post(
        f"{platform.url}/federation/links/{link}/transfers",
        headers={**headers, "Idempotency-Key": key},
        json=body,
        timeout=15,
    )


def _settled(platform: Platform, link: str, saga: str, headers: dict[str, str]) -> Any:
    def done() -> Any:
        found = platform.get(f"/federation/links/{link}/transfers/{saga}", headers)
        return found if found["status"] in ("posted", "voided", "refused") else None

    return eventually(done, timeout=60, what=f"the federated transfer {saga}")


COMPLETED = "org.trocactif.ledger.federated_transfer_completed.v1"
UNITS = {"troc-actif": "ACT", "agri-echange": "GRN"}


def _log(platform: Platform, tenant: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """A tenant's whole ledger log, checked gap-free (positions 1, 2, 3...)."""
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        body = platform.get(f"/t/{tenant}/events", headers, after=after, limit=500)
        if not body["items"]:
            break
        events += body["items"]
        after = body["next_after"]
    assert [int(e["sequence"]) for e in events] == list(range(1, len(events) + 1))
    return events


def _completions(
    platform: Platform, tenant: str, headers: dict[str, str], saga: str
) -> list[dict[str, Any]]:
    """The ``federated_transfer_completed`` of ``saga`` in the tenant's log, once it is there."""

    def found() -> list[dict[str, Any]] | None:
        events = _log(platform, tenant, headers)
        mine = [e for e in events if e["type"] == COMPLETED and e["data"]["saga_id"] == saga]
        return mine or None

    completions: list[dict[str, Any]] = eventually(
        found, timeout=60, what=f"the completion of {saga} in the log of {tenant}"
    )
    return completions


def _assert_completed_once(
    platform: Platform,
    saga: dict[str, Any],
    outcome: str,
    logs: list[tuple[str, str, dict[str, str]]],
) -> None:
    """One completion of the saga in each side's tenant log (tenant, network), with its ending."""
    for tenant, network, headers in logs:
        (event,) = _completions(platform, tenant, headers, saga["id"])
        assert (event["tenant"], event["data"]["outcome"]) == (tenant, outcome), event
        assert event["network"] == network
        assert (event["data"]["payer_network"], event["data"]["payee_network"]) == (
            saga["payer_network"],
            saga["payee_network"],
        )
        assert (event["data"]["payer_unit"], event["data"]["payee_unit"]) == (
            UNITS[saga["payer_network"]],
            UNITS[saga["payee_network"]],
        )


def test_a_trade_between_two_networks_on_two_databases(platform: Platform) -> None:
    operator = platform.login(OPERATOR)
    pie = platform.login(PIE_ANIMATOR)
    agri = platform.login(AGRI_ANIMATOR)
    link = _demo_link(platform, operator)
    assert (link["rate"], link["status"]) == ("1", "active")
    assert link["network_a"] == "troc-actif"
    # one link per pair of networks, whichever way round
    again = requests.post(
        f"{platform.url}/federation/links",
        headers=operator,
        json={
            "network_a": "agri-echange",
            "network_b": "troc-actif",
            "rate": "1",
            "limit_a": "10.00",
            "limit_b": "10.00",
        },
        timeout=15,
    )
    assert again.status_code == 409, again.text
    payer, payee = _member(platform, "pie", pie), _member(platform, "agri-beauce", agri)
    before_a = link["clearing_balance_a"]
    assert before_a == "0.00"

    key = uuid.uuid4().hex
    body = {"payer": payer, "payee": payee, "amount": "120.00", "reference": "Semences"}
    started = _pay(platform, link["id"], pie, body, key)
    assert started.status_code == 202, started.text
    saga = started.json()
    assert (saga["payer_network"], saga["payee_network"]) == ("troc-actif", "agri-echange")
    assert saga["converted_amount"] == "120.00"
    done = _settled(platform, link["id"], saga["id"], pie)
    assert done["status"] == "posted", done
    replay = _pay(platform, link["id"], pie, body, key)
    assert replay.status_code == 202 and replay.json()["id"] == saga["id"]
    assert replay.headers.get("Idempotent-Replayed") == "true"
    # the payee's association sees it too, on the partner network's own books
    assert platform.get(f"/federation/links/{link['id']}/transfers/{saga['id']}", agri)
    assert _account(platform, "pie", payer, pie)["balance"] == "-120.00"
    assert _account(platform, "agri-beauce", payee, agri)["balance"] == "120.00"
    # the operator reads it too: its token names no network, the tenant's books are found
    assert _account(platform, "agri-beauce", payee, operator)["balance"] == "120.00"
    shown = platform.get(f"/federation/links/{link['id']}", operator)
    assert (shown["clearing_balance_a"], shown["clearing_balance_b"]) == ("120.00", "-120.00")
    # the end is told once in each side's tenant log, each in its own database's log; each
    # side's transfer events name the saga and the partner network
    sides = [("pie", "troc-actif", pie), ("agri-beauce", "agri-echange", agri)]
    _assert_completed_once(platform, saga, "posted", sides)
    pie_posted = [
        e
        for e in _log(platform, "pie", pie)
        if e["type"].endswith(".transfer_posted.v1") and e["data"].get("saga_id") == saga["id"]
    ]
    assert [e["data"]["partner_network"] for e in pie_posted] == ["agri-echange"]
    agri_held = [
        e
        for e in _log(platform, "agri-beauce", agri)
        if e["type"].endswith(".transfer_held.v1") and e["data"].get("saga_id") == saga["id"]
    ]
    assert [e["data"]["partner_network"] for e in agri_held] == ["troc-actif"]

    # a payer without enough credit: refused on its side, nothing held anywhere
    short = _pay(
        platform,
        link["id"],
        pie,
        {"payer": payer, "payee": payee, "amount": "99999.00"},
        uuid.uuid4().hex,
    )
    assert short.status_code == 202, short.text
    ended = _settled(platform, link["id"], short.json()["id"], pie)
    assert (ended["status"], ended["refusal"]["code"]) == ("refused", "insufficient_credit")
    _assert_completed_once(platform, short.json(), "refused", sides)

    # B's clearing account is at its limit: a payment beyond it is refused on B's side, and the
    # payer's hold in A is voided
    changed = requests.patch(
        f"{platform.url}/federation/links/{link['id']}",
        headers=operator,
        json={"limit_b": "120.00"},
        timeout=15,
    )
    assert changed.status_code == 200 and changed.json()["limit_b"] == "120.00", changed.text
    refused = _pay(
        platform,
        link["id"],
        pie,
        {"payer": payer, "payee": payee, "amount": "50.00"},
        uuid.uuid4().hex,
    )
    assert refused.status_code == 202, refused.text
    ended = _settled(platform, link["id"], refused.json()["id"], pie)
    assert ended["status"] == "voided", ended
    assert ended["refusal"]["code"] == "insufficient_credit"
    account = _account(platform, "pie", payer, pie)
    assert (account["balance"], account["pending_debits"]) == ("-120.00", "0.00")
    assert _account(platform, "agri-beauce", payee, agri)["balance"] == "120.00"
    shown = platform.get(f"/federation/links/{link['id']}", operator)
    assert (shown["clearing_balance_a"], shown["clearing_balance_b"]) == ("120.00", "-120.00")
    _assert_completed_once(platform, refused.json(), "voided", sides)
    (voided,) = _completions(platform, "agri-beauce", agri, refused.json()["id"])
    assert voided["data"]["code"] == "insufficient_credit"
    # the logs stay gap-free and hold each completion once, after every step has run
    for tenant, _network, headers in sides:
        types = [e["type"] for e in _log(platform, tenant, headers)]
        assert types.count(COMPLETED) == 3

    checked = platform.cli("ledger", "invariants")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout.strip().splitlines()[-1]) == {"ok": True, "violations": 0}


def test_links_are_the_operators(platform: Platform) -> None:
    pie = platform.login(PIE_ANIMATOR)
    operator = platform.login(OPERATOR)
    link = _demo_link(platform, operator)
    for method, path in (("get", "/federation/links"), ("get", f"/federation/links/{link['id']}")):
        response = requests.request(method, f"{platform.url}{path}", headers=pie, timeout=15)
        assert response.status_code == 403, response.text
    bad = requests.post(
        f"{platform.url}/federation/links",
        headers=operator,
        json={
            "network_a": "troc-actif",
            "network_b": "troc-actif",
            "rate": "0",
            "limit_a": "1.00",
            "limit_b": "1.00",
        },
        timeout=15,
    )
    assert bad.status_code == 422, bad.text
    assert {"network_b", "rate"} <= set(bad.json()["errors"]), bad.json()


def test_a_trade_started_while_the_worker_is_down_settles_once_it_is_back(
    platform: Platform,
) -> None:
    """The saga lives in the ledger's database and its outbox: a worker killed (``kill -9``)
    before its first step and started again settles it, both sides, once."""
    operator = platform.login(OPERATOR)
    agri = platform.login(AGRI_ANIMATOR)
    link = _demo_link(platform, operator)
    payer, payee = _member(platform, "agri-beauce", agri), _member(platform, "pie", operator)
    before = _account(platform, "agri-beauce", payer, agri)["balance"]
    platform.kill("ledger-worker")
    try:
        started = _pay(
            platform,
            link["id"],
            agri,
            {"payer": payer, "payee": payee, "amount": "7.50"},
            uuid.uuid4().hex,
        )
        assert started.status_code == 202, started.text
        saga = started.json()
        assert saga["status"] == "started" and saga["payer_network"] == "agri-echange"
    finally:
        platform.restart("ledger-worker")
    done = _settled(platform, link["id"], saga["id"], agri)
    assert done["status"] == "posted", done
    after = _account(platform, "agri-beauce", payer, agri)["balance"]
    assert int(after.replace(".", "")) == int(before.replace(".", "")) - 750
    checked = platform.cli("ledger", "invariants")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_trade_asked_on_the_bus_at_a_frozen_rate(platform: Platform) -> None:
    """As the invoices ask it: ``start_federated_transfer`` with a rate frozen at an invoice's
    issue and the payee's amount it fixed; the saga moves exactly those amounts and each side's
    log tells its end once, with the frozen rate and who asked."""
    operator = platform.login(OPERATOR)
    pie = platform.login(PIE_ANIMATOR)
    agri = platform.login(AGRI_ANIMATOR)
    link = _demo_link(platform, operator)
    raised = requests.patch(
        f"{platform.url}/federation/links/{link['id']}",
        headers=operator,
        json={"limit_b": "10000.00"},
        timeout=15,
    )
    assert raised.status_code == 200, raised.text
    payer, payee = _member(platform, "pie", pie), _member(platform, "agri-beauce", agri)
    before = _account(platform, "agri-beauce", payee, agri)["balance"]
    saga_id = uuid.uuid4()
    # an invoice of 10.00 GRN at 3 GRN per ACT (the link says 1): the payer pays 3.33 ACT
    order = lg.StartFederatedTransfer(
        saga_id=saga_id,
        link_id=uuid.UUID(link["id"]),
        payer_network="troc-actif",
        payer=uuid.UUID(payer),
        payee=uuid.UUID(payee),
        amount=Decimal("3.33"),
        reference="Facture F-1",
        rate=Decimal(3),
        converted_amount=Decimal("10.00"),
        requested_by="invoices",
    )
    with Publisher(platform.env["TROC_BROKER_URL"], topology=platform_topology()) as publisher:
        for _ in range(2):  # a redelivery starts nothing more
            envelope = envelope_for(order, source="invoices", network="troc-actif", tenant="pie")
            publisher.publish(envelope.message_type.exchange, envelope.routing_key, envelope)
    done = _settled(platform, link["id"], str(saga_id), pie)
    assert done["status"] == "posted", done
    assert (done["amount"], done["converted_amount"]) == ("3.33", "10.00")
    after = _account(platform, "agri-beauce", payee, agri)["balance"]
    assert int(after.replace(".", "")) == int(before.replace(".", "")) + 1000
    sides = [("pie", "troc-actif", pie), ("agri-beauce", "agri-echange", agri)]
    _assert_completed_once(platform, done, "posted", sides)
    for tenant, _network, headers in sides:
        (event,) = _completions(platform, tenant, headers, str(saga_id))
        assert (event["data"]["rate"], event["data"]["requested_by"]) == ("3", "invoices")
        assert (event["data"]["amount"], event["data"]["converted_amount"]) == ("3.33", "10.00")

    # amounts that do not go together at their rate: the sender waits for the end, and learns
    # the refusal from it, in both logs (nothing moved)
    mismatched = dataclasses.replace(order, saga_id=uuid.uuid4(), amount=Decimal("3.40"))
    with Publisher(platform.env["TROC_BROKER_URL"], topology=platform_topology()) as publisher:
        envelope = envelope_for(mismatched, source="invoices", network="troc-actif", tenant="pie")
        publisher.publish(envelope.message_type.exchange, envelope.routing_key, envelope)
    refused = _settled(platform, link["id"], str(mismatched.saga_id), pie)
    assert (refused["status"], refused["refusal"]["code"]) == ("refused", "invalid_conversion")
    _assert_completed_once(platform, refused, "refused", sides)
    assert _account(platform, "agri-beauce", payee, agri)["balance"] == after
    checked = platform.cli("ledger", "invariants")
    assert checked.returncode == 0, checked.stdout + checked.stderr
