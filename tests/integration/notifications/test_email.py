"""E-mail: French text and HTML messages from the outbox, over a real SMTP server on loopback
(aiosmtpd), with retries; ``.eml`` files in the embedded default."""

from __future__ import annotations

import dataclasses
import email
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from contracts import gateway as gw
from notifications import db, mail
from tests.integration.notifications.conftest import World
from tests.integration.notifications.test_feed import issued, settled


class Sink:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()  # aiosmtpd 1.4.6 cannot listen on port 0
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_world(world: World) -> Iterator[World]:
    saved = world.app.settings
    yield world
    world.app.settings = saved


def use_smtp(world: World, port: int) -> None:
    world.app.settings = dataclasses.replace(
        world.app.settings, smtp_host="127.0.0.1", smtp_port=port, smtp_timeout=5.0
    )


def email_of(world: World, member: uuid.UUID) -> str:
    with world.app.engine.connect() as conn:
        return str(db.get_member(conn, member).email)


def drain(world: World) -> None:
    for _ in range(10):
        if not mail.send_due(world.app):
            return


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_a_settled_invoice_is_mailed_to_both_parties_in_french(
    smtp_world: World, smtp_sink: tuple[Sink, int]
) -> None:
    world, (sink, port) = smtp_world, smtp_sink
    seller, buyer = world.admit(name="Imprimerie du Marais"), world.admit(name="Studio Rivoli")
    envelope = world.deliver(settled(seller, buyer, uuid.uuid4()))
    world.deliver(None, envelope=envelope)  # redelivered: no second e-mail
    use_smtp(world, port)
    drain(world)
    [to_seller] = sink.to(email_of(world, seller))
    [to_buyer] = sink.to(email_of(world, buyer))
    assert to_seller["Subject"] == "Facture F-2026-0001 réglée"
    text, html = parts(to_seller)
    assert text.startswith("Bonjour Imprimerie du Marais,")
    assert "crédité de 120.00 ACT" in text
    # The links open the web application's pages, never the JSON API.
    assert "/app/factures/" in text and "/app/notifications" in text
    assert f"/t/{world.tenant_a}/" not in text + parts(to_seller)[1]
    assert "<h1" in html and "Facture F-2026-0001 réglée" in html
    assert "débité de 120.00 ACT" in parts(to_buyer)[0]


def test_an_smtp_server_down_then_up_gets_the_message(
    smtp_world: World, smtp_sink: tuple[Sink, int]
) -> None:
    world, (sink, port) = smtp_world, smtp_sink
    seller, buyer = world.admit(), world.admit()
    world.deliver(issued(seller, buyer))
    use_smtp(world, free_port())  # nobody listens there
    mail.send_due(world.app)
    with world.app.engine.connect() as conn:
        row = conn.execute(
            select(db.emails).where(db.emails.c.to_address == email_of(world, buyer))
        ).one()
    assert (row.status, row.attempts) == ("pending", 1) and row.last_error
    use_smtp(world, port)
    drain(world)
    [message] = sink.to(email_of(world, buyer))
    assert "à accepter" in message["Subject"]
    assert "Acceptez ou contestez" in parts(message)[0]


def test_the_embedded_default_writes_eml_files(smtp_world: World) -> None:
    world = smtp_world
    assert not world.app.settings.smtp_host
    seller, buyer = world.admit(), world.admit()
    world.deliver(issued(seller, buyer))
    drain(world)
    address = email_of(world, buyer)
    found = [
        email.message_from_bytes(p.read_bytes(), policy=default)
        for p in world.app.settings.mail_dir.glob("*.eml")
    ]
    [message] = [m for m in found if m["To"] == address]
    assert isinstance(message, EmailMessage)
    assert "Bonjour" in parts(message)[0]


def test_animators_entries_are_not_mailed(smtp_world: World) -> None:
    world = smtp_world
    seller, buyer = world.admit(), world.admit()
    world.deliver(issued(seller, buyer, acceptance=False))
    with world.app.engine.connect() as conn:
        rows = conn.execute(select(db.emails).where(db.emails.c.tenant == world.tenant_a)).all()
    assert rows == []


