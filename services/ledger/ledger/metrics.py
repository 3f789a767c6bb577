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


def count_transfers(source: str, outcomes: Sequence[domain.Outcome]) -> None:
    for outcome in outcomes:
        record = outcome.transfer
        state = "replayed" if outcome.replayed else str(record.status)
        code = (record.refusal_code or "transfer_refused") if outcome.refused else ""
        TRANSFERS.inc(source, state, code)
