"""What the gateway forwards to a service: a user's JWT as it came, or for an API key a
short-lived integrator JWT that the service verifies with the gateway's published keys."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from chassis.auth import TokenVerifier
from chassis.http import create_base_app
from chassis.tenancy import require_identity
from gateway.api import create_app
from gateway.ratelimit import RateLimits

from .conftest import World, bearer, random_address


def _ledger_stub(gw: World) -> Flask:
    """A service that trusts the gateway's JWKS and says who the forwarded token is."""
    settings = gw.app.settings
    verifier = TokenVerifier(gw.app.keys.jwks_path, settings.jwt_audience, settings.jwt_issuer)
    app, _ = create_base_app(
        settings, title="ledger stub", version="1", verifier=verifier, import_name="ledger_stub"
    )

    @app.get("/t/<tenant>/accounts")
    def accounts(tenant: str) -> dict[str, object]:
        identity = require_identity()
        return {
            "roles": sorted(identity.roles),
            "tenant": identity.tenant,
            "scopes": sorted(identity.scopes),
            "subject": identity.subject,
        }

    return app


@pytest.fixture
def through(gw: World) -> Iterator[FlaskClient]:
    """A gateway client whose ledger is the stub, served over HTTP."""
    server = make_server("127.0.0.1", 0, _ledger_stub(gw), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app = create_app(
        gateway=gw.app,
        routing_options={
            "upstreams": {"ledger": f"http://127.0.0.1:{server.server_port}"},
            "rate_limits": RateLimits(enabled=False),
        },
    )
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = random_address()
    try:
        yield client
    finally:
        server.shutdown()
        server.server_close()


def test_a_users_token_is_forwarded_as_it_came(gw: World, through: FlaskClient) -> None:
    response = through.get(f"/t/{gw.tenant_a}/accounts", headers=gw.animator_a)
    assert response.status_code == 200, response.json
    assert response.json["roles"] == ["animator"]
    assert response.json["tenant"] == gw.tenant_a


def test_an_api_key_reaches_the_service_as_an_integrator_jwt(
    gw: World, through: FlaskClient
) -> None:
    created = gw.client.post(
        f"/t/{gw.tenant_a}/api-keys",
        headers=gw.animator_a,
        json={"name": "Compta", "scopes": ["ledger:read"]},
    ).json
    response = through.get(f"/t/{gw.tenant_a}/accounts", headers=bearer(created["key"]))
    assert response.status_code == 200, response.json
    assert response.json == {
        "roles": ["integrator"],
        "tenant": gw.tenant_a,
        "scopes": ["ledger:read"],
        "subject": f"apikey:{created['id']}",
    }
    # Tenant B's paths stay closed to tenant A's key, at the gateway already.
    assert (
        through.get(f"/t/{gw.tenant_b}/accounts", headers=bearer(created["key"])).status_code == 404
    )
    gw.client.delete(f"/t/{gw.tenant_a}/api-keys/{created['id']}", headers=gw.animator_a)
    revoked = through.get(f"/t/{gw.tenant_a}/accounts", headers=bearer(created["key"]))
    assert revoked.status_code == 401
    assert revoked.json["code"] == "api_key_revoked"
