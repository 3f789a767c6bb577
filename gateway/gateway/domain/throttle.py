"""Login throttling against brute force: pure rules over an injected clock and a storage port.

Standard library only. Failures are counted per account (against distributed guessing of one
password) and per client address (against one client trying many accounts); past a threshold each
further failure doubles a lockout, up to a cap. The gateway stores the records in its database
through `ThrottleStore`; `InMemoryThrottleStore` serves tests and single-process tools.
"""

from __future__ import annotations

import ipaddress
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from gateway.domain.errors import DomainError
from gateway.domain.identifiers import normalize_email

__all__ = [
    "ACCOUNT_POLICY",
    "IP_POLICY",
    "Clock",
    "FailureRecord",
    "InMemoryThrottleStore",
    "LoginThrottle",
    "LoginThrottled",
    "ThrottleDecision",
    "ThrottlePolicy",
    "ThrottleStore",
    "account_key",
    "client_key",
]

#: Returns the current time, timezone-aware (UTC in production).
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How many failures are free, how long they are remembered, and how lockouts grow."""

    max_failures: int
    window: timedelta
    base_lockout: timedelta
    max_lockout: timedelta

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if min(self.window, self.base_lockout, self.max_lockout) <= timedelta(0):
            raise ValueError("durations must be positive")
        if self.max_lockout < self.base_lockout:
            raise ValueError("max_lockout must not be shorter than base_lockout")

    def lockout_for(self, failures: int) -> timedelta | None:
        """Return the lockout earned by the `failures`-th failure, or None while still free.

        The `max_failures`-th failure locks for `base_lockout`; each further one doubles it.
        """
        if failures < self.max_failures:
            return None
        doublings = failures - self.max_failures
        if doublings >= 32:  # 2**32 times any base is far past any sane cap
            return self.max_lockout
        return min(self.base_lockout * (1 << doublings), self.max_lockout)


#: Per account: the owner who mistypes a few times is barely slowed; a guesser is. The cap stays
#: short because anyone can lock any account by failing on purpose (a denial of service that a
#: long lockout would make worse); the per-address policy stops the single-source attacker.
ACCOUNT_POLICY = ThrottlePolicy(
    max_failures=5,
    window=timedelta(minutes=15),
    base_lockout=timedelta(seconds=30),
    max_lockout=timedelta(minutes=15),
)
#: Per client address: several people behind one office NAT may fail now and then.
IP_POLICY = ThrottlePolicy(
    max_failures=20,
    window=timedelta(minutes=15),
    base_lockout=timedelta(minutes=1),
    max_lockout=timedelta(hours=1),
)


@dataclass(frozen=True, slots=True)
class FailureRecord:
    """The recent failed logins of one key (an account or a client address)."""

    failures: int
    last_failure_at: datetime
    locked_until: datetime | None = None

    def is_locked(self, now: datetime) -> bool:
        """Tell whether the key is locked out at `now`."""
        return self.locked_until is not None and now < self.locked_until

    def forgotten_at(self, policy: ThrottlePolicy) -> datetime:
        """Return when these failures stop counting: one window after the failure or lockout."""
        last = self.last_failure_at
        if self.locked_until is not None and self.locked_until > last:
            last = self.locked_until
        return last + policy.window

    def after_failure(self, now: datetime, policy: ThrottlePolicy) -> FailureRecord:
        """Return the record once one more failure at `now` has been counted."""
        failures = self.failures + 1 if now < self.forgotten_at(policy) else 1
        lockout = policy.lockout_for(failures)
        return FailureRecord(
            failures=failures,
            last_failure_at=now,
            locked_until=now + lockout if lockout is not None else None,
        )


class ThrottleStore(Protocol):
    """Where failure records live: the gateway's database in production."""

    def get(self, key: str) -> FailureRecord | None:
        """Return the record of `key`, or None."""
        ...

    def update(
        self, key: str, update_fn: Callable[[FailureRecord | None], FailureRecord | None]
    ) -> FailureRecord | None:
        """Replace the record of `key` by `update_fn(current)` atomically; None deletes it.

        Atomic means concurrent updates of one key are serialised (a row lock in SQL), so that
        parallel guesses cannot lose each other's increments. Return the stored result.
        """
        ...


