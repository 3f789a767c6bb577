"""The animators' page of validation e-mails on the fake public API: what it shows, what it
sends, how a refusal comes back; members cannot open it."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.unit.gateway import test_web_admin_pages as admin
from tests.unit.gateway.test_web_admin_pages import CSRF, FakeApi, problem, signed_in

web, fake, app = admin.web, admin.fake, admin.app

PATH = "/t/pie/notifications/preferences"


def _preferences(choice: str) -> dict[str, Any]:
    return {"member_id": None, "items": [], "validation_emails": choice, "digest_hour": "08:00"}


def test_an_animator_chooses_a_daily_digest(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    fake.on("GET", PATH, _preferences("each"))
    page = client.get("/app/notifications/preferences")
    assert page.status_code == 200
    assert 'value="each" checked' in page.text
    assert "Un résumé quotidien" in page.text and "08 h 00" in page.text
    fake.on("PUT", PATH, _preferences("digest"))
    done = client.post(
        "/app/notifications/preferences",
        data={"csrf_token": CSRF, "validation_emails": "digest"},
    )
    assert done.status_code == 302
    assert fake.sent("PUT", PATH) == [{"validation_emails": "digest"}]


def test_a_refusal_is_shown_next_to_the_choice(app: Flask, fake: FakeApi) -> None:
    client = signed_in(app, "animator")
    fake.on("GET", PATH, _preferences("none"))
    fake.on(
        "PUT",
        PATH,
        lambda _request: problem(
            422,
            "validation_error",
            "Invalid input.",
            errors={"validation_emails": ["Must be one of: each, digest, none."]},
        ),
    )
    refused = client.post(
        "/app/notifications/preferences", data={"csrf_token": CSRF, "validation_emails": "x"}
    )
    assert refused.status_code == 422
    assert 'value="none" checked' in refused.text


def test_the_feed_links_to_the_page_for_animators_only(app: Flask, fake: FakeApi) -> None:
    fake.on("GET", "/t/pie/notifications", {"items": [], "total": 0, "unread": 0})
    animator = signed_in(app, "animator").get("/app/notifications")
    assert "/app/notifications/preferences" in animator.text
    member = signed_in(app, "member").get("/app/notifications")
    assert "/app/notifications/preferences" not in member.text
    assert signed_in(app, "member").get("/app/notifications/preferences").status_code == 403
