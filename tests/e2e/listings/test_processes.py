"""The listings as real processes (gunicorn web app + worker) on the environment's database and
bus (a RabbitMQ vhost, else the filesystem bus): gateway events come in over the bus, listings are
published over HTTP, and the match is announced on ``listings.events``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
from kombu import Exchange, Queue

from chassis.auth import MEMBER
from chassis.messages import Envelope
from chassis.testing.services import RunningServices, running_services
from chassis.testing.waiting import eventually
from contracts import gateway as gw
from contracts.topology import platform_topology
from listings.bootstrap import bootstrap

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServices]:
    with running_services(
        tmp_path_factory.mktemp("listings-processes"), ["listings"], platform_topology()
    ) as services:
        yield services


def test_gateway_events_then_http_listings_give_a_match_on_the_bus(
    running: RunningServices,
) -> None:
    network, tenant_a, tenant_b = (f"{p}-{uuid.uuid4().hex[:8]}" for p in ("net", "pie", "mgp"))
    seller, buyer = uuid.uuid4(), uuid.uuid4()
    running.publish(
        gw.NetworkCreated(
            slug=network,
            name="Troc test",
            unit=gw.Unit(code="ACT", name="Actif", symbol="A"),
            default_credit_limit=Decimal("1000.00"),
            payment_modes=[100, 50],
            hold_expiry_days=30,
            vat_settlement="unit",
            commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
        ),
        network=network,
    )
    for member, tenant, name, department in [
        (seller, tenant_a, "Créteil Conseil", "94"),
        (buyer, tenant_b, "Studio Rivoli", "75"),
    ]:
        running.publish(
            gw.MemberAdmitted(
                member_id=member,
                name=name,
                siret="73282932000074",
                department=department,
                email="contact@example.org",
            ),
            network=network,
            tenant=tenant,
        )
    app = bootstrap(running.settings("listings"))
    try:
        eventually(lambda: all(_known(app, m) for m in (seller, buyer)))
    finally:
        app.dispose()

    with running.bus() as conn:
        matches = Queue(
            f"test.matches.{uuid.uuid4().hex[:6]}",
            exchange=Exchange("listings.events", type="topic", durable=True),
            routing_key=f"{network}.*.match_found.v1",
            auto_delete=True,
        )
        bound = matches(conn.channel())
        bound.declare()

        def post(member: uuid.UUID, tenant: str, body: dict[str, Any]) -> dict[str, Any]:
            headers = running.tokens.headers(
                MEMBER, tenant=tenant, network=network, member_id=member
            )
            response = requests.post(
                f"{running.url('listings')}/t/{tenant}/listings",
                json=body,
                headers=headers,
                timeout=10,
            )
            assert response.status_code == 201, response.text
            return response.json()  # type: ignore[no-any-return]

        offer = post(
            seller,
            tenant_a,
            {
                "kind": "offer",
                "category": "comptabilite",
                "title": "Tenue de comptabilité pour TPE",
                "departments": ["75", "94"],
            },
        )
        assert offer["member_name"] == "Créteil Conseil"
        assert offer["price"]["unit"] == "ACT"
        need = post(
            buyer,
            tenant_b,
            {"kind": "need", "category": "comptabilite", "title": "Besoin d'un expert comptable"},
        )
        assert need["departments"] == ["75"]

        received: list[Envelope] = []

        def two_messages() -> bool:
            message = bound.get(no_ack=True)
            if message is not None:
                received.append(Envelope.from_json(message.body))
            return len(received) >= 2

        eventually(two_messages)
    told = {(e.tenant, e.data["member_id"], e.data["listing_id"]) for e in received}
    assert told == {(tenant_a, str(seller), offer["id"]), (tenant_b, str(buyer), need["id"])}
    assert all(e.network == network and "tenant" not in e.data for e in received)
    assert json.loads(received[0].to_json())["type"] == "org.trocactif.listings.match_found.v1"


def _known(app: Any, member_id: uuid.UUID) -> bool:
    with app.engine.connect() as conn:
        return app.store.get_member(conn, member_id) is not None
