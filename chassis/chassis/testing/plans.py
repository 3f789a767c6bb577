"""Query plans on PostgreSQL: what runs on every pass must read what is pending, not the history.

A relay pass, an inbox check or a periodic purge that reads a whole table costs more each day the
platform runs. :func:`whole_table_reads` runs a piece of code, captures the SQL it sends, asks
PostgreSQL for the plan of each statement (``EXPLAIN``, with the statement's own parameters, never
executed twice) and returns the reads of a whole table among them:

- a ``Seq Scan`` of the table (of any of its partitions for a partitioned table, but a queue
  partition: :data:`QUEUE_PARTITIONS`);
- an index scan with no index condition over an index that is not partial (it walks the whole
  index, e.g. ``ORDER BY id LIMIT n`` filtering out most rows as it goes).

A partial index scanned without a condition is fine: it holds only the pending rows.

Fill the tables with enough rows that the planner prefers an index when one serves the query, or
pass ``discourage_seqscan=True`` (``SET enable_seqscan = off`` while planning): then a
``Seq Scan`` left in a plan means no index can serve the query at all, whatever the table holds.
:func:`assert_reads_only_pending` is the assertion a test makes::

    assert_reads_only_pending(engine, relay.run_once, growing={"outbox", "inbox"})
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

from chassis.outbox import PENDING_PARTITION

#: Partitions that hold only what is pending (a partitioned outbox's queue): read whole, they
#: cost what is waiting, not the history.
QUEUE_PARTITIONS = frozenset({PENDING_PARTITION})

#: Statements that have no plan (or whose plan is not the point).
_NOT_PLANNED = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "SET ",
    "SHOW ",
    "LISTEN",
    "NOTIFY",
    "SELECT pg_",
    "EXPLAIN",
)


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any


@dataclass(frozen=True)
class WholeTableRead:
    """A node of a plan that reads all of ``table``."""

    table: str
    node: str
    index: str | None
    sql: str

    def __str__(self) -> str:
        how = f"{self.node} of {self.index}" if self.index else self.node
        return f"{how} on {self.table}: {' '.join(self.sql.split())[:300]}"


@contextmanager
def captured_statements(engine: Engine) -> Iterator[list[Statement]]:
    """The statements ``engine`` sends while the block runs (first parameter set of a batch)."""
    seen: list[Statement] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool
    ) -> None:
        if executemany and parameters:
            parameters = parameters[0]
        seen.append(Statement(statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def plan_of(
    engine: Engine, statement: Statement, *, discourage_seqscan: bool = False
) -> dict[str, Any]:
    """PostgreSQL's plan of ``statement`` (``EXPLAIN (FORMAT JSON)``, not executed)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if discourage_seqscan:
            cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement.sql, statement.parameters or None)
        row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"EXPLAIN returned no plan for {statement.sql!r}")
        document = row[0]
        raw.rollback()
    finally:
        raw.close()
    if isinstance(document, str):
        document = json.loads(document)
    plan: dict[str, Any] = document[0]["Plan"]
    return plan


def _partial_indexes(engine: Engine) -> set[str]:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NOT NULL")
        names = {row[0] for row in cursor.fetchall()}
        raw.rollback()
    finally:
        raw.close()
    return names


def _partition_roots(engine: Engine) -> dict[str, str]:
    """Each partition's partitioned table: a plan names the partition it reads."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "SELECT relname, pg_partition_root(oid)::regclass::text FROM pg_class"
            " WHERE relispartition AND relkind = 'r'"
        )
        roots = {row[0]: row[1] for row in cursor.fetchall()}
        raw.rollback()
    finally:
        raw.close()
    return roots


def whole_table_reads(
    engine: Engine,
    statements: Iterable[Statement],
    growing: Iterable[str],
    *,
    discourage_seqscan: bool = False,
) -> list[WholeTableRead]:
    """The reads of a whole table of ``growing`` in the plans of ``statements``."""
    if engine.dialect.name != "postgresql":
        raise ValueError("query plans are checked on PostgreSQL")
    tables = set(growing)
    partial = _partial_indexes(engine)
    roots = _partition_roots(engine)
    found: list[WholeTableRead] = []
    for statement in statements:
        if statement.sql.lstrip().upper().startswith(_NOT_PLANNED):
            continue
        plan = plan_of(engine, statement, discourage_seqscan=discourage_seqscan)
        for node in _nodes(plan):
            table = node.get("Relation Name")
            if table is None or table in QUEUE_PARTITIONS:
                continue
            root = roots.get(table, table)  # a partition of a growing table grows with it
            if root not in tables and table not in tables:
                continue
            if root != table:
                table = f"{root} (partition {table})"
            kind = node.get("Node Type", "")
            index = node.get("Index Name")
            if kind == "Seq Scan":
                found.append(WholeTableRead(table, kind, None, statement.sql))
            elif (
                kind in ("Index Scan", "Index Only Scan")
                and "Index Cond" not in node
                and index not in partial
            ):
                found.append(WholeTableRead(table, kind, index, statement.sql))
    return found


def assert_reads_only_pending(
    engine: Engine,
    run: Callable[[], Any],
    growing: Iterable[str],
    *,
    discourage_seqscan: bool = False,
) -> list[Statement]:
    """Run ``run()``; fail if any statement it sent reads a whole table of ``growing``.

    Returns the statements checked, so a test can also assert that it checked something.
    """
    with captured_statements(engine) as statements:
        run()
    reads = whole_table_reads(engine, statements, growing, discourage_seqscan=discourage_seqscan)
    assert not reads, "reads of a whole table that grows with history:\n" + "\n".join(
        str(read) for read in reads
    )
    return statements
