"""Operator commands of the invoices: ``python -m invoices.cli <command>``."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from chassis.cli import ServiceCli, arg
from invoices.bootstrap import bootstrap
from invoices.settings import SERVICE, InvoicesSettings

CLI: ServiceCli[InvoicesSettings] = ServiceCli(
    SERVICE,
    __doc__,
    settings=InvoicesSettings.from_env,
    migrations=Path(__file__).resolve().parent.parent / "migrations",
)


@CLI.command(
    "pdf", "write an invoice's Factur-X PDF and XML", arg("invoice_id"), arg("--output", "-o")
)
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


def main(argv: Sequence[str] | None = None) -> int:
    return CLI.main(argv)


if __name__ == "__main__":
    sys.exit(main())
