"""Rate limits of the public entry point: token buckets per user, API key and client address.

The gateway is the only public door, so it is where one client is kept from starving the others.
A check costs one dict lookup and a little arithmetic under one lock (O(1) per request). Buckets
live in the memory of each gateway process: N processes or replicas let a client through at up
to N times the configured rate. An exact cluster-wide limit needs a shared store (e.g. Redis
running the same arithmetic in a script) behind :meth:`TokenBuckets.take`; the per-process
limit is the cheap first wall. Imports Flask and the chassis only.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from flask import Flask, Response, request

from chassis import tenancy
from chassis.auth import INTEGRATOR, Identity, InvalidToken
from chassis.http import problem

#: Endpoints whose requests are limited by their own code (the forwarding views), not the hook.
Exempt = Callable[[str], bool]


class RateLimited(Exception):
    """A client went past its rate: answered 429 with ``Retry-After``."""

    def __init__(self, retry_after: float, scope: str) -> None:
        super().__init__(f"rate limit of {scope} exceeded")
        self.retry_after = retry_after
        self.scope = scope


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """A bucket of ``burst`` requests refilled at ``rate`` requests per second."""

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ValueError("rate must be positive")
        if self.burst < 1:
            raise ValueError("burst must be at least 1")

    @classmethod
    def parse(cls, text: str) -> RatePolicy:
        """Read ``"<rate per second>/<burst>"`` (e.g. ``"20/40"``, ``"0.5/20"``): for settings."""
        rate, slash, burst = text.partition("/")
        try:
            if not slash:
                raise ValueError
            return cls(rate=float(rate), burst=int(burst))
        except ValueError:
            raise ValueError(f"a rate limit is '<rate per second>/<burst>', got {text!r}") from None


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The gateway's policies; ``address_limited`` requests count per client address."""

    user: RatePolicy = RatePolicy(rate=20.0, burst=40)
    api_key: RatePolicy = RatePolicy(rate=10.0, burst=20)
    #: One bucket per address for the credential endpoints, which have no subject to key on.
    #: Password guessing is slowed per account by the login throttle; this caps one source,
    #: while leaving room for an office of a few people behind one address.
    login: RatePolicy = RatePolicy(rate=0.5, burst=20)
    address_limited: frozenset[tuple[str, str]] = field(
        default_factory=lambda: frozenset(
            {
                ("POST", "/auth/token"),
                ("POST", "/auth/refresh"),
                ("POST", "/auth/password-reset"),
                ("POST", "/auth/password-reset/confirm"),
            }
        )
    )
    enabled: bool = True


class TokenBuckets:
    """Token buckets by key, at most ``max_keys`` of them (the least recently used go first).

    Forgetting a bucket forgives its client (it starts full again), which only matters when
    more than ``max_keys`` clients are active within one bucket's refill time.
    """

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, policy: RatePolicy) -> float:
        """Take one token from ``key``'s bucket: 0.0 if allowed, else seconds until one is due."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = [float(policy.burst), now]
                self._buckets[key] = bucket
                if len(self._buckets) > self._max_keys:
                    self._buckets.popitem(last=False)
            else:
                self._buckets.move_to_end(key)
                bucket[0] = min(float(policy.burst), bucket[0] + (now - bucket[1]) * policy.rate)
                bucket[1] = now
            if bucket[0] >= 1.0:
                bucket[0] -= 1.0
                return 0.0
            return (1.0 - bucket[0]) / policy.rate

    def __len__(self) -> int:
        return len(self._buckets)


_INTEGRATOR_PREFIX: Final = "key:"
_USER_PREFIX: Final = "user:"
_ADDRESS_PREFIX: Final = "addr:"


def unverified_claims(token: str) -> Mapping[str, Any]:
    """The payload of a JWT the gateway itself verified or minted, without checking it again."""
    try:
        payload = token.split(".")[1]
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error) as exc:
        raise InvalidToken(message="The token is not a JWT.") from exc
    if not isinstance(decoded, dict):
        raise InvalidToken(message="The token is not a JWT.")
    return decoded


class RequestLimiter:
    """Apply :class:`RateLimits` to requests: by address, by identity, or by a forwarded token."""

    def __init__(self, limits: RateLimits, buckets: TokenBuckets | None = None) -> None:
        self.limits = limits
        self.buckets = buckets or TokenBuckets()

    def check_address(self, address: str | None) -> None:
        """Count one request of ``address`` against the login policy."""
        self._take(_ADDRESS_PREFIX + (address or "unknown"), self.limits.login, "this address")

    def check_identity(self, identity: Identity) -> None:
        """Count one request of a verified identity (a user, or an API key as integrator)."""
        self._check_subject(identity.subject, INTEGRATOR in identity.roles)

    def check_token(self, token: str) -> None:
        """Count one request made with ``token``, a JWT vouched for by the gateway."""
        identity = tenancy.current_identity.get()
        if identity is not None:
            self.check_identity(identity)
            return
        claims = unverified_claims(token)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise InvalidToken(message="The token has no 'sub' claim.")
        roles = claims.get("roles")
        self._check_subject(subject, isinstance(roles, list) and INTEGRATOR in roles)

    def _check_subject(self, subject: str, integrator: bool) -> None:
        if integrator:
            self._take(_INTEGRATOR_PREFIX + subject, self.limits.api_key, "this API key")
        else:
            self._take(_USER_PREFIX + subject, self.limits.user, "this user")

    def _take(self, key: str, policy: RatePolicy, scope: str) -> None:
        if not self.limits.enabled:
            return
        wait = self.buckets.take(key, policy)
        if wait > 0:
            raise RateLimited(wait, scope)


def rate_limited_response(exc: RateLimited) -> Response:
    """The 429 problem document, with whole seconds in ``Retry-After`` (at least 1)."""
    seconds = max(1, math.ceil(exc.retry_after))
    return problem(
        429,
        "too_many_requests",
        detail=f"Too many requests from {exc.scope}; retry in {seconds} s.",
        headers={"Retry-After": str(seconds)},
    )


def install_rate_limits(app: Flask, limits: RateLimits, *, exempt: Exempt) -> RequestLimiter:
    """Limit every request of ``app`` except the ``exempt`` endpoints, which check themselves.

    Runs after the chassis hook has verified the bearer token, so requests carrying one count
    against their subject; the ``address_limited`` routes count against the client address.
    ``request.remote_addr`` is the client, as ``gateway.proxies`` found it behind trusted proxies.
    """
    limiter = RequestLimiter(limits)
    by_address = limits.address_limited

    def limit() -> None:
        endpoint = request.endpoint
        if endpoint is None or exempt(endpoint):
            return
        if (request.method, request.path) in by_address:
            limiter.check_address(request.remote_addr)
            return
        identity = tenancy.current_identity.get()
        if identity is not None:
            limiter.check_identity(identity)

    app.before_request(limit)
    app.register_error_handler(RateLimited, rate_limited_response)
    return limiter
