"""Operator commands of the gateway: ``python -m gateway.cli <command>``.

``migrate``, ``create-operator``, ``create-network``, ``create-tenant``, ``create-user``,
``import-members``, ``rotate-key`` and ``seed-demo`` (what ``make run`` loads). Commands act as
the operator: they run the same use cases as the HTTP API, events included.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from chassis.cli import ServiceCli, arg
from chassis.keys import KeyStore
from chassis.money import AmountError, format_cents, parse_cents
from gateway import service
from gateway.bootstrap import GatewayApp, bootstrap
from gateway.db import constraint_conflict
from gateway.domain.errors import DomainError, ValidationError, ValidationErrors
from gateway.errors import Conflict, ImportRefused
from gateway.seed import seed_demo
from gateway.settings import SERVICE, GatewaySettings


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationErrors):
        return "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
    if isinstance(exc, ValidationError | Conflict):
        return f"{exc.field}: {exc.message}"
    if isinstance(exc, IntegrityError):
        conflict = constraint_conflict(exc)
        return f"{conflict[0]}: {conflict[1]}" if conflict else "conflicting data"
    return str(exc)


CLI: ServiceCli[GatewaySettings] = ServiceCli(
    SERVICE,
    __doc__,
    prog="python -m gateway.cli",
    settings=GatewaySettings.from_env,
    migrations=Path(__file__).resolve().parent.parent / "migrations",
    errors=(AmountError, DomainError, IntegrityError),
    describe=_describe,
)


def _app(settings: GatewaySettings) -> GatewayApp:
    return bootstrap(settings)


@CLI.command(
    "create-operator",
    "create an operator account",
    arg("--email", required=True),
    arg("--password", required=True),
)
def cmd_create_operator(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    view = service.create_user(
        app.uow(),
        None,
        {"email": args.email, "password": args.password, "role": "operator"},
        actor=None,
        hasher=app.hasher,
        now=app.now(),
    )
    print(f"operator {view.user.email} created ({view.user.id})")
    return 0


@CLI.command(
    "create-network",
    "create a network and its unit",
    arg("--slug", required=True),
    arg("--name", required=True),
    arg("--unit-code", required=True, help="e.g. ACT"),
    arg("--unit-name", required=True, help="e.g. Actif"),
    arg("--unit-symbol", required=True),
    arg("--credit-limit", default="1000.00", help="default credit limit"),
    arg("--payment-modes", default="100,50"),
    arg("--hold-expiry-days", type=int, default=30),
    arg(
        "--need-expiry-days", type=int, default=90, help="days after which a published need expires"
    ),
    arg("--vat-settlement", choices=["unit", "euro"], default="unit"),
    arg("--commission-rate", default="0", help='percent, e.g. "5"'),
    arg("--commission-charged-in", choices=["unit", "euro"], default="unit"),
    arg(
        "--no-buyer-acceptance",
        action="store_true",
        help="issued invoices go straight to the animators",
    ),
)
def cmd_create_network(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    network = service.create_network(
        app.uow(),
        {
            "slug": args.slug,
            "name": args.name,
            "unit": {"code": args.unit_code, "name": args.unit_name, "symbol": args.unit_symbol},
            "default_credit_limit": parse_cents(args.credit_limit, allow_zero=True),
            "payment_modes": [int(m) for m in args.payment_modes.split(",") if m.strip()],
            "hold_expiry_days": args.hold_expiry_days,
            "vat_settlement": args.vat_settlement,
            "commission": {"rate": args.commission_rate, "charged_in": args.commission_charged_in},
            "buyer_acceptance_required": not args.no_buyer_acceptance,
            "need_expiry_days": args.need_expiry_days,
        },
    )
    print(
        f"network {network.slug} created: unit {network.unit.code}, default credit limit "
        f"{format_cents(network.default_credit_limit)}"
    )
    return 0


@CLI.command(
    "create-tenant",
    "create a tenant (territorial association)",
    arg("--network", required=True),
    arg("--slug", required=True),
    arg("--name", required=True),
    arg("--departments", required=True, help="e.g. 92,93,94"),
)
def cmd_create_tenant(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    tenant = service.create_tenant(
        app.uow(),
        args.network,
        {
            "slug": args.slug,
            "name": args.name,
            "departments": [d.strip() for d in args.departments.split(",") if d.strip()],
        },
    )
    print(
        f"tenant {tenant.slug} created in {args.network} "
        f"(departments {', '.join(tenant.departments)})"
    )
    return 0


@CLI.command(
    "create-user",
    "create an animator or a member user",
    arg("--tenant", required=True),
    arg("--email", required=True),
    arg("--password", required=True),
    arg("--role", choices=["animator", "member"], required=True),
    arg("--member-id"),
)
def cmd_create_user(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    view = service.create_user(
        app.uow(),
        args.tenant,
        {
            "email": args.email,
            "password": args.password,
            "role": args.role,
            "member_id": uuid.UUID(args.member_id) if args.member_id else None,
        },
        actor=None,
        hasher=app.hasher,
        now=app.now(),
    )
    print(f"{view.user.role.value} {view.user.email} created ({view.user.id})")
    return 0


@CLI.command(
    "import-members",
    "admit the members of a CSV (all or none)",
    arg("--tenant", required=True),
    arg("file"),
)
def cmd_import_members(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    data = Path(args.file).read_bytes()
    if len(data) > settings.import_max_bytes:
        print(
            f"error: the file is larger than {settings.import_max_bytes} bytes; split it",
            file=sys.stderr,
        )
        return 2
    try:
        members = service.import_members(app.uow(), args.tenant, data, now=app.now())
    except ImportRefused as exc:
        for error in exc.report.errors:
            print(
                f"line {error.line}: {error.field}: {error.message} [{error.code}]", file=sys.stderr
            )
        print(
            f"nobody admitted: {len(exc.report.errors)} problem(s) to fix in {args.file}",
            file=sys.stderr,
        )
        return 1
    for view in members:
        print(f"admitted {view.member.siret} {view.member.name} ({view.member.id})")
    print(f"{len(members)} member(s) admitted into {args.tenant}")
    return 0


@CLI.command(
    "rotate-key",
    "rotate the token signing key (two stay valid)",
    arg("--keep", type=int, default=1, help="previous keys kept published"),
)
def cmd_rotate_key(settings: GatewaySettings, args: argparse.Namespace) -> int:
    """Make a new signing key active; the previous one stays published for its tokens."""
    keys = KeyStore.from_settings(settings)
    keys.ensure()
    key = keys.rotate(keep=args.keep)
    print(json.dumps({"active": key.kid, "published": [k.kid for k in keys.published()]}))
    return 0


@CLI.command("seed-demo", "load the demo networks, tenants, users and members")
def cmd_seed_demo(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    logins = seed_demo(app, settings.demo_password)
    print(
        f"demo data ready; every demo account's password is {settings.demo_password!r} "
        "(TROC_DEMO_PASSWORD)"
    )
    for login in logins:
        where = f" {login.tenant}" if login.tenant else ""
        company = f" ({login.company})" if login.company else ""
        print(f"  {login.role:<9}{where:<16} {login.email}{company}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return CLI.main(argv)


if __name__ == "__main__":
    sys.exit(main())
