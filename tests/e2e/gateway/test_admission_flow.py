"""Issue 3's "done means", as real processes on the environment's bus: the operator's CLI sets
up a network, a tenant and an animator; the animator logs in over HTTP and admits a member at the
gateway; the gateway's worker publishes ``member_admitted``; the ledger's worker opens the
account, which the animator then reads from the ledger (directly, and through the gateway)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from chassis.testing.services import RunningServices, running_services
from chassis.testing.waiting import eventually
from contracts.topology import platform_topology
from tests.integration.gateway.conftest import PASSWORD, member_body

pytestmark = pytest.mark.e2e


class Platform:
    """The gateway and the ledger as processes, and the operator's CLI of the gateway."""

    def __init__(self, services: RunningServices) -> None:
        self.services = services
        self.gateway_url = services.url("gateway")
        self.ledger_url = services.url("ledger")

    def cli(self, *args: str) -> str:
        done = self.services.cli("gateway", *args, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    # One var/ folder, as on a developer's machine: the gateway writes var/keys/jwks.json, the
    # ledger verifies tokens with it.
    with running_services(
        tmp_path_factory.mktemp("admission"), ["gateway", "ledger"], platform_topology(), tag="flow"
    ) as services:
        yield Platform(services)


def test_an_animator_admits_a_member_and_its_ledger_account_opens(platform: Platform) -> None:
    suffix = uuid.uuid4().hex[:6]
    network, tenant = f"troc-{suffix}", f"fa-mgp-{suffix}"
    animator = f"animation-{suffix}@example.org"
    platform.cli(
        "create-network",
        "--slug",
        network,
        "--name",
        "Troc Actif (test)",
        "--unit-code",
        "ACT",
        "--unit-name",
        "Actif",
        "--unit-symbol",
        "Ⓐ",
        "--credit-limit",
        "1000.00",
        "--commission-rate",
        "5",
    )
    platform.cli(
        "create-tenant",
        "--network",
        network,
        "--slug",
        tenant,
        "--name",
        "France Active Métropole – Grand Paris",
        "--departments",
        "92,93,94",
    )
    platform.cli(
        "create-user",
        "--tenant",
        tenant,
        "--email",
        animator,
        "--password",
        PASSWORD,
        "--role",
        "animator",
    )

    login = requests.post(
        f"{platform.gateway_url}/auth/token",
        timeout=10,
        json={"email": animator, "password": PASSWORD},
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    admitted = requests.post(
        f"{platform.gateway_url}/t/{tenant}/members",
        headers=headers,
        json=member_body(name="Menuiserie Dubois"),
        timeout=10,
    )
    assert admitted.status_code == 201, admitted.text
    member_id = admitted.json()["id"]

    def account() -> dict[str, Any] | None:
        response = requests.get(
            f"{platform.ledger_url}/t/{tenant}/accounts/{member_id}", headers=headers, timeout=5
        )
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        return dict(response.json())

    opened = eventually(account)
    assert opened["member_id"] == member_id
    assert opened["network"] == network
    assert opened["unit"] == "ACT"
    assert opened["balance"] == "0.00"
    assert opened["credit_limit"] == "1000.00"
    assert opened["available"] == "1000.00"

    through_gateway = requests.get(
        f"{platform.gateway_url}/t/{tenant}/accounts/{member_id}", headers=headers, timeout=10
    )
    assert through_gateway.status_code == 200, through_gateway.text
    assert through_gateway.json() == opened


def test_a_suspension_freezes_the_account(platform: Platform) -> None:
    suffix = uuid.uuid4().hex[:6]
    network, tenant = f"agri-{suffix}", f"beauce-{suffix}"
    animator = f"animation-{suffix}@example.org"
    platform.cli(
        "create-network",
        "--slug",
        network,
        "--name",
        "Agri-échange (test)",
        "--unit-code",
        "GRN",
        "--unit-name",
        "Grain",
        "--unit-symbol",
        "G",
        "--credit-limit",
        "2000.00",
        "--payment-modes",
        "100",
        "--vat-settlement",
        "euro",
    )
    platform.cli(
        "create-tenant",
        "--network",
        network,
        "--slug",
        tenant,
        "--name",
        "Agri-échange Beauce",
        "--departments",
        "92",
    )
    platform.cli(
        "create-user",
        "--tenant",
        tenant,
        "--email",
        animator,
        "--password",
        PASSWORD,
        "--role",
        "animator",
    )
    token = requests.post(
        f"{platform.gateway_url}/auth/token",
        timeout=10,
        json={"email": animator, "password": PASSWORD},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    member_id = requests.post(
        f"{platform.gateway_url}/t/{tenant}/members",
        headers=headers,
        json=member_body(credit_limit="300.00"),
        timeout=10,
    ).json()["id"]

    def status() -> str | None:
        response = requests.get(
            f"{platform.ledger_url}/t/{tenant}/accounts/{member_id}", headers=headers, timeout=5
        )
        return response.json()["status"] if response.status_code == 200 else None

    assert eventually(status) == "active"
    account = requests.get(
        f"{platform.ledger_url}/t/{tenant}/accounts/{member_id}", headers=headers, timeout=5
    ).json()
    assert (account["unit"], account["credit_limit"]) == ("GRN", "300.00")
    suspended = requests.post(
        f"{platform.gateway_url}/t/{tenant}/members/{member_id}/suspend",
        headers=headers,
        json={"reason": "test"},
        timeout=10,
    )
    assert suspended.status_code == 200, suspended.text
    assert eventually(lambda: status() == "frozen")
