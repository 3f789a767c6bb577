"""Login throttling: per account and per client address, exponential lockouts, injected clock."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from gateway.domain.throttle import (
    ACCOUNT_POLICY,
    FailureRecord,
    InMemoryThrottleStore,
    LoginThrottle,
    LoginThrottled,
    ThrottlePolicy,
    account_key,
    client_key,
)

from .builders import NOW

POLICY = ThrottlePolicy(
    max_failures=3,
    window=timedelta(minutes=10),
    base_lockout=timedelta(seconds=30),
    max_lockout=timedelta(minutes=5),
)
IP = ThrottlePolicy(
    max_failures=10,
    window=timedelta(minutes=10),
    base_lockout=timedelta(minutes=1),
    max_lockout=timedelta(hours=1),
)


class FakeClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> InMemoryThrottleStore:
    return InMemoryThrottleStore()


@pytest.fixture
def throttle(store: InMemoryThrottleStore, clock: FakeClock) -> LoginThrottle:
    return LoginThrottle(store, clock, account_policy=POLICY, ip_policy=IP)


def fail(throttle: LoginThrottle, times: int, account: str = "a@x.fr", ip: str | None = None):
    decision = None
    for _ in range(times):
        decision = throttle.record_failure(account=account, ip=ip)
    return decision


class TestPolicy:
    def test_lockout_doubles_from_the_threshold_up_to_the_cap(self) -> None:
        assert [POLICY.lockout_for(n) for n in range(1, 3)] == [None, None]
        assert POLICY.lockout_for(3) == timedelta(seconds=30)
        assert POLICY.lockout_for(4) == timedelta(seconds=60)
        assert POLICY.lockout_for(5) == timedelta(seconds=120)
        assert POLICY.lockout_for(7) == timedelta(minutes=5)
        assert POLICY.lockout_for(10_000) == timedelta(minutes=5)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"max_failures": 0},
            {"window": timedelta(0)},
            {"base_lockout": timedelta(seconds=-1)},
            {"max_lockout": timedelta(seconds=1)},
        ],
    )
    def test_refuses_nonsense(self, kwargs: dict[str, object]) -> None:
        params: dict[str, object] = {
            "max_failures": 3,
            "window": timedelta(minutes=1),
            "base_lockout": timedelta(seconds=30),
            "max_lockout": timedelta(minutes=5),
            **kwargs,
        }
        with pytest.raises(ValueError):
            ThrottlePolicy(**params)  # type: ignore[arg-type]

    def test_default_account_policy_is_gentle_for_typos(self) -> None:
        assert ACCOUNT_POLICY.max_failures >= 5
        assert ACCOUNT_POLICY.max_lockout <= timedelta(minutes=15)


class TestPerAccount:
    def test_failures_below_the_threshold_are_free(self, throttle: LoginThrottle) -> None:
        decision = fail(throttle, 2)
        assert decision is not None and decision.allowed
        throttle.ensure_allowed(account="a@x.fr", ip=None)

    def test_reaching_the_threshold_locks_the_account(
        self, throttle: LoginThrottle, clock: FakeClock
    ) -> None:
        decision = fail(throttle, 3)
        assert decision is not None and not decision.allowed and decision.retry_after == 30
        with pytest.raises(LoginThrottled) as excinfo:
            throttle.ensure_allowed(account="a@x.fr", ip=None)
        assert excinfo.value.retry_after == 30
        assert excinfo.value.code == "login_throttled"
        clock.advance(seconds=29)
        assert throttle.check(account="a@x.fr", ip=None).retry_after == 1
        clock.advance(seconds=1)
        throttle.ensure_allowed(account="a@x.fr", ip=None)

    def test_each_further_failure_doubles_the_lockout(
        self, throttle: LoginThrottle, clock: FakeClock
    ) -> None:
        fail(throttle, 3)
        waits = []
        for _ in range(4):
            clock.advance(seconds=600)  # wait out any lockout, but stay within the window
            decision = throttle.record_failure(account="a@x.fr", ip=None)
            waits.append(decision.retry_after)
        assert waits == [60, 120, 240, 300]

    def test_failures_are_forgotten_one_window_after_the_last(
        self, throttle: LoginThrottle, clock: FakeClock
    ) -> None:
        fail(throttle, 2)
        clock.advance(minutes=10)
        decision = fail(throttle, 2)
        assert decision is not None and decision.allowed

    def test_the_window_starts_after_the_lockout_ends(
        self, throttle: LoginThrottle, clock: FakeClock, store: InMemoryThrottleStore
    ) -> None:
        fail(throttle, 3)  # locked 30 s
        clock.advance(minutes=10, seconds=29)
        assert store.get(account_key("a@x.fr")).failures == 3  # type: ignore[union-attr]
        decision = throttle.record_failure(account="a@x.fr", ip=None)
        assert decision.retry_after == 60  # the count went on: 4th failure

    def test_success_clears_the_account(self, throttle: LoginThrottle, clock: FakeClock) -> None:
        fail(throttle, 2)
        throttle.record_success(account="a@x.fr")
        decision = fail(throttle, 2)
        assert decision is not None and decision.allowed

    def test_accounts_are_keyed_by_normalised_email(self, throttle: LoginThrottle) -> None:
        fail(throttle, 2, account="A@X.FR ")
        decision = fail(throttle, 1, account="a@x.fr")
        assert decision is not None and not decision.allowed

    def test_one_account_does_not_lock_another(self, throttle: LoginThrottle) -> None:
        fail(throttle, 5, account="a@x.fr")
        throttle.ensure_allowed(account="b@x.fr", ip=None)


class TestPerAddress:
    def test_many_accounts_from_one_address_lock_the_address(self, throttle: LoginThrottle) -> None:
        for n in range(10):
            decision = throttle.record_failure(account=f"user{n}@x.fr", ip="203.0.113.7")
        assert not decision.allowed and decision.retry_after == 60
        with pytest.raises(LoginThrottled):
            throttle.ensure_allowed(account="fresh@x.fr", ip="203.0.113.7")
        throttle.ensure_allowed(account="fresh@x.fr", ip="203.0.113.8")

    def test_success_does_not_clear_the_address(self, throttle: LoginThrottle) -> None:
        for n in range(9):
            throttle.record_failure(account=f"user{n}@x.fr", ip="203.0.113.7")
        throttle.record_success(account="mine@x.fr", ip="203.0.113.7")
        decision = throttle.record_failure(account="victim@x.fr", ip="203.0.113.7")
        assert not decision.allowed

    def test_retry_after_is_the_longest_of_both_locks(self, throttle: LoginThrottle) -> None:
        for n in range(9):
            throttle.record_failure(account=f"user{n}@x.fr", ip="203.0.113.7")
        fail(throttle, 2, account="victim@x.fr", ip="203.0.113.9")
        decision = throttle.record_failure(account="victim@x.fr", ip="203.0.113.7")
        # the account locks for 30 s, the address for 60 s
        assert decision.retry_after == 60
        assert throttle.check(account="victim@x.fr", ip="198.51.100.1").retry_after == 30

    def test_ipv6_addresses_of_one_64_share_a_counter(self) -> None:
        assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9")
        assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
        assert client_key("2001:db8:1:2::1") == "ip:2001:db8:1:2::/64"

    def test_ipv4_mapped_addresses_count_as_ipv4(self) -> None:
        assert client_key("::ffff:203.0.113.7") == client_key("203.0.113.7") == "ip:203.0.113.7"

    def test_unparseable_address_is_still_a_key(self) -> None:
        assert client_key(" unknown ") == "ip:unknown"


class TestClockAndStore:
    def test_naive_clock_is_refused(self, store: InMemoryThrottleStore) -> None:
        throttle = LoginThrottle(store, lambda: datetime(2025, 1, 1))  # noqa: DTZ001
        with pytest.raises(ValueError):
            throttle.check(account="a@x.fr", ip=None)

    def test_record_knows_when_it_is_forgotten(self) -> None:
        record = FailureRecord(
            failures=3, last_failure_at=NOW, locked_until=NOW + timedelta(hours=1)
        )
        assert record.is_locked(NOW + timedelta(minutes=59))
        assert not record.is_locked(NOW + timedelta(hours=1))
        assert record.forgotten_at(POLICY) == NOW + timedelta(hours=1, minutes=10)

    def test_store_update_can_delete(self, store: InMemoryThrottleStore) -> None:
        store.update("k", lambda _: FailureRecord(failures=1, last_failure_at=NOW))
        assert len(store) == 1
        store.update("k", lambda _: None)
        assert store.get("k") is None and len(store) == 0

    def test_concurrent_failures_are_all_counted(
        self, store: InMemoryThrottleStore, clock: FakeClock
    ) -> None:
        generous = ThrottlePolicy(
            max_failures=1000,
            window=timedelta(hours=1),
            base_lockout=timedelta(seconds=1),
            max_lockout=timedelta(seconds=1),
        )
        throttle = LoginThrottle(store, clock, account_policy=generous, ip_policy=generous)

        def guess() -> None:
            for _ in range(50):
                throttle.record_failure(account="a@x.fr", ip="203.0.113.7")

        threads = [threading.Thread(target=guess) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.get(account_key("a@x.fr")).failures == 400  # type: ignore[union-attr]
        assert store.get(client_key("203.0.113.7")).failures == 400  # type: ignore[union-attr]
