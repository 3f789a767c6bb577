"""Webhooks: subscriptions, signed CloudEvents deliveries verified by a real receiver with the
``standardwebhooks`` and ``cloudevents`` libraries, retries, disabling, redelivery, SSRF and
tenant isolation."""

from __future__ import annotations

import dataclasses
import json
import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from cloudevents.core.bindings import http as ce_http
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from chassis.messages import envelope_for
from contracts import ledger as lg
from notifications import db
from notifications.bootstrap import NotificationsApp
from notifications.consumer import NotificationsConsumer
from notifications.delivery import deliver_due
from tests.integration.notifications.conftest import Receiver, World

POSTED = "org.trocactif.ledger.transfer_posted.v1"


def posted(amount: str = "10.00") -> lg.TransferPosted:
    return lg.TransferPosted(
        transfer_id=uuid.uuid4(),
        payer=uuid.uuid4(),
        payee=uuid.uuid4(),
        amount=Decimal(amount),
        unit="ACT",
        kind="direct",
        reference="test",
        posted_at=datetime.now(UTC),
    )


def subscribe(
    world: World, url: str, tenant: str | None = None, event_types: tuple[str, ...] = (POSTED,)
) -> dict[str, Any]:
    response = world.client.post(
        f"/t/{tenant or world.tenant_a}/webhooks",
        headers=world.animator(tenant),
        json={"url": url, "event_types": list(event_types), "description": "tests"},
    )
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def drain(app: NotificationsApp, rounds: int = 10) -> None:
    for _ in range(rounds):
        if not deliver_due(app):
            return


def verified(received: list[tuple[dict[str, str], bytes]], secret: str) -> list[Any]:
    """Verify each request's signature and parse it as a CloudEvent, as an integrator would."""
    events = []
    for headers, body in received:
        lowered = {k.lower(): v for k, v in headers.items()}
        Webhook(secret).verify(body, lowered)
        assert lowered["content-type"] == "application/cloudevents+json"
        event = ce_http.from_http_event(ce_http.HTTPMessage(headers=lowered, body=body))
        assert event.get_id() == lowered["webhook-id"]
        events.append(event)
    return events


class TestSubscriptions:
    def test_the_secret_is_shown_once(self, world: World) -> None:
        hook = subscribe(world, "https://93.184.215.14/hook")
        assert hook["secret"].startswith("whsec_") and hook["status"] == "active"
        shown = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}", headers=world.animator()
        )
        assert shown.status_code == 200 and "secret" not in shown.json
        listed = world.client.get(f"/t/{world.tenant_a}/webhooks", headers=world.animator())
        assert [h["id"] for h in listed.json["items"]] == [hook["id"]]
        assert "secret" not in listed.json["items"][0]

    def test_who_may_manage_webhooks(self, world: World) -> None:
        body = {"url": "https://93.184.215.14/hook", "event_types": [POSTED]}
        url = f"/t/{world.tenant_a}/webhooks"
        assert world.client.post(url, json=body, headers=world.integrator()).status_code == 201
        assert (
            world.client.post(
                url, json=body, headers=world.integrator(scopes=("ledger:read",))
            ).status_code
            == 403
        )
        assert (
            world.client.post(url, json=body, headers=world.member(uuid.uuid4())).status_code == 403
        )
        assert (
            world.client.post(url, json=body, headers=world.integrator(world.tenant_b)).status_code
            == 404
        )

    @pytest.mark.parametrize(
        "url",
        [
            "ftp://93.184.215.14/x",
            "file:///etc/passwd",
            "http://127.0.0.1:8000/x",
            "http://10.0.0.5/x",
            "http://[::1]/x",
            "http://localhost/x",
            "http://169.254.169.254/latest",
        ],
    )
    def test_unsafe_targets_are_refused(self, world: World, url: str) -> None:
        app = dataclasses.replace(world.app.settings, webhooks_allow_private_targets=False)
        world.app.settings, saved = app, world.app.settings
        try:
            response = world.client.post(
                f"/t/{world.tenant_a}/webhooks",
                headers=world.animator(),
                json={"url": url, "event_types": [POSTED]},
            )
        finally:
            world.app.settings = saved
        assert response.status_code == 422 and response.json["code"] == "unsafe_target"

    def test_non_http_urls_are_refused_even_when_private_targets_are_allowed(
        self, world: World
    ) -> None:
        response = world.client.post(
            f"/t/{world.tenant_a}/webhooks",
            headers=world.animator(),
            json={"url": "gopher://127.0.0.1/x", "event_types": [POSTED]},
        )
        assert response.status_code == 422 and response.json["code"] == "unsafe_target"

    def test_unknown_event_types_are_refused(self, world: World) -> None:
        response = world.client.post(
            f"/t/{world.tenant_a}/webhooks",
            headers=world.animator(),
            json={
                "url": "https://93.184.215.14/hook",
                "event_types": ["org.trocactif.gateway.x.v1"],
            },
        )
        assert response.status_code == 422 and "event_types" in response.json["errors"]

    def test_a_deleted_webhook_gets_nothing(self, world: World, receiver: Receiver) -> None:
        hook = subscribe(world, receiver.url)
        deleted = world.client.delete(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}", headers=world.animator()
        )
        assert deleted.status_code == 204
        world.deliver(posted(), source="ledger")
        drain(world.app)
        assert receiver.received == []
        assert (
            world.client.get(
                f"/t/{world.tenant_a}/webhooks/{hook['id']}", headers=world.animator()
            ).status_code
            == 404
        )


