"""The only place that wires the listings: settings, engine, store, and the network cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine

from chassis.config import Settings
from chassis.db import make_engine, utcnow
from listings.db import Store, UnitOfWork, text_search_for
from listings.domain import Network
from listings.handlers import Context, expire_listings
from listings.settings import ListingsSettings

T = TypeVar("T")


class NetworkCache:
    """The networks' settings (unit, payment modes), re-read at most every ``ttl`` seconds."""

    def __init__(self, engine: Engine, store: Store, ttl: float = 30.0) -> None:
        self.engine = engine
        self.store = store
        self.ttl = ttl
        self._items: dict[str, tuple[float, Network | None]] = {}
        self._lock = threading.Lock()

    def get(self, slug: str) -> Network | None:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(slug)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        with self.engine.connect() as conn:
            network = self.store.get_network(conn, slug)
        with self._lock:
            self._items[slug] = (now, network)
        return network


@dataclass
class ListingsApp:
    settings: ListingsSettings
    engine: Engine
    store: Store
    networks: NetworkCache = field(init=False)

    def __post_init__(self) -> None:
        self.networks = NetworkCache(self.engine, self.store)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.store)

    @contextmanager
    def context(self) -> Iterator[tuple[UnitOfWork, Context]]:
        """A unit of work and the handlers' context bound to it."""
        with self.uow() as uow:
            yield uow, self.context_of(uow)

    def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``use_case(ctx, *args, **kwargs)`` in one transaction, committed if it returns."""
        with self.context() as (uow, ctx):
            result = use_case(ctx, *args, **kwargs)
            uow.commit()
        return result

    def dependencies(self, uow: UnitOfWork) -> dict[str, Any]:
        """What the handlers of the bus may ask for by name (``ctx``)."""
        return {"ctx": self.context_of(uow)}

    def expire(self, now: datetime | None = None) -> int:
        """Archive the listings past their expiry; returns how many."""
        with self.context() as (uow, ctx):
            count = expire_listings(ctx, now or utcnow())
            uow.commit()
        return count

    def context_of(self, uow: UnitOfWork) -> Context:
        return Context(
            store=uow.store,
            need_expiry_days=self.settings.need_expiry_days,
            match_limit=self.settings.match_limit,
            demo_listings=self.settings.demo_listings,
        )

    def dispose(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None) -> ListingsApp:
    listings_settings = (
        ListingsSettings.of(settings) if settings is not None else ListingsSettings.from_env()
    )
    engine = engine or make_engine(listings_settings)
    return ListingsApp(
        settings=listings_settings, engine=engine, store=Store(text_search_for(engine.dialect.name))
    )
