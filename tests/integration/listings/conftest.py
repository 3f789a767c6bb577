"""Fixtures of the listings' integration tests: a migrated database on both backends (SQLite's
FTS5 and PostgreSQL's French full-text search), a client, tokens, and helpers to publish."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from chassis.auth import ANIMATOR, MEMBER
from chassis.testing.databases import service_test_settings
from chassis.testing.tokens import TokenFactory
from listings.api import create_app
from listings.bootstrap import ListingsApp, bootstrap
from listings.domain import Member, Network

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "listings" / "migrations"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def listings_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ListingsApp]:
    """The listings on both searches: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""
    settings = service_test_settings(
        "listings",
        tmp_path_factory.mktemp("listings"),
        migrations=MIGRATIONS,
        backend=request.param,
    )
    app = bootstrap(settings)
    yield app
    app.dispose()


@dataclass
class Market:
    """One fresh network with two associations, and ways to act in it over HTTP."""

    app: ListingsApp
    client: FlaskClient
    tokens: TokenFactory
    network: str
    tenant_a: str
    tenant_b: str

    def member(
        self, tenant: str | None = None, *, name: str = "Atelier Test", department: str = "75"
    ) -> uuid.UUID:
        """A member known to the listings (as if admitted through the gateway)."""
        member_id = uuid.uuid4()
        with self.app.uow() as uow:
            uow.store.upsert_member(
                Member(
                    id=member_id,
                    network=self.network,
                    tenant=tenant or self.tenant_a,
                    name=name,
                    department=department,
                )
            )
            uow.commit()
        return member_id

    def headers(
        self,
        member_id: uuid.UUID | None = None,
        tenant: str | None = None,
        role: str = MEMBER,
        **options: Any,
    ) -> dict[str, str]:
        if role == MEMBER:
            options["member_id"] = member_id or uuid.uuid4()
        return self.tokens.headers(
            role, tenant=tenant or self.tenant_a, network=self.network, **options
        )

    def animator(self, tenant: str | None = None) -> dict[str, str]:
        return self.headers(role=ANIMATOR, tenant=tenant)

    def publish(
        self, member_id: uuid.UUID, tenant: str | None = None, **body: Any
    ) -> dict[str, Any]:
        tenant = tenant or self.tenant_a
        document = {"kind": "offer", "category": "autre", "departments": ["75"], **body}
        response = self.client.post(
            f"/t/{tenant}/listings", headers=self.headers(member_id, tenant), json=document
        )
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    def search(
        self, member_id: uuid.UUID, as_tenant: str | None = None, **query: Any
    ) -> dict[str, Any]:
        tenant = as_tenant or self.tenant_a
        response = self.client.get(
            f"/t/{tenant}/listings", headers=self.headers(member_id, tenant), query_string=query
        )
        assert response.status_code == 200, response.json
        return response.json  # type: ignore[no-any-return]

    def titles(self, member_id: uuid.UUID, **query: Any) -> list[str]:
        return [item["title"] for item in self.search(member_id, **query)["items"]]


@pytest.fixture
def market(listings_app: ListingsApp, token_factory: TokenFactory) -> Market:
    network = f"net-{uuid.uuid4().hex[:10]}"
    with listings_app.uow() as uow:
        uow.store.upsert_network(
            Network(
                slug=network,
                name="Troc test",
                unit_code="ACT",
                unit_name="Actif",
                payment_modes=(100, 50),
                need_expiry_days=60,
            )
        )
        uow.commit()
    app = create_app(token_factory.settings(listings_app.settings), listings=listings_app)
    return Market(
        listings_app,
        app.test_client(),
        token_factory,
        network,
        f"a-{uuid.uuid4().hex[:8]}",
        f"b-{uuid.uuid4().hex[:8]}",
    )


Publish = Callable[..., dict[str, Any]]
