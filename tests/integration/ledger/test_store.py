"""The ledger's money commands on a real database, both stores held to one behaviour."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from chassis.db import utcnow
from ledger import domain
from ledger.bootstrap import LedgerApp
from ledger.db import accounts, outbox_table, postings
from ledger.domain import AccountStatus, Network, TransferKind, TransferRequest, TransferStatus

OpenAccount = Callable[..., uuid.UUID]


def transfer(
    app: LedgerApp,
    network: Network,
    payer: uuid.UUID,
    payee: uuid.UUID,
    amount: int,
    **options: object,
) -> domain.Outcome:
    request = TransferRequest(
        id=options.pop("id", uuid.uuid4()),  # type: ignore[arg-type]
        network=network.slug,
        payer=payer,
        payee=payee,
        amount=amount,
        **options,
    )  # type: ignore[arg-type]
    with app.uow(single_statement=True) as uow:
        outcome = uow.ledger.transfer(request)
        uow.commit()
    return outcome


def settle(app: LedgerApp, transfer_id: uuid.UUID, *, post: bool) -> domain.Outcome:
    with app.uow(single_statement=True) as uow:
        outcome = uow.ledger.settle(transfer_id, post=post, reason="test")
        uow.commit()
    return outcome


def account(app: LedgerApp, account_id: uuid.UUID) -> domain.Account:
    with app.engine.connect() as conn:
        found = app.store.get_account(conn, account_id)
    assert found is not None
    return found


def staged(app: LedgerApp, subject: uuid.UUID) -> list[tuple[str, str]]:
    """(event, tenant) of each tenant's copy of the staged events (one outbox row per event
    names up to two tenants: the relay copies it into each one's log)."""
    with app.engine.connect() as conn:
        return [
            (r.type.split(".")[-2], tenant)
            for r in conn.execute(
                select(outbox_table.c.type, outbox_table.c.tenant, outbox_table.c.other_tenant)
                .where(outbox_table.c.subject == str(subject))
                .order_by(outbox_table.c.id)
            )
            for tenant in _tenants(r)
        ]


def _tenants(row: Any) -> list[str | None]:
    return [row.tenant] + ([row.other_tenant] if row.other_tenant is not None else [])


