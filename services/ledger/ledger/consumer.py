"""The ledger's worker process: bus consumer, outbox relay and hold expiry.

``python -m ledger.consumer``. Commands and gateway events are applied in batches: one database
transaction per batch (the inbox inside it), acked after commit, which is what lets the bus carry
more transfers per second than single HTTP requests. The relay publishes ``ledger.events`` in
sequence order; the expiry loop voids holds past their expiry.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any

from chassis import metrics
from chassis.bus import Publisher, Worker, message_scope
from chassis.config import Settings
from chassis.db import utcnow
from chassis.inbox import Inbox
from chassis.logs import configure_logging
from chassis.messages import Envelope, InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.money import to_decimal
from chassis.outbox import OutboxRelay
from chassis.retention import inbox_retention, start_purging
from chassis.topology import command_queue_name, event_queue_name
from contracts import ledger as lg
from contracts.topology import platform_topology, subscriptions_of
from ledger import domain, handlers
from ledger.app import HANDLERS
from ledger.bootstrap import LedgerApp, bootstrap
from ledger.db import (
    BoundLedger,
    Traced,
    inbox_table,
    outbox_sequence_table,
    outbox_table,
)

log = logging.getLogger(__name__)

SERVICE = "ledger"


#: Commands idempotent by their transfer id.
MONEY_COMMANDS = (lg.Transfer, lg.HoldTransfer, lg.PostTransfer, lg.VoidTransfer)


#: Transfers and holds by how they ended: posted, pending (a hold), refused (with its code) or
#: replayed (an idempotent repeat), and where they came from (the HTTP API or the bus).
TRANSFERS = metrics.counter("troc_ledger_transfers", "Ledger transfer commands by outcome",
                            ["source", "outcome", "code"])


def count_transfers(source: str, outcomes: Sequence[domain.Outcome]) -> None:
    for outcome in outcomes:
        record = outcome.transfer
        state = "replayed" if outcome.replayed else str(record.status)
        code = (record.refusal_code or "transfer_refused") if outcome.refused else ""
        TRANSFERS.inc(source, state, code)


class LedgerConsumer:
    """Applies a batch of envelopes in one unit of work."""

    def __init__(self, app: LedgerApp) -> None:
        self.app = app
        self.inbox = Inbox(inbox_table, SERVICE)

    def handle_batch(self, envelopes: Sequence[Envelope]) -> None:
        """Apply a batch in one transaction; runs of transfers go to the store in one call.

        Money commands need no inbox: their transfer id is the idempotency key (a replay
        returns the first result and stages nothing), which also catches the same command sent
        twice under two message ids. Everything else is recorded in the inbox, so that an old
        message redelivered late (a suspension after the reinstatement) changes nothing.
        """
        decoded = [(envelope, envelope.message()) for envelope in envelopes]
        with self.app.uow() as uow:
            assert uow.conn is not None
            others = [e.id for e, m in decoded if not isinstance(m, MONEY_COMMANDS)]
            fresh = self.inbox.filter_new(uow.conn, others) if others else set()
            run: list[Traced] = []
            outcomes: list[domain.Outcome] = []
            for envelope, message in decoded:
                if isinstance(message, lg.Transfer | lg.HoldTransfer):
                    request = handlers.transfer_request(message, Meta.of(envelope), uow.ledger)
                    run.append((request, envelope.correlationid, envelope.id))
                    continue
                if not isinstance(message, MONEY_COMMANDS) and envelope.id not in fresh:
                    continue
                outcomes += self._flush(run, uow.ledger)
                with message_scope(envelope):
                    self.apply(envelope, message, uow.ledger)
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

    def apply(self, envelope: Envelope, message: Any, ledger: BoundLedger) -> None:
        handler = HANDLERS.get(type(message))
        if handler is None:
            raise InvalidMessage(f"the ledger does not handle {envelope.type}")
        meta = Meta.of(envelope)
        try:
            handler(message, meta, ledger)
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
        ledger.emit(lg.TransferRefused(
            transfer_id=record.id, payer=record.payer, payee=record.payee,
            amount=to_decimal(record.amount), unit=network.unit_code if network else "",
            code=exc.code, reason=exc.message,
        ), network=record.network, tenants=[record.payer_tenant, record.payee_tenant],
            subject=str(record.id))


def expire_holds(app: LedgerApp, now: datetime | None = None, limit: int = 500) -> int:
    """Void the holds whose expiry has passed; returns how many were voided."""
    with app.engine.connect() as conn:
        due = app.store.expired_holds(conn, now or utcnow(), limit)
    for transfer_id in due:
        # A hold posted or voided meanwhile is simply left as it is.
        with app.uow(single_statement=True) as uow, suppress(domain.InvalidTransferState):
            uow.ledger.settle(transfer_id, post=False, reason="expired")
            uow.commit()
    return len(due)


def make_relay(app: LedgerApp, publisher: Publisher) -> OutboxRelay:
    return OutboxRelay(app.engine, outbox_table, outbox_sequence_table, publisher.publish_batch,
                       batch_size=app.settings.outbox_batch_size)


def queues() -> list[str]:
    names = {event_queue_name(SERVICE, m.owner) if m.kind == "event"
             else command_queue_name(SERVICE) for m in subscriptions_of(SERVICE)}
    return sorted(names)


def main(argv: Sequence[str] | None = None) -> None:
    """Consume the ledger's queues and void expired holds; relay the outbox in a child process.

    The relay gets its own process (and so its own core and interpreter lock): at full load it
    publishes nearly two events per transfer. ``--no-relay`` leaves it to ``ledger.relay``
    processes run separately (one is active at a time, the others stand by).
    """
    parser = argparse.ArgumentParser(prog="python -m ledger.consumer", description=main.__doc__)
    parser.add_argument("--no-relay", action="store_true", help="do not start the outbox relay")
    args = parser.parse_args(argv)
    settings = Settings.from_env(SERVICE)
    configure_logging(settings)
    relay_process = None
    if not args.no_relay:
        relay_process = multiprocessing.get_context("spawn").Process(
            target=run_relay, name="ledger-relay", kwargs={"parent": os.getpid()})
        relay_process.start()
    app = bootstrap(settings)
    exporter = metrics.serve_worker_outbox_metrics(settings, app.engine, outbox_table,
                                                   outbox_sequence_table)
    topology = platform_topology(settings.max_retries)
    stop = threading.Event()
    worker = Worker.from_settings(settings, topology, queues(), LedgerConsumer(app).handle_batch)

    def expiry_loop() -> None:
        while not stop.wait(10.0):
            try:
                if count := expire_holds(app):
                    log.info("voided %d expired holds", count)
            except Exception:
                log.exception("hold expiry pass failed")

    expiry = threading.Thread(target=expiry_loop, name="hold-expiry", daemon=True)
    expiry.start()
    start_purging(app.engine, [inbox_retention(inbox_table, settings.inbox_retention_days)],
                  settings.retention_interval_s, stop)
    log.info("ledger worker consuming %s", ", ".join(queues()))
    try:
        worker.serve()
    finally:
        stop.set()
        expiry.join(timeout=5)
        if relay_process is not None:
            relay_process.terminate()
            relay_process.join(timeout=10)
        if exporter is not None:
            exporter.close()
        app.dispose()


def run_relay(parent: int | None = None) -> None:
    """Publish the outbox until SIGTERM (or until the parent worker is gone).

    Run on its own (``ledger.relay``, no parent) it serves its metrics on ``TROC_METRICS_PORT``
    if set; as the worker's child it leaves that to the worker.
    """
    settings = Settings.from_env(SERVICE)
    configure_logging(settings)
    app = bootstrap(settings)
    exporter = None
    if parent is None:
        exporter = metrics.serve_worker_outbox_metrics(settings, app.engine, outbox_table,
                                                       outbox_sequence_table)
    publisher = Publisher(settings, topology=platform_topology(settings.max_retries))
    relay = make_relay(app, publisher)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def orphaned() -> bool:
        return parent is not None and os.getppid() != parent

    log.info("ledger outbox relay started")
    try:
        relay.run_forever(lambda: stop.is_set() or orphaned(),
                          settings.outbox_poll_interval_ms / 1000)
    finally:
        relay.release()
        publisher.close()
        if exporter is not None:
            exporter.close()
        app.dispose()


if __name__ == "__main__":
    main()
