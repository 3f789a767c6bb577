"""The routing table and the gateway app's routing edge, without any service running."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient

from chassis.auth import INTEGRATOR, InvalidToken
from chassis.config import SERVICE_PORTS, Settings
from chassis.http import create_base_app, public
from chassis.testing.tokens import TokenFactory
from gateway.ratelimit import RateLimits, RatePolicy
from gateway.routing import (
    ROUTES,
    RouteTable,
    ServiceRoute,
    default_upstreams,
    install_routing,
    path_shape,
)


def bearer(req: Request) -> str | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def gateway_app(
    token_factory: TokenFactory,
    tmp_path: Path,
    *,
    upstreams: dict[str, str] | None = None,
    rate_limits: RateLimits | None = None,
    token_for_request: Callable[[Request], str | None] = bearer,
) -> Flask:
    settings = token_factory.settings(
        Settings(service_name="gateway", log_json=False, var_dir=tmp_path)
    )
    app, api = create_base_app(
        settings,
        title="Troc Actif",
        version="1.0",
        verifier=token_factory.verifier(),
        import_name=__name__,
    )

    @app.post("/auth/token")
    @public
    def login() -> dict[str, str]:
        return {"access_token": "x"}

    @app.get("/t/<tenant>/members")
    def members(tenant: str) -> dict[str, str]:
        return {"tenant": tenant}

    install_routing(
        app,
        api,
        settings,
        token_for_request=token_for_request,
        upstreams=upstreams or {},  # no service deployed: no I/O in unit tests
        rate_limits=rate_limits,
    )
    return app


class TestRoutingTable:
    def test_every_route_is_tenant_or_network_scoped_and_owned_by_a_known_service(self) -> None:
        """Tenant- or network-scoped, or one of the federation's paths between networks (the
        ledger guards those by role: the operator, or an animator of the payer's tenant)."""
        for route in ROUTES:
            if route.rule.startswith("/federation/"):
                assert route.service == "ledger", route
                continue
            scope = "network" if route.rule.startswith("/networks/<network>/") else "tenant"
            assert route.rule.startswith(f"/{'networks' if scope == 'network' else 't'}/<{scope}>/")
            assert route.variables[0] == scope
            assert route.service in SERVICE_PORTS and route.service != "gateway"
            assert route.methods and route.methods <= {"GET", "POST", "PUT", "PATCH", "DELETE"}

    def test_the_ledger_paths_of_the_design_are_routed_to_the_ledger(self) -> None:
        table = RouteTable(ROUTES)
        for method, path in [
            ("GET", "/t/{tenant}/accounts/{member_id}"),
            ("GET", "/t/{tenant}/accounts/{member_id}/transfers"),
            ("PUT", "/t/{tenant}/accounts/{member_id}/credit-limit"),
            ("POST", "/t/{tenant}/transfers"),
            ("POST", "/t/{tenant}/transfers/{id}/void"),
            ("GET", "/t/{tenant}/events"),
            ("PUT", "/t/{tenant}/accounts/{member_id}/max-balance"),
            ("GET", "/t/{tenant}/credit-reviews"),
            ("GET", "/networks/{network}/fee-account"),
            ("POST", "/networks/{network}/fee-account/transfers"),
            ("GET", "/networks/{network}/commissions"),
        ]:
            assert table.owner(path) == "ledger"
            assert table.routes_operation("ledger", path, method)
        assert not table.routes_operation("ledger", "/t/{tenant}/events", "DELETE")
        assert not table.routes_operation("listings", "/t/{tenant}/events", "GET")
        assert table.owner("/t/<tenant>/invoices/<uuid:x>/pdf") == "invoices"
        assert table.owner("/t/{tenant}/webhooks/{w}/deliveries") == "notifications"
        assert table.owner("/t/{tenant}/members") is None

    def test_path_shapes_ignore_variable_names_and_converters(self) -> None:
        assert path_shape("/t/<tenant>/x/<uuid:member_id>/y") == "/t/{}/x/{}/y"
        assert path_shape("/t/{tenant}/x/{id}/y") == "/t/{}/x/{}/y"
        route = ServiceRoute("ledger", "/t/<tenant>/accounts/<uuid:member_id>", frozenset({"GET"}))
        assert route.openapi_path == "/t/{tenant}/accounts/{member_id}"

    def test_a_path_owned_by_two_services_is_refused(self) -> None:
        with pytest.raises(ValueError, match="two services"):
            RouteTable(
                [
                    ServiceRoute("ledger", "/t/<tenant>/x", frozenset({"GET"})),
                    ServiceRoute("listings", "/t/<tenant>/x", frozenset({"POST"})),
                ]
            )
        with pytest.raises(ValueError, match="twice"):
            RouteTable(
                [
                    ServiceRoute("ledger", "/t/<tenant>/x/<a>", frozenset({"GET"})),
                    ServiceRoute("ledger", "/t/<tenant>/x/<b>", frozenset({"POST"})),
                ]
            )

    def test_default_upstreams_are_the_local_ports_of_the_services(self) -> None:
        assert default_upstreams() == {
            "ledger": "http://127.0.0.1:8002",
            "listings": "http://127.0.0.1:8001",
            "invoices": "http://127.0.0.1:8003",
            "notifications": "http://127.0.0.1:8004",
        }


