"""The gateway in front of the real ledger (gunicorn process, migrated database of the
environment): forwarding of reads, writes, statements as CSV, problems, correlation ids, a cut
link, rate limits and the merged OpenAPI document. The fixtures serve the tenant matrix too."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.auth import ANIMATOR, MEMBER
from chassis.testing.databases import service_test_settings
from chassis.testing.processes import free_port, wait_ready, web_process
from chassis.testing.proxy import FaultyProxy
from chassis.testing.tokens import TokenFactory
from gateway.openapi import SERVICES_EXTENSION
from gateway.ratelimit import RateLimits, RatePolicy
from gateway.routing import ROUTES, RouteTable
from ledger.bootstrap import LedgerApp, bootstrap
from ledger.domain import Network
from tests.integration.gateway.test_routing import build_gateway, serve

pytestmark = pytest.mark.e2e

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"


@dataclass
class LedgerStack:
    """The ledger as a process, reached directly or through a gateway (via a cuttable link)."""

    ledger_url: str
    gateway_url: str
    proxy: FaultyProxy
    tokens: TokenFactory
    ledger: LedgerApp
    tmp: Path

    def network(self) -> str:
        slug = f"net-{uuid.uuid4().hex[:10]}"
        with self.ledger.uow() as uow:
            uow.ledger.upsert_network(
                Network(
                    slug=slug,
                    unit_code="ACT",
                    name="Troc test",
                    default_credit_limit=100_000,
                    hold_expiry_days=30,
                )
            )
            uow.commit()
        return slug

    def open_account(self, network: str, tenant: str, credit_limit: int | None = None) -> uuid.UUID:
        account_id = uuid.uuid4()
        with self.ledger.uow() as uow:
            uow.ledger.open_account(account_id, network, tenant, credit_limit)
            uow.commit()
        return account_id

    def headers(
        self, network: str, tenant: str, role: str = ANIMATOR, **options: Any
    ) -> dict[str, str]:
        return self.tokens.headers(role, tenant=tenant, network=network, **options)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerStack]:
    tmp = tmp_path_factory.mktemp("gateway-ledger")
    settings = service_test_settings("ledger", tmp, migrations=MIGRATIONS, database="ledgergw")
    tokens = TokenFactory(tmp / "keys")
    env = {
        "TROC_DATABASE_URL": settings.database_url,
        "TROC_BROKER_URL": "memory://",
        "TROC_VAR_DIR": str(tmp),
        "TROC_JWKS": str(tokens.jwks_path),
        "TROC_LOG_JSON": "false",
    }
    port = free_port()
    web = web_process("ledger-web", "ledger.api:create_app", port, env, tmp)
    web.start()
    proxy = FaultyProxy("127.0.0.1", port)
    ledger = bootstrap(settings)
    app, forwarder = build_gateway(tokens, tmp, {"ledger": f"http://127.0.0.1:{proxy.port}"})
    try:
        wait_ready(f"http://127.0.0.1:{port}", web)
        with serve(app) as gateway_url:
            yield LedgerStack(f"http://127.0.0.1:{port}", gateway_url, proxy, tokens, ledger, tmp)
    except BaseException:
        print(web.log_tail())
        raise
    finally:
        forwarder.close()
        web.stop()
        proxy.close()
        ledger.engine.dispose()


@dataclass
class Pair:
    network: str
    tenant: str
    buyer: uuid.UUID
    seller: uuid.UUID
    headers: dict[str, str]


@pytest.fixture
def pair(stack: LedgerStack) -> Pair:
    network, tenant = stack.network(), f"t-{uuid.uuid4().hex[:8]}"
    return Pair(
        network,
        tenant,
        stack.open_account(network, tenant),
        stack.open_account(network, tenant),
        stack.headers(network, tenant),
    )


def both(
    stack: LedgerStack, method: str, path: str, **kwargs: Any
) -> tuple[requests.Response, requests.Response]:
    """The same request through the gateway, then directly to the ledger."""
    return (
        requests.request(method, stack.gateway_url + path, timeout=10, **kwargs),
        requests.request(method, stack.ledger_url + path, timeout=10, **kwargs),
    )


def transfer(
    stack: LedgerStack, pair: Pair, amount: str, key: str | None = None, **body: Any
) -> requests.Response:
    return requests.post(
        f"{stack.gateway_url}/t/{pair.tenant}/transfers",
        timeout=10,
        headers={**pair.headers, "Idempotency-Key": key or uuid.uuid4().hex},
        json={"payer": str(pair.buyer), "payee": str(pair.seller), "amount": amount, **body},
    )


class TestForwardingToTheLedger:
    def test_an_account_reads_the_same_through_the_gateway_as_directly(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        via, direct = both(
            stack, "GET", f"/t/{pair.tenant}/accounts/{pair.buyer}", headers=pair.headers
        )
        assert via.status_code == direct.status_code == 200
        assert via.json() == direct.json()
        assert via.json()["credit_limit"] == "1000.00"
        assert via.headers["Content-Type"] == direct.headers["Content-Type"]

    def test_a_transfer_posts_once_and_its_replay_says_so(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        first = transfer(stack, pair, "125.50", key="gw-1", reference="Facture F-1")
        assert first.status_code == 201, first.text
        again = transfer(stack, pair, "125.50", key="gw-1", reference="Facture F-1")
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        account = requests.get(
            f"{stack.gateway_url}/t/{pair.tenant}/accounts/{pair.buyer}",
            headers=pair.headers,
            timeout=10,
        ).json()
        assert account["balance"] == "-125.50"

    def test_a_hold_is_posted_and_a_credit_limit_changed(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        held = transfer(stack, pair, "40.00", hold=True)
        assert held.status_code == 201 and held.json()["status"] == "pending"
        base = f"{stack.gateway_url}/t/{pair.tenant}"
        posted = requests.post(
            f"{base}/transfers/{held.json()['id']}/post", headers=pair.headers, timeout=10
        )
        assert posted.status_code == 200 and posted.json()["status"] == "posted"
        limit = requests.put(
            f"{base}/accounts/{pair.buyer}/credit-limit",
            headers=pair.headers,
            json={"credit_limit": "2500.00"},
            timeout=10,
        )
        assert limit.status_code == 200, limit.text
        assert limit.json()["credit_limit"] == "2500.00"
        assert limit.json()["available"] == "2460.00"

    def test_the_activity_and_the_credit_limit_history_read_as_directly(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        assert transfer(stack, pair, "80.00").status_code == 201
        base = f"{stack.gateway_url}/t/{pair.tenant}"
        changed = requests.put(
            f"{base}/accounts/{pair.seller}/credit-limit",
            timeout=10,
            headers=pair.headers,
            json={"credit_limit": "1500.00", "reason": "Bon payeur"},
        )
        assert changed.status_code == 200, changed.text
        for path in (
            f"/t/{pair.tenant}/activity?months=3",
            f"/t/{pair.tenant}/accounts/{pair.seller}/credit-limit/history",
        ):
            via, direct = both(stack, "GET", path, headers=pair.headers)
            assert via.status_code == direct.status_code == 200, via.text
            assert via.json() == direct.json()
        activity = requests.get(f"{base}/activity", headers=pair.headers, timeout=10).json()
        assert activity["months"][-1]["volume"] == "80.00"
        assert activity["outstanding_credit"] == "80.00"
        history = direct.json()["items"]
        assert [(h["old_credit_limit"], h["credit_limit"]) for h in history] == [
            ("1000.00", "1500.00"),
            (None, "1000.00"),
        ]

    def test_a_statement_is_a_page_and_keeps_its_legacy_paging_headers(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        for i in range(3):
            assert transfer(stack, pair, f"{i + 1}.00").status_code == 201
        path = f"/t/{pair.tenant}/accounts/{pair.buyer}/transfers?per_page=2&page=2"
        via, direct = both(stack, "GET", path, headers=pair.headers)
        assert via.status_code == 200
        assert via.json() == direct.json()
        page = via.json()
        assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 2, 3, 1)
        legacy = {**pair.headers, "Troc-List-Shape": "legacy"}
        via, direct = both(stack, "GET", path, headers=legacy)
        assert via.json() == direct.json() == page["items"]
        assert (via.headers["X-Total-Count"], via.headers["X-Page"], via.headers["X-Per-Page"]) == (
            "3",
            "2",
            "2",
        )
        assert via.headers["Deprecation"] == direct.headers["Deprecation"]

    def test_a_statement_streams_as_csv(self, stack: LedgerStack, pair: Pair) -> None:
        for i in range(12):
            assert transfer(stack, pair, f"{i + 1}.00", reference=f"ligne {i}").status_code == 201
        path = f"/t/{pair.tenant}/accounts/{pair.buyer}/transfers"
        headers = {**pair.headers, "Accept": "text/csv"}
        response = requests.get(stack.gateway_url + path, headers=headers, timeout=10, stream=True)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="statement-{pair.buyer}.csv"'
        )
        body = b"".join(response.iter_content(1024))
        direct = requests.get(stack.ledger_url + path, headers=headers, timeout=10)
        assert body == direct.content
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0][:3] == ["date", "transfer_id", "status"]
        assert len(rows) == 13

    def test_the_ledgers_problems_come_back_as_they_are(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        response = transfer(stack, pair, "1.001")
        assert response.status_code == 422
        assert response.headers["Content-Type"] == "application/problem+json"
        assert "amount" in response.json()["errors"]
        refused = transfer(stack, pair, "5000.00")
        assert (refused.status_code, refused.json()["code"]) == (422, "insufficient_credit")

    def test_a_member_cannot_act_as_an_animator_through_the_gateway(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        member = stack.headers(pair.network, pair.tenant, MEMBER, member_id=pair.buyer)
        response = requests.post(
            f"{stack.gateway_url}/t/{pair.tenant}/transfers",
            timeout=10,
            headers={**member, "Idempotency-Key": "m-1"},
            json={"payer": str(pair.buyer), "payee": str(pair.seller), "amount": "1.00"},
        )
        assert response.status_code == 403


class TestCorrelation:
    def test_the_clients_correlation_id_reaches_the_ledger_and_comes_back(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        correlation = f"corr-{uuid.uuid4().hex}"
        response = requests.get(
            f"{stack.gateway_url}/t/{pair.tenant}/accounts/{uuid.uuid4()}",
            headers={**pair.headers, "X-Correlation-ID": correlation},
            timeout=10,
        )
        assert response.status_code == 404
        assert response.json()["correlation_id"] == correlation  # written by the ledger
        assert response.headers["X-Correlation-ID"] == correlation

    def test_the_gateway_starts_a_correlation_id_when_the_client_has_none(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        response = requests.get(
            f"{stack.gateway_url}/t/{pair.tenant}/transfers/{uuid.uuid4()}",
            headers=pair.headers,
            timeout=10,
        )
        assert response.status_code == 404
        assert response.json()["correlation_id"] == response.headers["X-Correlation-ID"]


class TestAvailability:
    def test_a_cut_link_to_the_ledger_is_a_503_then_service_resumes(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        path = f"{stack.gateway_url}/t/{pair.tenant}/accounts/{pair.buyer}"
        assert requests.get(path, headers=pair.headers, timeout=10).status_code == 200
        stack.proxy.cut()
        try:
            down = requests.get(path, headers=pair.headers, timeout=10)
            assert down.status_code == 503
            assert down.json()["code"] == "service_unavailable"
            assert down.json()["service"] == "ledger"
            assert int(down.headers["Retry-After"]) > 0
            moved = transfer(stack, pair, "1.00")
            assert moved.status_code == 503
        finally:
            stack.proxy.restore()
        assert requests.get(path, headers=pair.headers, timeout=10).json()["balance"] == "0.00"

    def test_a_user_past_the_rate_limit_gets_429_with_retry_after(
        self, stack: LedgerStack, pair: Pair
    ) -> None:
        limits = RateLimits(user=RatePolicy(rate=0.1, burst=5))
        app, forwarder = build_gateway(
            stack.tokens, stack.tmp, {"ledger": stack.ledger_url}, rate_limits=limits
        )
        path = f"/t/{pair.tenant}/accounts/{pair.buyer}"
        try:
            with serve(app) as base:
                statuses = [
                    requests.get(base + path, headers=pair.headers, timeout=10) for _ in range(8)
                ]
        finally:
            forwarder.close()
        assert [r.status_code for r in statuses[:5]] == [200] * 5
        limited = [r for r in statuses if r.status_code == 429]
        assert limited, [r.status_code for r in statuses]
        assert limited[0].json()["code"] == "too_many_requests"
        assert int(limited[0].headers["Retry-After"]) >= 1


class TestOpenApi:
    def test_the_merged_document_holds_the_ledgers_public_paths(self, stack: LedgerStack) -> None:
        from tests.unit.gateway.test_routing_openapi import assert_valid_openapi

        document = requests.get(f"{stack.gateway_url}/openapi.json", timeout=10).json()
        assert document[SERVICES_EXTENSION]["ledger"] == "ok"
        assert document[SERVICES_EXTENSION]["listings"] == "unavailable"
        for route in ROUTES:
            if route.service == "ledger":
                item = document["paths"][route.openapi_path]
                assert {m.upper() for m in item if m != "parameters"} == route.methods
        assert "/healthz" not in document["paths"]
        assert_valid_openapi(document)
        assert requests.get(f"{stack.gateway_url}/docs", timeout=10).status_code == 200

    def test_every_tenant_path_the_running_ledger_serves_is_routed(
        self, stack: LedgerStack
    ) -> None:
        table = RouteTable(ROUTES)
        own = requests.get(f"{stack.ledger_url}/openapi.json", timeout=10).json()
        missing = [
            f"{method.upper()} {path}"
            for path, item in own["paths"].items()
            if path.startswith("/t/")
            for method in item
            if method != "parameters"
            if not table.routes_operation("ledger", path, method)
        ]
        assert not missing, f"add to gateway.routing.ROUTES: {missing}"
