"""The animators' validation e-mails: when the daily digest is due (Paris time, across the
changes of clock), when a hold's reminder is due, and the keys that make each e-mail once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from notifications.domain import (
    REMINDER_LEAD,
    digest_day,
    digest_key,
    digest_moment,
    parse_digest_time,
    reminder_due,
    reminder_key,
    validation_key,
)

EIGHT = time(8)


class TestDigestMoment:
    def test_winter_is_one_hour_ahead_of_utc(self) -> None:
        assert digest_moment(date(2026, 12, 7), EIGHT) == datetime(2026, 12, 7, 7, tzinfo=UTC)

    def test_summer_is_two_hours_ahead_of_utc(self) -> None:
        assert digest_moment(date(2026, 7, 7), EIGHT) == datetime(2026, 7, 7, 6, tzinfo=UTC)

    def test_the_day_clocks_go_forward_eight_is_summer_time(self) -> None:
        # 29 March 2026: at 02:00 the clocks jump to 03:00.
        assert digest_moment(date(2026, 3, 29), EIGHT) == datetime(2026, 3, 29, 6, tzinfo=UTC)
        assert digest_moment(date(2026, 3, 28), EIGHT) == datetime(2026, 3, 28, 7, tzinfo=UTC)

    def test_the_day_clocks_go_back_eight_is_winter_time(self) -> None:
        # 25 October 2026: at 03:00 the clocks go back to 02:00.
        assert digest_moment(date(2026, 10, 25), EIGHT) == datetime(2026, 10, 25, 7, tzinfo=UTC)
        assert digest_moment(date(2026, 10, 24), EIGHT) == datetime(2026, 10, 24, 6, tzinfo=UTC)

    def test_a_time_skipped_by_the_clock_falls_an_hour_later_on_the_wall(self) -> None:
        moment = digest_moment(date(2026, 3, 29), time(2, 30))
        assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time

    def test_a_time_the_clock_shows_twice_is_its_first_occurrence(self) -> None:
        moment = digest_moment(date(2026, 10, 25), time(2, 30))
        assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time


class TestDigestDay:
    def test_not_due_before_the_hour(self) -> None:
        assert digest_day(datetime(2026, 12, 7, 6, 59, tzinfo=UTC), EIGHT) is None

    def test_due_from_the_hour_until_midnight_paris(self) -> None:
        assert digest_day(datetime(2026, 12, 7, 7, 0, tzinfo=UTC), EIGHT) == date(2026, 12, 7)
        assert digest_day(datetime(2026, 12, 7, 22, 59, tzinfo=UTC), EIGHT) == date(2026, 12, 7)

    def test_the_paris_day_not_the_utc_day(self) -> None:
        # 23:30 UTC on the 7th is 00:30 on the 8th in Paris: the 8th's digest is not due yet.
        assert digest_day(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), EIGHT) is None
        midnight = time(0)
        assert digest_day(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), midnight) == date(2026, 12, 8)

    def test_summer_hour_on_the_day_clocks_go_forward(self) -> None:
        assert digest_day(datetime(2026, 3, 29, 5, 59, tzinfo=UTC), EIGHT) is None
        assert digest_day(datetime(2026, 3, 29, 6, 0, tzinfo=UTC), EIGHT) == date(2026, 3, 29)

    def test_winter_hour_on_the_day_clocks_go_back(self) -> None:
        assert digest_day(datetime(2026, 10, 25, 6, 30, tzinfo=UTC), EIGHT) is None
        assert digest_day(datetime(2026, 10, 25, 7, 0, tzinfo=UTC), EIGHT) == date(2026, 10, 25)

    def test_one_key_per_animator_and_paris_day(self) -> None:
        before = digest_day(datetime(2026, 10, 25, 7, 0, tzinfo=UTC), EIGHT)
        later = digest_day(datetime(2026, 10, 25, 21, 0, tzinfo=UTC), EIGHT)
        assert before is not None and later is not None
        assert digest_key("u1", before) == digest_key("u1", later) == "digest:u1:2026-10-25"
        assert digest_key("u2", before) != digest_key("u1", before)


class TestReminder:
    expires = datetime(2026, 12, 10, 12, tzinfo=UTC)

    def test_due_from_two_days_before_expiry(self) -> None:
        assert timedelta(days=2) == REMINDER_LEAD
        assert not reminder_due(self.expires, self.expires - timedelta(days=2, seconds=1))
        assert reminder_due(self.expires, self.expires - timedelta(days=2))
        assert reminder_due(self.expires, self.expires - timedelta(minutes=1))

    def test_not_once_expired(self) -> None:
        assert not reminder_due(self.expires, self.expires)
        assert not reminder_due(self.expires, self.expires + timedelta(days=1))

    def test_keys_are_per_invoice_and_animator(self) -> None:
        invoice = uuid.uuid4()
        assert reminder_key(invoice, "u1") == reminder_key(str(invoice), "u1")
        assert reminder_key(invoice, "u1") != reminder_key(invoice, "u2")
        assert reminder_key(invoice, "u1") != validation_key(invoice, "u1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8", time(8)), ("08", time(8)), ("08:30", time(8, 30)), (" 23:05 ", time(23, 5))],
)
def test_digest_time_is_an_hour_or_hh_mm(text: str, expected: time) -> None:
    assert parse_digest_time(text) == expected


@pytest.mark.parametrize("text", ["24", "8h", "", "08:60", "-1"])
def test_a_bad_digest_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_digest_time(text)
