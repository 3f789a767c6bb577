"""The only place that wires the gateway: settings, engine, sessions, keys, hasher, throttle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from chassis.config import Settings
from chassis.db import make_engine, utcnow
from chassis.keys import KeyStore
from gateway.db import SqlThrottleStore, UnitOfWork, session_factory
from gateway.domain.passwords import default_hasher
from gateway.domain.throttle import LoginThrottle
from gateway.settings import SERVICE, GatewaySettings
from gateway.tokens import TokenIssuer


@dataclass
class GatewayApp:
    """Everything the gateway's views, commands and worker need, built once per process."""

    settings: GatewaySettings
    engine: Engine
    keys: KeyStore
    hasher: PasswordHasher
    clock: Callable[[], datetime] = utcnow
    sessions: sessionmaker[Session] = field(init=False)
    issuer: TokenIssuer = field(init=False)
    throttle: LoginThrottle = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)
        self.issuer = TokenIssuer(self.keys, self.settings)
        self.throttle = LoginThrottle(SqlThrottleStore(self.engine), self.clock)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def now(self) -> datetime:
        return self.clock()


def bootstrap(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    hasher: PasswordHasher | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> GatewayApp:
    """Build the gateway; its signing key is created on first start (``var/keys``)."""
    gateway_settings = (
        GatewaySettings.of(settings) if settings is not None else GatewaySettings.from_env(SERVICE)
    )
    keys = KeyStore.from_settings(gateway_settings)
    keys.ensure()
    return GatewayApp(
        settings=gateway_settings,
        engine=engine or make_engine(gateway_settings),
        keys=keys,
        hasher=hasher or default_hasher(),
        clock=clock,
    )
