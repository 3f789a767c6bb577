"""Money under concurrency: no overdraft, no lost update, no deadlock reaching a caller."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ledger import domain
from ledger.bootstrap import LedgerApp
from ledger.domain import Network, TransferRequest, TransferStatus

OpenAccount = Callable[..., uuid.UUID]


def _transfer(app: LedgerApp, request: TransferRequest) -> domain.Outcome:
    with app.uow(single_statement=True) as uow:
        outcome = uow.ledger.transfer(request)
        uow.commit()
    return outcome


def test_200_concurrent_debits_where_the_limit_allows_exactly_100(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    buyer = open_account(credit_limit=100 * 1_000)
    sellers = [open_account("fa-mgp") for _ in range(10)]
    requests = [
        TransferRequest(
            id=uuid.uuid4(), network=network.slug, payer=buyer, payee=sellers[i % 10], amount=1_000
        )
        for i in range(200)
    ]
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(lambda r: _transfer(ledger_app, r), requests))
    posted = [o for o in outcomes if o.transfer.status is TransferStatus.POSTED]
    refused = [o for o in outcomes if o.refused]
    assert len(posted) == 100
    assert len(refused) == 100
    assert {o.transfer.refusal_code for o in refused} == {"insufficient_credit"}
    with ledger_app.engine.connect() as conn:
        account = ledger_app.store.get_account(conn, buyer)
        assert account is not None and account.balance == -100_000
        assert sum(ledger_app.store.get_account(conn, s).balance for s in sellers) == 100_000
        assert ledger_app.store.invariants(conn) == []


def test_opposite_transfers_between_the_same_accounts_never_deadlock(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    accounts = [open_account() for _ in range(4)]
    rng = random.Random(7)
    requests = []
    for _ in range(300):
        payer, payee = rng.sample(accounts, 2)
        requests.append(
            TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=payer,
                payee=payee,
                amount=rng.randint(1, 500),
            )
        )
    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(lambda r: _transfer(ledger_app, r), requests))
    assert all(o.transfer.status is TransferStatus.POSTED for o in outcomes)
    with ledger_app.engine.connect() as conn:
        balances = [ledger_app.store.get_account(conn, a).balance for a in accounts]
        assert sum(balances) == 0
        expected = dict.fromkeys(accounts, 0)
        for r in requests:
            expected[r.payer] -= r.amount
            expected[r.payee] += r.amount
        assert balances == [expected[a] for a in accounts]


def test_concurrent_replays_of_one_id_move_money_once(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    buyer, seller = open_account(), open_account()
    request = TransferRequest(
        id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=4_200
    )
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: _transfer(ledger_app, request), range(24)))
    assert sum(not o.replayed for o in outcomes) == 1
    with ledger_app.engine.connect() as conn:
        assert ledger_app.store.get_account(conn, buyer).balance == -4_200
