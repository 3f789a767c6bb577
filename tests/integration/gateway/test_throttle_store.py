"""The login throttle's SQL store: concurrent failures of one key are all counted (row lock on
PostgreSQL, the single writer on SQLite), including the race to insert a key's first record."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from chassis.db import utcnow
from gateway.bootstrap import GatewayApp
from gateway.db import SqlThrottleStore
from gateway.domain.throttle import FailureRecord, LoginThrottle, ThrottlePolicy

THREADS, ROUNDS = 8, 5


def test_concurrent_updates_lose_no_increment(gw_app: GatewayApp) -> None:
    store = SqlThrottleStore(gw_app.engine)
    key = f"account:{uuid.uuid4().hex}@example.org"
    now = utcnow()
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def count(current: FailureRecord | None) -> FailureRecord:
        failures = current.failures if current else 0
        return FailureRecord(failures=failures + 1, last_failure_at=now)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                store.update(key, count)
        except BaseException as exc:  # reported below, with the count
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    record = store.get(key)
    assert record is not None and record.failures == THREADS * ROUNDS


def test_a_success_forgets_the_account_but_not_the_address(gw_app: GatewayApp) -> None:
    policy = ThrottlePolicy(
        max_failures=2,
        window=timedelta(minutes=5),
        base_lockout=timedelta(seconds=30),
        max_lockout=timedelta(minutes=1),
    )
    throttle = LoginThrottle(
        SqlThrottleStore(gw_app.engine), utcnow, account_policy=policy, ip_policy=policy
    )
    email, ip = f"{uuid.uuid4().hex}@example.org", f"192.0.2.{uuid.uuid4().int % 250 + 1}"
    throttle.record_failure(account=email, ip=ip)
    throttle.record_success(account=email, ip=ip)
    assert throttle.check(account=email, ip=ip).allowed
    decision = throttle.record_failure(account=f"other-{email}", ip=ip)
    assert not decision.allowed and 1 <= decision.retry_after <= 30
    assert not throttle.check(account=email, ip=ip).allowed
