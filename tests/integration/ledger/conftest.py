"""Fixtures of the ledger's integration tests: a migrated database (PostgreSQL in CI)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from chassis.db import make_engine
from chassis.testing.databases import service_test_settings
from ledger.bootstrap import LedgerApp, bootstrap
from ledger.domain import Network

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def ledger_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LedgerApp]:
    """The ledger on both stores: Python rules on SQLite, PL/pgSQL functions on PostgreSQL."""
    settings = service_test_settings(
        "ledger", tmp_path_factory.mktemp("ledger"), migrations=MIGRATIONS, backend=request.param
    )
    engine = make_engine(settings)
    app = bootstrap(settings, engine=engine)
    yield app
    app.dispose()


@pytest.fixture
def engine(ledger_app: LedgerApp) -> Engine:
    return ledger_app.engine


@pytest.fixture
def network(ledger_app: LedgerApp) -> Network:
    """A fresh network (unit ACT, default credit limit 1,000.00), isolating the test."""
    net = Network(
        slug=f"net-{uuid.uuid4().hex[:10]}",
        unit_code="ACT",
        name="Test network",
        default_credit_limit=100_000,
        hold_expiry_days=30,
    )
    with ledger_app.uow() as uow:
        uow.ledger.upsert_network(net)
        uow.commit()
    return net


@pytest.fixture
def open_account(ledger_app: LedgerApp, network: Network) -> Callable[..., uuid.UUID]:
    def _open(tenant: str = "pie", credit_limit: int | None = None) -> uuid.UUID:
        account_id = uuid.uuid4()
        with ledger_app.uow() as uow:
            uow.ledger.open_account(account_id, network.slug, tenant, credit_limit)
            uow.commit()
        return account_id

    return _open
