"""The animators in the loop and the audit trail, end to end through the gateway, every service a
real process: an invoice awaiting validation e-mails the seller's animators who chose ``each``,
recalls its hold two days before it expires to ``each`` and ``digest`` (once, also after the
worker restarts), lists in the daily digest once its hour has come (once a day, also after a
restart), and nothing to ``none`` nor to the buyer's association; e-mails are ``.eml`` files in
the embedded mail folder, as in ``make run``. The validation, the rejection and the webhook
changes appear in ``GET /t/<t>/audit`` and ``GET /audit``, each recorded by its own service."""

from __future__ import annotations

import email
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually

pytestmark = pytest.mark.e2e

PUBLIC_URL = "https://troc.example.org"
PASSWORD = "Pommes-et-poires-2027"
ANIMATOR = "animation@pie.demo.trocactif.org"
SELLER = "contact@atelier-lumiere.demo.trocactif.org"
OPERATOR = "operator@demo.trocactif.org"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    env = {
        "TROC_PUBLIC_URL": PUBLIC_URL,
        "TROC_ANIMATOR_MAIL_INTERVAL_S": "1",
        # Not due today until the test says so (it restarts the worker at another hour).
        "TROC_VALIDATION_DIGEST_HOUR": "23:59",
    }
    with running_platform(tmp_path_factory.mktemp("animators"), tag="anim", env=env) as running:
        yield running


def mails_to(platform: Platform, address: str) -> list[EmailMessage]:
    folder = Path(platform.env["TROC_VAR_DIR"]) / "mail"
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        if message["To"] == address:
            found.append(message)
    return found


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def html_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    return str(body.get_content())


def new_animator(platform: Platform, tenant: str, headers: dict[str, str], name: str) -> str:
    address = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    platform.post(
        f"/t/{tenant}/users",
        headers,
        status=201,
        json={"email": address, "password": PASSWORD, "role": "animator"},
    )
    return address


def choose(platform: Platform, address: str, choice: str) -> None:
    headers = platform.login(address, PASSWORD)

    def chosen() -> Any:
        response = requests.put(
            f"{platform.url}/t/pie/notifications/preferences",
            headers=headers,
            json={"validation_emails": choice},
            timeout=15,
        )
        assert response.status_code == 200, response.text
        return response.json()["validation_emails"] == choice

    eventually(chosen)


def awaiting_invoice(platform: Platform, animator: dict[str, str]) -> dict[str, Any]:
    """An invoice of a PIE seller to an FA-MGP buyer, awaiting PIE's validation."""
    seller = platform.login(SELLER)
    directory = platform.get("/t/pie/members", animator, scope="network", per_page=100)["items"]
    seller_view = next(m for m in directory if m["name"] == "Atelier Lumière Design")
    buyer_view = next(m for m in directory if m["name"] == "Menuiserie Dubois et Fils")

    def address(view: dict[str, Any]) -> dict[str, str]:
        return {k: view["address"][k] for k in ("street", "postal_code", "city")}

    body = {
        "buyer_member_id": buyer_view["id"],
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "seller_address": address(seller_view),
        "buyer_address": address(buyer_view),
        "lines": [
            {"description": "Affiches", "quantity": "1", "unit_price": "50.00", "vat_rate": "20"}
        ],
    }

    def drafted() -> Any:
        response = requests.post(
            f"{platform.url}/t/pie/invoices", json=body, headers=seller, timeout=15
        )
        return response.json() if response.status_code == 201 else None

    invoice_id = eventually(drafted)["id"]
    platform.post(f"/t/pie/invoices/{invoice_id}/issue", seller)

    def waiting() -> Any:
        found = platform.get(f"/t/pie/invoices/{invoice_id}", animator)
        return found if found["status"] == "awaiting_validation" else None

    return dict(eventually(waiting, what="the invoice awaiting validation"))


