"""Credit lines with a life: the Paris calendar day, the dates an animator may set, what an
expiry gives back (category, else network) and leaves short, the lines due for review, the
maximum balance."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from ledger.domain import (
    Account,
    AccountStatus,
    InsufficientCredit,
    InvalidCreditLineDates,
    MaxBalanceTooLow,
    MemberCategory,
    Network,
    credit_line_to_announce,
    credit_lines_due,
    ensure_credit_line_dates,
    expiry_of,
    local_date,
)

NETWORK = Network(
    slug="troc-actif",
    unit_code="ACT",
    default_credit_limit=100_000,
    hold_expiry_days=30,
    member_categories=(MemberCategory("association", "Associations", 30_000, max_balance=500_000),),
)


def account(**values: object) -> Account:
    return Account(id=uuid.uuid4(), network="troc-actif", tenant="pie", **values)  # type: ignore[arg-type]


class TestParisDay:
    @pytest.mark.parametrize(
        ("instant", "day"),
        [
            # Winter (UTC+1): the 1st of January starts at 23:00 UTC on the 31st.
            (datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), date(2026, 12, 31)),
            (datetime(2026, 12, 31, 23, 0, 0, tzinfo=UTC), date(2027, 1, 1)),
            # Summer (UTC+2): the 1st of July starts at 22:00 UTC on the 30th of June.
            (datetime(2027, 6, 30, 21, 59, 59, tzinfo=UTC), date(2027, 6, 30)),
            (datetime(2027, 6, 30, 22, 0, 0, tzinfo=UTC), date(2027, 7, 1)),
        ],
    )
    def test_a_day_starts_at_midnight_in_paris(self, instant: datetime, day: date) -> None:
        assert local_date(instant) == day

    def test_a_limit_ends_when_its_day_starts(self) -> None:
        line = account(credit_limit=500_000, credit_limit_expires_on=date(2027, 1, 1))
        assert not line.credit_limit_expired(date(2026, 12, 31))
        assert line.credit_limit_expired(date(2027, 1, 1))
        assert line.credit_limit_expired(date(2027, 1, 2))  # a pass missed: still due
        assert not account(credit_limit=500_000).credit_limit_expired(date(2099, 1, 1))


class TestDates:
    TODAY = date(2026, 12, 6)

    def test_an_expiry_tomorrow_and_a_review_today_are_accepted(self) -> None:
        ensure_credit_line_dates(date(2026, 12, 7), date(2026, 12, 6), self.TODAY)
        ensure_credit_line_dates(None, None, self.TODAY)

    @pytest.mark.parametrize(
        ("expires_on", "review_on", "field"),
        [
            (date(2026, 12, 6), None, "expires_on"),  # would have ended already
            (None, date(2026, 12, 5), "review_on"),
            (date(2027, 1, 1), date(2027, 2, 1), "review_on"),  # reviewed after it ended
        ],
    )
    def test_refused_dates_name_their_field(
        self, expires_on: date | None, review_on: date | None, field: str
    ) -> None:
        with pytest.raises(InvalidCreditLineDates, match=field):
            ensure_credit_line_dates(expires_on, review_on, self.TODAY)


class TestExpiry:
    def test_a_member_of_a_category_gets_its_default_back(self) -> None:
        expiry = expiry_of(account(credit_limit=500_000, category="association"), NETWORK)
        assert (expiry.old_credit_limit, expiry.credit_limit, expiry.over_limit) == (
            500_000,
            30_000,
            False,
        )

    def test_a_member_without_category_gets_the_network_s_default_back(self) -> None:
        assert expiry_of(account(credit_limit=500_000), NETWORK).credit_limit == 100_000
        # a category the network no longer has: the network's default
        assert expiry_of(account(credit_limit=1, category="gone"), NETWORK).credit_limit == 100_000

    def test_a_balance_below_the_new_limit_is_left_short_not_refused(self) -> None:
        deep = account(balance=-250_000, pending_debits=10_000, credit_limit=500_000)
        expiry = expiry_of(deep, NETWORK)
        assert expiry.credit_limit == 100_000
        assert expiry.shortfall == 160_000
        assert expiry.over_limit

    def test_an_account_left_short_may_not_spend_a_cent(self) -> None:
        short = account(balance=-250_000, credit_limit=100_000, credit_shortfall=150_000)
        assert short.available == -150_000  # the shortfall is tolerated, never spendable
        with pytest.raises(InsufficientCredit):
            short.ensure_sufficient_credit(1)


class TestReviews:
    TODAY = date(2026, 12, 6)

    def test_reviews_and_expiries_within_30_days_soonest_first(self) -> None:
        soon = account(credit_limit=500_000, credit_limit_expires_on=date(2027, 1, 5))
        review = account(credit_limit=200_000, credit_limit_review_on=date(2026, 12, 20))
        late = account(credit_limit=200_000, credit_limit_expires_on=date(2027, 1, 6))
        overdue = account(credit_limit=200_000, credit_limit_review_on=date(2026, 12, 1))
        due = credit_lines_due([soon, review, late, overdue], NETWORK, self.TODAY)
        assert [(d.account.id, d.kind) for d in due] == [
            (overdue.id, "review"),
            (review.id, "review"),
            (soon.id, "expiry"),
        ]
        assert due[-1].standing_credit_limit == 100_000

    def test_a_line_due_for_both_appears_twice(self) -> None:
        both = account(
            category="association",
            credit_limit_review_on=date(2026, 12, 10),
            credit_limit_expires_on=date(2026, 12, 31),
        )
        due = credit_lines_due([both], NETWORK, self.TODAY)
        assert [(d.kind, d.due_on, d.standing_credit_limit) for d in due] == [
            ("review", date(2026, 12, 10), 30_000),
            ("expiry", date(2026, 12, 31), 30_000),
        ]


class TestAnnouncement:
    """Which line is told to the animators, and once: each date as it enters the horizon."""

    TODAY = date(2026, 12, 6)

    def test_a_date_is_announced_when_it_enters_the_horizon(self) -> None:
        line = account(credit_limit_review_on=date(2027, 1, 5))  # today + 30
        assert credit_line_to_announce(line, self.TODAY) == date(2027, 1, 5)
        later = account(credit_limit_review_on=date(2027, 1, 6))  # today + 31
        assert credit_line_to_announce(later, self.TODAY) is None
        assert credit_line_to_announce(account(), self.TODAY) is None

    def test_once_per_date_and_again_for_the_next_one(self) -> None:
        line = account(
            credit_limit_review_on=date(2026, 12, 20),
            credit_limit_expires_on=date(2027, 2, 1),
        )
        assert credit_line_to_announce(line, self.TODAY) == date(2026, 12, 20)
        told = replace(line, credit_line_notified_for=date(2026, 12, 20))
        assert credit_line_to_announce(told, self.TODAY) is None
        assert credit_line_to_announce(told, date(2026, 12, 25)) is None  # a past review: told
        # the expiry enters the horizon on the 2nd of January
        assert credit_line_to_announce(told, date(2027, 1, 2)) == date(2027, 2, 1)
        done = replace(told, credit_line_notified_for=date(2027, 2, 1))
        assert credit_line_to_announce(done, date(2027, 1, 20)) is None

    def test_both_dates_entering_together_are_one_announcement(self) -> None:
        line = account(
            credit_limit_review_on=date(2026, 12, 10),
            credit_limit_expires_on=date(2026, 12, 31),
        )
        assert credit_line_to_announce(line, self.TODAY) == date(2026, 12, 31)
        told = replace(line, credit_line_notified_for=date(2026, 12, 31))
        assert credit_line_to_announce(told, date(2026, 12, 15)) is None

    def test_an_unannounced_past_review_is_told_a_past_expiry_is_not(self) -> None:
        overdue = account(credit_limit_review_on=date(2026, 11, 1))
        assert credit_line_to_announce(overdue, self.TODAY) == date(2026, 11, 1)
        expired = account(credit_limit_expires_on=date(2026, 12, 6))  # the expiry pass's work
        assert credit_line_to_announce(expired, self.TODAY) is None

    def test_closed_fee_and_tenantless_accounts_are_not_announced(self) -> None:
        review = date(2026, 12, 20)
        closed = account(status=AccountStatus.CLOSED, credit_limit_review_on=review)
        assert credit_line_to_announce(closed, self.TODAY) is None
        fees = account(kind="fees", credit_limit_review_on=review)
        assert credit_line_to_announce(fees, self.TODAY) is None
        tenantless = Account(
            id=uuid.uuid4(), network="troc-actif", tenant=None, credit_limit_review_on=review
        )
        assert credit_line_to_announce(tenantless, self.TODAY) is None


class TestMaxBalance:
    def test_a_maximum_at_or_above_what_it_holds_is_accepted(self) -> None:
        holder = account(balance=40_000, pending_credits=10_000)
        holder.ensure_max_balance_allows(50_000)
        holder.ensure_max_balance_allows(None)

    def test_a_maximum_below_what_it_holds_is_refused(self) -> None:
        with pytest.raises(MaxBalanceTooLow):
            account(balance=40_000, pending_credits=10_000).ensure_max_balance_allows(49_999)
        with pytest.raises(MaxBalanceTooLow):
            account().ensure_max_balance_allows(-1)
