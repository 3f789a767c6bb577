"""The only place that wires the ledger: settings, engine, store, and the caches of the web path."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from chassis.config import Settings
from chassis.db import make_engine
from ledger.db import Ledger, PgLedgerStore, StatementConnections, UnitOfWork, store_for
from ledger.domain import Network
from ledger.settings import LedgerSettings


class NetworkSettings:
    """The networks' settings, re-read at most every ``ttl`` seconds (they change rarely)."""

    def __init__(self, engine: Engine, store: Ledger, ttl: float = 30.0) -> None:
        self.engine = engine
        self.store = store
        self.ttl = ttl
        self._items: dict[str, tuple[float, Network]] = {}

    def get(self, slug: str) -> Network | None:
        now = time.monotonic()
        hit = self._items.get(slug)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        with self.engine.connect() as conn:
            network = self.store.get_network(conn, slug)
        if network is not None:
            self._items[slug] = (now, network)
        return network


@dataclass
class LedgerApp:
    settings: LedgerSettings
    engine: Engine
    store: Ledger
    #: PostgreSQL only: connections that stay in autocommit, for the one-statement money
    #: commands (no isolation-level switch per checkout, no ping round trip).
    statement_engine: Engine | None = None
    #: PostgreSQL only: the web path's pooled psycopg connections for single transfers.
    statements: StatementConnections | None = None
    #: Networks whose books live in another database than ``engine``'s: slug -> engine.
    shards: dict[str, Engine] = field(default_factory=dict)
    networks: NetworkSettings = field(init=False)
    #: The apps of the other databases, for requests of their networks (``for_network``).
    _views: dict[int, LedgerApp] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.networks = NetworkSettings(self.engine, self.store)
        if isinstance(self.store, PgLedgerStore):
            self.store.unit_of = self._unit_of
        self._stores: dict[int, Ledger] = {id(self.engine): self.store}
        for shard in self.shards.values():
            self._stores.setdefault(id(shard), store_for(shard.dialect.name))

    def engine_for(self, network: str | None) -> Engine:
        """The engine of the database holding ``network``'s books (the ledger's own by default)."""
        return self.shards.get(network or "", self.engine)

    def store_for_engine(self, engine: Engine) -> Ledger:
        return self._stores[id(engine)]

    def uow_for(self, network: str | None) -> UnitOfWork:
        """A unit of work on the database of ``network``'s books."""
        engine = self.engine_for(network)
        if engine is self.engine:
            return self.uow()
        return UnitOfWork(engine, self.store_for_engine(engine))

    def for_network(self, network: str | None) -> LedgerApp:
        """This ledger as seen by a request of ``network``: on the database of its books.

        A network kept in the ledger's own database gets this app itself; another gets an app
        on its database (built once), without the web path's statement pool.
        """
        engine = self.engine_for(network)
        if engine is self.engine:
            return self
        if id(engine) not in self._views:
            self._views[id(engine)] = LedgerApp(
                settings=self.settings, engine=engine, store=self.store_for_engine(engine)
            )
        return self._views[id(engine)]

    def network_of_tenant(self, tenant: str) -> str | None:
        """The network of a tenant's accounts, in whichever database holds them."""
        for engine in self.engines():
            with engine.connect() as conn:
                found = self.store_for_engine(engine).network_of_tenant(conn, tenant)
            if found is not None:
                return found
        return None

    def engines(self) -> list[Engine]:
        """Every database of the ledger, its own first."""
        found = {id(self.engine): self.engine}
        for shard in self.shards.values():
            found.setdefault(id(shard), shard)
        return list(found.values())

    def _unit_of(self, slug: str) -> str | None:
        network = self.networks.get(slug)
        return network.unit_code if network else None

    def uow(self, *, single_statement: bool = False) -> UnitOfWork:
        if single_statement and self.statement_engine is not None:
            return UnitOfWork(
                self.statement_engine, self.store, single_statement=True, engine_autocommits=True
            )
        return UnitOfWork(self.engine, self.store, single_statement=single_statement)

    @staticmethod
    def dependencies(uow: UnitOfWork) -> dict[str, Any]:
        """What the handlers of the bus may ask for by name (``ledger``: the bound store)."""
        return {"ledger": uow.ledger}

    def dispose(self) -> None:
        if self.statements is not None:
            self.statements.close()
        for engine in self.engines():
            engine.dispose()
        if self.statement_engine is not None:
            self.statement_engine.dispose()


def shard_engines(settings: LedgerSettings, own: Engine) -> dict[str, Engine]:
    """One engine per database named in ``network_databases`` (the ledger's own reused)."""
    by_url: dict[str, Engine] = {settings.database_url: own}
    shards = {}
    for network, url in settings.network_databases.items():
        if url not in by_url:
            by_url[url] = make_engine(dataclasses.replace(settings, database_url=url))
        shards[network] = by_url[url]
    return {network: engine for network, engine in shards.items() if engine is not own}


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None) -> LedgerApp:
    ledger_settings = (
        LedgerSettings.of(settings) if settings is not None else LedgerSettings.from_env()
    )
    engine = engine or make_engine(ledger_settings)
    statement_engine = statements = None
    store = store_for(engine.dialect.name)
    if isinstance(store, PgLedgerStore):
        statement_engine = make_engine(
            ledger_settings, isolation_level="AUTOCOMMIT", pool_pre_ping=False
        )
        statements = StatementConnections.for_engine(
            engine,
            store,
            size=ledger_settings.db_pool_size,
            synchronous_commit=ledger_settings.synchronous_commit,
            group_commit_us=ledger_settings.group_commit_us,
        )
    return LedgerApp(
        settings=ledger_settings,
        engine=engine,
        store=store,
        statement_engine=statement_engine,
        statements=statements,
        shards=shard_engines(ledger_settings, engine),
    )
