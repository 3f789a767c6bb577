"""The gateway's worker process: the outbox relay that publishes ``gateway.events``.

``python -m gateway.consumer``. The gateway consumes nothing from the bus (it is the authority
others learn from), so its worker only moves the outbox's rows to the broker, in order, at least
once. It declares the whole platform topology at start, so an event published before its
consumers first ran (the ledger's ``member_admitted`` queue) waits in their queues.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from chassis import metrics
from chassis.bus import Publisher, connection_for
from chassis.db import make_engine
from chassis.logs import configure_logging
from chassis.outbox import OutboxRelay
from chassis.retention import start_purging
from chassis.topology import Topology, declare
from contracts.topology import platform_topology
from gateway.db import outbox_sequence_table, outbox_table, retention_policies
from gateway.settings import GatewaySettings

log = logging.getLogger(__name__)


def declare_topology(settings: GatewaySettings, topology: Topology) -> None:
    """Declare exchanges and queues now; a broker still starting is retried by the relay."""
    try:
        with connection_for(settings) as conn:
            conn.ensure_connection(max_retries=3)
            declare(topology, conn)
    except Exception as exc:  # the publisher declares again before its first publish
        log.warning("topology not declared at start: %s", exc)


def main(settings: GatewaySettings | None = None) -> None:
    settings = settings or GatewaySettings.from_env()
    configure_logging(settings)
    engine = make_engine(settings)
    exporter = metrics.serve_worker_outbox_metrics(settings, engine, outbox_table,
                                                   outbox_sequence_table)
    topology = platform_topology(settings.max_retries)
    declare_topology(settings, topology)
    publisher = Publisher(settings, topology=topology)
    relay = OutboxRelay(engine, outbox_table, outbox_sequence_table, publisher.publish_batch,
                        batch_size=settings.outbox_batch_size)
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %d: stopping the outbox relay", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("gateway worker relaying the outbox to gateway.events")
    start_purging(engine, retention_policies(settings), settings.retention_interval_s, stop)
    try:
        relay.run_forever(stop.is_set, settings.outbox_poll_interval_ms / 1000)
    finally:
        relay.release()
        publisher.close()
        if exporter is not None:
            exporter.close()
        engine.dispose()


if __name__ == "__main__":
    main()
