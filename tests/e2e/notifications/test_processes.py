"""The notifications as real processes (gunicorn web app + worker) on the environment's database
and bus (a RabbitMQ vhost, else the filesystem bus): events come in over the bus, the feed is read
over HTTP, and the worker delivers signed webhooks to a receiver that is down for a
while, then up."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import requests

from chassis.auth import ANIMATOR, MEMBER
from chassis.testing.services import RunningServices, running_services
from chassis.testing.waiting import eventually
from contracts import gateway as gw
from contracts import invoices as inv
from contracts import ledger as lg
from contracts.topology import platform_topology
from tests.integration.notifications.conftest import Receiver
from tests.integration.notifications.test_webhooks import POSTED, verified

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServices]:
    with running_services(
        tmp_path_factory.mktemp("notifications-processes"),
        ["notifications"],
        platform_topology(),
        env={
            "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
            "TROC_WEBHOOKS_RETRY_SCHEDULE": "0,1,1,1,1,1,1,1,1,1",
            "TROC_WEBHOOKS_POLL_INTERVAL_MS": "50",
        },
    ) as services:
        yield services


def test_a_settled_invoice_reaches_the_feeds_and_a_webhook_that_was_down(
    running: RunningServices, receiver: Receiver
) -> None:
    network, tenant = f"net-{uuid.uuid4().hex[:8]}", f"pie-{uuid.uuid4().hex[:8]}"
    seller, buyer = uuid.uuid4(), uuid.uuid4()
    animator = running.tokens.headers(ANIMATOR, tenant=tenant, network=network)
    created = requests.post(
        f"{running.url('notifications')}/t/{tenant}/webhooks",
        headers=animator,
        json={"url": receiver.url, "event_types": [POSTED]},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    receiver.status = 503
    for member in (seller, buyer):
        running.publish(
            gw.MemberAdmitted(
                member_id=member,
                name="Atelier",
                siret="73282932000074",
                department="75",
                email="a@example.org",
            ),
            network=network,
            tenant=tenant,
            source="gateway",
        )
    transfer = uuid.uuid4()
    posted = [
        running.publish(
            lg.TransferPosted(
                transfer_id=uuid.uuid4() if n else transfer,
                payer=buyer,
                payee=seller,
                amount=Decimal("120.00"),
                unit="ACT",
                kind="direct",
                reference="F-1",
                posted_at=datetime.now(UTC),
            ),
            network=network,
            tenant=tenant,
            source="ledger",
        )
        for n in range(3)
    ]
    running.publish(
        inv.InvoiceSettled(
            invoice_id=uuid.uuid4(),
            number="F-2026-0001",
            seller_member_id=seller,
            buyer_member_id=buyer,
            transfer_id=transfer,
            unit_part=Decimal("120.00"),
            euro_part=Decimal("0.00"),
            unit="ACT",
            settled_at=datetime.now(UTC),
        ),
        network=network,
        tenant=tenant,
        source="invoices",
    )

    def kinds(member: uuid.UUID) -> list[str]:
        headers = running.tokens.headers(MEMBER, tenant=tenant, network=network, member_id=member)
        response = requests.get(
            f"{running.url('notifications')}/t/{tenant}/notifications", headers=headers, timeout=10
        )
        assert response.status_code == 200, response.text
        return [item["kind"] for item in response.json()["items"]]

    assert eventually(lambda: kinds(seller)) == ["invoice_settled"]
    assert kinds(buyer) == ["invoice_settled"]
    eventually(lambda: len(receiver.received) >= 6)  # every event refused at least twice
    receiver.status = 200

    def log() -> list[dict[str, Any]]:
        response = requests.get(
            f"{running.url('notifications')}/t/{tenant}/webhooks/{hook['id']}/deliveries",
            headers=animator,
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return response.json()["items"]  # type: ignore[no-any-return]

    eventually(lambda: {d["status"] for d in log()} == {"succeeded"} and len(log()) == 3)
    events = verified(receiver.received, hook["secret"])
    assert {e.get_id() for e in events} == {p.id for p in posted}
    assert all(d["attempt_log"][0]["status_code"] == 503 for d in log())
