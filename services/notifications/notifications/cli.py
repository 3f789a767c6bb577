"""Operator commands of the notifications: ``python -m notifications.cli <command>``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import requests

from chassis.config import ConfigError
from chassis.migrate import upgrade
from notifications import amqp
from notifications.app import WEBHOOK_EVENT_TYPES
from notifications.bootstrap import bootstrap
from notifications.delivery import deliver_due
from notifications.settings import NotificationsSettings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def cmd_migrate(settings: NotificationsSettings, args: argparse.Namespace) -> int:
    upgrade(settings, MIGRATIONS)
    print(f"notifications database at head ({settings.database_url.split('@')[-1]})")
    return 0


def cmd_deliver(settings: NotificationsSettings, args: argparse.Namespace) -> int:
    """Send the due webhook deliveries now (the worker does it every second)."""
    app = bootstrap(settings)
    count = deliver_due(app)
    app.dispose()
    print(json.dumps({"attempted": count}))
    return 0


def cmd_event_types(settings: NotificationsSettings, args: argparse.Namespace) -> int:
    for event_type in WEBHOOK_EVENT_TYPES:
        print(event_type)
    return 0


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


COMMANDS = {
    "migrate": cmd_migrate,
    "deliver": cmd_deliver,
    "event-types": cmd_event_types,
    "amqp-subscriber": cmd_amqp_subscriber,
}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="troc-notifications", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the notifications database to the latest schema")
    sub.add_parser("deliver", help="send the due webhook deliveries once")
    sub.add_parser("event-types", help="print the event types a webhook may subscribe to")
    amqp_user = sub.add_parser(
        "amqp-subscriber", help="create a RabbitMQ user confined to one tenant's events"
    )
    amqp_user.add_argument("network")
    amqp_user.add_argument("tenant")
    amqp_user.add_argument("--user", required=True)
    amqp_user.add_argument("--password", required=True)
    amqp_user.add_argument("--vhost", default="", help="default: the broker URL's")
    amqp_user.add_argument("--management-url", default="", help="default: broker host, 15672")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = NotificationsSettings.from_env()
        return COMMANDS[args.command](settings, args)
    except (ConfigError, ValueError, requests.RequestException) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
