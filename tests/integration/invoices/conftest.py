"""Fixtures of the invoices' integration tests: the service on SQLite and PostgreSQL, a fresh
network with two tenants and their members per test (fed through the worker's own path: the
gateway's and the ledger's events), and tokens for every role."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER
from chassis.db import make_engine
from chassis.messages import Envelope, envelope_for
from chassis.testing.databases import service_test_settings
from chassis.testing.tokens import TokenFactory
from contracts import gateway as gw
from contracts import ledger as lg
from invoices.api import create_app
from invoices.bootstrap import InvoicesApp, bootstrap
from invoices.consumer import InvoicesConsumer

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "invoices" / "migrations"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def invoices_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InvoicesApp]:
    settings = service_test_settings(
        "invoices",
        tmp_path_factory.mktemp("invoices"),
        migrations=MIGRATIONS,
        backend=request.param,
        extra={"TROC_LOG_JSON": "0"},
    )
    app = bootstrap(settings, engine=make_engine(settings))
    yield app
    app.dispose()


def address(
    street: str = "12 rue de la Roquette", postal: str = "75011", city: str = "Paris"
) -> dict[str, str]:
    return {"street": street, "postal_code": postal, "city": city}


@dataclass
class World:
    """A network with tenants A and B; members of A (seller, buyer) and of B (buyer_b)."""

    app: InvoicesApp
    tokens: TokenFactory
    network: str
    tenant_a: str
    tenant_b: str
    seller: uuid.UUID
    buyer: uuid.UUID
    buyer_b: uuid.UUID
    consumer: InvoicesConsumer
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    @property
    def client(self) -> FlaskClient:
        return self.clients["main"]

    def headers(
        self,
        role: str,
        *,
        tenant: str | None = None,
        member: uuid.UUID | None = None,
        **options: Any,
    ) -> dict[str, str]:
        if role == MEMBER:
            options["member_id"] = member
        if role == INTEGRATOR:
            options.setdefault("scopes", ("invoices:read",))
        return self.tokens.headers(
            role, tenant=tenant or self.tenant_a, network=self.network, **options
        )

    def seller_headers(self) -> dict[str, str]:
        return self.headers(MEMBER, member=self.seller)

    def buyer_headers(self) -> dict[str, str]:
        return self.headers(MEMBER, member=self.buyer)

    def animator_headers(self, tenant: str | None = None) -> dict[str, str]:
        return self.headers(ANIMATOR, tenant=tenant)

    def deliver(
        self, *messages: Any, tenant: str | None = None, envelopes: list[Envelope] | None = None
    ) -> list[Envelope]:
        """Hand messages to the worker's batch handler, as the bus would."""
        batch = list(envelopes or [])
        for message in messages:
            batch.append(
                envelope_for(
                    message, source="tests", network=self.network, tenant=tenant or self.tenant_a
                )
            )
        self.consumer.handle_batch(batch)
        return batch

    def admit(
        self,
        tenant: str,
        name: str,
        *,
        vat: str | None = "FR12812345671",
        credit_limit: str = "1000.00",
    ) -> uuid.UUID:
        member_id = uuid.uuid4()
        self.deliver(
            gw.MemberAdmitted(
                member_id=member_id,
                name=name,
                siret="81234567100015",
                department="75",
                email="contact@example.org",
                vat_number=vat,
            ),
            tenant=tenant,
        )
        self.deliver(
            lg.AccountOpened(
                account_id=member_id, unit="ACT", kind="member", credit_limit=Decimal(credit_limit)
            ),
            tenant=tenant,
        )
        return member_id

    def draft(self, **overrides: Any) -> dict[str, Any]:
        body = draft_body(self.buyer, **overrides)
        response = self.client.post(
            f"/t/{self.tenant_a}/invoices", json=body, headers=self.seller_headers()
        )
        assert response.status_code == 201, response.json
        return dict(response.json)

    def act(
        self,
        invoice_id: str,
        action: str,
        headers: dict[str, str],
        *,
        tenant: str | None = None,
        json: Any = None,
        status: int = 200,
    ) -> dict[str, Any]:
        response = self.client.post(
            f"/t/{tenant or self.tenant_a}/invoices/{invoice_id}/{action}",
            json=json,
            headers=headers,
        )
        assert response.status_code == status, (response.status_code, response.json)
        return dict(response.json)

    def get(
        self, invoice_id: str, headers: dict[str, str] | None = None, tenant: str | None = None
    ) -> dict[str, Any]:
        response = self.client.get(
            f"/t/{tenant or self.tenant_a}/invoices/{invoice_id}",
            headers=headers or self.seller_headers(),
        )
        assert response.status_code == 200, response.json
        return dict(response.json)


def draft_body(buyer: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "buyer_member_id": str(buyer),
        "lines": [
            {
                "description": "Conception d'un logo",
                "quantity": "1",
                "unit_price": "450.00",
                "vat_rate": "20",
            },
            {
                "description": "Flyers A5 (lot de 500)",
                "quantity": "2.5",
                "unit_price": "33.33",
                "vat_rate": "5.5",
            },
        ],
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "seller_address": address(),
        "buyer_address": address("21 avenue Jean Jaurès", "92120", "Montrouge"),
    }
    body.update(overrides)
    return body


def network_created(slug: str, **overrides: Any) -> gw.NetworkCreated:
    values: dict[str, Any] = {
        "slug": slug,
        "name": "Troc Actif",
        "unit": gw.Unit(code="ACT", name="Actif", symbol="Ⓐ"),
        "default_credit_limit": Decimal("1000.00"),
        "payment_modes": [100, 50],
        "hold_expiry_days": 30,
        "vat_settlement": "unit",
        "commission": gw.Commission(rate=Decimal("5"), charged_in="unit"),
        "buyer_acceptance_required": True,
    }
    values.update(overrides)
    return gw.NetworkCreated(**values)


def make_world(app: InvoicesApp, tokens: TokenFactory, **network: Any) -> World:
    slug = f"net-{uuid.uuid4().hex[:10]}"
    tenant_a, tenant_b = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    client_app = InvoicesApp(
        settings=dataclasses.replace(app.settings, jwks=str(tokens.jwks_path)), engine=app.engine
    )
    world = World(
        app=app,
        tokens=tokens,
        network=slug,
        tenant_a=tenant_a,
        tenant_b=tenant_b,
        seller=uuid.uuid4(),
        buyer=uuid.uuid4(),
        buyer_b=uuid.uuid4(),
        consumer=InvoicesConsumer(app),
    )
    world.clients["main"] = create_app(invoices=client_app).test_client()
    world.deliver(network_created(slug, **network), tenant=None)
    world.deliver(
        gw.TenantCreated(slug=tenant_a, name="Paris Initiative Entreprise"), tenant=tenant_a
    )
    world.deliver(gw.TenantCreated(slug=tenant_b, name="France Active MGP"), tenant=tenant_b)
    world.seller = world.admit(tenant_a, "Atelier Lumière Design")
    world.buyer = world.admit(tenant_a, "Boulangerie Les Blés d'Or", vat="FR32845678901")
    world.buyer_b = world.admit(tenant_b, "Menuiserie Dubois et Fils", vat="FR40303265045")
    return world


@pytest.fixture
def world(invoices_app: InvoicesApp, token_factory: TokenFactory) -> World:
    return make_world(invoices_app, token_factory)
