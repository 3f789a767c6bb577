"""Operator commands of the invoices: ``python -m invoices.cli <command>``."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from chassis.config import ConfigError
from chassis.migrate import upgrade
from invoices.bootstrap import bootstrap
from invoices.settings import InvoicesSettings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def cmd_migrate(settings: InvoicesSettings, args: argparse.Namespace) -> int:
    upgrade(settings, MIGRATIONS)
    print(f"invoices database at head ({settings.database_url.split('@')[-1]})")
    return 0


def cmd_pdf(settings: InvoicesSettings, args: argparse.Namespace) -> int:
    """Write an issued invoice's Factur-X PDF (and its XML next to it)."""
    app = bootstrap(settings)
    with app.uow() as uow:
        invoice = uow.invoices.get(uuid.UUID(args.invoice_id))
    if invoice is None or invoice.number is None:
        print("error: no issued invoice with this id", file=sys.stderr)
        return 1
    pdf, xml = app.document(invoice)
    out = Path(args.output or f"{invoice.number}.pdf")
    out.write_bytes(pdf)
    out.with_suffix(".xml").write_bytes(xml)
    print(f"{out} ({len(pdf)} bytes) and {out.with_suffix('.xml')}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="troc-invoices", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the invoices database to the latest schema")
    pdf = sub.add_parser("pdf", help="write an invoice's Factur-X PDF and XML")
    pdf.add_argument("invoice_id")
    pdf.add_argument("--output", "-o")
    return root


COMMANDS = {"migrate": cmd_migrate, "pdf": cmd_pdf}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](InvoicesSettings.from_env(), args)
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
