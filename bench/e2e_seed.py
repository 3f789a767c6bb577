"""Bulk data of ``bench/e2e_bench.py``, through the services' own use cases (never another
service's database): run as a subprocess with the environment of the service it speaks for.

* ``tenants`` (gateway environment): N tenants of a network, each admitting M members from a CSV
  with the gateway's import use case (the same one as ``POST /t/<t>/members/import`` and
  ``gateway.cli import-members``). Their ``member_admitted`` events reach the ledger (accounts),
  invoices, listings and notifications over the bus, as real admissions do.
* ``history`` (invoices environment): N invoices of the benchmark's routes drafted and issued
  with the invoices' use cases, then validated as each reaches the validation queue: the ledger
  holds and posts them over the bus, so the history has its transfers too.

Prints one JSON line: what was created and how long it took.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID


def member_csv(first: int, count: int, department: str) -> bytes:
    """``count`` made-up companies with valid, network-unique SIRETs (stems ``6xxxxxxx``)."""
    from gateway.domain.identifiers import vat_number_for_siren
    from gateway.seed import demo_siret

    rows = ["Raison sociale;SIRET;N° TVA intracommunautaire;Adresse;Département;E-mail"]
    for number in range(first, first + count):
        siret = demo_siret(f"6{number:07d}")
        rows.append(
            f"Entreprise {number};{siret};{vat_number_for_siren(siret[:9])};"
            f"{number % 200 + 1} rue de la Paix, {department}001 Paris;{department};"
            f"contact{number}@bench.trocactif.org"
        )
    return ("\r\n".join(rows) + "\r\n").encode()


def seed_tenants(
    network: str, count: int, members: int, prefix: str, first: int = 0
) -> dict[str, Any]:
    from gateway import service
    from gateway.bootstrap import bootstrap

    app = bootstrap()
    started = time.monotonic()
    last: dict[str, Any] = {}
    slowest = 0.0
    for index in range(count):
        slug = f"{prefix}-{index:04d}"
        service.create_tenant(
            app.uow(),
            network,
            {
                "slug": slug,
                "name": f"Association {prefix} {index}",
                "departments": ["75"],
                "contact": {"name": f"Association {index}", "email": f"{slug}@bench.trocactif.org"},
            },
        )
        begun = time.monotonic()
        admitted = service.import_members(
            app.uow(), slug, member_csv(first + index * members, members, "75"), now=app.now()
        )
        slowest = max(slowest, time.monotonic() - begun)
        last = {"tenant": slug, "member_id": str(admitted[-1].member.id)}
    return {
        "tenants": count,
        "members": count * members,
        "last": last,
        "seconds": round(time.monotonic() - started, 1),
        "slowest_import_s": round(slowest, 3),
    }


def seed_history(routes: list[dict[str, Any]], count: int, timeout: float) -> dict[str, Any]:
    from invoices import app as table
    from invoices.bootstrap import bootstrap
    from invoices.domain.errors import InvoiceError
    from invoices.handlers import DraftRequest
    from invoices.schemas import DraftInSchema

    app = bootstrap()
    started = time.monotonic()
    today = datetime.now(UTC).date().isoformat()
    pending: list[UUID] = []
    for index in range(count):
        route = routes[index % len(routes)]
        body = DraftInSchema().load(
            {
                "buyer_member_id": route["buyer_id"],
                "payment_mode": 100,
                "delivery_date": today,
                "lines": [
                    {
                        "description": "Prestation (historique)",
                        "quantity": "1",
                        "unit_price": "1.00",
                        "vat_rate": "20",
                    }
                ],
            }
        )
        request = DraftRequest(
            seller_member_id=UUID(route["seller_id"]),
            buyer_member_id=body["buyer_member_id"],
            lines=tuple(body["lines"]),
            payment_mode=body["payment_mode"],
            delivery_date=body["delivery_date"],
            created_by="bench-history",
        )
        invoice = table.USE_CASES["draft"](
            app.uow(), request, tenant=route["seller_tenant"], now=app.now()
        )
        table.USE_CASES["issue"](app.uow(), invoice.id, now=app.now)
        if route["acceptance"]:
            table.USE_CASES["accept"](app.uow(), invoice.id, now=app.now())
        pending.append(invoice.id)
    issued_s = time.monotonic() - started
    deadline = time.monotonic() + timeout
    validated = 0
    while pending and time.monotonic() < deadline:
        waiting = []
        for invoice_id in pending:
            try:
                table.USE_CASES["validate"](
                    app.uow(), invoice_id, by="bench-history", now=app.now()
                )
                validated += 1
            except InvoiceError:  # not in the validation queue yet (the hold is on its way)
                waiting.append(invoice_id)
        pending = waiting
        if pending:
            time.sleep(0.5)
    return {
        "invoices": count,
        "validated": validated,
        "not_validated": len(pending),
        "issue_s": round(issued_s, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tenants = sub.add_parser("tenants")
    tenants.add_argument("--network", required=True)
    tenants.add_argument("--count", type=int, required=True)
    tenants.add_argument("--members", type=int, required=True)
    tenants.add_argument("--prefix", default="bench")
    tenants.add_argument(
        "--first",
        type=int,
        default=0,
        help="number of the first company (SIRET stems 6xxxxxxx from it)",
    )
    history = sub.add_parser("history")
    history.add_argument("--routes", type=Path, required=True, help="the plan's JSON file")
    history.add_argument("--count", type=int, required=True)
    history.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    if args.command == "tenants":
        result = seed_tenants(args.network, args.count, args.members, args.prefix, args.first)
    else:
        routes = json.loads(args.routes.read_text())["routes"]
        result = seed_history(routes, args.count, args.timeout)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
