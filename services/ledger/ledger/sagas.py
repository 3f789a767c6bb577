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

Each side's ``transfer_*`` events name the saga and the partner network
(``Ledger.tag_saga_events``). When the saga's outcome is settled on a side, that side's tenant
log gets ``federated_transfer_completed`` (:meth:`FederationSagas._complete`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal
from uuid import UUID, uuid5

from sqlalchemy import Connection

from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.messages import envelope_for
from chassis.money import to_decimal
from contracts import ledger as lg
from ledger import domain
from ledger import federation_db as store
from ledger.bootstrap import LedgerApp
from ledger.db import Ledger, inbox_table, outbox_table
from ledger.federation import (
    FederationError,
    Link,
    LinkNotFound,
    NotLinked,
    Saga,
    SagaNotFound,
    SagaState,
    Step,
    mirror_problems,
    parse_rate,
)
from ledger.settings import SERVICE

log = logging.getLogger(__name__)

#: An open saga not updated for this long is advanced by the worker's loop.
STALL = timedelta(seconds=30)
#: The inbox's consumer name under which each side's completion event is recorded as written.
COMPLETION_MARKER = f"{SERVICE}.federation-completed"

Side = Literal["payer", "payee"]
Ending = Literal["posted", "voided", "refused"]


def completion_message_id(saga_id: UUID, side: Side) -> str:
    """The id of a side's ``federated_transfer_completed``: the same on every run of the step."""
    return str(uuid5(saga_id, f"completed/{side}"))


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
    #: A rate frozen earlier and the payee's amount at it (cents of the payee's network): both
    #: or neither (``Saga.start`` checks they go together).
    rate: Decimal | None = None
    converted_amount: int | None = None


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
        #: Unit codes of the networks, by slug (they do not change once a network trades).
        self._units: dict[str, str] = {}

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
            rate=order.rate,
            converted_amount=order.converted_amount,
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
        """The saga asked before; another content (a frozen rate included) is a conflict."""
        asked = (order.link_id, order.payer_network, order.payer, order.payee, order.amount)
        same = asked == (
            existing.link_id,
            existing.payer_network,
            existing.payer,
            existing.payee,
            existing.amount,
        )
        if order.converted_amount is not None and order.converted_amount != (
            existing.converted_amount
        ):
            same = False
        if order.rate is not None and not _same_rate(order.rate, existing.rate):
            same = False
        if not same:
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
        self._read_units(saga_id)
        with self.app.uow() as uow:
            assert uow.conn is not None
            saga = store.get_saga(uow.conn, saga_id, for_update=True)
            if saga is None:
                raise SagaNotFound(f"unknown federated transfer {saga_id}")
            if saga.terminal:
                if saga.state is SagaState.REFUSED:
                    with self._books(uow.conn, saga.payee_network) as books:
                        self._complete(books, saga, "payee", "refused", self.clock())
                    uow.commit()
                return saga
            if not self._payer_hold_recorded_late(uow.conn, saga):
                saga = saga.expire(self.clock())
            step = saga.next_step
            assert step is not None
            after = self._run(uow.conn, saga, step)
            store.save_saga(uow.conn, after)
            if not after.terminal or after.state is SagaState.REFUSED:
                # A refused saga's last message tells the payee's log (see ``_complete``).
                self._send_next(uow.conn, after)
            uow.commit()
        if after.terminal:
            log.info("federated transfer %s %s", after.id, after.state.value)
        return after

    def _payer_hold_recorded_late(self, coordinator: Connection, saga: Saga) -> bool:
        """Whether the payer's hold step ran before the deadline but its record was lost.

        A crash after the payer's books committed (two databases) leaves the saga ``started``
        with the hold made or refused. Its replay records that outcome first (the deadline then
        voids a held saga): a refused hold has already told the payer's log the saga ended
        ``refused``, and voiding it instead would tell the payee's log another ending.
        """
        if saga.state is not SagaState.STARTED or self.clock() < saga.deadline:
            return False
        with self._books(coordinator, saga.payer_network) as books:
            return books.store.get_transfer(books.conn, saga.payer_transfer_id) is not None

    def run_to_end(self, saga_id: UUID, max_steps: int = 10) -> Saga:
        """Advance until the saga is over (the command line and tests; the worker goes by bus)."""
        saga = self.get(saga_id)
        for _ in range(max_steps):
            if saga.terminal:
                break
            saga = self.advance(saga_id)
        if saga.state is SagaState.REFUSED:
            self.advance(saga_id)  # as the refusal's last message would
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
        """Run ``step`` and return the saga after it.

        Where the step settles a side's outcome, that side's completion event is staged in the
        same transaction as the step's work on that side's books (see :meth:`_complete`).
        """
        now = self.clock()
        if step in (Step.HOLD_PAYER, Step.HOLD_PAYEE):
            payer_side = step is Step.HOLD_PAYER
            network = saga.payer_network if payer_side else saga.payee_network
            with self._books(coordinator, network) as books:
                request = self._hold(saga, payer_side=payer_side)
                outcome = books.store.transfer(books.conn, request)
                self._tag(books, saga, request.id, payer_side=payer_side, outcome=outcome)
                after = self._after_hold(saga, step, outcome, now)
                if after.state is SagaState.REFUSED:
                    self._complete(books, after, "payer", "refused", now)
            return after
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
                self._tag(books, saga, transfer_id, payer_side=payer_side, outcome=outcome)
                after = saga.posted(step, now)
                self._complete(books, after, "payer" if payer_side else "payee", "posted", now)
            return after
        reason = f"federated transfer {saga.refusal_code or 'voided'}"
        after = saga.voided(now)
        for side, network, transfer_id in (
            ("payee", saga.payee_network, saga.payee_transfer_id),
            ("payer", saga.payer_network, saga.payer_transfer_id),
        ):
            with self._books(coordinator, network) as books:
                self._void(books, transfer_id, reason, saga, payer_side=side == "payer")
                self._complete(books, after, side, "voided", now)  # type: ignore[arg-type]
        return after

    def _tag(
        self,
        books: Books,
        saga: Saga,
        transfer_id: UUID,
        *,
        payer_side: bool,
        outcome: domain.Outcome,
    ) -> None:
        """Name the saga and the partner network in the events the store just staged."""
        if outcome.replayed:
            return
        partner = saga.payee_network if payer_side else saga.payer_network
        books.store.tag_saga_events(
            books.conn, transfer_id, saga_id=saga.id, partner_network=partner
        )

    def _complete(
        self, books: Books, saga: Saga, side: Side, outcome: Ending, now: datetime
    ) -> None:
        """Stage ``federated_transfer_completed`` in one side's tenant log, once.

        Written through the outbox of the database holding that side's books, in the
        transaction of the step that settles the side's outcome (payer: its post, its void, or
        the refusal of its hold; payee: its post, its void), so each database's relay
        sequences it in the tenant's log
        with the side's other events. A step may run twice: after its books committed but
        before the saga's record did (two databases), or when a redelivered message runs it
        again. The event's id is derived from the saga and the side, and recorded in that
        database's ``inbox`` in the same transaction (consumer ``COMPLETION_MARKER``): a run
        finding it there writes nothing. For the payer this comes at the post of its side,
        once the saga has decided to post (both holds made): its outcome cannot change then.

        A refusal on the payer's side touches nothing on the payee's: the payee's event is a
        write of its own, made by one more ``advance_federated_transfer`` sent with the
        refusal's record (:meth:`advance` of a refused saga). Writing it within the refusal's
        step could commit it in the payee's database while the coordinator's transaction (and
        the payer's refusal, when their books share it) rolls back, and the step's replay
        might then hold and post.
        """
        message_id = completion_message_id(saga.id, side)
        if not Inbox(inbox_table, COMPLETION_MARKER).record(books.conn, message_id):
            return
        payer_side = side == "payer"
        network = saga.payer_network if payer_side else saga.payee_network
        member = books.store.get_account(books.conn, saga.payer if payer_side else saga.payee)
        books.store.emit(
            books.conn,
            lg.FederatedTransferCompleted(
                saga_id=saga.id,
                link_id=saga.link_id,
                payer_network=saga.payer_network,
                payee_network=saga.payee_network,
                payer=saga.payer,
                payee=saga.payee,
                amount=to_decimal(saga.amount),
                payer_unit=self._unit(books, saga.payer_network, payer_side),
                converted_amount=to_decimal(saga.converted_amount),
                payee_unit=self._unit(books, saga.payee_network, not payer_side),
                rate=saga.rate,
                reference=saga.reference,
                outcome=outcome,
                code=None if outcome == "posted" else saga.refusal_code,
                reason=None if outcome == "posted" else saga.refusal_reason,
                requested_by=saga.requested_by,
                completed_at=now,
            ),
            network=network,
            tenants=[member.tenant if member is not None else None],
            subject=str(saga.id),
            message_id=message_id,
        )

    def _unit(self, books: Books, network: str, local: bool) -> str:
        """A network's unit code: from the side's books, or as read before the step began."""
        if local:
            found = books.store.get_network(books.conn, network)
            return found.unit_code if found is not None else ""
        return self._units.get(network, "")

    def _read_units(self, saga_id: UUID) -> None:
        """Read the unit codes of an open saga's networks, outside the step's transactions.

        The completion event names both units; the step reads them from this cache rather than
        opening a connection to the other network's database while it holds the coordinator's
        (on SQLite that connection would wait for the step's own write lock).
        """
        with self.app.engine.connect() as conn:
            saga = store.get_saga(conn, saga_id)
        if saga is None or saga.state in (SagaState.POSTED, SagaState.VOIDED):
            return
        for network in (saga.payer_network, saga.payee_network):
            if network in self._units:
                continue
            engine = self.app.engine_for(network)
            with engine.connect() as conn:
                found = self.app.store_for_engine(engine).get_network(conn, network)
            if found is not None:
                self._units[network] = found.unit_code

    def _void(
        self, books: Books, transfer_id: UUID, reason: str, saga: Saga, *, payer_side: bool
    ) -> None:
        """Void a side's hold if it is pending; a hold never made or refused needs nothing."""
        record = books.store.get_transfer(books.conn, transfer_id)
        if record is None or record.status in (
            domain.TransferStatus.REFUSED,
            domain.TransferStatus.VOIDED,
        ):
            return
        outcome = books.store.settle(books.conn, transfer_id, post=False, reason=reason)
        self._tag(books, saga, transfer_id, payer_side=payer_side, outcome=outcome)

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


def _same_rate(asked: Decimal, recorded: Decimal) -> bool:
    """Whether a replay's frozen rate is the recorded one (a rate that is no rate is not)."""
    try:
        return parse_rate(asked) == recorded
    except FederationError:
        return False
