"""The per-tenant event log under concurrent writers: gap-free, and in commit order per account."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import select

from chassis.outbox import OutboxRelay, row_to_envelope
from ledger.bootstrap import LedgerApp
from ledger.db import outbox_sequence_table, outbox_table
from ledger.domain import Network, TransferRequest

OpenAccount = Callable[..., uuid.UUID]


def test_sequences_follow_commit_order_while_writers_and_the_relay_run_together(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    accounts = [open_account(tenant) for _ in range(4)]
    rng = random.Random(11)
    requests = []
    for _ in range(240):
        payer, payee = rng.sample(accounts, 2)
        requests.append(
            TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=payer,
                payee=payee,
                amount=rng.randint(1, 900),
            )
        )
    relay = OutboxRelay(
        ledger_app.engine, outbox_table, outbox_sequence_table, lambda batch: None, batch_size=50
    )
    done = threading.Event()

    def sequence_continuously() -> None:
        while not done.is_set():
            relay.assign_sequences()

    def transfer(request: TransferRequest) -> None:
        with ledger_app.uow(single_statement=True) as uow:
            uow.ledger.transfer(request)
            uow.commit()

    sequencer = threading.Thread(target=sequence_continuously)
    sequencer.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(transfer, requests))
    finally:
        done.set()
        sequencer.join()
    while relay.assign_sequences():
        pass

    with ledger_app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table)
            .where(outbox_table.c.tenant == tenant)
            .order_by(outbox_table.c.sequence)
        ).all()
    envelopes = [row_to_envelope(r) for r in rows]
    assert [e.sequence for e in envelopes] == list(range(1, len(envelopes) + 1))
    posted = [e.message() for e in envelopes if e.type.endswith("transfer_posted.v1")]
    assert len(posted) == len(requests)
    # Replaying the log in sequence order rebuilds every balance step by step: each event's
    # balance is the previous one plus or minus its amount, so the log is in commit order.
    balances = dict.fromkeys(accounts, Decimal("0.00"))
    for event in posted:
        balances[event.payer] -= event.amount
        balances[event.payee] += event.amount
        assert balances[event.payer] == event.payer_balance
        assert balances[event.payee] == event.payee_balance
