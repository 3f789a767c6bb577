"""Units of work: one database transaction of a service, as its service layer owns it.

The protocol every service follows (``STYLE.md`` 2.4)::

    with app.uow() as uow:      # a transaction begins
        ...                     # load, call the domain, stage events
        uow.commit()            # staged events reach the outbox, then the transaction commits
                                # leaving the block without commit() rolls everything back

Two persistence styles, one base each: :class:`ConnectionUnitOfWork` over a Core ``Connection``
(listings, ledger, notifications: their stores take the connection) and
:class:`SessionUnitOfWork` over an ORM ``Session`` (gateway, invoices: repositories of mapped
rows). :class:`Bound` gives a store's methods the unit of work's connection. Imports the chassis
only, never a service.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Generic, Self, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from chassis.messages import Envelope
from chassis.outbox import Outbox

T = TypeVar("T")


class UnitOfWork:
    """What every unit of work does: begin, commit with the staged events, roll back otherwise."""

    #: The service's outbox; ``None``: the service stages its events itself (its store does).
    outbox: Outbox | None = None

    def __init__(self) -> None:
        self.committed = False
        self._staged: list[Envelope] = []

    def __enter__(self) -> Self:
        self.committed = False
        self._staged = []
        self._begin()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._end()

    def stage(self, envelopes: Sequence[Envelope]) -> None:
        """Stage events; they are written to the outbox by :meth:`commit`, with the change."""
        self._staged.extend(envelopes)

    @property
    def staged(self) -> Sequence[Envelope]:
        return tuple(self._staged)

    def commit(self) -> None:
        if self._staged:
            if self.outbox is None:
                raise RuntimeError(f"{type(self).__name__} has no outbox to stage events in")
            self.outbox.add(self._executor(), self._staged)
        self._commit()
        self._staged = []
        self.committed = True

    # -- what a persistence style provides ----------------------------------------------------
    def _begin(self) -> None:
        raise NotImplementedError

    def _end(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _executor(self) -> Session | Connection:
        raise NotImplementedError


class ConnectionUnitOfWork(UnitOfWork):
    """A transaction on a Core ``Connection`` of the service's engine (``uow.conn``).

    ``autocommit``: each statement commits by itself (the ledger's one-statement money commands:
    row locks held only while the database works); ``commit()`` then has nothing left to do.
    """

    def __init__(
        self, engine: Engine, *, autocommit: bool = False, engine_autocommits: bool = False
    ) -> None:
        super().__init__()
        self.engine = engine
        self.autocommit = autocommit
        #: The engine was created in autocommit: nothing to switch per checkout.
        self.engine_autocommits = engine_autocommits
        self.conn: Connection | None = None

    def _begin(self) -> None:
        conn = self.engine.connect()
        if self.autocommit:
            if not self.engine_autocommits:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        else:
            conn.begin()
        self.conn = conn

    def _end(self) -> None:
        assert self.conn is not None
        try:
            if not self.autocommit and self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()
            self.conn = None

    def _commit(self) -> None:
        assert self.conn is not None, "use the unit of work in a with block"
        if not self.autocommit:
            self.conn.commit()

    def _executor(self) -> Connection:
        assert self.conn is not None, "use the unit of work in a with block"
        return self.conn

    def bound(self, store: T) -> Bound[T]:
        """``store`` with this transaction's connection applied to each method."""
        return Bound(store, self._executor())


class SessionUnitOfWork(UnitOfWork):
    """A transaction on an ORM ``Session`` (``uow.session``); ``_start`` binds repositories."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        super().__init__()
        self._sessions = sessions

    def _begin(self) -> None:
        self.session = self._sessions()
        self.session.begin()
        self._start(self.session)

    def _start(self, session: Session) -> None:
        """Bind the service's repositories to ``session`` (none by default)."""

    def _end(self) -> None:
        try:
            if not self.committed:
                self.session.rollback()
        finally:
            self.session.close()

    def _commit(self) -> None:
        self.session.commit()

    def _executor(self) -> Session:
        return self.session


class Bound(Generic[T]):
    """A store whose methods take a connection first, with one connection applied.

    ``Bound(store, conn).get_listing(listing_id)`` is ``store.get_listing(conn, listing_id)``.
    """

    def __init__(self, store: T, conn: Connection) -> None:
        self._store = store
        self._conn = conn

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return functools.partial(getattr(self._store, name), self._conn)