def test_a_member_turns_a_kind_off_and_gets_no_email_of_it(smtp_world: World) -> None:
    world = smtp_world
    seller, buyer = world.admit(), world.admit()
    url = f"/t/{world.tenant_a}/notifications/preferences"
    shown = world.client.get(url, headers=world.member(buyer))
    assert shown.status_code == 200
    assert {i["kind"]: i["email"] for i in shown.json["items"]}["invoice_to_accept"] is True
    changed = world.client.put(
        url, headers=world.member(buyer), json={"email": {"invoice_to_accept": False}}
    )
    assert changed.status_code == 200, changed.json
    assert {i["kind"]: i["email"] for i in changed.json["items"]}["invoice_to_accept"] is False
    world.deliver(issued(seller, buyer))
    world.deliver(settled(seller, buyer, uuid.uuid4()))
    with world.app.engine.connect() as conn:
        kinds = conn.execute(
            select(db.notifications.c.kind)
            .join(db.emails, db.emails.c.notification_id == db.notifications.c.id)
            .where(db.notifications.c.member_id == buyer)
        ).scalars()
        assert sorted(kinds) == ["invoice_settled"]
    assert [i["kind"] for i in world.feed(world.member(buyer))["items"]].count(
        "invoice_to_accept"
    ) == 1  # the feed still has it


def test_animators_set_preferences_of_their_own_members_only(smtp_world: World) -> None:
    world = smtp_world
    mine, theirs = world.admit(), world.admit(tenant=world.tenant_b)
    url = f"/t/{world.tenant_a}/notifications/preferences"
    body = {"member_id": str(mine), "email": {"match_found": False}}
    assert world.client.put(url, headers=world.animator(), json=body).status_code == 200
    shown = world.client.get(url, headers=world.animator(), query_string={"member_id": mine})
    assert {i["kind"]: i["email"] for i in shown.json["items"]}["match_found"] is False
    refused = world.client.put(
        url, headers=world.animator(), json={**body, "member_id": str(theirs)}
    )
    assert refused.status_code == 422 and refused.json["code"] == "unknown_member"
    assert "unknown_ids" not in refused.json  # known, of another association: no lag
    hidden = world.client.get(url, headers=world.animator(), query_string={"member_id": theirs})
    assert hidden.status_code == 404 and "unknown_ids" not in hidden.json
    unknown = world.client.put(
        url, headers=world.member(mine), json={"email": {"no_such_kind": False}}
    )
    assert unknown.status_code == 422


def _link(world: World, cls: type, address: str, **extra: Any) -> Any:
    return cls(
        user_id=uuid.uuid4(),
        email=address,
        role="animator",
        token="tok-en_123",
        expires_at=datetime(2026, 12, 6, 12, 0, tzinfo=UTC),
        **extra,
    )


def test_a_password_reset_link_is_mailed_to_the_account_once(
    smtp_world: World, smtp_sink: tuple[Sink, int]
) -> None:
    world, (sink, port) = smtp_world, smtp_sink
    address = f"reset-{uuid.uuid4().hex[:6]}@example.org"
    envelope = world.deliver(_link(world, gw.PasswordResetRequested, address))
    world.deliver(None, envelope=envelope)  # redelivered: no second e-mail
    use_smtp(world, port)
    drain(world)
    [message] = sink.to(address)
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    text, html = parts(message)
    url = f"{world.app.settings.public_url}/app/mot-de-passe/nouveau?token=tok-en_123"
    assert url in text and f'href="{url}"' in html
    assert "expire le 06/12/2026 à 13:00" in text  # Paris time
    assert "/t/" not in text


def test_an_invitation_is_mailed_with_the_association_name(
    smtp_world: World, smtp_sink: tuple[Sink, int]
) -> None:
    world, (sink, port) = smtp_world, smtp_sink
    address = f"invited-{uuid.uuid4().hex[:6]}@example.org"
    world.deliver(_link(world, gw.UserInvited, address, tenant_name="Initiactive 95"))
    use_smtp(world, port)
    drain(world)
    [message] = sink.to(address)
    assert message["Subject"] == "Votre compte sur la plateforme vous attend"
    text, _ = parts(message)
    assert "par Initiactive 95" in text
    assert "/app/mot-de-passe/nouveau?token=tok-en_123" in text
    assert f"{world.app.settings.public_url}/" in text


def test_a_member_not_yet_learnt_is_named_as_unknown_for_the_gateway(smtp_world: World) -> None:
    """Lag or absence: ``unknown_ids`` lets the gateway, which owns the directory, tell them
    apart (it sends the request again, then answers 503 not_yet_known, for a member it holds)."""
    world = smtp_world
    newcomer = uuid.uuid4()
    url = f"/t/{world.tenant_a}/notifications/preferences"
    body = {"member_id": str(newcomer), "email": {"match_found": False}}
    refused = world.client.put(url, headers=world.animator(), json=body)
    assert refused.status_code == 422 and refused.json["code"] == "unknown_member"
    assert refused.json["unknown_ids"] == [str(newcomer)]
    unread = world.client.get(url, headers=world.animator(), query_string={"member_id": newcomer})
    assert unread.status_code == 404 and unread.json["code"] == "unknown_member"
    assert unread.json["unknown_ids"] == [str(newcomer)]
    with world.app.engine.connect() as conn:
        assert db.email_preferences_of(conn, newcomer) == {}  # nothing half-written
