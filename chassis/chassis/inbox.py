"""Inbox: ids of the messages a consumer has applied, so a redelivered message is applied once.

Works inside the caller's SQLAlchemy transaction (a ``Session`` or a Core ``Connection``): the
inbox row commits (or rolls back) with the state change it vouches for. Recording is race-safe:
``INSERT ... ON CONFLICT DO NOTHING`` on PostgreSQL (a concurrent transaction inserting the same id
waits for the first one, then inserts nothing) and ``INSERT OR IGNORE`` on SQLite (one writer at a
time), and both report what they inserted. The table is ``inbox`` from
``chassis.outbox.messaging_tables``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from chassis.db import utcnow
from chassis.messages import Envelope

Executor = Session | Connection

#: Rows per statement: far below SQLite's bound-parameter limit, large enough for one round trip
#: per worker batch.
_CHUNK = 500


class Inbox:
    """The processed message ids of one consumer (a service, or one of its handlers)."""

    def __init__(self, table: Table, consumer_name: str) -> None:
        self.table = table
        self.consumer = consumer_name

    def record(self, session: Executor, message_id: str) -> bool:
        """Record ``message_id``; True if this transaction inserted it (the message is new).

        Call it before applying the message and skip the message when it returns False: of two
        workers holding the same message, exactly one gets True.
        """
        return message_id in self.filter_new(session, [message_id])

    def fresh(self, session: Executor, envelopes: Sequence[Envelope]) -> list[Envelope]:
        """Record a batch; return the envelopes to apply: each new message once, in batch order.

        A message applied before is dropped, and so is every later copy of a message inside the
        batch (a relay that died between publishing and marking its rows sends such copies).
        """
        new = self.filter_new(session, [e.id for e in envelopes])
        fresh: list[Envelope] = []
        for envelope in envelopes:
            if envelope.id in new:
                new.discard(envelope.id)
                fresh.append(envelope)
        return fresh

    def filter_new(self, session: Executor, ids: Iterable[str]) -> set[str]:
        """Record every id of a batch; return those that were new (this transaction inserted them).

        The ids returned are the messages to apply; the others were applied before (or are
        being applied by a concurrent transaction that will commit first).
        """
        unique = list(dict.fromkeys(ids))
        inserted: set[str] = set()
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            now = utcnow()
            rows = [
                {"message_id": mid, "consumer": self.consumer, "processed_at": now} for mid in chunk
            ]
            result = session.execute(self._insert_ignoring_duplicates(session, rows))
            inserted.update(result.scalars())
        return inserted

    def _insert_ignoring_duplicates(self, session: Executor, rows: list[dict[str, Any]]) -> Any:
        t = self.table
        bind = session.get_bind() if isinstance(session, Session) else session
        dialect = bind.dialect.name
        if dialect == "postgresql":
            stmt: Any = postgresql.insert(t).values(rows).on_conflict_do_nothing()
        elif dialect == "sqlite":
            stmt = insert(t).values(rows).prefix_with("OR IGNORE")
        else:
            raise NotImplementedError(f"inbox: no race-safe insert for {dialect}")
        return stmt.returning(t.c.message_id)
