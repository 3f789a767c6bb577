"""Token buckets of the gateway's rate limits, on an injected clock."""

from __future__ import annotations

import threading

import pytest

from chassis.auth import INTEGRATOR, MEMBER, InvalidToken
from chassis.testing.tokens import TokenFactory
from gateway.ratelimit import (
    RateLimited,
    RateLimits,
    RatePolicy,
    RequestLimiter,
    TokenBuckets,
    rate_limited_response,
    unverified_claims,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


POLICY = RatePolicy(rate=2.0, burst=4)


class TestTokenBuckets:
    def test_a_burst_passes_then_the_rate_refills(self) -> None:
        clock = Clock()
        buckets = TokenBuckets(clock=clock)
        assert [buckets.take("a", POLICY) for _ in range(4)] == [0.0] * 4
        assert buckets.take("a", POLICY) == pytest.approx(0.5)
        clock.now += 0.5
        assert buckets.take("a", POLICY) == 0.0
        assert buckets.take("a", POLICY) == pytest.approx(0.5)

    def test_a_refused_request_costs_nothing(self) -> None:
        clock = Clock()
        buckets = TokenBuckets(clock=clock)
        for _ in range(4):
            buckets.take("a", POLICY)
        for _ in range(10):
            assert buckets.take("a", POLICY) > 0
        clock.now += 0.5
        assert buckets.take("a", POLICY) == 0.0

    def test_an_idle_bucket_refills_up_to_its_burst_only(self) -> None:
        clock = Clock()
        buckets = TokenBuckets(clock=clock)
        buckets.take("a", POLICY)
        clock.now += 3600
        assert [buckets.take("a", POLICY) for _ in range(4)] == [0.0] * 4
        assert buckets.take("a", POLICY) > 0

    def test_keys_are_independent(self) -> None:
        buckets = TokenBuckets(clock=Clock())
        for _ in range(4):
            buckets.take("a", POLICY)
        assert buckets.take("a", POLICY) > 0
        assert buckets.take("b", POLICY) == 0.0

    def test_the_least_recently_used_bucket_is_forgotten_past_the_cap(self) -> None:
        buckets = TokenBuckets(max_keys=2, clock=Clock())
        for _ in range(4):
            buckets.take("a", POLICY)
        buckets.take("b", POLICY)
        buckets.take("c", POLICY)
        assert len(buckets) == 2
        assert buckets.take("a", POLICY) == 0.0  # forgotten, hence forgiven

    def test_concurrent_takes_never_exceed_the_burst(self) -> None:
        buckets = TokenBuckets(clock=Clock())
        allowed: list[float] = []
        policy = RatePolicy(rate=1e-9, burst=100)

        def hammer() -> None:
            for _ in range(100):
                if buckets.take("hot", policy) == 0.0:
                    allowed.append(1.0)

        threads = [threading.Thread(target=hammer) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(allowed) == 100

    @pytest.mark.parametrize("rate, burst", [(0, 1), (-1, 1), (1, 0)])
    def test_a_policy_must_let_something_through(self, rate: float, burst: int) -> None:
        with pytest.raises(ValueError):
            RatePolicy(rate=rate, burst=burst)

    def test_a_policy_reads_from_a_setting(self) -> None:
        assert RatePolicy.parse("20/40") == RatePolicy(rate=20.0, burst=40)
        assert RatePolicy.parse("0.5/20") == RatePolicy(rate=0.5, burst=20)
        for bad in ["20", "x/2", "1/y", "0/5", "1/0", ""]:
            with pytest.raises(ValueError, match="rate"):
                RatePolicy.parse(bad)


class TestRequestLimiter:
    LIMITS = RateLimits(
        user=RatePolicy(1e-6, 2), api_key=RatePolicy(1e-6, 1), login=RatePolicy(1e-6, 1)
    )

    def test_tokens_count_against_their_subject_and_kind(self, token_factory: TokenFactory) -> None:
        limiter = RequestLimiter(self.LIMITS, TokenBuckets(clock=Clock()))
        user = token_factory.mint(MEMBER, subject="user-1")
        key = token_factory.mint(INTEGRATOR, subject="key-1")
        limiter.check_token(user)
        limiter.check_token(user)
        with pytest.raises(RateLimited) as refused:
            limiter.check_token(user)
        assert refused.value.scope == "this user"
        limiter.check_token(key)
        with pytest.raises(RateLimited) as refused:
            limiter.check_token(key)
        assert refused.value.scope == "this API key"

    def test_a_token_that_is_no_jwt_is_refused(self) -> None:
        limiter = RequestLimiter(self.LIMITS)
        for bad in ["tk_live_abc", "a.!!!.c", "a.bnVsbA.c"]:
            with pytest.raises(InvalidToken):
                limiter.check_token(bad)

    def test_unverified_claims_read_the_payload(self, token_factory: TokenFactory) -> None:
        token = token_factory.mint(MEMBER, subject="user-42")
        assert unverified_claims(token)["sub"] == "user-42"

    def test_the_429_document_rounds_retry_after_up(self) -> None:
        response = rate_limited_response(RateLimited(0.2, "this user"))
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "1"
        assert response.mimetype == "application/problem+json"
        assert rate_limited_response(RateLimited(7.01, "x")).headers["Retry-After"] == "8"
