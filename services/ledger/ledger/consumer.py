"""The ledger's worker process: bus consumer, outbox relay, hold expiry and credit-limit expiry.

``python -m ledger.consumer``. Commands and gateway events are applied in batches: one database
transaction per batch (the inbox inside it), acked once after commit (a crash before it redelivers
the whole batch), which is what lets the bus carry more transfers per second than single HTTP
requests; the next batch is received and decoded while the database applies this one. The relay
publishes ``ledger.events`` in sequence order; the expiry loop voids holds past their expiry every
``TROC_LEDGER_HOLD_EXPIRY_INTERVAL`` seconds; the credit-limit loop gives accounts whose temporary
limit ended their standing limit back every ``TROC_LEDGER_CREDIT_LIMIT_EXPIRY_INTERVAL`` seconds,
then announces the credit lines whose review or expiry entered the animators' 30-day horizon.
A message applied before, or twice in one batch, is applied once: money commands by their
transfer id, the others through the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from chassis.bus import Publisher, message_scope
from chassis.config import Settings
from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.messages import Envelope, InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.money import to_decimal
from chassis.retention import inbox_retention
from chassis.topology import Topology
from chassis.worker import (
    Dispatcher,
    Loop,
    ServiceWorker,
    inject,
    outbox_relay,
    outbox_relay_loop,
    serve,
    serve_relay,
)
from contracts import ledger as lg
from contracts.topology import platform_topology, queues_of
from ledger import domain, handlers
from ledger.app import FEDERATION_HANDLERS, HANDLERS
from ledger.bootstrap import LedgerApp, bootstrap
from ledger.db import (
    BoundLedger,
    Traced,
    UnitOfWork,
    inbox_table,
    outbox_sequence_table,
    outbox_table,
)
from ledger.federation import FederationError
from ledger.metrics import count_transfers
from ledger.sagas import FederationSagas
from ledger.settings import SERVICE

log = logging.getLogger(__name__)


#: Commands idempotent by their transfer id.
MONEY_COMMANDS = (lg.Transfer, lg.HoldTransfer, lg.PostTransfer, lg.VoidTransfer)


class LedgerConsumer:
    """Applies a batch of envelopes in one unit of work."""

    def __init__(self, app: LedgerApp) -> None:
        self.app = app
        self.dispatcher = Dispatcher(SERVICE, Inbox(inbox_table, SERVICE), HANDLERS)
        self.federation = FederationSagas(app)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        """Apply a batch: one transaction per database of books, then the federation's messages.

        A network whose books live in another database (``TROC_LEDGER_NETWORK_DATABASES``) has
        its messages applied in a transaction there, with that database's inbox and outbox.
        The messages of trade between networks run last, one by one, each step in the
        transactions of ``ledger.sagas``.
        """
        decoded = [(envelope, envelope.message()) for envelope in envelopes]
        groups: dict[int, tuple[str | None, list[tuple[Envelope, Any]]]] = {}
        federated = []
        for envelope, message in decoded:
            if type(message) in FEDERATION_HANDLERS:
                federated.append((envelope, message))
                continue
            engine = self.app.engine_for(envelope.network)
            groups.setdefault(id(engine), (envelope.network, []))[1].append((envelope, message))
        for network, items in groups.values():
            self._handle_books(network, items)
        for envelope, message in federated:
            with message_scope(envelope):
                self._apply_federation(envelope, message)

    def _apply_federation(self, envelope: Envelope, message: Any) -> None:
        handler = FEDERATION_HANDLERS[type(message)]
        try:
            inject(handler, {"federation": self.federation})(message, Meta.of(envelope))
        except (FederationError, domain.IdempotencyConflict, domain.UnknownAccount) as exc:
            raise InvalidMessage(str(exc)) from None  # no retry can fix it: dead-letter now

    def _handle_books(self, network: str | None, decoded: list[tuple[Envelope, Any]]) -> None:
        """Apply messages in one transaction; runs of transfers go to the store in one call.

        Money commands need no inbox: their transfer id is the idempotency key (a replay
        returns the first result and stages nothing), which also catches the same command sent
        twice under two message ids. Everything else is recorded in the inbox, so that an old
        message redelivered late (a suspension after the reinstatement) changes nothing.
        """
        with self.app.uow_for(network) as uow:
            assert uow.conn is not None
            others = [e for e, m in decoded if not isinstance(m, MONEY_COMMANDS)]
            fresh = {e.id for e in self.dispatcher.fresh(uow.conn, others)} if others else set()
            run: list[Traced] = []
            outcomes: list[domain.Outcome] = []
            for envelope, message in decoded:
                if isinstance(message, lg.Transfer | lg.HoldTransfer):
                    request = handlers.transfer_request(message, Meta.of(envelope), uow.ledger)
                    run.append((request, envelope.correlationid, envelope.id))
                    continue
                if not isinstance(message, MONEY_COMMANDS):
                    if envelope.id not in fresh:
                        continue
                    fresh.discard(envelope.id)  # a second copy in the batch: applied once
                outcomes += self._flush(run, uow.ledger)
                with message_scope(envelope):
                    self.apply(envelope, message, uow)
            outcomes += self._flush(run, uow.ledger)
            uow.commit()
        count_transfers("bus", outcomes)

    @staticmethod
    def _flush(run: list[Traced], ledger: BoundLedger) -> list[domain.Outcome]:
        if not run:
            return []
        outcomes: list[domain.Outcome] = ledger.transfer_many(list(run))
        run.clear()
        return outcomes

    def apply(self, envelope: Envelope, message: Any, uow: UnitOfWork) -> None:
        handler = HANDLERS.get(type(message))
        if handler is None:
            raise InvalidMessage(f"the ledger does not handle {envelope.type}")
        ledger = uow.ledger
        try:
            inject(handler, self.app.dependencies(uow))(message, Meta.of(envelope))
        except domain.InvalidTransferState as exc:
            # Posting a voided hold, voiding a posted one: tell the sender, never retry.
            self._refuse_settlement(ledger, message, exc)
        except (domain.TransferNotFound, domain.IdempotencyConflict) as exc:
            raise InvalidMessage(str(exc)) from None  # no retry can fix it: dead-letter now

    @staticmethod
    def _refuse_settlement(ledger: BoundLedger, message: Any, exc: domain.LedgerError) -> None:
        record: domain.TransferRecord | None = ledger.get_transfer(message.transfer_id)
        assert record is not None
        network = ledger.get_network(record.network)
        ledger.emit(
            lg.TransferRefused(
                transfer_id=record.id,
                payer=record.payer,
                payee=record.payee,
                amount=to_decimal(record.amount),
                unit=network.unit_code if network else "",
                code=exc.code,
                reason=exc.message,
            ),
            network=record.network,
            tenants=[record.payer_tenant, record.payee_tenant],
            subject=str(record.id),
        )


def expire_holds(app: LedgerApp, now: datetime | None = None, limit: int = 500) -> int:
    """Void the holds whose expiry has passed, in every database of books; returns how many."""
    count = 0
    for engine in app.engines():
        store = app.store_for_engine(engine)
        with engine.connect() as conn:
            due = store.expired_holds(conn, now or utcnow(), limit)
        for transfer_id in due:
            # A hold posted or voided meanwhile is simply left as it is.
            uow = (
                app.uow(single_statement=True)
                if engine is app.engine
                else UnitOfWork(engine, store, single_statement=True)
            )
            with uow, suppress(domain.InvalidTransferState):
                uow.ledger.settle(transfer_id, post=False, reason="expired")
                uow.commit()
        count += len(due)
    return count


def expire_credit_limits(
    app: LedgerApp, now: datetime | None = None, limit: int = 500
) -> list[domain.LimitExpiry]:
    """Give the accounts whose temporary limit ended their standing limit back.

    A limit ends when its ``expires_on`` day starts in Paris, so ``now`` is read as a Paris
    date. Each account is changed in its own short transaction under its row lock, which
    re-reads the expiry: a pass run twice, by two workers or after a crash changes each account
    once. Accounts that recovered since an earlier expiry have their tolerated shortfall shrunk.
    """
    today = domain.local_date(now or utcnow())
    with app.engine.connect() as conn:
        due = app.store.expired_credit_limits(conn, today, limit)
    done = []
    for account_id in due:
        with app.uow() as uow:
            expiry = uow.ledger.expire_credit_limit(account_id, today)
            uow.commit()
        if expiry is not None:
            done.append(expiry)
    with app.uow() as uow:
        uow.ledger.settle_shortfalls()
        uow.commit()
    return done


def announce_credit_lines(
    app: LedgerApp, now: datetime | None = None, limit: int = 500
) -> list[tuple[domain.Account, date]]:
    """Stage ``credit_line_due`` for each line whose review or expiry entered the horizon.

    Each account is announced in its own short transaction under its row lock, which records
    the date announced with the event: a pass run twice, by two workers or after a crash
    announces each line and date once. Every database of books is visited.
    """
    today = domain.local_date(now or utcnow())
    done = []
    for engine in app.engines():
        store = app.store_for_engine(engine)
        with engine.connect() as conn:
            due = store.credit_lines_to_announce(conn, today, limit)
        for account_id in due:
            uow = app.uow() if engine is app.engine else UnitOfWork(engine, store)
            with uow:
                announced = uow.ledger.announce_credit_line(account_id, today)
                uow.commit()
            if announced is not None:
                done.append(announced)
    return done


def worker(settings: Settings | None = None) -> ServiceWorker:
    """The ledger's worker: its queues, its batch handler, its hold expiry; the outbox relay in
    a child process (its own core and interpreter lock: at full load it publishes nearly two
    events per transfer). ``--no-relay`` leaves it to ``ledger.relay`` processes run apart."""
    app = bootstrap(settings)

    def expire() -> int:
        if count := expire_holds(app):
            log.info("voided %d expired holds", count)
        return count

    def expire_limits() -> int:
        if expired := expire_credit_limits(app):
            log.info("gave %d accounts their standing credit limit back", len(expired))
        if announced := announce_credit_lines(app):
            log.info("told the animators of %d credit lines due", len(announced))
        return len(expired) + len(announced)

    topology = platform_topology(app.settings.max_retries)
    return ServiceWorker(
        settings=app.settings,
        engine=app.engine,
        topology=topology,
        outbox=(outbox_table, outbox_sequence_table),
        queues=queues_of(SERVICE),
        handle_batch=LedgerConsumer(app).handle_batch,
        loops=[
            Loop("hold-expiry", expire, interval=app.settings.hold_expiry_interval),
            Loop(
                "credit-limit-expiry",
                expire_limits,
                interval=app.settings.credit_limit_expiry_interval,
            ),
            Loop(
                "federation-sagas",
                FederationSagas(app).resume_due,
                interval=app.settings.federation_interval,
            ),
            *shard_relays(app, topology),
        ],
        relay="process",
        dispose=app.dispose,
        retention=[inbox_retention(inbox_table, app.settings.inbox_retention_days)],
        overlap_batches=True,
    )


def shard_relays(app: LedgerApp, topology: Topology) -> list[Loop]:
    """A relay of the outbox of each database holding some networks' books apart (their money
    facts are staged there, in the transaction that makes them)."""
    loops = []
    for engine in app.engines():
        if engine is app.engine:
            continue
        publisher = Publisher(app.settings, topology=topology)
        relay = outbox_relay(app.settings, engine, (outbox_table, outbox_sequence_table), publisher)
        loops.append(
            outbox_relay_loop(app.settings, relay, name=f"outbox-relay-{engine.url.database}")
        )
    return loops


def main(argv: Sequence[str] | None = None) -> None:
    serve(worker, argv)


def run_relay() -> None:
    """Publish the outbox until SIGTERM (``python -m ledger.relay``)."""
    serve_relay(worker)


if __name__ == "__main__":
    main()
