"""Wake-ups: a loop that drains a table sleeps until a commit gives it work, not a poll interval.

:class:`Wakeup` is the latch such a loop waits on (``wait(timeout)``: True when something rang).
:class:`CommitWakeup` is the one a relay waits on (``OutboxRelay.wakeup``), rung when a
transaction that wrote outbox rows commits, whichever process wrote them:

- **PostgreSQL**: the ``outbox`` table's statement trigger ``NOTIFY``s :data:`OUTBOX_CHANNEL` from
  the writing transaction (delivered at commit, never for a rollback; see
  :func:`outbox_notify_ddl`); a thread ``LISTEN``s on a connection of its own.
- **SQLite**: engines made by ``chassis.db.make_engine`` note an ``INSERT INTO outbox`` and, once
  the connection's transaction has committed, send an empty datagram to an abstract Unix socket
  named after the database file (:func:`ring_outbox`); the relay's thread receives it. Linux only:
  elsewhere, and when another relay of the machine already listens, nothing rings.

Nothing here replaces the poll: a loop still wakes after its timeout (a lost connection, a writer
that does not ring), so the wake-up only ever shortens a wait. Listening starts on the first
``wait`` and stops at ``close``; a latch rung while nobody waits stays set for the next ``wait``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import sys
import threading
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

#: The PostgreSQL channel of the outbox trigger (one database per service: no service name).
OUTBOX_CHANNEL = "troc_outbox"

#: Connection-info keys of the SQLite doorbell: an outbox insert in the open transaction, and a
#: committed one whose ring is due.
_WROTE = "troc.outbox.wrote"
_DUE = "troc.outbox.due"

#: How long a listening thread blocks at most, so that ``close`` stops it promptly.
_LISTEN_SLICE = 0.5


class Wakeup:
    """A latch: ``set`` by whoever has news for a loop, ``wait``\\ ed on by that loop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """Sleep until rung or ``timeout`` seconds passed; True if rung (the latch is cleared)."""
        rung = self._event.wait(timeout)
        self._event.clear()
        return rung

    def close(self) -> None:
        """Release what listening holds (nothing here); the latch still works."""


def outbox_notify_ddl(table: str = "outbox", channel: str = OUTBOX_CHANNEL) -> list[str]:
    """PostgreSQL statements installing the trigger that ``NOTIFY``s ``channel`` when ``table``
    gets rows.

    A statement trigger: one notification per ``INSERT`` statement, and PostgreSQL folds the
    identical ones of a transaction into one, delivered at commit. Idempotent (migrations).
    """
    return [
        f"CREATE OR REPLACE FUNCTION {channel}_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{channel}', ''); RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {table}_notify ON {table}",
        f"CREATE TRIGGER {table}_notify AFTER INSERT ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {channel}_notify()",
    ]


def outbox_notify_drop_ddl(table: str = "outbox", channel: str = OUTBOX_CHANNEL) -> list[str]:
    """The statements undoing :func:`outbox_notify_ddl` (a migration's downgrade)."""
    return [
        f"DROP TRIGGER IF EXISTS {table}_notify ON {table}",
        f"DROP FUNCTION IF EXISTS {channel}_notify()",
    ]


# --- SQLite: a datagram after commit ---------------------------------------------------------


def _doorbell_address(database: str) -> bytes | None:
    """The abstract socket address of a SQLite database's relay (None off Linux, or in memory)."""
    if not sys.platform.startswith("linux") or not database or database == ":memory:":
        return None
    digest = hashlib.sha256(os.path.realpath(database).encode()).hexdigest()[:24]
    return b"\0troc-outbox-" + digest.encode()


_SENDER: socket.socket | None = None
_SENDER_LOCK = threading.Lock()


def _sender() -> socket.socket:
    """The process's one non-blocking datagram socket that rings the relays."""
    global _SENDER
    with _SENDER_LOCK:
        if _SENDER is None:
            _SENDER = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            _SENDER.setblocking(False)
        return _SENDER


def ring_outbox(engine: Engine) -> None:
    """Install on a SQLite ``engine``: a commit that inserted outbox rows rings the relay.

    The ring is sent when the connection goes back to the pool or begins its next transaction,
    both after the commit, so a relay woken by it sees the rows.
    """
    address = _doorbell_address(engine.url.database or "")
    if address is None:
        return

    def ring(info: dict[str, Any]) -> None:
        if info.pop(_DUE, False):
            # Nobody listening, or the bell already full of rings: either way nothing to do.
            with contextlib.suppress(OSError):
                _sender().sendto(b"", address)

    @event.listens_for(engine, "after_cursor_execute")
    def _noted(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO outbox ("):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    def _committing(conn: Any) -> None:
        if conn.info.pop(_WROTE, False):
            conn.info[_DUE] = True

    @event.listens_for(engine, "rollback")
    def _rolled_back(conn: Any) -> None:
        conn.info.pop(_WROTE, None)
        conn.info.pop(_DUE, None)

    @event.listens_for(engine, "begin")
    def _next_transaction(conn: Any) -> None:
        ring(conn.info)

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            ring(record.info)


# --- the relay's side --------------------------------------------------------------------


class CommitWakeup(Wakeup):
    """Rung when a commit wrote rows for a loop: by default a relay over ``engine``'s outbox
    (see the module's description).

    With another ``channel`` it wakes another loop on PostgreSQL (the notifications' delivery
    loop on ``troc_deliveries``); the SQLite doorbell is the outbox's only.
    """

    def __init__(self, engine: Engine, channel: str = OUTBOX_CHANNEL) -> None:
        super().__init__()
        self.engine = engine
        self.channel = channel
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()

    @property
    def listening(self) -> bool:
        """Whether commits can wake this relay (else only its poll does)."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float) -> bool:
        self.start()
        return super().wait(timeout)

    def start(self) -> None:
        """Start listening (once; again after ``close``)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            dialect = self.engine.dialect.name
            if dialect == "postgresql":
                target: Any = self._listen_postgresql
            elif (
                dialect == "sqlite"
                and self.channel == OUTBOX_CHANNEL
                and _doorbell_address(self.engine.url.database or "")
            ):
                target = self._listen_sqlite
            else:
                return
            self._closed.clear()
            self._thread = threading.Thread(target=target, name="outbox-wakeup", daemon=True)
            self._thread.start()

    def close(self) -> None:
        self._closed.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=_LISTEN_SLICE * 4)

    def _listen_postgresql(self) -> None:
        import psycopg  # the driver of postgresql+psycopg:// URLs

        dsn = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        backoff = 0.5
        while not self._closed.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {self.channel}")
                    backoff = 0.5
                    self.set()  # whatever was committed while nobody listened
                    while not self._closed.is_set():
                        for _ in conn.notifies(timeout=_LISTEN_SLICE, stop_after=1):
                            self.set()
            except Exception as exc:  # a lost connection: the poll covers the gap
                log.warning("outbox wake-up listener lost its connection: %s", exc)
                self._closed.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _listen_sqlite(self) -> None:
        address = _doorbell_address(self.engine.url.database or "")
        assert address is not None
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as bell:
            try:
                bell.bind(address)
            except OSError:
                log.info("another relay listens for this database's commits; polling only")
                return
            bell.settimeout(_LISTEN_SLICE)
            while not self._closed.is_set():
                try:
                    bell.recv(16)
                except TimeoutError:
                    continue
                except OSError:
                    return
                self.set()