class TestManagement:
    def test_an_endpoint_is_edited_paused_and_resumed(
        self, world: World, receiver: Receiver
    ) -> None:
        hook = subscribe(world, "https://93.184.215.14/old")
        url = f"/t/{world.tenant_a}/webhooks/{hook['id']}"
        edited = world.client.patch(
            url,
            headers=world.animator(),
            json={"url": receiver.url, "description": "edited", "active": False},
        )
        assert edited.status_code == 200, edited.json
        assert (edited.json["url"], edited.json["status"]) == (receiver.url, "disabled")
        assert "secret" not in edited.json
        world.deliver(posted(), source="ledger")
        drain(world.app)
        assert receiver.received == []  # paused: the delivery waits
        resumed = world.client.patch(url, headers=world.animator(), json={"active": True})
        assert resumed.json["status"] == "active"
        world.deliver(posted(), source="ledger")
        drain(world.app)
        assert len(verified(receiver.received, hook["secret"])) == 2  # the one that waited too
        refused = world.client.patch(
            url, headers=world.animator(), json={"event_types": ["org.trocactif.nothing.v1"]}
        )
        assert refused.status_code == 422 and "event_types" in refused.json["errors"]
        unsafe = world.client.patch(
            url, headers=world.animator(), json={"url": "file:///etc/passwd"}
        )
        assert unsafe.status_code == 422 and unsafe.json["code"] == "unsafe_target"
        member = world.client.patch(url, headers=world.member(uuid.uuid4()), json={"active": False})
        assert member.status_code == 403

    def test_during_a_rotation_both_secrets_verify(self, world: World, receiver: Receiver) -> None:
        hook = subscribe(world, receiver.url)
        rotated = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/rotate-secret",
            headers=world.animator(),
            json={"overlap_hours": 24},
        )
        assert rotated.status_code == 200, rotated.json
        new = rotated.json["secret"]
        assert new != hook["secret"] and rotated.json["previous_secret_expires_at"]
        world.deliver(posted(), source="ledger")
        drain(world.app)
        [request] = receiver.received
        signatures = {k.lower(): v for k, v in request[0].items()}["webhook-signature"]
        assert len(signatures.split(" ")) == 2
        verified([request], new)
        verified([request], hook["secret"])  # an integrator not yet switched still verifies
        shown = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}", headers=world.animator()
        ).json
        assert "secret" not in shown and "previous_secret" not in shown

    def test_a_rotation_without_overlap_retires_the_old_secret_at_once(
        self, world: World, receiver: Receiver
    ) -> None:
        hook = subscribe(world, receiver.url)
        rotated = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/rotate-secret",
            headers=world.animator(),
            json={"overlap_hours": 0},
        ).json
        world.deliver(posted(), source="ledger")
        drain(world.app)
        verified(receiver.received, rotated["secret"])
        with pytest.raises(Exception, match="(?i)signature"):
            verified(receiver.received, hook["secret"])

    def test_a_range_after_a_sequence_is_sent_again(self, world: World, receiver: Receiver) -> None:
        hook = subscribe(world, receiver.url)
        sent = [world.deliver(posted(), source="ledger", sequence=n).id for n in (5, 6, 7)]
        drain(world.app)
        assert len(receiver.received) == 3
        again = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/redeliver",
            headers=world.animator(),
            json={"after": 5},
        )
        assert again.status_code == 202 and again.json == {"queued": 2}
        drain(world.app)
        replayed = [e.get_id() for e in verified(receiver.received[3:], hook["secret"])]
        assert replayed == sent[1:]  # in sequence order, with their webhook-ids
        # Each producer numbers its own log: the range is the ledger's unless told otherwise.
        invoices = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/redeliver",
            headers=world.animator(),
            json={"after": 0, "source": "invoices"},
        )
        assert invoices.status_code == 202 and invoices.json == {"queued": 0}
        unknown = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/redeliver",
            headers=world.animator(),
            json={"after": 0, "source": "gateway"},
        )
        assert unknown.status_code == 422 and "source" in unknown.json["errors"]
        other = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{uuid.uuid4()}/redeliver",
            headers=world.animator(),
            json={"after": 0},
        )
        assert other.status_code == 404


