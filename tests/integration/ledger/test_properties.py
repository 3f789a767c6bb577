"""Property: any sequence of ledger operations keeps every invariant and matches a simple model."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chassis.db import utcnow
from ledger import domain
from ledger.bootstrap import LedgerApp
from ledger.domain import Network, TransferKind, TransferRequest, TransferStatus

N_ACCOUNTS = 4

operation = st.one_of(
    st.tuples(
        st.just("transfer"),
        st.integers(0, N_ACCOUNTS - 1),
        st.integers(0, N_ACCOUNTS - 1),
        st.integers(1, 3_000),
    ),
    st.tuples(
        st.just("hold"),
        st.integers(0, N_ACCOUNTS - 1),
        st.integers(0, N_ACCOUNTS - 1),
        st.integers(1, 3_000),
    ),
    st.tuples(st.just("post"), st.integers(0, 30), st.just(0), st.just(0)),
    st.tuples(st.just("void"), st.integers(0, 30), st.just(0), st.just(0)),
    st.tuples(st.just("reverse"), st.integers(0, 30), st.just(0), st.just(0)),
    st.tuples(st.just("limit"), st.integers(0, N_ACCOUNTS - 1), st.just(0), st.integers(0, 5_000)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=30))
def test_random_operations_keep_the_invariants(
    ledger_app: LedgerApp, ops: list[tuple[str, int, int, int]]
) -> None:
    network = Network(
        slug=f"prop-{uuid.uuid4().hex[:10]}",
        unit_code="ACT",
        default_credit_limit=2_000,
        hold_expiry_days=30,
    )
    ids = [uuid.uuid4() for _ in range(N_ACCOUNTS)]
    with ledger_app.uow() as uow:
        uow.ledger.upsert_network(network)
        for i, account_id in enumerate(ids):
            uow.ledger.open_account(account_id, network.slug, f"t{i % 2}")
        uow.commit()
    balance = dict.fromkeys(ids, 0)
    pending: dict[uuid.UUID, int] = dict.fromkeys(ids, 0)
    limit = dict.fromkeys(ids, 2_000)
    transfers: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID, int, str]] = []

    for op, x, y, amount in ops:
        with ledger_app.uow(single_statement=True) as uow:
            if op in {"transfer", "hold"}:
                payer, payee = ids[x], ids[y]
                hold = op == "hold"
                request = TransferRequest(
                    id=uuid.uuid4(),
                    network=network.slug,
                    payer=payer,
                    payee=payee,
                    amount=amount,
                    hold=hold,
                    kind=TransferKind.HOLD if hold else TransferKind.DIRECT,
                    expires_at=utcnow() + timedelta(days=1) if hold else None,
                )
                outcome = uow.ledger.transfer(request)
                available = balance[payer] - pending[payer] + limit[payer]
                allowed = payer != payee and available >= amount
                assert outcome.refused is not allowed
                if allowed:
                    if hold:
                        pending[payer] += amount
                    else:
                        balance[payer] -= amount
                        balance[payee] += amount
                    transfers.append(
                        (request.id, payer, payee, amount, "pending" if hold else "posted")
                    )
            elif op in {"post", "void"} and transfers:
                i = x % len(transfers)
                tid, payer, payee, amt, status = transfers[i]
                try:
                    outcome = uow.ledger.settle(tid, post=op == "post", reason="test")
                except domain.InvalidTransferState:
                    assert status != "pending"
                else:
                    if status == "pending":
                        pending[payer] -= amt
                        if op == "post":
                            balance[payer] -= amt
                            balance[payee] += amt
                        transfers[i] = (
                            tid,
                            payer,
                            payee,
                            amt,
                            "posted" if op == "post" else "voided",
                        )
                    else:
                        assert outcome.replayed
            elif op == "reverse" and transfers:
                tid, payer, payee, amt, status = transfers[x % len(transfers)]
                outcome = uow.ledger.transfer(
                    TransferRequest(
                        id=uuid.uuid4(),
                        network=network.slug,
                        payer=payee,
                        payee=payer,
                        amount=amt,
                        kind=TransferKind.REVERSAL,
                        reverses=tid,
                    )
                )
                if outcome.transfer.status is TransferStatus.POSTED:
                    assert status == "posted"
                    balance[payee] -= amt
                    balance[payer] += amt
            elif op == "limit":
                account_id = ids[x]
                try:
                    uow.ledger.set_credit_limit(account_id, amount)
                    limit[account_id] = amount
                except domain.CreditLimitTooLow:
                    assert balance[account_id] - pending[account_id] < -amount
            uow.commit()

    with ledger_app.engine.connect() as conn:
        assert ledger_app.store.invariants(conn) == []
        for account_id in ids:
            account = ledger_app.store.get_account(conn, account_id)
            assert account is not None
            assert account.balance == balance[account_id]
            assert account.pending_debits == pending[account_id]
            assert account.available >= 0
        assert sum(balance.values()) == 0
