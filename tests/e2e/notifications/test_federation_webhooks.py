"""Trade between the two demo networks as people and integrators see it, services as processes.

The agricultural exchange keeps its books in a database of its own, Troc Actif in the ledger's.
An association's animators read each partner network with the position of their network's
clearing account (a member sees the partners, not the positions); a cross-network payment
reaches each side's webhooks, in each side's tenant, naming the partner network, and the saga's
end reaches both with both networks' names.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.testing.databases import service_test_settings
from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from contracts import ledger as lg
from tests.integration.notifications.conftest import Receiver
from tests.integration.notifications.test_webhooks import verified

pytestmark = pytest.mark.e2e

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"
OPERATOR = "operator@demo.trocactif.org"
PIE_ANIMATOR = "animation@pie.demo.trocactif.org"
AGRI_ANIMATOR = "animation@agri-beauce.demo.trocactif.org"
PIE_MEMBER = "contact@atelier-lumiere.demo.trocactif.org"
POSTED = "org.trocactif.ledger.transfer_posted.v1"
COMPLETED = "org.trocactif.ledger.federated_transfer_completed.v1"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    folder = tmp_path_factory.mktemp("federation-webhooks")
    agri_books = service_test_settings(
        "ledger", folder, database="ledgeragri", migrations=MIGRATIONS
    ).database_url
    with running_platform(
        folder,
        services=("gateway", "ledger", "notifications"),
        tag="fedweb",
        env={
            "TROC_LEDGER_NETWORK_DATABASES": json.dumps({"agri-echange": agri_books}),
            "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
            "TROC_WEBHOOKS_POLL_INTERVAL_MS": "50",
        },
    ) as started:
        yield started


def _links(platform: Platform, tenant: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list(platform.get(f"/t/{tenant}/federation/links", headers)["items"])


def _opened(platform: Platform, tenant: str, headers: dict[str, str]) -> dict[str, Any]:
    """The tenant's side of the demo link, once its ledger opened the clearing account."""

    def opened() -> dict[str, Any] | None:
        (link,) = _links(platform, tenant, headers)
        return link if link["clearing_balance"] is not None else None

    found: dict[str, Any] = eventually(opened, timeout=60, what="the clearing account")
    return found


def _member(platform: Platform, tenant: str, headers: dict[str, str]) -> str:
    return str(platform.get(f"/t/{tenant}/members", headers)["items"][0]["id"])


def _subscribe(platform: Platform, tenant: str, headers: dict[str, str], url: str) -> Any:
    return platform.post(
        f"/t/{tenant}/webhooks",
        headers,
        json={"url": url, "event_types": [POSTED, COMPLETED], "description": "federation"},
        status=201,
    )


def test_the_animators_see_each_partner_and_their_clearing_accounts_position(
    platform: Platform,
) -> None:
    pie, agri = platform.login(PIE_ANIMATOR), platform.login(AGRI_ANIMATOR)
    ours = _opened(platform, "pie", pie)
    assert (ours["network"], ours["partner_network"]) == ("troc-actif", "agri-echange")
    assert (ours["partner_network_name"], ours["partner_unit"]) == ("Agri-échange", "Grain")
    assert (ours["rate"], ours["status"], ours["limit"]) == ("1", "active", "5000.00")
    assert Decimal(ours["available"]) == Decimal(ours["clearing_balance"]) + 5000
    assert ours["clearing_account"] == str(lg.clearing_account_id("troc-actif", "agri-echange"))
    theirs = _opened(platform, "agri-beauce", agri)
    assert (theirs["network"], theirs["partner_network_name"]) == ("agri-echange", "Troc Actif")
    # a member sees its network's partners, not the clearing positions
    (seen,) = _links(platform, "pie", platform.login(PIE_MEMBER))
    assert seen["partner_network_name"] == "Agri-échange"
    assert (seen["clearing_balance"], seen["limit"], seen["available"]) == (None, None, None)
    # another tenant's links are not read with this tenant's token
    refused = requests.get(
        f"{platform.url}/t/agri-beauce/federation/links", headers=pie, timeout=15
    )
    assert refused.status_code in (403, 404), refused.text


def test_each_sides_webhooks_name_the_partner_network(
    platform: Platform, receiver: Receiver
) -> None:
    operator = platform.login(OPERATOR)
    pie, agri = platform.login(PIE_ANIMATOR), platform.login(AGRI_ANIMATOR)
    _opened(platform, "pie", pie)
    _opened(platform, "agri-beauce", agri)
    pie_hook = _subscribe(platform, "pie", pie, receiver.url)
    agri_hook = _subscribe(platform, "agri-beauce", agri, receiver.url)
    (link,) = [
        link
        for link in platform.get("/federation/links", operator)["items"]
        if {link["network_a"], link["network_b"]} == {"troc-actif", "agri-echange"}
    ]
    payer, payee = _member(platform, "pie", pie), _member(platform, "agri-beauce", agri)
    started = platform.post(
        f"/federation/links/{link['id']}/transfers",
        {**pie, "Idempotency-Key": uuid.uuid4().hex},
        json={"payer": payer, "payee": payee, "amount": "12.00", "reference": "Semences"},
        status=202,
    )
    saga = started["id"]

    def delivered() -> dict[tuple[str, str], Any] | None:
        events: dict[tuple[str, str], Any] = {}
        for headers, body in list(receiver.received):
            tenant = json.loads(body)["tenant"]
            secret = pie_hook["secret"] if tenant == "pie" else agri_hook["secret"]
            for event in verified([(headers, body)], secret):
                if event.get_data().get("saga_id") == saga:
                    events[(tenant, event.get_type())] = event
        wanted = {(t, k) for t in ("pie", "agri-beauce") for k in (POSTED, COMPLETED)}
        return events if wanted <= set(events) else None

    events = eventually(delivered, timeout=60, what="both sides' webhooks")
    pie_side = events[("pie", POSTED)].get_data()
    assert pie_side["payer"] == payer and pie_side["amount"] == "12.00"
    assert (pie_side["partner_network"], pie_side["partner_network_name"]) == (
        "agri-echange",
        "Agri-échange",
    )
    agri_side = events[("agri-beauce", POSTED)].get_data()
    assert agri_side["payee"] == payee
    assert (agri_side["partner_network"], agri_side["partner_network_name"]) == (
        "troc-actif",
        "Troc Actif",
    )
    for tenant, network in (("pie", "troc-actif"), ("agri-beauce", "agri-echange")):
        end = events[(tenant, COMPLETED)]
        assert end.get_extension("network") == network
        data = end.get_data()
        assert data["outcome"] == "posted"
        assert (data["payer_network"], data["payer_network_name"]) == ("troc-actif", "Troc Actif")
        assert (data["payee_network"], data["payee_network_name"]) == (
            "agri-echange",
            "Agri-échange",
        )
    # the clearing positions moved, each in its own unit, as the animators read them
    assert _links(platform, "pie", pie)[0]["clearing_balance"] != "0.00"
