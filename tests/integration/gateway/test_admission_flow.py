"""Issue 3's "done means", as real processes on RabbitMQ: the operator's CLI sets up a network, a
tenant and an animator; the animator logs in over HTTP and admits a member at the gateway; the
gateway's worker publishes ``member_admitted``; the ledger's worker opens the account, which the
animator then reads from the ledger (directly, and through the gateway)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.testing.databases import service_test_settings
from chassis.testing.plugin import need_rabbitmq
from chassis.testing.processes import ServiceProcess, free_port, gunicorn, python_module, wait_ready
from chassis.testing.rabbit import temporary_vhost

from .conftest import PASSWORD, member_body

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.e2e


@dataclass
class Platform:
    gateway_url: str
    ledger_url: str
    gateway_env: dict[str, str]
    processes: list[ServiceProcess]

    def cli(self, *args: str) -> str:
        """Run ``python -m gateway.cli`` against the running gateway's database."""
        done = subprocess.run([sys.executable, "-m", "gateway.cli", *args], cwd=ROOT,
                              env={**os.environ, **self.gateway_env, "TROC_LOG_JSON": "0"},
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log_tail()}" for p in self.processes)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    amqp = need_rabbitmq("the admission flow across the gateway and the ledger")
    tmp = tmp_path_factory.mktemp("admission")
    gateway_db = service_test_settings("gateway", tmp, migrations=ROOT / "gateway" / "migrations",
                                       database="gatewayflow").database_url
    ledger_db = service_test_settings("ledger", tmp,
                                      migrations=ROOT / "services" / "ledger" / "migrations",
                                      database="ledgerflow").database_url
    gateway_port, ledger_port = free_port(), free_port()
    with temporary_vhost(amqp) as vhost:
        # One var/ folder, as on a developer's machine: the gateway writes var/keys/jwks.json,
        # the ledger verifies tokens with it.
        common = {"TROC_VAR_DIR": str(tmp), "TROC_BROKER_URL": vhost.url,
                  "TROC_OUTBOX_POLL_INTERVAL_MS": "50", "TROC_LEDGER_URL":
                  f"http://127.0.0.1:{ledger_port}"}
        gateway_env = {**common, "TROC_DATABASE_URL": gateway_db}
        ledger_env = {**common, "TROC_DATABASE_URL": ledger_db}
        processes = [
            gunicorn("gateway-web", "gateway.api:create_app()", gateway_port, gateway_env, tmp),
            python_module("gateway-worker", "gateway.consumer", gateway_env, tmp),
            gunicorn("ledger-web", "ledger.api:create_app()", ledger_port, ledger_env, tmp),
            python_module("ledger-worker", "ledger.consumer", ledger_env, tmp),
        ]
        running = Platform(f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{ledger_port}",
                           gateway_env, processes)
        try:
            for process in processes:
                process.start()
            wait_ready(running.gateway_url, processes[0])
            wait_ready(running.ledger_url, processes[2])
            yield running
        except BaseException:
            print(running.logs())
            raise
        finally:
            for process in processes:
                process.stop()


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout}s")
        time.sleep(0.2)


def test_an_animator_admits_a_member_and_its_ledger_account_opens(platform: Platform) -> None:
    suffix = uuid.uuid4().hex[:6]
    network, tenant = f"troc-{suffix}", f"fa-mgp-{suffix}"
    animator = f"animation-{suffix}@example.org"
    platform.cli("create-network", "--slug", network, "--name", "Troc Actif (test)",
                 "--unit-code", "ACT", "--unit-name", "Actif", "--unit-symbol", "Ⓐ",
                 "--credit-limit", "1000.00", "--commission-rate", "5")
    platform.cli("create-tenant", "--network", network, "--slug", tenant,
                 "--name", "France Active Métropole – Grand Paris", "--departments", "92,93,94")
    platform.cli("create-user", "--tenant", tenant, "--email", animator,
                 "--password", PASSWORD, "--role", "animator")

    login = requests.post(f"{platform.gateway_url}/auth/token", timeout=10,
                          json={"email": animator, "password": PASSWORD})
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    admitted = requests.post(f"{platform.gateway_url}/t/{tenant}/members", headers=headers,
                             json=member_body(name="Menuiserie Dubois"), timeout=10)
    assert admitted.status_code == 201, admitted.text
    member_id = admitted.json()["id"]

    def account() -> dict[str, Any] | None:
        response = requests.get(f"{platform.ledger_url}/t/{tenant}/accounts/{member_id}",
                                headers=headers, timeout=5)
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

    through_gateway = requests.get(f"{platform.gateway_url}/t/{tenant}/accounts/{member_id}",
                                   headers=headers, timeout=10)
    assert through_gateway.status_code == 200, through_gateway.text
    assert through_gateway.json() == opened


def test_a_suspension_freezes_the_account(platform: Platform) -> None:
    suffix = uuid.uuid4().hex[:6]
    network, tenant = f"agri-{suffix}", f"beauce-{suffix}"
    animator = f"animation-{suffix}@example.org"
    platform.cli("create-network", "--slug", network, "--name", "Agri-échange (test)",
                 "--unit-code", "GRN", "--unit-name", "Grain", "--unit-symbol", "G",
                 "--credit-limit", "2000.00", "--payment-modes", "100",
                 "--vat-settlement", "euro")
    platform.cli("create-tenant", "--network", network, "--slug", tenant,
                 "--name", "Agri-échange Beauce", "--departments", "92")
    platform.cli("create-user", "--tenant", tenant, "--email", animator,
                 "--password", PASSWORD, "--role", "animator")
    token = requests.post(f"{platform.gateway_url}/auth/token", timeout=10,
                          json={"email": animator, "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    member_id = requests.post(f"{platform.gateway_url}/t/{tenant}/members", headers=headers,
                              json=member_body(credit_limit="300.00"), timeout=10).json()["id"]

    def status() -> str | None:
        response = requests.get(f"{platform.ledger_url}/t/{tenant}/accounts/{member_id}",
                                headers=headers, timeout=5)
        return response.json()["status"] if response.status_code == 200 else None

    assert eventually(status) == "active"
    account = requests.get(f"{platform.ledger_url}/t/{tenant}/accounts/{member_id}",
                           headers=headers, timeout=5).json()
    assert (account["unit"], account["credit_limit"]) == ("GRN", "300.00")
    suspended = requests.post(f"{platform.gateway_url}/t/{tenant}/members/{member_id}/suspend",
                              headers=headers, json={"reason": "test"}, timeout=10)
    assert suspended.status_code == 200, suspended.text
    assert eventually(lambda: status() == "frozen")