class TestTheGatewayEdge:
    @pytest.fixture
    def client(self, token_factory: TokenFactory, tmp_path: Path) -> FlaskClient:
        return gateway_app(token_factory, tmp_path).test_client()

    def test_an_unknown_path_is_a_404_problem(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        response = client.get(
            f"/t/{token_factory.tenant}/nothing-here", headers=token_factory.headers()
        )
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == "not_found"

    def test_a_method_the_table_does_not_list_is_a_405_problem(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        response = client.delete(
            f"/t/{token_factory.tenant}/events", headers=token_factory.headers()
        )
        assert response.status_code == 405
        assert response.json["code"] == "method_not_allowed"

    def test_without_credentials_the_gateway_answers_401_itself(self, client: FlaskClient) -> None:
        response = client.get("/t/pie/accounts")
        assert response.status_code == 401
        assert response.json["code"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"] == "Bearer"

    def test_another_tenant_is_not_found_at_the_gateway(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        response = client.get("/t/someone-else/accounts", headers=token_factory.headers())
        assert response.status_code == 404

    @pytest.mark.parametrize(
        "path",
        ["/t/{t}/accounts", "/t/{t}/listings", "/t/{t}/invoices/abc/pdf", "/t/{t}/notifications"],
    )
    def test_a_service_not_deployed_is_a_503_problem(
        self, client: FlaskClient, token_factory: TokenFactory, path: str
    ) -> None:
        response = client.get(path.format(t=token_factory.tenant), headers=token_factory.headers())
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == "service_unavailable"
        assert response.json["service"] in response.json["detail"]
        assert int(response.headers["Retry-After"]) > 0

    @pytest.mark.parametrize(
        "query, service",
        [("", "ledger"), ("?source=ledger", "ledger"), ("?source=invoices", "invoices")]
        + [("?source=listings&after=3", "listings")],
    )
    def test_the_event_log_goes_to_the_service_its_source_names(
        self, client: FlaskClient, token_factory: TokenFactory, query: str, service: str
    ) -> None:
        response = client.get(
            f"/t/{token_factory.tenant}/events{query}", headers=token_factory.headers()
        )
        assert response.status_code == 503  # no service deployed: the one it was sent to
        assert response.json["service"] == service

    @pytest.mark.parametrize("source", ["notifications", "gateway", "", "LEDGER"])
    def test_an_unknown_event_source_is_refused_at_the_gateway(
        self, client: FlaskClient, token_factory: TokenFactory, source: str
    ) -> None:
        path = f"/t/{token_factory.tenant}/events?source={source}"
        response = client.get(path, headers=token_factory.headers())
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == "validation_failed"
        assert list(response.json["errors"]) == ["query.source"]
        assert client.get(path).status_code == 401  # who asks comes first

    def test_a_write_to_a_service_not_deployed_is_a_503_problem(
        self, client: FlaskClient, token_factory: TokenFactory
    ) -> None:
        response = client.post(
            f"/t/{token_factory.tenant}/invoices", json={}, headers=token_factory.headers()
        )
        assert response.status_code == 503
        assert response.json["service"] == "invoices"

    def test_errors_of_token_for_request_are_401_problems(
        self, token_factory: TokenFactory, tmp_path: Path
    ) -> None:
        def refuse(_req: Request) -> str | None:
            raise InvalidToken(message="Unknown API key.")

        client = gateway_app(token_factory, tmp_path, token_for_request=refuse).test_client()
        response = client.get("/t/pie/accounts", headers={"X-API-Key": "tk_nope"})
        assert response.status_code == 401
        assert response.json["code"] == "invalid_token"


class TestRateLimitsAtTheEdge:
    LIMITS = RateLimits(
        user=RatePolicy(rate=0.01, burst=3),
        api_key=RatePolicy(0.01, 1),
        login=RatePolicy(rate=0.01, burst=2),
    )

    def test_a_user_past_its_burst_gets_429_with_retry_after(
        self, token_factory: TokenFactory, tmp_path: Path
    ) -> None:
        client = gateway_app(token_factory, tmp_path, rate_limits=self.LIMITS).test_client()
        headers = token_factory.headers()
        path = f"/t/{token_factory.tenant}/accounts"
        statuses = [client.get(path, headers=headers).status_code for _ in range(3)]
        assert statuses == [503, 503, 503]
        limited = client.get(path, headers=headers)
        assert limited.status_code == 429
        assert limited.json["code"] == "too_many_requests"
        assert int(limited.headers["Retry-After"]) >= 1
        # The gateway's own routes count against the same subject.
        assert client.get(f"/t/{token_factory.tenant}/members", headers=headers).status_code == 429
        assert client.get(path, headers=token_factory.headers()).status_code == 503

    def test_an_api_key_has_its_own_lower_limit(
        self, token_factory: TokenFactory, tmp_path: Path
    ) -> None:
        client = gateway_app(token_factory, tmp_path, rate_limits=self.LIMITS).test_client()
        headers = token_factory.headers(INTEGRATOR, scopes=["ledger:read"])
        path = f"/t/{token_factory.tenant}/events"
        assert client.get(path, headers=headers).status_code == 503
        assert client.get(path, headers=headers).status_code == 429

    def test_a_minted_token_is_limited_by_its_subject(
        self, token_factory: TokenFactory, tmp_path: Path
    ) -> None:
        minted = token_factory.mint(INTEGRATOR, subject="key-abc", scopes=["ledger:read"])

        def api_key(req: Request) -> str | None:
            return minted if req.headers.get("X-API-Key") == "tk_abc" else None

        client = gateway_app(
            token_factory, tmp_path, rate_limits=self.LIMITS, token_for_request=api_key
        ).test_client()
        path = f"/t/{token_factory.tenant}/events"
        assert client.get(path, headers={"X-API-Key": "tk_abc"}).status_code == 503
        assert client.get(path, headers={"X-API-Key": "tk_abc"}).status_code == 429
        assert client.get(path).status_code == 401

    def test_logins_are_limited_per_address(
        self, token_factory: TokenFactory, tmp_path: Path
    ) -> None:
        client = gateway_app(token_factory, tmp_path, rate_limits=self.LIMITS).test_client()
        assert [client.post("/auth/token").status_code for _ in range(2)] == [200, 200]
        assert client.post("/auth/token").status_code == 429
        other = client.post("/auth/token", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert other.status_code == 200

    def test_limits_can_be_switched_off(self, token_factory: TokenFactory, tmp_path: Path) -> None:
        off = RateLimits(login=RatePolicy(rate=0.01, burst=1), enabled=False)
        client = gateway_app(token_factory, tmp_path, rate_limits=off).test_client()
        assert {client.post("/auth/token").status_code for _ in range(5)} == {200}
