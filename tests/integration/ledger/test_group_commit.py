"""Group commit of the HTTP transfers on PostgreSQL: many threads of one web process, their
transfers written a group per transaction, each answered as if it ran alone."""

from __future__ import annotations

import dataclasses
import random
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from chassis.auth import ANIMATOR
from chassis.testing.tokens import TokenFactory
from ledger import domain
from ledger.api import create_app
from ledger.bootstrap import LedgerApp
from ledger.db import PgLedgerStore, StatementConnections, audit_entries
from ledger.domain import Network, TransferRequest, TransferStatus

OpenAccount = Callable[..., uuid.UUID]

#: Group commit is the PostgreSQL web path's (SQLite has no statement pool): these tests run on
#: the PostgreSQL ledger only, instead of skipping on SQLite.
pytestmark = pytest.mark.parametrize("ledger_app", ["postgres"], indirect=True)

#: Wide enough for the test threads to meet in one group on a busy machine (production: <= 1 ms).
WINDOW_US = 100_000


@pytest.fixture
def grouped(ledger_app: LedgerApp) -> Iterator[StatementConnections]:
    """The web path's statement pool with group commit on."""
    assert ledger_app.statements is not None
    store = ledger_app.statements.store
    assert isinstance(store, PgLedgerStore)
    statements = StatementConnections.for_engine(
        ledger_app.engine, store, size=8, group_commit_us=WINDOW_US
    )
    yield statements
    statements.close()


def manual(
    statements: StatementConnections, request: TransferRequest, *, check_approval: bool = True
) -> domain.Outcome:
    return statements.manual_transfer(
        request,
        actor="animator-1",
        role=ANIMATOR,
        action="transfer_made",
        check_approval=check_approval,
    )


def outcome_or_error(statements: StatementConnections, request: TransferRequest) -> Any:
    try:
        return manual(statements, request)
    except Exception as exc:
        return exc


