"""Direct AMQP subscriptions: the operator's command makes a RabbitMQ user that receives its
tenant's events and is refused a binding to another tenant's (RabbitMQ topic permissions)."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal

import amqp.exceptions
import pytest
import requests
from kombu import Connection

from chassis.bus import Publisher
from chassis.messages import Envelope, envelope_for
from chassis.testing.plugin import need_rabbitmq
from chassis.testing.rabbit import temporary_vhost
from contracts import ledger as lg
from contracts.topology import platform_topology
from notifications import amqp as subscriptions
from notifications.cli import main

pytestmark = pytest.mark.e2e


def changed(network: str, tenant: str) -> Envelope:
    return envelope_for(
        lg.CreditLimitChanged(
            account_id=uuid.uuid4(),
            unit="ACT",
            old_credit_limit=Decimal("1"),
            credit_limit=Decimal("2"),
        ),
        source="ledger",
        network=network,
        tenant=tenant,
    )


def test_a_confined_user_reads_its_tenant_and_cannot_bind_another() -> None:
    broker = need_rabbitmq("AMQP subscriptions for integrators")
    network, user = f"net-{uuid.uuid4().hex[:6]}", f"acme-{uuid.uuid4().hex[:6]}"
    password = uuid.uuid4().hex
    with temporary_vhost(broker) as vhost:
        management = subscriptions.Management.for_broker(vhost.url)
        publisher = Publisher(vhost.url, topology=platform_topology())
        try:
            publisher.publish("ledger.events", "x.y.z", changed(network, "pie"))  # declares
            done = subscriptions.create_subscriber(
                management,
                vhost=vhost.name,
                user=user,
                password=password,
                network=network,
                tenant="pie",
            )
            assert done["binding_keys"] == f"{network}.pie.#"
            url = vhost.url.replace(vhost.url.split("@")[0], f"amqp://{user}:{password}", 1)
            queue = f"integrator.{user}.ledger"
            with Connection(url) as conn:
                channel = conn.channel()
                channel.queue_declare(queue=queue, auto_delete=True)
                channel.queue_bind(
                    queue=queue, exchange="ledger.events", routing_key=f"{network}.pie.#"
                )
                ours, theirs = changed(network, "pie"), changed(network, "fa-mgp")
                for envelope in (theirs, ours):
                    publisher.publish("ledger.events", envelope.routing_key, envelope)
                got = None
                for _ in range(50):
                    got = channel.basic_get(queue, no_ack=True)
                    if got is not None:
                        break
                    time.sleep(0.1)
                assert got is not None
                assert Envelope.from_json(got.body).id == ours.id
                assert channel.basic_get(queue, no_ack=True) is None
                for key in (f"{network}.fa-mgp.#", "#"):
                    refused = conn.channel()
                    with pytest.raises(amqp.exceptions.AccessRefused):
                        refused.queue_bind(queue=queue, exchange="ledger.events", routing_key=key)
                other = conn.channel()
                with pytest.raises(amqp.exceptions.AccessRefused):
                    other.queue_declare(queue="someone-else", auto_delete=True)
        finally:
            publisher.close()
            requests.delete(
                f"{management.base_url}/api/users/{user}",
                auth=(management.user, management.password),
                timeout=10,
            )


def test_the_command_refuses_bad_names(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "amqp-subscriber",
            "net",
            "Pie Tenant",
            "--user",
            "acme",
            "--password",
            "long-enough-password",
        ]
    )
    assert code == 2
    assert "tenant must be" in capsys.readouterr().err
