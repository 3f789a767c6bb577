"""The attack suite's one platform: every service as a real process on PostgreSQL and RabbitMQ.

One platform for the whole stage (session scope, ``-n 0``), seeded with the demo; the logins of
each role are taken once, at the start. The rate limits of the gateway are raised so that the
fuzzer explores the API instead of meeting 429s (the login throttle, per account and address,
stays as deployed). A test that fails logins on purpose does so from a loopback address of its
own (:func:`client_from`), so that it does not lock the others' address out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from chassis.testing.platform import Platform, running_platform

OPERATOR = "operator@demo.trocactif.org"
ANIMATOR = "animation@pie.demo.trocactif.org"
MEMBER = "contact@atelier-lumiere.demo.trocactif.org"
OTHER_MEMBER = "contact@bles-dor.demo.trocactif.org"
THIRD_MEMBER = "contact@imprimerie-marais.demo.trocactif.org"
OTHER_TENANT_ANIMATOR = "animation@fa-mgp.demo.trocactif.org"
TENANT = "pie"
#: Read scopes and webhooks of an integrator's API key (``gateway.domain.apikeys.Scope``).
INTEGRATOR_SCOPES = ("ledger:read", "events:read", "invoices:read", "webhooks:manage")
#: Loose enough for a fuzzer on two cores; the deployed defaults are tested by the gateway's own
#: tests (tests/unit/gateway/test_routing_ratelimit.py).
RATE_LIMITS = {
    "TROC_RATE_LIMIT_USER": "10000/10000",
    "TROC_RATE_LIMIT_API_KEY": "10000/10000",
    "TROC_RATE_LIMIT_LOGIN": "10000/10000",
    "TROC_ACCESS_TOKEN_TTL": "3600",
}
_addresses = itertools.count(2)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fuzzer last: it learns real ids from the answers and uses them (a demo member may
    leave, another be suspended), which the other tests' fixtures must not meet."""
    items.sort(key=lambda item: item.path.name == "test_fuzz.py")


class _SourceAddress(HTTPAdapter):
    """Connect from one loopback address (127.0.0.0/8 is all local on Linux)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address: str | None = None) -> requests.Session:
    """A session whose requests come from a loopback address of its own (a new one by default)."""
    session = requests.Session()
    session.trust_env = False
    session.mount("http://", _SourceAddress(address or f"127.0.0.{next(_addresses)}"))
    return session


@dataclass
class Attack:
    """The platform and what an attacker-or-user holds: each role's headers and the demo's ids."""

    platform: Platform
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Member ids by demo login (``member``, ``other_member``, ``third_member``) and of another
    #: tenant's member (``other_tenant``).
    members: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.platform.url

    def request(self, method: str, path: str, role: str | None, **kwargs: Any) -> requests.Response:
        """A request through the gateway with ``role``'s token (``None``: no token)."""
        headers = {**(self.headers[role] if role else {}), **kwargs.pop("headers", {})}
        return requests.request(
            method,
            f"{self.url}{path}",
            headers=headers,
            timeout=kwargs.pop("timeout", 30),
            **kwargs,
        )


def problem_of(response: requests.Response, status: int | tuple[int, ...]) -> dict[str, Any]:
    """The problem document of a refusal, checked to be the one format of chassis.http."""
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"] == "application/problem+json", response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert body["type"] == f"https://trocactif.org/problems/{body['code']}"
    assert {"title", "detail", "code", "correlation_id"} <= set(body), body
    return body


@pytest.fixture(scope="session")
def attack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Attack]:
    with running_platform(
        tmp_path_factory.mktemp("security"), tag="sec", env=RATE_LIMITS
    ) as platform:
        found = Attack(platform)
        for role, email in (
            ("operator", OPERATOR),
            ("animator", ANIMATOR),
            ("member", MEMBER),
            ("other_member", OTHER_MEMBER),
            ("third_member", THIRD_MEMBER),
            ("other_tenant_animator", OTHER_TENANT_ANIMATOR),
        ):
            found.headers[role] = platform.login(email)
        for role in ("member", "other_member", "third_member"):
            me = platform.get("/me", found.headers[role])
            found.members[role] = str(me["member_id"])
        directory = platform.get("/t/fa-mgp/members", found.headers["other_tenant_animator"])
        found.members["other_tenant"] = str(directory["items"][0]["id"])
        key = platform.post(
            f"/t/{TENANT}/api-keys",
            found.headers["animator"],
            status=201,
            json={"name": "security suite", "scopes": list(INTEGRATOR_SCOPES)},
        )
        found.headers["integrator"] = {"Authorization": f"Bearer {key['key']}"}
        yield found
