"""The coordinator of cross-network transfers: the ledger worker's ``federation`` handlers.

The saga's record (``federation_sagas``) lives in the ledger's own database; each side's money
moves in the database of that side's books (``LedgerApp.engine_for``). One bus message
(``advance_federated_transfer``) runs one step, under a lock of the saga's row:

1. read the saga and its next step (``Saga.next_step``);
2. run the step on one network's books: a hold, a post or a void whose transfer id is derived
   from the saga id (a replay returns the first result, so a step run twice moves nothing twice);
3. record the step's outcome (the new state) and send the next ``advance_federated_transfer``
   through the outbox, in the same transaction.

When the side's books are in the ledger's own database, steps 2 and 3 are one transaction. When
they are elsewhere, step 2 commits first: a crash before step 3 leaves the saga where it was,
and the step's replay finds its transfer made and records it. No transaction ever touches two
networks' books. A refusal on the payer's side ends the saga (nothing held); a refusal on the
payee's side, or the deadline passing before both holds, voids both sides. Once both holds are
made the saga has decided: it only posts, and its holds outlive its deadline by
``HOLD_MARGIN`` so that no post meets an expired hold. The worker's loop
(:meth:`FederationSagas.resume_due`) advances stalled sagas and voids those past their deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Connection

from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.messages import envelope_for
from contracts import ledger as lg
from ledger import domain
from ledger import federation_db as store
from ledger.bootstrap import LedgerApp
from ledger.db import Ledger, inbox_table, outbox_table
from ledger.federation import (
    Link,
    LinkNotFound,
    NotLinked,
    Saga,
    SagaNotFound,
    SagaState,
    Step,
    mirror_problems,
)
from ledger.settings import SERVICE

log = logging.getLogger(__name__)

#: An open saga not updated for this long is advanced by the worker's loop.
STALL = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class TransferOrder:
    """What a caller asks for: pay ``payee`` (of the partner network) ``amount`` cents."""

    saga_id: UUID
    link_id: UUID
    payer_network: str
    payer: UUID
    payee: UUID
    amount: int
    reference: str = ""
    requested_by: str | None = None


@dataclass(frozen=True, slots=True)
class Books:
    """One network's books for a step: the store bound to a connection on their database."""

    store: Ledger
    conn: Connection


