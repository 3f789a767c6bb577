"""Webhooks of trade between networks: each side's transfer events name the partner network, and
the saga's end reaches both sides' subscribers with both networks' names (the names kept from
the gateway's network events). Events are built as the ledger publishes them: each side's in
its own network and tenant, the saga's end once in each side's log."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from chassis.messages import Envelope, envelope_for
from contracts import gateway as gw
from contracts import ledger as lg
from tests.integration.notifications.conftest import Receiver, World
from tests.integration.notifications.test_webhooks import drain, subscribe, verified

POSTED = "org.trocactif.ledger.transfer_posted.v1"
HELD = "org.trocactif.ledger.transfer_held.v1"
COMPLETED = "org.trocactif.ledger.federated_transfer_completed.v1"


def network(slug: str, name: str, unit: str = "Actif", cls: type[Any] = gw.NetworkCreated) -> Any:
    return cls(
        slug=slug,
        name=name,
        unit=gw.Unit(code=unit[:3].upper(), name=unit, symbol=""),
        default_credit_limit=Decimal("1000.00"),
        payment_modes=[100],
        hold_expiry_days=30,
        vat_settlement="unit",
        commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
    )


def completed(
    saga_id: uuid.UUID, payer_network: str, payee_network: str, **changes: Any
) -> lg.FederatedTransferCompleted:
    values: dict[str, Any] = {
        "saga_id": saga_id,
        "link_id": uuid.uuid4(),
        "payer_network": payer_network,
        "payee_network": payee_network,
        "payer": uuid.uuid4(),
        "payee": uuid.uuid4(),
        "amount": Decimal("10.00"),
        "payer_unit": "ACT",
        "converted_amount": Decimal("20.00"),
        "payee_unit": "AGR",
        "rate": Decimal("2"),
        "reference": "Facture F-12",
        "outcome": "posted",
        "requested_by": "gateway",
        "completed_at": datetime.now(UTC),
    }
    values.update(changes)
    return lg.FederatedTransferCompleted(**values)


def side(world: World, message: object, network_slug: str, tenant: str, sequence: int) -> Envelope:
    """Deliver a ledger event of one side, in that side's network and tenant."""
    envelope = envelope_for(message, source="ledger", network=network_slug, tenant=tenant)
    return world.deliver(None, envelope=dataclasses.replace(envelope, sequence=sequence))


class TestFederatedWebhooks:
    def test_each_sides_transfer_webhook_names_the_partner_network(
        self, world: World, receiver: Receiver
    ) -> None:
        partner = f"agri-{uuid.uuid4().hex[:8]}"
        world.deliver(network(world.network, "Troc Actif"))
        world.deliver(network(partner, "Agri-échange", "Agro"))
        hook = subscribe(world, receiver.url, event_types=(POSTED, HELD))
        saga = uuid.uuid4()
        payer = uuid.uuid4()
        clearing = lg.clearing_account_id(world.network, partner)
        side(
            world,
            lg.TransferHeld(
                transfer_id=uuid.uuid4(),
                payer=payer,
                payee=clearing,
                amount=Decimal("10.00"),
                unit="ACT",
                reference="Facture F-12",
                expires_at=datetime.now(UTC) + timedelta(days=30),
                partner_network=partner,
                saga_id=saga,
            ),
            world.network,
            world.tenant_a,
            1,
        )
        side(
            world,
            lg.TransferPosted(
                transfer_id=uuid.uuid4(),
                payer=uuid.uuid4(),
                payee=uuid.uuid4(),
                amount=Decimal("3.00"),
                unit="ACT",
                kind="direct",
                reference="inside the network",
                posted_at=datetime.now(UTC),
            ),
            world.network,
            world.tenant_a,
            2,
        )
        drain(world.app)
        held, plain = sorted(
            verified(receiver.received, hook["secret"]), key=lambda e: e.get_extension("sequence")
        )
        assert held.get_type() == HELD
        assert held.get_data()["partner_network"] == partner
        assert held.get_data()["partner_network_name"] == "Agri-échange"
        assert held.get_data()["saga_id"] == str(saga)
        assert held.get_data()["payee"] == str(clearing)
        # A transfer inside the network: the payload as before, nothing added.
        assert plain.get_data()["partner_network"] is None
        assert "partner_network_name" not in plain.get_data()

    def test_the_sagas_end_reaches_both_sides_with_both_names(
        self, world: World, receiver: Receiver
    ) -> None:
        partner = f"agri-{uuid.uuid4().hex[:8]}"
        partner_tenant = f"beauce-{uuid.uuid4().hex[:6]}"
        world.deliver(network(world.network, "Troc Actif"))
        world.deliver(network(partner, "Agri-échange", "Agro"))
        ours = subscribe(world, receiver.url, event_types=(COMPLETED,))
        theirs = subscribe(world, receiver.url, tenant=partner_tenant, event_types=(COMPLETED,))
        saga = uuid.uuid4()
        end = completed(saga, world.network, partner)
        side(world, end, world.network, world.tenant_a, 5)
        side(world, end, partner, partner_tenant, 9)
        drain(world.app)
        assert len(receiver.received) == 2
        by_tenant = {}
        for headers, body in receiver.received:
            secret = ours["secret"] if world.tenant_a.encode() in body else theirs["secret"]
            [event] = verified([(headers, body)], secret)
            by_tenant[event.get_extension("tenant")] = event
        assert set(by_tenant) == {world.tenant_a, partner_tenant}
        for tenant, network_slug in ((world.tenant_a, world.network), (partner_tenant, partner)):
            event = by_tenant[tenant]
            data = event.get_data()
            assert event.get_type() == COMPLETED
            assert event.get_extension("network") == network_slug
            assert (data["payer_network"], data["payer_network_name"]) == (
                world.network,
                "Troc Actif",
            )
            assert (data["payee_network"], data["payee_network_name"]) == (partner, "Agri-échange")
            assert (data["saga_id"], data["outcome"]) == (str(saga), "posted")
            assert (data["amount"], data["converted_amount"]) == ("10.00", "20.00")

    def test_a_renamed_network_is_named_anew_and_an_older_announcement_is_ignored(
        self, world: World, receiver: Receiver
    ) -> None:
        partner = f"agri-{uuid.uuid4().hex[:8]}"
        created = envelope_for(network(partner, "Agri"), source="gateway", network=partner)
        renamed = envelope_for(
            network(partner, "Agri-échange", "Agro", cls=gw.NetworkUpdated),
            source="gateway",
            network=partner,
        )
        world.deliver(None, envelope=renamed)
        world.deliver(
            None, envelope=dataclasses.replace(created, time=renamed.time - timedelta(minutes=1))
        )
        hook = subscribe(world, receiver.url, event_types=(COMPLETED,))
        side(
            world, completed(uuid.uuid4(), partner, "unknown-net"), world.network, world.tenant_a, 3
        )
        drain(world.app)
        [event] = verified(receiver.received, hook["secret"])
        assert event.get_data()["payer_network_name"] == "Agri-échange"
        # A network the gateway has not announced since names were kept: null, never a guess.
        assert event.get_data()["payee_network_name"] is None