class TestDeliveries:
    def test_a_signed_cloudevent_reaches_the_receiver(
        self, world: World, receiver: Receiver
    ) -> None:
        hook = subscribe(world, receiver.url)
        envelope = world.deliver(posted("12.50"), source="ledger", sequence=7)
        world.deliver(None, envelope=envelope)  # a redelivered bus message: no second delivery
        drain(world.app)
        [event] = verified(receiver.received, hook["secret"])
        assert event.get_id() == envelope.id
        assert event.get_type() == POSTED
        assert event.get_extension("tenant") == world.tenant_a
        assert event.get_extension("sequence") == "00000000000000000007"
        assert event.get_source() == f"/t/{world.tenant_a}/ledger"
        assert event.get_data()["sequence"] == 7  # the deprecated integer copy, for one version
        assert event.get_data()["amount"] == "12.50"
        log = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/deliveries", headers=world.animator()
        ).json
        [delivery] = log["items"]
        assert (delivery["status"], delivery["last_status_code"]) == ("succeeded", 204)
        assert delivery["attempt_log"][0]["status_code"] == 204

    def test_a_slow_endpoint_does_not_hold_up_another_and_each_gets_its_events_in_order(
        self, world: World, receiver: Receiver, second_receiver: Receiver
    ) -> None:
        slow, fast = receiver, second_receiver
        fast_served = threading.Event()
        waited: list[bool] = []

        def hold_until_the_other_is_served() -> None:
            waited.append(fast_served.wait(timeout=10))

        def count_fast() -> None:
            if len(fast.received) == 3:
                fast_served.set()

        slow.before_answer = hold_until_the_other_is_served
        fast.before_answer = count_fast
        hooks = [subscribe(world, slow.url), subscribe(world, fast.url)]
        amounts = ["1.00", "2.00", "3.00"]
        for amount in amounts:
            world.deliver(posted(amount), source="ledger")
        assert deliver_due(world.app) == 6
        # The slow endpoint's first answer waited for the other's three: they were sent at once.
        assert waited[0] is True
        for hook, endpoint in zip(hooks, (slow, fast), strict=True):
            events = verified(endpoint.received, hook["secret"])
            assert [e.get_data()["amount"] for e in events] == amounts

    def test_the_consumer_wakes_the_delivery_loop_once_deliveries_are_queued(
        self, world: World, receiver: Receiver
    ) -> None:
        def event() -> Any:
            return envelope_for(
                posted(), source="ledger", network=world.network, tenant=world.tenant_a
            )

        woken: list[bool] = []
        consumer = NotificationsConsumer(world.app, on_queued=lambda: woken.append(True))
        consumer.handle_batch([event()])
        assert woken == []  # no endpoint subscribed: nothing to send
        subscribe(world, receiver.url)
        consumer.handle_batch([event(), event()])
        assert woken == [True]  # once per batch, after its commit

    def test_receiver_down_then_up_gets_every_event_with_the_same_ids(
        self, world: World, receiver: Receiver
    ) -> None:
        hook = subscribe(world, receiver.url)
        receiver.status = 503
        sent = [world.deliver(posted(f"{n}.00"), source="ledger").id for n in range(1, 4)]
        drain(world.app, rounds=1)
        drain(world.app, rounds=1)  # two failed attempts each (schedule: 3 retries)
        assert len(receiver.received) == 6
        receiver.status = 200
        drain(world.app)
        events = verified(receiver.received, hook["secret"])
        ids = [e.get_id() for e in events]
        assert sorted(set(ids)) == sorted(sent)
        assert all(ids.count(i) == 3 for i in sent)  # retries carry the same webhook-id
        log = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/deliveries", headers=world.animator()
        ).json
        assert {d["status"] for d in log["items"]} == {"succeeded"}
        assert [a["status_code"] for a in log["items"][0]["attempt_log"]] == [503, 503, 200]

    def test_after_the_last_retry_the_endpoint_is_disabled_and_redelivery_revives_it(
        self, world: World, receiver: Receiver
    ) -> None:
        hook = subscribe(world, receiver.url)
        receiver.status = 500
        envelope = world.deliver(posted(), source="ledger")
        drain(world.app)
        assert len(receiver.received) == 4  # the first attempt and 3 retries
        shown = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}", headers=world.animator()
        ).json
        assert shown["status"] == "disabled"
        kinds = [i["kind"] for i in world.feed(world.animator())["items"]]
        assert kinds == ["webhook_disabled"]
        world.deliver(posted(), source="ledger")  # queued, not sent while disabled
        drain(world.app)
        assert len(receiver.received) == 4
        log = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/deliveries", headers=world.animator()
        ).json
        failed = next(d for d in log["items"] if d["event_id"] == envelope.id)
        assert failed["status"] == "failed"
        receiver.status = 200
        again = world.client.post(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/deliveries/{failed['id']}/redeliver",
            headers=world.animator(),
        )
        assert again.status_code == 202 and again.json["status"] == "pending"
        drain(world.app)
        events = verified(receiver.received[4:], hook["secret"])
        assert envelope.id in [e.get_id() for e in events]
        assert len(events) == 2  # the redelivered one and the one queued meanwhile

    def test_tenant_b_endpoints_never_get_tenant_a_events(
        self, world: World, receiver: Receiver
    ) -> None:
        hook_b = subscribe(world, receiver.url, tenant=world.tenant_b)
        world.deliver(posted(), source="ledger")  # tenant A
        world.deliver(
            lg.CreditLimitChanged(
                account_id=uuid.uuid4(),
                unit="ACT",
                old_credit_limit=Decimal("1"),
                credit_limit=Decimal("2"),
            ),
            source="ledger",
            tenant=world.tenant_b,
        )  # B's, but not subscribed
        drain(world.app)
        assert receiver.received == []
        own = world.deliver(posted(), source="ledger", tenant=world.tenant_b)
        drain(world.app)
        [event] = verified(receiver.received, hook_b["secret"])
        assert event.get_id() == own.id and event.get_extension("tenant") == world.tenant_b
        with world.app.engine.connect() as conn:
            tenants = set(
                conn.execute(
                    select(db.deliveries.c.tenant).where(
                        db.deliveries.c.webhook_id == uuid.UUID(hook_b["id"])
                    )
                ).scalars()
            )
        assert tenants == {world.tenant_b}
        other = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook_b['id']}/deliveries", headers=world.animator()
        )
        assert other.status_code == 404

    def test_a_private_target_is_refused_when_sending(
        self, world: World, receiver: Receiver
    ) -> None:
        hook = subscribe(world, receiver.url.replace("127.0.0.1", "localhost"))
        world.app.settings = dataclasses.replace(
            world.app.settings, webhooks_allow_private_targets=False
        )
        try:
            world.deliver(posted(), source="ledger")
            drain(world.app, rounds=1)
        finally:
            world.app.settings = dataclasses.replace(
                world.app.settings, webhooks_allow_private_targets=True
            )
        assert receiver.received == []
        log = world.client.get(
            f"/t/{world.tenant_a}/webhooks/{hook['id']}/deliveries", headers=world.animator()
        ).json
        assert "unsafe target" in log["items"][0]["last_error"]
        assert json.dumps(log)  # the log is plain JSON