class InMemoryThrottleStore:
    """A `ThrottleStore` in a dict, safe across threads of one process."""

    def __init__(self) -> None:
        self._records: dict[str, FailureRecord] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> FailureRecord | None:
        """Return the record of `key`, or None."""
        with self._lock:
            return self._records.get(key)

    def update(
        self, key: str, update_fn: Callable[[FailureRecord | None], FailureRecord | None]
    ) -> FailureRecord | None:
        """Replace the record of `key` by `update_fn(current)` under the store's lock."""
        with self._lock:
            result = update_fn(self._records.get(key))
            if result is None:
                self._records.pop(key, None)
            else:
                self._records[key] = result
            return result

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)


@dataclass(frozen=True, slots=True)
class ThrottleDecision:
    """Whether a login attempt may go ahead, and if not, after how many seconds it may."""

    allowed: bool
    retry_after: int = 0


class LoginThrottled(DomainError):
    """Too many failed logins: the attempt is refused before the password is even checked."""

    code = "login_throttled"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


def account_key(email: str) -> str:
    """Return the throttle key of an account, by its normalised e-mail address."""
    return f"account:{normalize_email(email)}"


def client_key(address: str) -> str:
    """Return the throttle key of a client address; IPv6 clients are grouped by /64.

    Anyone with IPv6 gets a whole /64 to pick addresses from, so one address means little.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return f"ip:{address.strip()}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"ip:{ip.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"ip:{ip}"


def _failure_counter(
    now: datetime, policy: ThrottlePolicy
) -> Callable[[FailureRecord | None], FailureRecord]:
    """Return the update function that counts one failure at `now` under `policy`."""

    def count(current: FailureRecord | None) -> FailureRecord:
        if current is None:
            current = FailureRecord(failures=0, last_failure_at=now)
        return current.after_failure(now, policy)

    return count


def _seconds_until(now: datetime, then: datetime) -> int:
    return max(1, math.ceil((then - now).total_seconds()))


class LoginThrottle:
    """Decides whether a login may be tried, and remembers the failures.

    Use it around the password check: `ensure_allowed` first, then `record_failure` or
    `record_success`. A success clears the account's failures but not the address's, so an
    attacker holding one valid account cannot reset the count between guesses at others.
    """

    def __init__(
        self,
        store: ThrottleStore,
        clock: Clock,
        *,
        account_policy: ThrottlePolicy = ACCOUNT_POLICY,
        ip_policy: ThrottlePolicy = IP_POLICY,
    ) -> None:
        self._store = store
        self._clock = clock
        self._account_policy = account_policy
        self._ip_policy = ip_policy

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the throttle clock must return timezone-aware datetimes")
        return now

    def _keys(self, account: str, ip: str | None) -> list[tuple[str, ThrottlePolicy]]:
        keys = [(account_key(account), self._account_policy)]
        if ip:
            keys.append((client_key(ip), self._ip_policy))
        return keys

    def check(self, *, account: str, ip: str | None) -> ThrottleDecision:
        """Tell whether a login for `account` from `ip` may be tried now."""
        now = self._now()
        locked: list[datetime] = []
        for key, _ in self._keys(account, ip):
            record = self._store.get(key)
            if record is not None and record.locked_until is not None and record.is_locked(now):
                locked.append(record.locked_until)
        if not locked:
            return ThrottleDecision(allowed=True)
        return ThrottleDecision(allowed=False, retry_after=_seconds_until(now, max(locked)))

    def ensure_allowed(self, *, account: str, ip: str | None) -> None:
        """Raise `LoginThrottled` if a login for `account` from `ip` may not be tried now."""
        decision = self.check(account=account, ip=ip)
        if not decision.allowed:
            raise LoginThrottled(decision.retry_after)

    def record_failure(self, *, account: str, ip: str | None) -> ThrottleDecision:
        """Count a failed login; return whether the next attempt is allowed right away."""
        now = self._now()
        locked_until: list[datetime] = []
        for key, policy in self._keys(account, ip):
            record = self._store.update(key, _failure_counter(now, policy))
            if record is not None and record.locked_until is not None:
                locked_until.append(record.locked_until)
        if not locked_until:
            return ThrottleDecision(allowed=True)
        return ThrottleDecision(allowed=False, retry_after=_seconds_until(now, max(locked_until)))

    def record_success(self, *, account: str, ip: str | None = None) -> None:
        """Forget the account's failures after a successful login (the address's stay)."""
        self._store.update(account_key(account), lambda _current: None)
