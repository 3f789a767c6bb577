"""The ledger's own metrics: transfers by outcome, from the HTTP API and from the bus."""

from __future__ import annotations

from collections.abc import Sequence

from chassis import metrics
from ledger import domain

#: Transfers and holds by how they ended: posted, pending (a hold), refused (with its code) or
#: replayed (an idempotent repeat), and where they came from (the HTTP API or the bus).
TRANSFERS = metrics.counter(
    "troc_ledger_transfers", "Ledger transfer commands by outcome", ["source", "outcome", "code"]
)

#: Group commit of the HTTP transfers (``TROC_LEDGER_GROUP_COMMIT_US``): the groups written, and
#: the transfers they carried (the ratio is the mean group size), by whether the group's
#: transaction committed or failed as a whole (its transfers then written one by one).
GROUPS = metrics.counter(
    "troc_ledger_transfer_groups", "HTTP transfer groups by outcome", ["outcome"]
)
GROUPED = metrics.counter(
    "troc_ledger_grouped_transfers", "HTTP transfers written in groups, by outcome", ["outcome"]
)


def count_group(size: int, *, committed: bool) -> None:
    outcome = "committed" if committed else "failed"
    GROUPS.inc(outcome)
    GROUPED.inc(outcome, amount=size)


def count_transfers(source: str, outcomes: Sequence[domain.Outcome]) -> None:
    for outcome in outcomes:
        record = outcome.transfer
        state = "replayed" if outcome.replayed else str(record.status)
        code = (record.refusal_code or "transfer_refused") if outcome.refused else ""
        TRANSFERS.inc(source, state, code)
