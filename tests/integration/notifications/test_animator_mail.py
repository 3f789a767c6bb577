"""The animators' validation e-mails, on both backends: each time, a daily digest, or none; the
reminder before a hold expires, once whatever the passes and replays; the choice through the
API; and the audit entries of the webhook changes."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from chassis.db import utcnow
from contracts import gateway as gw
from contracts import invoices as inv
from notifications import db, mail
from notifications.domain import PARIS
from tests.integration.notifications.conftest import World


def animator(world: World, tenant: str | None = None, **changes: Any) -> tuple[str, str]:
    """A new animator of ``tenant`` (the gateway's ``user_changed``): its id and address."""
    user_id = uuid.uuid4()
    address = f"anim-{user_id.hex[:8]}@example.org"
    world.deliver(
        gw.UserChanged(
            user_id=user_id,
            email=address,
            role=changes.get("role", "animator"),
            status=changes.get("status", "active"),
        ),
        tenant=tenant,
    )
    return str(user_id), address


def choose(world: World, user_id: str, choice: str, tenant: str | None = None) -> Any:
    tenant = tenant or world.tenant_a
    headers = world.tokens.headers(
        "animator", tenant=tenant, network=world.network, subject=user_id
    )
    response = world.client.put(
        f"/t/{tenant}/notifications/preferences",
        headers=headers,
        json={"validation_emails": choice},
    )
    assert response.status_code == 200, response.json
    return response.json


def awaiting(
    world: World,
    seller: uuid.UUID,
    buyer: uuid.UUID,
    *,
    expires_at: datetime | None = None,
    tenant: str | None = None,
    invoice_id: uuid.UUID | None = None,
) -> inv.InvoiceAwaitingValidation:
    message = inv.InvoiceAwaitingValidation(
        invoice_id=invoice_id or uuid.uuid4(),
        number=f"F-2026-{uuid.uuid4().int % 100000:05d}",
        seller_member_id=seller,
        buyer_member_id=buyer,
        transfer_id=uuid.uuid4(),
        unit_part=Decimal("240.00"),
        unit="Actifs",
        expires_at=expires_at or utcnow() + timedelta(days=10),
    )
    world.deliver(message, tenant=tenant)
    return message


def mails_to(world: World, address: str) -> list[Any]:
    with world.app.engine.connect() as conn:
        return list(
            conn.execute(
                select(db.emails)
                .where(db.emails.c.to_address == address)
                .order_by(db.emails.c.created_at)
            )
        )


def test_each_digest_none_the_seller_association_only(world: World) -> None:
    each_id, each = animator(world)
    digest_id, digest = animator(world)
    none_id, none = animator(world)
    _, disabled = animator(world, status="disabled")
    _, member_user = animator(world, role="member")
    _, elsewhere = animator(world, tenant=world.tenant_b)
    choose(world, digest_id, "digest")
    choose(world, none_id, "none")
    seller, buyer = world.admit(), world.admit(tenant=world.tenant_b)

    message = awaiting(world, seller, buyer)
    # A cross-tenant invoice's events reach the buyer's association too: it cannot validate.
    world.deliver(message, tenant=world.tenant_b)

    [sent] = mails_to(world, each)
    assert sent.subject == f"Facture {message.number} à valider"
    assert "240.00 Actifs" in sent.text
    public = world.app.settings.public_url
    assert f"{public}/app/validation" in sent.text and f"{public}/app/validation" in sent.html
    assert f"{public}/app/notifications/preferences" in sent.text
    assert "/t/" not in sent.text  # the web pages, never the JSON API
    for address in (digest, none, disabled, member_user, elsewhere):
        assert mails_to(world, address) == []

    # A replayed event (a new envelope of the same fact) sends nothing more.
    world.deliver(message)
    assert len(mails_to(world, each)) == 1
    assert each_id != digest_id


def test_the_digest_lists_what_waits_once_a_paris_day(world: World) -> None:
    digest_id, digest = animator(world)
    choose(world, digest_id, "digest")
    seller, buyer = world.admit(), world.admit()
    first = awaiting(world, seller, buyer)
    second = awaiting(world, seller, buyer)
    done = awaiting(world, seller, buyer)
    world.deliver(
        inv.InvoiceValidated(
            invoice_id=done.invoice_id,
            number=done.number,
            seller_member_id=seller,
            buyer_member_id=buyer,
            transfer_id=done.transfer_id,
        )
    )
    world.app.settings = dataclasses.replace(world.app.settings, validation_digest_at=time(8))
    today = utcnow().astimezone(PARIS).date() + timedelta(days=1)
    before = datetime.combine(today, time(7, 59), tzinfo=PARIS)
    at = datetime.combine(today, time(8, 0), tzinfo=PARIS)
    assert mail.digest_pass(world.app, before) == 0
    assert mails_to(world, digest) == []
    mail.digest_pass(world.app, at)
    [sent] = mails_to(world, digest)
    assert sent.subject == "2 factures attendent votre validation"
    assert first.number in sent.text and second.number in sent.text
    assert done.number not in sent.text
    assert f"{world.app.settings.public_url}/app/validation" in sent.html
    # Later passes, and another worker's, the same day: nothing more.
    mail.digest_pass(world.app, at + timedelta(hours=3))
    assert len(mails_to(world, digest)) == 1
    # The next day, again.
    mail.digest_pass(world.app, at + timedelta(days=1))
    assert len(mails_to(world, digest)) == 2


def test_the_reminder_two_days_before_expiry_is_sent_once(world: World) -> None:
    each_id, each = animator(world)
    digest_id, digest = animator(world)
    none_id, none = animator(world)
    choose(world, digest_id, "digest")
    choose(world, none_id, "none")
    seller, buyer = world.admit(), world.admit()
    expires = utcnow() + timedelta(days=20)
    message = awaiting(world, seller, buyer, expires_at=expires)
    assert len(mails_to(world, each)) == 1  # the e-mail of each time

    assert mail.reminder_pass(world.app, expires - timedelta(days=3)) == 0
    queued = mail.reminder_pass(world.app, expires - timedelta(days=2))
    assert queued >= 2
    [reminder] = [m for m in mails_to(world, each) if "expire" in m.subject]
    assert reminder.subject == f"Facture {message.number} : la réservation expire bientôt"
    local = expires.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")
    assert local in reminder.text and local in reminder.html
    assert f"/app/factures/{message.invoice_id}" in reminder.text
    assert [m.subject for m in mails_to(world, digest)] == [reminder.subject]
    assert mails_to(world, none) == []

    # Again later, after a replay of the event, and as if the row were never marked: once.
    mail.reminder_pass(world.app, expires - timedelta(days=1))
    world.deliver(message)
    with world.app.transaction() as conn:
        conn.execute(
            db.validations.update()
            .where(db.validations.c.invoice_id == message.invoice_id)
            .values(reminded_at=None)
        )
    mail.reminder_pass(world.app, expires - timedelta(hours=1))
    assert len([m for m in mails_to(world, each) if "expire" in m.subject]) == 1
    assert len(mails_to(world, digest)) == 1


def test_no_reminder_once_the_invoice_no_longer_waits(world: World) -> None:
    _, each = animator(world)
    seller, buyer = world.admit(), world.admit()
    expires = utcnow() + timedelta(days=20)
    message = awaiting(world, seller, buyer, expires_at=expires)
    world.deliver(
        inv.InvoiceRejected(
            invoice_id=message.invoice_id,
            number=message.number,
            seller_member_id=seller,
            buyer_member_id=buyer,
            reason="doublon",
        )
    )
    mail.reminder_pass(world.app, expires - timedelta(days=1))
    assert [m.subject for m in mails_to(world, each)] == [f"Facture {message.number} à valider"]


def test_the_choice_through_the_api(world: World) -> None:
    user_id, _ = animator(world)
    headers = world.tokens.headers(
        "animator", tenant=world.tenant_a, network=world.network, subject=user_id
    )
    path = f"/t/{world.tenant_a}/notifications/preferences"
    default = world.client.get(path, headers=headers).json
    assert default["validation_emails"] == "each"
    assert default["digest_hour"] == world.app.settings.validation_digest_at.strftime("%H:%M")
    assert choose(world, user_id, "digest")["validation_emails"] == "digest"
    assert world.client.get(path, headers=headers).json["validation_emails"] == "digest"

    bad = world.client.put(path, headers=headers, json={"validation_emails": "weekly"})
    assert bad.status_code == 422 and "validation_emails" in bad.json["errors"]
    empty = world.client.put(path, headers=headers, json={})
    assert empty.status_code == 422 and "email" in empty.json["errors"]

    member = world.admit()
    refused = world.client.put(
        path, headers=world.member(member), json={"validation_emails": "none"}
    )
    assert refused.status_code == 403
    assert world.client.get(path, headers=world.member(member)).json["validation_emails"] is None
    other = world.client.get(f"/t/{world.tenant_b}/notifications/preferences", headers=headers)
    assert other.status_code == 404


def test_webhook_changes_are_audited_from_the_token(world: World) -> None:
    user_id = str(uuid.uuid4())
    headers = world.tokens.headers(
        "animator", tenant=world.tenant_a, network=world.network, subject=user_id
    )
    base = f"/t/{world.tenant_a}/webhooks"
    created = world.client.post(
        base,
        headers=headers,
        json={"url": "https://example.org/hook", "event_types": [inv_type()]},
    )
    assert created.status_code == 201, created.json
    hook = created.json["id"]
    assert (
        world.client.patch(f"{base}/{hook}", headers=headers, json={"active": False}).status_code
        == 200
    )
    assert (
        world.client.post(f"{base}/{hook}/rotate-secret", headers=headers, json={}).status_code
        == 200
    )
    assert world.client.delete(f"{base}/{hook}", headers=headers).status_code == 204

    log = world.client.get("/audit", headers=headers, query_string={"tenant": world.tenant_a})
    assert log.status_code == 200, log.json
    mine = [e for e in log.json["items"] if e["target"]["id"] == hook]
    assert [e["action"] for e in mine] == [
        "webhook_revoked",
        "webhook_secret_rotated",
        "webhook_updated",
        "webhook_created",
    ]
    assert {e["actor"]["user_id"] for e in mine} == {user_id}
    assert {e["actor"]["role"] for e in mine} == {"animator"}
    assert mine[-1]["target"] == {"type": "webhook", "id": hook}
    assert mine[-1]["details"]["url"] == "https://example.org/hook"
    assert "secret" not in str(mine[1]["details"]).lower().replace("secret_rotated", "")

    only = world.client.get(
        "/audit",
        headers=headers,
        query_string={"tenant": world.tenant_a, "action": "webhook_created", "actor": user_id},
    ).json
    assert [e["action"] for e in only["items"]] == ["webhook_created"]
    assert (
        world.client.get(
            "/audit", headers=headers, query_string={"tenant": world.tenant_b}
        ).status_code
        == 404
    )
    assert world.client.get("/audit", headers=headers).status_code == 403


def inv_type() -> str:
    return "org.trocactif.invoices.invoice_settled.v1"


@pytest.fixture(autouse=True)
def _restore_settings(world: World) -> Any:
    saved = world.app.settings
    yield
    world.app.settings = saved
