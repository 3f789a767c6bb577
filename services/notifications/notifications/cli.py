"""Operator commands of the notifications: ``python -m notifications.cli <command>``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import requests

from chassis.cli import ServiceCli, arg
from notifications import amqp
from notifications.app import WEBHOOK_EVENT_TYPES
from notifications.bootstrap import bootstrap
from notifications.delivery import deliver_due
from notifications.settings import SERVICE, NotificationsSettings

CLI: ServiceCli[NotificationsSettings] = ServiceCli(
    SERVICE,
    __doc__,
    settings=NotificationsSettings.from_env,
    migrations=Path(__file__).resolve().parent.parent / "migrations",
    errors=(requests.RequestException,),
)


@CLI.command("deliver", "send the due webhook deliveries once")
def cmd_deliver(settings: NotificationsSettings, args: argparse.Namespace) -> int:
    """Send the due webhook deliveries now (the worker does it every second)."""
    app = bootstrap(settings)
    count = deliver_due(app)
    app.dispose()
    print(json.dumps({"attempted": count}))
    return 0


@CLI.command("event-types", "print the event types a webhook may subscribe to")
def cmd_event_types(settings: NotificationsSettings, args: argparse.Namespace) -> int:
    for event_type in WEBHOOK_EVENT_TYPES:
        print(event_type)
    return 0


@CLI.command(
    "amqp-subscriber",
    "create a RabbitMQ user confined to one tenant's events",
    arg("network"),
    arg("tenant"),
    arg("--user", required=True),
    arg("--password", required=True),
    arg("--vhost", default="", help="default: the broker URL's"),
    arg("--management-url", default="", help="default: broker host, 15672"),
)
def cmd_amqp_subscriber(settings: NotificationsSettings, args: argparse.Namespace) -> int:
    """Create a RabbitMQ user that may only consume ``<network>.<tenant>.#`` events."""
    management = amqp.Management.for_broker(settings.broker_url, args.management_url)
    done = amqp.create_subscriber(
        management,
        vhost=args.vhost or amqp.vhost_of(settings.broker_url),
        user=args.user,
        password=args.password,
        network=args.network,
        tenant=args.tenant,
    )
    print(json.dumps(done))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return CLI.main(argv)


if __name__ == "__main__":
    sys.exit(main())
