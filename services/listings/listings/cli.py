"""Operator commands of the listings: ``python -m listings.cli <command>`` (``troc-listings``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from chassis.config import ConfigError
from chassis.migrate import upgrade
from listings import domain
from listings.bootstrap import bootstrap
from listings.consumer import expire
from listings.settings import ListingsSettings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def cmd_migrate(settings: ListingsSettings, args: argparse.Namespace) -> int:
    upgrade(settings, MIGRATIONS)
    print(f"listings database at head ({settings.database_url.split('@')[-1]})")
    return 0


def cmd_expire(settings: ListingsSettings, args: argparse.Namespace) -> int:
    """Archive the listings past their expiry now (the worker does it every few seconds)."""
    app = bootstrap(settings)
    count = expire(app)
    app.dispose()
    print(json.dumps({"archived": count}))
    return 0


def cmd_add_network(settings: ListingsSettings, args: argparse.Namespace) -> int:
    """Register a network directly (normally it arrives as the gateway's network_created)."""
    app = bootstrap(settings)
    modes = tuple(int(m) for m in args.payment_modes.split(","))
    if not modes or not set(modes) <= set(domain.PAYMENT_MODES):
        raise ValueError(f"payment modes are among {domain.PAYMENT_MODES}")
    with app.uow() as uow:
        uow.store.upsert_network(
            domain.Network(
                slug=args.slug,
                name=args.name or args.slug,
                unit_code=args.unit,
                payment_modes=modes,
                need_expiry_days=args.need_expiry_days,
            )
        )
        uow.commit()
    app.dispose()
    print(f"network {args.slug} ready")
    return 0


def cmd_categories(settings: ListingsSettings, args: argparse.Namespace) -> int:
    for category in domain.CATEGORIES:
        print(f"{category.slug:<24} {category.label}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="troc-listings", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the listings database to the latest schema")
    sub.add_parser("expire", help="archive the listings past their expiry")
    sub.add_parser("categories", help="print the category taxonomy")
    net = sub.add_parser("add-network", help="register a network in the listings")
    net.add_argument("slug")
    net.add_argument("--name", default="")
    net.add_argument("--unit", default="ACT")
    net.add_argument("--payment-modes", default="100,50")
    net.add_argument("--need-expiry-days", type=int, default=domain.DEFAULT_NEED_EXPIRY_DAYS)
    return root


COMMANDS = {
    "migrate": cmd_migrate,
    "expire": cmd_expire,
    "categories": cmd_categories,
    "add-network": cmd_add_network,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = ListingsSettings.from_env()
        return COMMANDS[args.command](settings, args)
    except (ConfigError, ValueError, domain.ListingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
