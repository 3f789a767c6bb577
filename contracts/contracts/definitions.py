"""``python -m contracts.definitions``: the RabbitMQ ``definitions.json`` of the platform topology.

``deploy/rabbitmq/definitions.json`` is generated from ``contracts.topology.platform_topology()``
(``make definitions``) and a contract test fails when the committed file is stale. On top of the
exchanges, quorum queues and bindings the code declares, it adds one dead-letter policy per queue.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chassis.topology import Topology, to_rabbitmq_definitions
from contracts.topology import platform_topology

#: Redeliveries (a worker that crashed or lost its connection mid-message) before the broker itself
#: dead-letters a message. The worker's own retries (``TROC_MAX_RETRIES``) republish and ack, so
#: they do not count: this only catches a message that kills every worker that takes it.
DELIVERY_LIMIT = 20


def dead_letter_policies(topology: Topology, *, vhost: str = "/") -> list[dict[str, Any]]:
    """One policy per queue: rejected or over-delivered messages go to its ``.dlq``."""
    return [
        {
            "vhost": vhost,
            "name": f"troc-dead-letter.{q.name}",
            "pattern": f"^{re.escape(q.name)}$",
            "apply-to": "queues",
            "priority": 10,
            "definition": {
                "dead-letter-exchange": "",
                "dead-letter-routing-key": q.dlq,
                "delivery-limit": DELIVERY_LIMIT,
            },
        }
        for q in topology.queues
    ]


def definitions(topology: Topology | None = None, *, vhost: str = "/") -> dict[str, Any]:
    """The complete definitions document: the code's topology plus the dead-letter policies."""
    topology = platform_topology() if topology is None else topology
    document = to_rabbitmq_definitions(topology, vhost=vhost)
    document["policies"] = dead_letter_policies(topology, vhost=vhost)
    # Quorum queues for anything declared without an explicit type, set on the virtual host (as
    # RabbitMQ 3.11+ exports it): the node-wide ``default_queue_type`` of rabbitmq.conf is refused
    # by RabbitMQ 3.10 (Debian bookworm's), which ignores these keys. Every queue of the topology
    # names its type anyway.
    document["vhosts"] = [
        {**v, "default_queue_type": "quorum", "metadata": {"default_queue_type": "quorum"}}
        for v in document["vhosts"]
    ]
    return document


def render(topology: Topology | None = None, *, vhost: str = "/") -> str:
    """The document as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(definitions(topology, vhost=vhost), indent=2, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts.definitions", description=__doc__)
    parser.add_argument("--write", metavar="PATH", help="write the file (default: print it)")
    parser.add_argument("--check", metavar="PATH", help="exit 1 if PATH differs from the code")
    parser.add_argument("--vhost", default="/", help="RabbitMQ virtual host (default: /)")
    args = parser.parse_args(argv)
    text = render(vhost=args.vhost)
    if args.check:
        current = Path(args.check).read_text() if Path(args.check).exists() else ""
        if current != text:
            print(f"{args.check} is stale: run `make definitions`", file=sys.stderr)
            return 1
        print(f"{args.check} is up to date")
        return 0
    if args.write:
        path = Path(args.write)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path}")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
