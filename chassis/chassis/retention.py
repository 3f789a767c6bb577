"""Retention: the tables that only remember (processed message ids, webhook deliveries, sent
e-mails, refused logins) keep so many days, then their oldest rows are deleted in batches.

A :class:`Retention` names a table, its time column, how many days to keep (0: forever) and which
rows may go at all (a delivery still pending never does). :func:`purge` deletes, oldest first,
in batches of ``batch`` rows, each its own short transaction, so that it never holds locks long
nor competes with the traffic; it reads through an index on the time column (checked on
PostgreSQL by ``chassis.testing.plans``). The ledger's transfers, postings and event log are
never given a retention: they are the money's history.

Settings: ``TROC_INBOX_RETENTION_DAYS`` (14), ``TROC_WEBHOOK_RETENTION_DAYS`` (30),
``TROC_EMAIL_RETENTION_DAYS`` (30), ``TROC_LOGIN_FAILURE_RETENTION_DAYS`` (7) and
``TROC_RETENTION_INTERVAL_S`` (600, how often a worker purges), see ``chassis.config``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, Table, and_, delete, select

from chassis.db import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    """Rows of ``table`` older than ``days`` by ``column`` (and matching ``where``) may go.

    ``children`` are deleted first, by their foreign key to this table's primary key (attempts
    of a delivery).
    """

    table: Table
    column: str
    days: int
    where: ColumnElement[bool] | None = None
    children: Sequence[tuple[Table, str]] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.table.name


def purge_table(
    engine: Engine,
    policy: Retention,
    now: datetime | None = None,
    *,
    batch: int = 1000,
    max_batches: int = 100,
) -> int:
    """Delete ``policy``'s expired rows, ``batch`` at a time; returns how many went."""
    if policy.days <= 0:
        return 0
    t = policy.table
    cutoff = (now or utcnow()) - timedelta(days=policy.days)
    column = t.c[policy.column]
    keys = list(t.primary_key.columns)
    condition = column < cutoff
    if policy.where is not None:
        condition = and_(condition, policy.where)
    removed = 0
    for _ in range(max_batches):
        with engine.begin() as conn:
            rows = conn.execute(
                select(column, *keys).where(condition).order_by(column).limit(batch)
            ).all()
            if not rows:
                break
            if len(keys) == 1:
                ids = [row[1] for row in rows]
                for child, foreign_key in policy.children:
                    conn.execute(delete(child).where(child.c[foreign_key].in_(ids)))
                count = conn.execute(delete(t).where(keys[0].in_(ids))).rowcount
            else:
                # A composite key (the inbox): the batch is a range of the indexed time column.
                last = rows[-1][0]
                count = conn.execute(delete(t).where(and_(condition, column <= last))).rowcount
        removed += max(count, 0)
        if len(rows) < batch:
            break
    return removed


def purge(
    engine: Engine, policies: Sequence[Retention], now: datetime | None = None, *, batch: int = 1000
) -> dict[str, int]:
    """One pass over ``policies``: the rows deleted per table."""
    return {policy.name: purge_table(engine, policy, now, batch=batch) for policy in policies}


def purge_pass(engine: Engine, policies: Sequence[Retention]) -> int:
    """One logged pass of :func:`purge`, the body of a worker's retention loop.

    It answers 0 whatever it removed: a purge leaves what is left of a backlog to its next pass
    (the loop does not run again at once), so it never competes with the service's work.
    """
    removed = purge(engine, policies)
    if any(removed.values()):
        log.info("retention purge", extra={"removed": removed})
    return 0


def inbox_retention(inbox: Table, days: int) -> Retention:
    """The inbox keeps the ids of the messages processed in the last ``days`` days.

    A redelivery older than that (a dead letter replayed weeks later) would be applied again:
    keep it longer than any replay an operator would make.
    """
    return Retention(inbox, "processed_at", days)