def test_each_digest_none_and_the_reminder_once(platform: Platform) -> None:
    operator = platform.login(OPERATOR)
    animator = platform.login(ANIMATOR)
    # Holds expire in a day: the reminder (two days before) is due as soon as one is placed.
    response = requests.patch(
        f"{platform.url}/networks/troc-actif",
        headers=operator,
        json={"hold_expiry_days": 1},
        timeout=15,
    )
    assert response.status_code == 200, response.text
    each = new_animator(platform, "pie", animator, "each")
    digest = new_animator(platform, "pie", animator, "digest")
    none = new_animator(platform, "pie", animator, "none")
    buyer_side = new_animator(
        platform, "fa-mgp", platform.login("animation@fa-mgp.demo.trocactif.org"), "buyer-side"
    )
    choose(platform, digest, "digest")
    choose(platform, none, "none")

    invoice = awaiting_invoice(platform, animator)
    number = invoice["number"]
    expires = datetime.fromisoformat(invoice["hold_expires_at"])
    assert expires - datetime.now(UTC) < timedelta(days=2)

    def each_got_both() -> list[EmailMessage] | None:
        mails = [m for m in mails_to(platform, each) if number in m["Subject"]]
        return mails if len(mails) == 2 else None

    mails = eventually(each_got_both, what="the e-mail of each time and the reminder")
    [to_validate] = [m for m in mails if m["Subject"] == f"Facture {number} à valider"]
    [reminder] = [m for m in mails if "expire bientôt" in m["Subject"]]
    assert f"{PUBLIC_URL}/app/validation" in text_of(to_validate)
    assert f"{PUBLIC_URL}/app/notifications/preferences" in html_of(to_validate)
    assert f"{PUBLIC_URL}/app/factures/{invoice['id']}" in text_of(reminder)
    assert "/t/pie/" not in text_of(to_validate) + text_of(reminder)
    # The digest animator has the reminder only; none and the buyer's association nothing.
    eventually(lambda: mails_to(platform, digest), what="the digest animator's reminder")
    assert [m["Subject"] for m in mails_to(platform, digest)] == [reminder["Subject"]]
    assert mails_to(platform, none) == []
    assert mails_to(platform, buyer_side) == []

    # A restarted worker sends no reminder twice.
    platform.restart("notifications-worker")
    time.sleep(3)  # several passes of the loops (every second)
    assert len([m for m in mails_to(platform, each) if "expire" in m["Subject"]]) == 1

    # The digest's hour has come: the worker, started again at it, sends today's digest once.
    worker = platform.worker("notifications")
    worker.env["TROC_VALIDATION_DIGEST_HOUR"] = "00:00"
    platform.restart("notifications-worker")
    [summary] = eventually(
        lambda: [m for m in mails_to(platform, digest) if "validation" in m["Subject"]],
        what="the digest",
    )
    assert number in text_of(summary) and number in html_of(summary)
    assert f"{PUBLIC_URL}/app/validation" in text_of(summary)
    platform.restart("notifications-worker")
    time.sleep(3)
    assert len(mails_to(platform, digest)) == 2  # the reminder and one digest
    assert mails_to(platform, none) == []


def test_validation_rejection_and_webhooks_are_in_the_audit_log(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    me = platform.get("/me", animator)
    validated = awaiting_invoice(platform, animator)
    rejected = awaiting_invoice(platform, animator)
    platform.post(f"/t/pie/invoices/{validated['id']}/validate", animator)
    platform.post(f"/t/pie/invoices/{rejected['id']}/reject", animator, json={"reason": "doublon"})
    hook = platform.post(
        "/t/pie/webhooks",
        animator,
        status=201,
        json={
            "url": "https://example.org/hook",
            "event_types": ["org.trocactif.invoices.invoice_settled.v1"],
        },
    )
    deleted = requests.delete(
        f"{platform.url}/t/pie/webhooks/{hook['id']}", headers=animator, timeout=15
    )
    assert deleted.status_code == 204

    log = platform.get("/t/pie/audit", animator, per_page=10)
    assert log["sources"] == {
        "gateway": "ok",
        "ledger": "ok",
        "invoices": "ok",
        "notifications": "ok",
    }
    assert [(e["action"], e["target"]["id"]) for e in log["items"][:4]] == [
        ("webhook_revoked", hook["id"]),
        ("webhook_created", hook["id"]),
        ("invoice_rejected", rejected["id"]),
        ("invoice_validated", validated["id"]),
    ]
    actor = {"user_id": me["subject"], "email": ANIMATOR, "role": "animator"}
    assert all(e["actor"] == actor for e in log["items"][:4])
    assert log["items"][3]["target"] == {"type": "invoice", "id": validated["id"]}
    assert log["items"][2]["details"]["reason"] == "doublon"
    assert log["items"][1]["details"]["url"] == "https://example.org/hook"

    only = platform.get("/t/pie/audit", animator, action="invoice_validated", per_page=50)
    assert validated["id"] in {e["target"]["id"] for e in only["items"]}
    assert {e["action"] for e in only["items"]} == {"invoice_validated"}
    second = platform.get("/t/pie/audit", animator, per_page=2, page=2)
    assert [e["action"] for e in second["items"]] == ["invoice_rejected", "invoice_validated"]

    operator = platform.login(OPERATOR)
    everything = platform.get("/audit", operator, actor=ANIMATOR, per_page=50)
    found = {(e["action"], e["target"]["id"]) for e in everything["items"]}
    assert {
        ("invoice_validated", validated["id"]),
        ("invoice_rejected", rejected["id"]),
        ("webhook_created", hook["id"]),
        ("webhook_revoked", hook["id"]),
    } <= found
    other = requests.get(
        f"{platform.url}/t/pie/audit",
        timeout=15,
        headers=platform.login("animation@fa-mgp.demo.trocactif.org"),
    )
    assert other.status_code == 404
