"""The animators told of credit lines due, on both stores: each review or expiry entering the
30-day horizon is staged once as ``credit_line_due`` with the date recorded on the account, across
passes and workers, and again when the line's dates change."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ledger.bootstrap import LedgerApp
from ledger.consumer import announce_credit_lines
from ledger.db import outbox_table

OpenAccount = Callable[..., uuid.UUID]
PARIS = ZoneInfo("Europe/Paris")
#: Far from any other test's dates (the database is shared by the session).
REVIEW = date(2033, 4, 20)
EXPIRY = date(2033, 6, 30)


def paris(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=PARIS)


def announcements(app: LedgerApp, account_id: uuid.UUID) -> list[dict[str, Any]]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table.c.data)
            .where(
                outbox_table.c.subject == str(account_id),
                outbox_table.c.type == "org.trocactif.ledger.credit_line_due.v1",
            )
            .order_by(outbox_table.c.id)
        ).all()
    return [r.data if isinstance(r.data, dict) else json.loads(r.data) for r in rows]


def test_each_date_is_announced_once_and_again_when_the_dates_change(
    ledger_app: LedgerApp, open_account: OpenAccount
) -> None:
    member, quiet = open_account(tenant="pie"), open_account(tenant="pie")
    with ledger_app.uow() as uow:
        uow.ledger.set_credit_limit(member, 300_000, expires_on=EXPIRY, review_on=REVIEW)
        uow.commit()

    announce_credit_lines(ledger_app, paris(REVIEW - timedelta(days=31)))
    assert announcements(ledger_app, member) == []

    first = paris(REVIEW - timedelta(days=30))
    told = [a.id for a, _ in announce_credit_lines(ledger_app, first)]
    assert member in told and quiet not in told
    # a second pass, the same day or later, by another worker: nothing new
    assert member not in [a.id for a, _ in announce_credit_lines(ledger_app, first)]
    announce_credit_lines(ledger_app, paris(REVIEW + timedelta(days=3)))
    [review] = announcements(ledger_app, member)
    assert review["member_id"] == str(member)
    assert (review["due_on"], review["review_on"], review["expires_on"]) == (
        REVIEW.isoformat(),
        REVIEW.isoformat(),
        EXPIRY.isoformat(),
    )
    assert (review["days_left"], review["credit_limit"], review["unit"]) == (30, "3000.00", "ACT")

    # the expiry enters the horizon: announced once too
    announce_credit_lines(ledger_app, paris(EXPIRY - timedelta(days=30)))
    announce_credit_lines(ledger_app, paris(EXPIRY - timedelta(days=29)))
    assert [a["due_on"] for a in announcements(ledger_app, member)] == [
        REVIEW.isoformat(),
        EXPIRY.isoformat(),
    ]

    # a changed limit with the same dates is no new line; new dates are
    with ledger_app.uow() as uow:
        uow.ledger.set_credit_limit(member, 350_000, expires_on=EXPIRY, review_on=REVIEW)
        uow.commit()
    announce_credit_lines(ledger_app, paris(EXPIRY - timedelta(days=20)))
    assert len(announcements(ledger_app, member)) == 2
    with ledger_app.uow() as uow:
        uow.ledger.set_credit_limit(member, 350_000, expires_on=EXPIRY, review_on=None)
        uow.commit()
    [account] = [
        a
        for a, _ in announce_credit_lines(ledger_app, paris(EXPIRY - timedelta(days=20)))
        if a.id == member
    ]
    assert account.credit_line_notified_for == EXPIRY
    last = announcements(ledger_app, member)[-1]
    assert (len(announcements(ledger_app, member)), last["review_on"], last["days_left"]) == (
        3,
        None,
        20,
    )
    announce_credit_lines(ledger_app, paris(EXPIRY - timedelta(days=1)))
    assert len(announcements(ledger_app, member)) == 3