class TestDirectTransfer:
    def test_moves_the_amount_and_writes_balanced_postings(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account("pie"), open_account("fa-mgp")
        outcome = transfer(ledger_app, network, buyer, seller, 12_550, reference="invoice F1")
        assert outcome.transfer.status is TransferStatus.POSTED
        assert account(ledger_app, buyer).balance == -12_550
        assert account(ledger_app, seller).balance == 12_550
        with ledger_app.engine.connect() as conn:
            rows = conn.execute(
                select(postings.c.amount).where(postings.c.transfer_id == outcome.transfer.id)
            ).scalars()
            assert sorted(rows) == [-12_550, 12_550]

    def test_is_logged_once_in_each_tenant_concerned(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account("pie"), open_account("fa-mgp")
        outcome = transfer(ledger_app, network, buyer, seller, 100)
        assert sorted(staged(ledger_app, outcome.transfer.id)) == [
            ("transfer_posted", "fa-mgp"),
            ("transfer_posted", "pie"),
        ]

    def test_same_id_same_content_moves_once(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        transfer_id = uuid.uuid4()
        first = transfer(ledger_app, network, buyer, seller, 500, id=transfer_id)
        again = transfer(ledger_app, network, buyer, seller, 500, id=transfer_id)
        assert not first.replayed and again.replayed
        assert again.transfer == first.transfer
        assert account(ledger_app, buyer).balance == -500
        assert len(staged(ledger_app, transfer_id)) == 1

    def test_same_id_other_content_is_a_conflict(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        transfer_id = uuid.uuid4()
        transfer(ledger_app, network, buyer, seller, 500, id=transfer_id)
        with pytest.raises(domain.IdempotencyConflict):
            transfer(ledger_app, network, buyer, seller, 501, id=transfer_id)
        assert account(ledger_app, buyer).balance == -500


class TestRefusals:
    def test_insufficient_credit_moves_nothing_and_is_recorded(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=1_000), open_account()
        outcome = transfer(ledger_app, network, buyer, seller, 1_001)
        assert outcome.refused
        assert outcome.transfer.refusal_code == "insufficient_credit"
        assert "10.00" in (outcome.transfer.refusal_reason or "")
        assert account(ledger_app, buyer).balance == 0
        assert staged(ledger_app, outcome.transfer.id) == [("transfer_refused", "pie")]
        with pytest.raises(domain.InsufficientCredit):
            outcome.raise_if_refused()

    def test_limit_reached_exactly_is_allowed(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=1_000), open_account()
        assert not transfer(ledger_app, network, buyer, seller, 1_000).refused
        assert transfer(ledger_app, network, buyer, seller, 1).refused

    @pytest.mark.parametrize(
        "status, code",
        [(AccountStatus.FROZEN, "account_frozen"), (AccountStatus.CLOSED, "account_closed")],
    )
    def test_frozen_or_closed_accounts_cannot_move(
        self,
        ledger_app: LedgerApp,
        network: Network,
        open_account: OpenAccount,
        status: AccountStatus,
        code: str,
    ) -> None:
        buyer, seller = open_account(), open_account()
        with ledger_app.uow() as uow:
            uow.ledger.set_status(seller, status)
            uow.commit()
        assert transfer(ledger_app, network, buyer, seller, 10).transfer.refusal_code == code
        assert transfer(ledger_app, network, seller, buyer, 10).transfer.refusal_code == code

    def test_unknown_same_and_cross_network_accounts(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer = open_account()
        assert transfer(ledger_app, network, buyer, uuid.uuid4(), 10).transfer.refusal_code == (
            "unknown_account"
        )
        assert transfer(ledger_app, network, buyer, buyer, 10).transfer.refusal_code == (
            "same_account"
        )
        other = Network(
            slug=f"net-{uuid.uuid4().hex[:10]}",
            unit_code="AGR",
            default_credit_limit=0,
            hold_expiry_days=7,
        )
        with ledger_app.uow() as uow:
            uow.ledger.upsert_network(other)
            stranger = uuid.uuid4()
            uow.ledger.open_account(stranger, other.slug, "agri")
            uow.commit()
        outcome = transfer(ledger_app, network, buyer, stranger, 10)
        assert outcome.transfer.refusal_code == "cross_network"
        assert account(ledger_app, stranger).balance == 0

    def test_max_balance_is_enforced(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        from sqlalchemy import update

        from ledger.db import accounts

        buyer, seller = open_account(), open_account()
        with ledger_app.engine.begin() as conn:
            conn.execute(update(accounts).where(accounts.c.id == seller).values(max_balance=500))
        assert not transfer(ledger_app, network, buyer, seller, 500).refused
        assert transfer(ledger_app, network, buyer, seller, 1).transfer.refusal_code == (
            "max_balance_exceeded"
        )

    def test_non_positive_amounts_are_rejected_before_anything(self, network: Network) -> None:
        with pytest.raises(domain.NonPositiveAmount):
            TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=uuid.uuid4(),
                payee=uuid.uuid4(),
                amount=0,
            )


class TestTwoPhase:
    def hold(
        self,
        app: LedgerApp,
        network: Network,
        payer: uuid.UUID,
        payee: uuid.UUID,
        amount: int,
        expires_in: timedelta = timedelta(days=1),
    ) -> domain.Outcome:
        return transfer(
            app,
            network,
            payer,
            payee,
            amount,
            hold=True,
            kind=TransferKind.HOLD,
            expires_at=utcnow() + expires_in,
        )

    def test_hold_reserves_then_post_moves(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=1_000), open_account()
        held = self.hold(ledger_app, network, buyer, seller, 800)
        assert held.transfer.status is TransferStatus.PENDING
        assert account(ledger_app, buyer).available == 200
        assert account(ledger_app, seller).pending_credits == 800
        assert transfer(ledger_app, network, buyer, seller, 201).refused
        posted = settle(ledger_app, held.transfer.id, post=True)
        assert posted.transfer.status is TransferStatus.POSTED
        assert settle(ledger_app, held.transfer.id, post=True).replayed
        payer = account(ledger_app, buyer)
        assert (payer.balance, payer.pending_debits, payer.available) == (-800, 0, 200)
        assert account(ledger_app, seller).balance == 800
        assert [e for e, _ in staged(ledger_app, held.transfer.id)] == [
            "transfer_held",
            "transfer_posted",
        ]

    def test_void_releases_and_a_voided_hold_cannot_be_posted(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=1_000), open_account()
        held = self.hold(ledger_app, network, buyer, seller, 800)
        assert settle(ledger_app, held.transfer.id, post=False).transfer.status is (
            TransferStatus.VOIDED
        )
        assert account(ledger_app, buyer).available == 1_000
        with pytest.raises(domain.InvalidTransferState):
            settle(ledger_app, held.transfer.id, post=True)

    def test_posted_transfers_cannot_be_voided(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        held = self.hold(ledger_app, network, buyer, seller, 100)
        settle(ledger_app, held.transfer.id, post=True)
        with pytest.raises(domain.InvalidTransferState):
            settle(ledger_app, held.transfer.id, post=False)

    def test_an_expired_hold_is_voided_instead_of_posted(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        held = self.hold(ledger_app, network, buyer, seller, 100, expires_in=timedelta(0))
        outcome = settle(ledger_app, held.transfer.id, post=True)
        assert outcome.expired
        assert outcome.transfer.status is TransferStatus.VOIDED
        assert outcome.transfer.void_reason == "expired"
        assert account(ledger_app, buyer).pending_debits == 0

    def test_unknown_transfer(self, ledger_app: LedgerApp) -> None:
        with pytest.raises(domain.TransferNotFound):
            settle(ledger_app, uuid.uuid4(), post=True)


class TestReversal:
    def test_a_posted_transfer_is_reversed_once_by_a_linked_transfer(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        original = transfer(ledger_app, network, buyer, seller, 700).transfer
        reversal = transfer(
            ledger_app,
            network,
            seller,
            buyer,
            700,
            kind=TransferKind.REVERSAL,
            reverses=original.id,
        )
        assert reversal.transfer.status is TransferStatus.POSTED
        assert reversal.transfer.reverses == original.id
        assert account(ledger_app, buyer).balance == 0
        again = transfer(
            ledger_app,
            network,
            seller,
            buyer,
            700,
            kind=TransferKind.REVERSAL,
            reverses=original.id,
        )
        assert again.transfer.refusal_code == "invalid_reversal"

    def test_a_reversal_mirrors_the_original_exactly(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        original = transfer(ledger_app, network, buyer, seller, 700).transfer
        partial = transfer(
            ledger_app,
            network,
            seller,
            buyer,
            300,
            kind=TransferKind.REVERSAL,
            reverses=original.id,
        )
        assert partial.transfer.refusal_code == "invalid_reversal"


class TestCreditLimit:
    def test_cannot_be_lowered_below_what_is_used(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=1_000), open_account()
        transfer(ledger_app, network, buyer, seller, 600)
        with ledger_app.uow() as uow, pytest.raises(domain.CreditLimitTooLow):
            uow.ledger.set_credit_limit(buyer, 599)
        with ledger_app.uow() as uow:
            assert uow.ledger.set_credit_limit(buyer, 600).credit_limit == 600
            uow.commit()
        assert staged(ledger_app, buyer)[-1] == ("credit_limit_changed", "pie")


def test_invariants_hold_after_a_mix_of_operations(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    a, b, c = open_account(), open_account("fa-mgp"), open_account()
    transfer(ledger_app, network, a, b, 300)
    transfer(ledger_app, network, b, c, 200)
    transfer(ledger_app, network, c, a, 1_000_000)
    with ledger_app.engine.connect() as conn:
        assert ledger_app.store.invariants(conn) == []
        total = conn.execute(select(func.count()).select_from(postings)).scalar_one()
        assert total >= 4


def test_every_staged_event_loads_in_its_contract(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    """The PL/pgSQL functions build event data in SQL: it must match the Python contracts."""
    from chassis.outbox import row_to_envelope

    a, b = open_account(), open_account("fa-mgp")
    transfer(ledger_app, network, a, b, 300)
    transfer(ledger_app, network, a, b, 10**9)
    held = transfer(
        ledger_app,
        network,
        a,
        b,
        100,
        hold=True,
        kind=TransferKind.HOLD,
        expires_at=utcnow() + timedelta(days=1),
    )
    settle(ledger_app, held.transfer.id, post=False)
    with ledger_app.engine.connect() as conn:
        rows = conn.execute(
            select(outbox_table).where(outbox_table.c.network == network.slug)
        ).all()
    kinds = set()
    for row in rows:
        message = row_to_envelope(row).message()
        kinds.add(type(message).__name__)
        assert getattr(message, "unit", "ACT") == "ACT"
    assert kinds == {
        "AccountOpened",
        "TransferPosted",
        "TransferRefused",
        "TransferHeld",
        "TransferVoided",
    }


class TestBatches:
    def test_a_batch_applies_in_order_with_refusals_and_replays_inside(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(credit_limit=1_000), open_account()
        first = TransferRequest(
            id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=600
        )
        requests = [
            first,
            TransferRequest(
                id=uuid.uuid4(), network=network.slug, payer=buyer, payee=seller, amount=500
            ),  # refused: 400.00 left
            first,  # a replay inside the same batch
            TransferRequest(
                id=uuid.uuid4(), network=network.slug, payer=seller, payee=buyer, amount=100
            ),
        ]
        with ledger_app.uow() as uow:
            outcomes = uow.ledger.transfer_many(
                [(r, "corr-1", f"msg-{i}") for i, r in enumerate(requests)]
            )
            uow.commit()
        assert [o.transfer.status for o in outcomes] == [
            TransferStatus.POSTED,
            TransferStatus.REFUSED,
            TransferStatus.POSTED,
            TransferStatus.POSTED,
        ]
        assert [o.replayed for o in outcomes] == [False, False, True, False]
        assert account(ledger_app, buyer).balance == -500
        with ledger_app.engine.connect() as conn:
            causes = conn.execute(
                select(outbox_table.c.causation_id, outbox_table.c.correlation_id).where(
                    outbox_table.c.subject == str(first.id)
                )
            ).all()
        assert causes == [("msg-0", "corr-1")]

    def test_a_conflict_inside_a_batch_is_refused(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        buyer, seller = open_account(), open_account()
        transfer_id = uuid.uuid4()
        requests = [
            TransferRequest(
                id=transfer_id, network=network.slug, payer=buyer, payee=seller, amount=amount
            )
            for amount in (100, 200)
        ]
        with ledger_app.uow() as uow, pytest.raises(domain.IdempotencyConflict):
            uow.ledger.transfer_many([(r, None, None) for r in requests])
        assert account(ledger_app, buyer).balance == 0


def _events_of(app: LedgerApp, subjects: list[uuid.UUID]) -> list[tuple[str, str, dict]]:
    """(subject, tenant, data) of the staged events of these transfers, in outbox order."""
    with app.engine.connect() as conn:
        return [
            (r.subject, tenant, r.data)
            for r in conn.execute(
                select(
                    outbox_table.c.subject,
                    outbox_table.c.tenant,
                    outbox_table.c.other_tenant,
                    outbox_table.c.data,
                )
                .where(outbox_table.c.subject.in_([str(s) for s in subjects]))
                .order_by(outbox_table.c.id)
            )
            for tenant in _tenants(r)
        ]


class TestSetBasedBatches:
    """A batch of plain transfers that all post is written set-based: same result as in order."""

    def test_running_balances_in_message_order(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        a, b, c = (
            open_account("pie", credit_limit=1_000),
            open_account("fa-mgp"),
            open_account("pie"),
        )
        moves = [(a, b, 600), (b, c, 300), (a, c, 400), (c, a, 50), (c, b, 10)]
        requests = [
            TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=payer,
                payee=payee,
                amount=amount,
                reference=f"r{i}",
            )
            for i, (payer, payee, amount) in enumerate(moves)
        ]
        with ledger_app.uow() as uow:
            outcomes = uow.ledger.transfer_many(
                [(r, "corr-b", f"msg-{i}") for i, r in enumerate(requests)]
            )
            uow.commit()
        assert [o.transfer.id for o in outcomes] == [r.id for r in requests]
        assert all(o.transfer.status is TransferStatus.POSTED and not o.replayed for o in outcomes)
        if ledger_app.engine.dialect.name == "postgresql":
            # One statement for the whole batch: one timestamp.
            assert len({o.transfer.created_at for o in outcomes}) == 1
        # a reaches exactly its credit limit after the third transfer: still posted.
        assert (
            account(ledger_app, a).balance,
            account(ledger_app, b).balance,
            account(ledger_app, c).balance,
        ) == (-950, 310, 640)
        assert account(ledger_app, a).credit_limit == 1_000
        assert [o.transfer.payer_tenant for o in outcomes] == ["pie", "fa-mgp", "pie", "pie", "pie"]
        events = _events_of(ledger_app, [r.id for r in requests])
        assert [(s, t) for s, t, _ in events] == [
            (str(requests[0].id), "fa-mgp"),
            (str(requests[0].id), "pie"),
            (str(requests[1].id), "fa-mgp"),
            (str(requests[1].id), "pie"),
            (str(requests[2].id), "pie"),
            (str(requests[3].id), "pie"),
            (str(requests[4].id), "fa-mgp"),
            (str(requests[4].id), "pie"),
        ]
        balances = [(d["payer_balance"], d["payee_balance"]) for _, t, d in events if t == "pie"]
        assert balances == [
            ("-6.00", "6.00"),
            ("3.00", "3.00"),
            ("-10.00", "7.00"),
            ("6.50", "-9.50"),
            ("6.40", "3.10"),
        ]
        first = events[0][2]
        assert first["unit"] == "ACT" and first["kind"] == "direct"
        assert first["reference"] == "r0" and first["reverses"] is None
        with ledger_app.engine.connect() as conn:
            legs = conn.execute(
                select(func.count())
                .select_from(postings)
                .where(postings.c.transfer_id.in_([r.id for r in requests]))
            ).scalar_one()
            causes = conn.execute(
                select(outbox_table.c.causation_id, outbox_table.c.correlation_id).where(
                    outbox_table.c.subject == str(requests[3].id)
                )
            ).all()
        assert legs == 10
        assert causes == [("msg-3", "corr-b")]

    def test_same_result_as_one_at_a_time(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        """Batches that post everything and batches that do not (a payer running out of credit
        midway, a frozen account): the batch gives what single transfers give."""
        import random

        rng = random.Random(19)
        for round_ in range(6):
            limits = [rng.choice((300, 1_000, 5_000)) for _ in range(4)]
            tenants = [rng.choice(("pie", "fa-mgp")) for _ in range(4)]
            twins = [
                [
                    open_account(tenant, credit_limit=limit)
                    for tenant, limit in zip(tenants, limits, strict=True)
                ]
                for _ in range(2)
            ]
            if round_ == 5:
                for side in twins:
                    with ledger_app.uow() as uow:
                        uow.ledger.set_status(side[3], AccountStatus.FROZEN)
                        uow.commit()
            moves = []
            for _ in range(12):
                payer, payee = rng.sample(range(4), 2)
                moves.append((payer, payee, rng.randint(1, 400 if round_ % 2 else 150)))
            batch = [
                TransferRequest(
                    id=uuid.uuid4(),
                    network=network.slug,
                    payer=twins[0][p],
                    payee=twins[0][q],
                    amount=amount,
                )
                for p, q, amount in moves
            ]
            with ledger_app.uow() as uow:
                together = uow.ledger.transfer_many([(r, None, None) for r in batch])
                uow.commit()
            alone = [
                transfer(ledger_app, network, twins[1][p], twins[1][q], amount)
                for p, q, amount in moves
            ]
            assert [(o.transfer.status, o.transfer.refusal_code) for o in together] == [
                (o.transfer.status, o.transfer.refusal_code) for o in alone
            ]
            assert [account(ledger_app, x).balance for x in twins[0]] == [
                account(ledger_app, x).balance for x in twins[1]
            ]
            with ledger_app.engine.connect() as conn:
                versions = [
                    [
                        conn.execute(
                            select(accounts.c.version).where(accounts.c.id == x)
                        ).scalar_one()
                        for x in side
                    ]
                    for side in twins
                ]
            assert versions[0] == versions[1]
            posted_balances = [
                [
                    (d.get("payer_balance"), d.get("payee_balance"))
                    for _, _, d in _events_of(ledger_app, [o.transfer.id for o in outcomes])
                ]
                for outcomes in (together, alone)
            ]
            assert posted_balances[0] == posted_balances[1]

    def test_a_replayed_batch_moves_nothing_twice(
        self, ledger_app: LedgerApp, network: Network, open_account: OpenAccount
    ) -> None:
        a, b = open_account(), open_account()
        batch = [
            TransferRequest(id=uuid.uuid4(), network=network.slug, payer=a, payee=b, amount=100 + i)
            for i in range(3)
        ]
        for _ in range(2):
            with ledger_app.uow() as uow:
                outcomes = uow.ledger.transfer_many([(r, None, None) for r in batch])
                uow.commit()
        assert all(o.replayed for o in outcomes)
        assert account(ledger_app, a).balance == -303
        assert len(_events_of(ledger_app, [r.id for r in batch])) == 3
