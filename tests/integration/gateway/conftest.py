"""Fixtures of the gateway's integration tests: a migrated directory database (both backends),
the app with fast argon2 parameters, and a fresh network with two tenants per test.

Fixture names start with ``gw`` so that the routing tests of this folder keep their own.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from chassis.messages import Envelope
from chassis.outbox import row_to_envelope
from chassis.testing.databases import service_test_settings
from gateway import service
from gateway.api import create_app
from gateway.bootstrap import GatewayApp, bootstrap
from gateway.db import outbox_table
from gateway.ratelimit import RateLimits
from tests.unit.gateway.builders import FAST_HASHER, make_siret, vat_for

MIGRATIONS = Path(__file__).resolve().parents[3] / "gateway" / "migrations"

#: Meets the password rules (long, not common, not the e-mail).
PASSWORD = "Pommes-de-reinette-2026"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def gw_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GatewayApp]:
    """The gateway on SQLite and on PostgreSQL (skipped, or failed in CI, without it)."""
    tmp = tmp_path_factory.mktemp(f"gateway-{request.param}")
    settings = service_test_settings(
        "gateway", tmp, migrations=MIGRATIONS, backend=request.param, extra={"TROC_LOG_JSON": "0"}
    )
    app = bootstrap(settings, hasher=FAST_HASHER)
    yield app
    app.engine.dispose()


@pytest.fixture
def gw_client(gw_app: GatewayApp) -> FlaskClient:
    """A test client from its own client address (the login throttle counts per address)."""
    app = create_app(gateway=gw_app, routing_options={"rate_limits": RateLimits(enabled=False)})
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = random_address()
    return client


def random_address() -> str:
    return ".".join(str(random.randrange(1, 255)) for _ in range(4))


def random_slug(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def network_body(slug: str, **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": "Réseau de test",
        "unit": {"code": "ACT", "name": "Actif", "symbol": "Ⓐ"},
        "default_credit_limit": "1000.00",
        "payment_modes": [100, 50],
        "hold_expiry_days": 30,
        "vat_settlement": "unit",
        "commission": {"rate": "5", "charged_in": "unit"},
        **overrides,
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    """One operator, a network with two tenants (A covers 92/93/94, B covers 75), an animator
    in each, logged in; ``client`` talks to the gateway."""

    app: GatewayApp
    client: FlaskClient
    network: str
    tenant_a: str
    tenant_b: str
    operator: dict[str, str]
    animator_a: dict[str, str]
    animator_b: dict[str, str]
    emails: dict[str, str] = field(default_factory=dict)

    def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.client.post("/auth/token", json={"email": email, "password": password})
        assert response.status_code == 200, response.json
        return dict(response.json)

    def headers_of(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        return bearer(self.login(email, password)["access_token"])

    def user(
        self,
        tenant: str,
        role: str,
        member_id: uuid.UUID | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> str:
        """Create a user through the API (as the tenant's animator); return its e-mail."""
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
        body: dict[str, Any] = {"email": email, "password": PASSWORD, "role": role}
        if member_id is not None:
            body["member_id"] = str(member_id)
        default = self.animator_a if tenant == self.tenant_a else self.animator_b
        response = self.client.post(f"/t/{tenant}/users", json=body, headers=headers or default)
        assert response.status_code == 201, response.json
        return email

    def admit(self, tenant: str | None = None, **overrides: Any) -> dict[str, Any]:
        tenant = tenant or self.tenant_a
        headers = self.animator_a if tenant == self.tenant_a else self.animator_b
        response = self.client.post(
            f"/t/{tenant}/members",
            headers=headers,
            json=member_body(tenant_b=tenant == self.tenant_b, **overrides),
        )
        assert response.status_code == 201, response.json
        return dict(response.json)

    def events(self, tenant: str | None = None) -> list[Envelope]:
        """The outbox's envelopes of this network (of one tenant if given), oldest first."""
        query = select(outbox_table).where(outbox_table.c.network == self.network)
        if tenant is not None:
            query = query.where(outbox_table.c.tenant == tenant)
        with self.app.engine.connect() as conn:
            rows = conn.execute(query.order_by(outbox_table.c.id)).all()
        return [row_to_envelope(r) for r in rows]

    def link_token(self, email: str, event: str = "password_reset_requested") -> str:
        """The token of the newest reset (or ``user_invited``) link staged for ``email``."""
        with self.app.engine.connect() as conn:
            rows = conn.execute(select(outbox_table).order_by(outbox_table.c.id.desc())).all()
        for envelope in map(row_to_envelope, rows):
            if envelope.type.split(".")[-2] == event and envelope.data["email"] == email:
                return str(envelope.data["token"])
        raise AssertionError(f"no {event} event for {email}")

    def event_names(self, tenant: str | None = None) -> list[str]:
        return [e.type.split(".")[-2] for e in self.events(tenant)]


def fresh_siret() -> str:
    """A valid SIRET from a random stem (Luhn keys computed independently of the code)."""
    return make_siret(f"{random.randrange(10_000_000, 99_999_999)}")


def member_body(*, tenant_b: bool = False, **overrides: Any) -> dict[str, Any]:
    siret = overrides.pop("siret", None) or fresh_siret()
    body = {
        "name": "Atelier Test",
        "siret": siret,
        "vat_number": vat_for(siret[:9]),
        "address": "12 rue de la Paix, 75002 Paris"
        if tenant_b
        else "3 avenue Jean Jaurès, 92120 Montrouge",
        "department": "75" if tenant_b else "92",
        "email": f"contact-{uuid.uuid4().hex[:6]}@example.fr",
        "phone": "01 23 45 67 89",
    }
    body.update(overrides)
    return body


@pytest.fixture
def gw(gw_app: GatewayApp, gw_client: FlaskClient) -> World:
    now = gw_app.now()
    operator_email = f"operator-{uuid.uuid4().hex[:8]}@example.org"
    service.create_user(
        gw_app.uow(),
        None,
        {"email": operator_email, "password": PASSWORD, "role": "operator"},
        actor=None,
        hasher=gw_app.hasher,
        now=now,
    )
    network = random_slug("net")
    tenant_a, tenant_b = random_slug("ta"), random_slug("tb")
    service.create_network(gw_app.uow(), {**network_body(network), "default_credit_limit": 100_000})
    service.create_tenant(
        gw_app.uow(),
        network,
        {"slug": tenant_a, "name": "Tenant A", "departments": ["92", "93", "94"]},
    )
    service.create_tenant(
        gw_app.uow(), network, {"slug": tenant_b, "name": "Tenant B", "departments": ["75"]}
    )
    emails = {}
    for tenant in (tenant_a, tenant_b):
        emails[tenant] = f"animator-{uuid.uuid4().hex[:8]}@example.org"
        service.create_user(
            gw_app.uow(),
            tenant,
            {"email": emails[tenant], "password": PASSWORD, "role": "animator"},
            actor=None,
            hasher=gw_app.hasher,
            now=now,
        )
    world = World(gw_app, gw_client, network, tenant_a, tenant_b, {}, {}, {}, emails)
    world.operator = world.headers_of(operator_email)
    world.animator_a = world.headers_of(emails[tenant_a])
    world.animator_b = world.headers_of(emails[tenant_b])
    return world
