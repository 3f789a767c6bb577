"""Database plumbing: engine and session factory per service, the declarative ``Base``.

PostgreSQL in production (``postgresql+psycopg://``), SQLite files for the embedded default.
Nothing is created at import time; ``make_engine(settings)`` is called by each service's bootstrap.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from chassis.config import Settings
from chassis.wakeup import ring_outbox

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Aware UTC now: naive datetimes are a money bug."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetime on both PostgreSQL and SQLite (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def new_metadata() -> MetaData:
    """A service's own MetaData, with named constraints (one per service database)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(settings: Settings, **kwargs: Any) -> Engine:
    """Create the engine of this service's own database."""
    url = settings.database_url
    if url.startswith("sqlite"):
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )
        _configure_sqlite(engine)
        ring_outbox(engine)
        return engine
    options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_pool_size,
        "pool_pre_ping": True,
    }
    if not settings.synchronous_commit:
        options["connect_args"] = {"options": "-c synchronous_commit=off"}
    options.update(kwargs)
    if "poolclass" in kwargs:
        options.pop("pool_size")
        options.pop("max_overflow")
    return create_engine(url, **options)


def _configure_sqlite(engine: Engine) -> None:
    """WAL and a busy timeout let the web process and the worker share one file."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling is disabled so that BEGIN IMMEDIATE below takes
        # the write lock at the start: a read-then-write transaction can then never fail
        # with "database is locked" halfway through.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it was raised from) says the database cannot be reached.

    Such a failure says nothing about the request or message: a worker puts the message back
    without counting a retry, the HTTP edge answers 503 so the client retries.
    """
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(
            current, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError
        ):
            return True
        current = current.__cause__
    return False