def together(call: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``call`` on each item, each from its own thread, all released at once (one group)."""
    start = threading.Barrier(len(items))

    def run(item: Any) -> Any:
        start.wait()
        return call(item)

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def balance(app: LedgerApp, account: uuid.UUID) -> int:
    with app.engine.connect() as conn:
        found = app.store.get_account(conn, account)
    assert found is not None
    return found.balance


def grouping(statements: StatementConnections) -> tuple[int, int, int]:
    assert statements.groups is not None
    stats = statements.groups.stats()
    return stats.groups, stats.items, stats.fallbacks


class TestMoney:
    def test_many_threads_give_exact_balances_summing_to_zero(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        network: Network,
        open_account: OpenAccount,
    ) -> None:
        accounts = [open_account() for _ in range(6)]
        rng = random.Random(11)
        requests = []
        for _ in range(300):
            payer, payee = rng.sample(accounts, 2)
            requests.append(
                TransferRequest(
                    id=uuid.uuid4(),
                    network=network.slug,
                    payer=payer,
                    payee=payee,
                    amount=rng.randint(1, 300),
                    tenant="pie",
                )
            )
        with ThreadPoolExecutor(max_workers=16) as pool:
            outcomes = list(pool.map(lambda r: manual(grouped, r), requests))
        assert all(o.transfer.status is TransferStatus.POSTED for o in outcomes)
        assert all(o.transfer.initiated_by == "animator-1" for o in outcomes)
        assert [o.transfer.id for o in outcomes] == [r.id for r in requests]
        expected = dict.fromkeys(accounts, 0)
        for r in requests:
            expected[r.payer] -= r.amount
            expected[r.payee] += r.amount
        balances = {a: balance(ledger_app, a) for a in accounts}
        assert balances == expected and sum(balances.values()) == 0
        groups, items, fallbacks = grouping(grouped)
        assert items == 300 and groups < items and fallbacks == 0
        with ledger_app.engine.connect() as conn:
            assert ledger_app.store.invariants(conn) == []
            audited = conn.execute(
                select(func.count()).where(
                    audit_entries.c.target_id.in_([str(r.id) for r in requests])
                )
            ).scalar_one()
        assert audited == 300

    def test_concurrent_debits_of_one_account_stop_at_its_credit_limit(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        network: Network,
        open_account: OpenAccount,
    ) -> None:
        buyer = open_account(credit_limit=60 * 1_000)
        sellers = [open_account("fa-mgp") for _ in range(5)]
        requests = [
            TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=buyer,
                payee=sellers[i % 5],
                amount=1_000,
                tenant="pie",
            )
            for i in range(120)
        ]
        with ThreadPoolExecutor(max_workers=16) as pool:
            outcomes = list(pool.map(lambda r: manual(grouped, r), requests))
        posted = [o for o in outcomes if o.transfer.status is TransferStatus.POSTED]
        refused = [o for o in outcomes if o.refused]
        assert (len(posted), len(refused)) == (60, 60)
        assert {o.transfer.refusal_code for o in refused} == {"insufficient_credit"}
        assert balance(ledger_app, buyer) == -60_000
        assert sum(balance(ledger_app, s) for s in sellers) == 60_000
        assert grouping(grouped)[0] < 120

    def test_two_processes_and_single_transfers_never_deadlock(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        network: Network,
        open_account: OpenAccount,
    ) -> None:
        """Two web processes' groups (two combiners) and one-statement transfers (the bus's
        path) on four accounts, in every direction at once."""
        store = grouped.store
        other = StatementConnections.for_engine(
            ledger_app.engine, store, size=8, group_commit_us=WINDOW_US
        )
        accounts = [open_account() for _ in range(4)]
        rng = random.Random(5)
        work = []
        for n in range(360):
            payer, payee = rng.sample(accounts, 2)
            request = TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=payer,
                payee=payee,
                amount=rng.randint(1, 500),
                tenant="pie",
            )
            work.append((n % 3, request))

        def run(job: tuple[int, TransferRequest]) -> domain.Outcome:
            path, request = job
            if path == 0:
                return manual(grouped, request)
            if path == 1:
                return manual(other, request)
            with ledger_app.uow(single_statement=True) as uow:
                outcome = uow.ledger.transfer(request)
                uow.commit()
            return outcome

        try:
            with ThreadPoolExecutor(max_workers=18) as pool:
                outcomes = list(pool.map(run, work))
        finally:
            other.close()
        assert all(o.transfer.status is TransferStatus.POSTED for o in outcomes)
        expected = dict.fromkeys(accounts, 0)
        for _, r in work:
            expected[r.payer] -= r.amount
            expected[r.payee] += r.amount
        assert {a: balance(ledger_app, a) for a in accounts} == expected


class TestOwnAnswers:
    def test_each_request_of_a_group_gets_its_own_outcome(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        network: Network,
        open_account: OpenAccount,
    ) -> None:
        buyer, seller = open_account(credit_limit=5_000), open_account("fa-mgp")
        elsewhere = open_account("fa-mgp")
        ok = TransferRequest(
            id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=1_000
        )
        too_much = TransferRequest(
            id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=9_000
        )
        unknown_payee = TransferRequest(
            id=uuid.uuid4(), network=network.slug, payer=buyer, payee=uuid.uuid4(), amount=100
        )
        not_ours = TransferRequest(
            id=uuid.uuid4(),
            network=network.slug,
            payer=elsewhere,
            payee=seller,
            amount=100,
            tenant="pie",
            payer_tenant="pie",
        )
        hold = TransferRequest(
            id=uuid.uuid4(),
            network=network.slug,
            payer=buyer,
            payee=seller,
            amount=500,
            kind=domain.TransferKind.HOLD,
            hold=True,
        )
        requests = [ok, too_much, unknown_payee, not_ours, hold]
        answers = together(lambda r: outcome_or_error(grouped, r), requests)
        made, refused, unknown, foreign, held = answers
        assert made.transfer.status is TransferStatus.POSTED and not made.replayed
        assert refused.refused and refused.transfer.refusal_code == "insufficient_credit"
        assert unknown.refused and unknown.transfer.refusal_code == "unknown_account"
        assert isinstance(foreign, domain.UnknownAccount)
        assert held.transfer.status is TransferStatus.PENDING
        assert balance(ledger_app, buyer) == -1_000
        assert grouping(grouped) == (1, 5, 0)

    def test_a_failing_statement_fails_its_owner_only(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        network: Network,
        open_account: OpenAccount,
    ) -> None:
        """An amount past PostgreSQL's bigint aborts the group's transaction: every request is
        then written alone, and only the bad one fails."""
        buyer, seller = open_account(), open_account("fa-mgp")
        requests = [
            TransferRequest(
                id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=amount
            )
            for amount in (100, 200, 2**63, 300)
        ]
        answers = together(lambda r: outcome_or_error(grouped, r), requests)
        assert isinstance(answers[2], Exception)
        assert not isinstance(answers[2], domain.LedgerError)
        good = [a for n, a in enumerate(answers) if n != 2]
        assert all(a.transfer.status is TransferStatus.POSTED for a in good)
        assert balance(ledger_app, seller) == 600
        groups, items, fallbacks = grouping(grouped)
        assert (groups, items, fallbacks) == (1, 4, 1)

    def test_the_same_id_twice_in_a_group_is_a_replay_of_the_first(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        network: Network,
        open_account: OpenAccount,
    ) -> None:
        buyer, seller = open_account(), open_account("fa-mgp")
        request = TransferRequest(
            id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=4_200
        )
        other_body = dataclasses.replace(request, amount=100)
        answers = together(lambda r: outcome_or_error(grouped, r), [request] * 5 + [other_body])
        # Whichever came first in the group made the transfer; the others answer as they would
        # after it: a replay with the same body, a conflict with another.
        made = [a for a in answers if isinstance(a, domain.Outcome) and not a.replayed]
        assert len(made) == 1
        first = made[0].transfer
        assert first.initiated_by == "animator-1"
        for sent, answer in zip([request] * 5 + [other_body], answers, strict=True):
            if answer is made[0]:
                continue
            if sent.amount == first.amount:
                assert answer.replayed and answer.transfer == first
            else:
                assert isinstance(answer, domain.IdempotencyConflict)
        assert balance(ledger_app, buyer) == -first.amount
        assert grouping(grouped) == (1, 6, 0)


class TestThroughTheRoute:
    @pytest.fixture
    def clients(
        self, ledger_app: LedgerApp, grouped: StatementConnections, token_factory: TokenFactory
    ) -> Callable[[], FlaskClient]:
        app = create_app(
            token_factory.settings(ledger_app.settings),
            ledger=dataclasses.replace(ledger_app, statements=grouped),
        )
        return app.test_client

    @pytest.fixture
    def tenant(self) -> str:
        """A tenant of the test's own: what it leaves awaiting approval is listed nowhere else."""
        return f"gc-{uuid.uuid4().hex[:8]}"

    def headers(
        self,
        token_factory: TokenFactory,
        network: Network,
        tenant: str,
        key: str,
        subject: str = "alice",
    ) -> dict[str, str]:
        token = token_factory.headers(
            ANIMATOR, tenant=tenant, network=network.slug, subject=subject
        )
        return {**token, "Idempotency-Key": key}

    def test_a_four_eyes_transfer_in_a_group_is_held_for_approval(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        clients: Callable[[], FlaskClient],
        token_factory: TokenFactory,
        network: Network,
        open_account: OpenAccount,
        tenant: str,
    ) -> None:
        with ledger_app.uow() as uow:
            uow.ledger.upsert_network(
                dataclasses.replace(network, manual_transfer_approval_threshold=10_000)
            )
            uow.commit()
        buyer, seller = open_account(tenant), open_account("fa-mgp")
        amounts = ["10.00", "250.00", "20.00", "30.00"]

        def post(amount: str) -> Any:
            return clients().post(
                f"/t/{tenant}/transfers",
                json={"payer": str(buyer), "payee": str(seller), "amount": amount},
                headers=self.headers(token_factory, network, tenant, uuid.uuid4().hex),
            )

        responses = together(post, amounts)
        assert [r.status_code for r in responses] == [201] * 4, [r.json for r in responses]
        held = responses[1].json
        assert (held["status"], held["approval_required"], held["initiated_by"]) == (
            "pending",
            True,
            "alice",
        )
        for n in (0, 2, 3):
            assert responses[n].json["status"] == "posted"
            assert responses[n].json["approval_required"] is False
        assert balance(ledger_app, buyer) == -6_000
        assert grouping(grouped)[:2] == (1, 4)
        approvals = clients().get(
            f"/t/{tenant}/transfer-approvals",
            headers=token_factory.headers(
                ANIMATOR, tenant=tenant, network=network.slug, subject="bob"
            ),
        )
        assert [t["id"] for t in approvals.json["items"]] == [held["id"]]

    def test_one_idempotency_key_twice_in_a_group_answers_a_replay(
        self,
        ledger_app: LedgerApp,
        grouped: StatementConnections,
        clients: Callable[[], FlaskClient],
        token_factory: TokenFactory,
        network: Network,
        open_account: OpenAccount,
        tenant: str,
    ) -> None:
        buyer, seller = open_account(tenant), open_account("fa-mgp")
        key = uuid.uuid4().hex
        body = {"payer": str(buyer), "payee": str(seller), "amount": "12.34"}

        def post(_: int) -> Any:
            return clients().post(
                f"/t/{tenant}/transfers",
                json=body,
                headers=self.headers(token_factory, network, tenant, key),
            )

        responses = together(post, range(4))
        assert [r.status_code for r in responses] == [201] * 4
        replayed = [r.headers.get("Idempotent-Replayed") == "true" for r in responses]
        assert sorted(replayed) == [False, True, True, True]
        assert len({r.get_data() for r in responses}) == 1
        assert balance(ledger_app, buyer) == -1_234
        assert grouping(grouped) == (1, 4, 0)


def test_without_the_setting_nothing_is_grouped(ledger_app: LedgerApp) -> None:
    assert ledger_app.statements is not None
    assert ledger_app.statements.groups is None
