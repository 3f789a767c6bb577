"""The gateway's worker process: the outbox relay that publishes ``gateway.events``.

``python -m gateway.consumer``. The gateway consumes nothing from the bus (it is the authority
others learn from), so its worker only moves the outbox's rows to the broker, in order, at least
once. It declares the whole platform topology at start, so an event published before its
consumers first ran (the ledger's ``member_admitted`` queue) waits in their queues. Its
retention loop purges the tables that only remember (``gateway.db.retention_policies``).
"""

from __future__ import annotations

from collections.abc import Sequence

from chassis.db import make_engine
from chassis.worker import ServiceWorker, serve
from contracts.topology import platform_topology
from gateway.db import outbox_sequence_table, outbox_table, retention_policies
from gateway.settings import GatewaySettings


def worker(settings: GatewaySettings | None = None) -> ServiceWorker:
    """The gateway's worker: the relay of its outbox, nothing consumed."""
    settings = settings or GatewaySettings.from_env()
    engine = make_engine(settings)
    return ServiceWorker(
        settings=settings,
        engine=engine,
        topology=platform_topology(settings.max_retries),
        outbox=(outbox_table, outbox_sequence_table),
        declare_at_start=True,
        dispose=engine.dispose,
        retention=retention_policies(settings),
    )


def main(argv: Sequence[str] | None = None) -> None:
    serve(worker, argv)


if __name__ == "__main__":
    main()