class FederationSagas:
    """Starts, advances and checks the sagas of cross-network transfers."""

    def __init__(self, app: LedgerApp, clock: Callable[[], datetime] = utcnow) -> None:
        self.app = app
        self.clock = clock
        self.inbox = Inbox(inbox_table, SERVICE)

    # -- links ----------------------------------------------------------------------------------
    def apply_link(self, link: Link, message_id: str | None = None) -> bool:
        """Keep the link's copy and open (or adjust) each side's clearing account.

        ``message_id``: the gateway's event, recorded in the inbox with the copy, so that an old
        event redelivered after a newer one changes nothing; False when it was applied before.
        A side's books in another database commit first: a crash before the copy's commit
        leaves the event unrecorded, and its redelivery applies it again (the same limits).
        """
        with self.app.uow() as uow:
            assert uow.conn is not None
            if message_id is not None and not self.inbox.record(uow.conn, message_id):
                return False
            store.save_link(uow.conn, link)
            for network, partner in (
                (link.network_a, link.network_b),
                (link.network_b, link.network_a),
            ):
                with self._books(uow.conn, network) as books:
                    store.ensure_clearing_account(
                        books.conn, books.store, network, partner, link.limit_of(network)
                    )
            uow.commit()
        return True

    def link(self, link_id: UUID) -> Link:
        with self.app.engine.connect() as conn:
            found = store.get_link(conn, link_id)
        if found is None:
            raise LinkNotFound(f"unknown link {link_id}")
        return found

    def clearing_balances(self, network_a: str, network_b: str) -> tuple[int | None, int | None]:
        """Each side's clearing balance for the other (None: not opened yet)."""
        balances = []
        for network, partner in ((network_a, network_b), (network_b, network_a)):
            engine = self.app.engine_for(network)
            with engine.connect() as conn:
                balances.append(
                    store.clearing_balance(
                        conn, self.app.store_for_engine(engine), network, partner
                    )
                )
        return balances[0], balances[1]

    # -- sagas ----------------------------------------------------------------------------------
    def start(self, order: TransferOrder) -> tuple[Saga, bool]:
        """Record a new saga and send its first step; a replay returns the saga as it is.

        Refuses at once (nothing recorded) what no step could make work: an unknown or suspended
        link, a payer or payee that is not a member of its side of the link.
        """
        link = self.link(order.link_id)
        with self.app.engine.connect() as conn:
            existing = store.get_saga(conn, order.saga_id)
        if existing is not None:
            return self._replay(existing, order), False
        now = self.clock()
        saga = Saga.start(
            id=order.saga_id,
            link=link,
            payer_network=order.payer_network,
            payer=order.payer,
            payee=order.payee,
            amount=order.amount,
            reference=order.reference,
            now=now,
            ttl=self._ttl(order.payer_network, now),
            requested_by=order.requested_by,
        )
        self._ensure_member(saga.payer_network, saga.payer, "payer")
        self._ensure_member(saga.payee_network, saga.payee, "payee")
        with self.app.uow() as uow:
            assert uow.conn is not None
            existing = store.get_saga(uow.conn, saga.id, for_update=True)
            if existing is not None:  # a concurrent start of the same saga won
                return self._replay(existing, order), False
            store.insert_saga(uow.conn, saga)
            self._send_next(uow.conn, saga)
            uow.commit()
        return saga, True

    @staticmethod
    def _replay(existing: Saga, order: TransferOrder) -> Saga:
        asked = (order.link_id, order.payer_network, order.payer, order.payee, order.amount)
        if asked != (
            existing.link_id,
            existing.payer_network,
            existing.payer,
            existing.payee,
            existing.amount,
        ):
            raise domain.IdempotencyConflict(
                f"the federated transfer {existing.id} was asked before with another content"
            )
        return existing

    def get(self, saga_id: UUID) -> Saga:
        with self.app.engine.connect() as conn:
            found = store.get_saga(conn, saga_id)
        if found is None:
            raise SagaNotFound(f"unknown federated transfer {saga_id}")
        return found

    def advance(self, saga_id: UUID) -> Saga:
        """Run the saga's next step (nothing when it is over); returns the saga after it."""
        with self.app.uow() as uow:
            assert uow.conn is not None
            saga = store.get_saga(uow.conn, saga_id, for_update=True)
            if saga is None:
                raise SagaNotFound(f"unknown federated transfer {saga_id}")
            if saga.terminal:
                return saga
            saga = saga.expire(self.clock())
            step = saga.next_step
            assert step is not None
            after = self._run(uow.conn, saga, step)
            store.save_saga(uow.conn, after)
            if not after.terminal:
                self._send_next(uow.conn, after)
            uow.commit()
        if after.terminal:
            log.info("federated transfer %s %s", after.id, after.state.value)
        return after

    def run_to_end(self, saga_id: UUID, max_steps: int = 10) -> Saga:
        """Advance until the saga is over (the command line and tests; the worker goes by bus)."""
        saga = self.get(saga_id)
        for _ in range(max_steps):
            if saga.terminal:
                break
            saga = self.advance(saga_id)
        return saga

    def resume_due(self, limit: int = 200) -> int:
        """Advance the sagas past their deadline or stalled; returns how many were advanced."""
        now = self.clock()
        with self.app.engine.connect() as conn:
            due = store.due_sagas(conn, now, now - STALL, limit)
        for saga_id in due:
            try:
                self.advance(saga_id)
            except Exception:
                log.exception("federated transfer %s: the step failed, retried later", saga_id)
        return len(due)

    def invariants(self) -> list[str]:
        """The mirror invariant of every link, and no saga half posted."""
        with self.app.engine.connect() as conn:
            links = store.all_links(conn)
            sagas = {link.id: store.sagas_of_link(conn, link.id) for link in links}
        problems = []
        for link in links:
            balance_a, balance_b = self.clearing_balances(link.network_a, link.network_b)
            found = mirror_problems(link, sagas[link.id], balance_a, balance_b)
            for saga in sagas[link.id]:
                found += self._side_problems(saga)
            problems += [p if p.startswith("link ") else f"link {link.id}: {p}" for p in found]
        return problems

    # -- the steps ------------------------------------------------------------------------------
    def _run(self, coordinator: Connection, saga: Saga, step: Step) -> Saga:
        now = self.clock()
        if step is Step.HOLD_PAYER:
            with self._books(coordinator, saga.payer_network) as books:
                outcome = books.store.transfer(books.conn, self._hold(saga, payer_side=True))
            return self._after_hold(saga, step, outcome, now)
        if step is Step.HOLD_PAYEE:
            with self._books(coordinator, saga.payee_network) as books:
                outcome = books.store.transfer(books.conn, self._hold(saga, payer_side=False))
            return self._after_hold(saga, step, outcome, now)
        if step in (Step.POST_PAYER, Step.POST_PAYEE):
            payer_side = step is Step.POST_PAYER
            network = saga.payer_network if payer_side else saga.payee_network
            transfer_id = saga.payer_transfer_id if payer_side else saga.payee_transfer_id
            with self._books(coordinator, network) as books:
                outcome = books.store.settle(books.conn, transfer_id, post=True)
            if outcome.expired:
                # Only when the worker stayed down past HOLD_MARGIN: the invariants report it.
                raise domain.HoldExpired(
                    f"federated transfer {saga.id}: the hold {transfer_id} expired after the "
                    "decision to post"
                )
            return saga.posted(step, now)
        reason = f"federated transfer {saga.refusal_code or 'voided'}"
        for network, transfer_id in (
            (saga.payee_network, saga.payee_transfer_id),
            (saga.payer_network, saga.payer_transfer_id),
        ):
            with self._books(coordinator, network) as books:
                self._void(books, transfer_id, reason)
        return saga.voided(now)

    @staticmethod
    def _void(books: Books, transfer_id: UUID, reason: str) -> None:
        """Void a side's hold if it is pending; a hold never made or refused needs nothing."""
        record = books.store.get_transfer(books.conn, transfer_id)
        if record is None or record.status in (
            domain.TransferStatus.REFUSED,
            domain.TransferStatus.VOIDED,
        ):
            return
        books.store.settle(books.conn, transfer_id, post=False, reason=reason)

    @staticmethod
    def _after_hold(saga: Saga, step: Step, outcome: domain.Outcome, now: datetime) -> Saga:
        record = outcome.transfer
        if record.status is domain.TransferStatus.PENDING:
            return saga.held(step, now)
        if record.status is domain.TransferStatus.REFUSED:
            return saga.refused(
                step, record.refusal_code or "transfer_refused", record.refusal_reason or "", now
            )
        # A hold voided or posted by someone else than the saga: the saga cannot go on.
        return saga.refused(
            step, "hold_settled_elsewhere", f"the hold {record.id} is {record.status.value}", now
        )

    @staticmethod
    def _hold(saga: Saga, *, payer_side: bool) -> domain.TransferRequest:
        if payer_side:
            return domain.TransferRequest(
                id=saga.payer_transfer_id,
                network=saga.payer_network,
                payer=saga.payer,
                payee=saga.payer_clearing,
                amount=saga.amount,
                kind=domain.TransferKind.HOLD,
                reference=saga.reference or f"federation {saga.id}",
                hold=True,
                expires_at=saga.hold_expiry,
            )
        return domain.TransferRequest(
            id=saga.payee_transfer_id,
            network=saga.payee_network,
            payer=saga.payee_clearing,
            payee=saga.payee,
            amount=saga.converted_amount,
            kind=domain.TransferKind.HOLD,
            reference=saga.reference or f"federation {saga.id}",
            hold=True,
            expires_at=saga.hold_expiry,
        )

    @contextmanager
    def _books(self, coordinator: Connection, network: str) -> Iterator[Books]:
        """A network's books: in the coordinator's transaction when they share its database,
        else in a transaction of their own on their database, committed on success."""
        engine = self.app.engine_for(network)
        if engine is self.app.engine:
            yield Books(self.app.store, coordinator)
            return
        with self.app.uow_for(network) as uow:
            assert uow.conn is not None
            yield Books(uow.store, uow.conn)
            uow.commit()

    def _send_next(self, conn: Connection, saga: Saga) -> None:
        envelope = envelope_for(
            lg.AdvanceFederatedTransfer(saga_id=saga.id),
            source="ledger",
            network=saga.payer_network,
            subject=str(saga.id),
        )
        conn.execute(outbox_table.insert(), [Ledger.outbox.rows_for(envelope)])

    def _ttl(self, network: str, now: datetime) -> timedelta:
        engine = self.app.engine_for(network)
        with engine.connect() as conn:
            net = self.app.store_for_engine(engine).get_network(conn, network)
        if net is None:
            raise domain.NetworkNotFound(f"unknown network {network!r}")
        return net.hold_expiry(now) - now

    def _ensure_member(self, network: str, account_id: UUID, role: str) -> None:
        engine = self.app.engine_for(network)
        with engine.connect() as conn:
            account = self.app.store_for_engine(engine).get_account(conn, account_id)
        if account is None or account.kind != "member" or account.network != network:
            raise NotLinked(f"the {role} {account_id} is not a member of the network {network}")

    def _side_problems(self, saga: Saga) -> list[str]:
        """A posted saga has both sides posted; a voided or refused one has neither."""
        statuses = []
        for network, transfer_id in (
            (saga.payer_network, saga.payer_transfer_id),
            (saga.payee_network, saga.payee_transfer_id),
        ):
            engine = self.app.engine_for(network)
            with engine.connect() as conn:
                record = self.app.store_for_engine(engine).get_transfer(conn, transfer_id)
            statuses.append(record.status if record else None)
        posted = [s is domain.TransferStatus.POSTED for s in statuses]
        if saga.state is SagaState.POSTED and not all(posted):
            return [f"saga {saga.id}: posted, but its sides are {statuses}"]
        if saga.state in (SagaState.VOIDED, SagaState.REFUSED) and any(
            s in (domain.TransferStatus.POSTED, domain.TransferStatus.PENDING) for s in statuses
        ):
            return [f"saga {saga.id}: {saga.state.value}, but its sides are {statuses}"]
        return []
