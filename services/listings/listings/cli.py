"""Operator commands of the listings: ``python -m listings.cli <command>`` (``troc-listings``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from chassis.cli import ServiceCli, arg
from listings import domain
from listings.bootstrap import bootstrap
from listings.settings import SERVICE, ListingsSettings

CLI: ServiceCli[ListingsSettings] = ServiceCli(
    SERVICE,
    __doc__,
    settings=ListingsSettings.from_env,
    migrations=Path(__file__).resolve().parent.parent / "migrations",
    errors=(domain.ListingsError,),
)


@CLI.command("expire", "archive the listings past their expiry")
def cmd_expire(settings: ListingsSettings, args: argparse.Namespace) -> int:
    """Archive the listings past their expiry now (the worker does it every few seconds)."""
    app = bootstrap(settings)
    try:
        count = app.expire()
    finally:
        app.dispose()
    print(json.dumps({"archived": count}))
    return 0


@CLI.command("categories", "print the category taxonomy")
def cmd_categories(settings: ListingsSettings, args: argparse.Namespace) -> int:
    for category in domain.CATEGORIES:
        print(f"{category.slug:<24} {category.label}")
    return 0


@CLI.command(
    "add-network",
    "register a network in the listings",
    arg("slug"),
    arg("--name", default=""),
    arg("--unit", default="ACT"),
    arg("--payment-modes", default="100,50"),
    arg("--need-expiry-days", type=int, default=domain.DEFAULT_NEED_EXPIRY_DAYS),
)
def cmd_add_network(settings: ListingsSettings, args: argparse.Namespace) -> int:
    """Register a network directly (normally it arrives as the gateway's network_created)."""
    modes = tuple(int(m) for m in args.payment_modes.split(","))
    if not modes or not set(modes) <= set(domain.PAYMENT_MODES):
        raise ValueError(f"payment modes are among {domain.PAYMENT_MODES}")
    app = bootstrap(settings)
    try:
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
    finally:
        app.dispose()
    print(f"network {args.slug} ready")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return CLI.main(argv)


if __name__ == "__main__":
    sys.exit(main())
