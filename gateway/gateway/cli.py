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

from chassis.config import ConfigError
from chassis.keys import KeyStore
from chassis.migrate import upgrade
from chassis.money import AmountError, format_cents, parse_cents
from gateway import service
from gateway.bootstrap import GatewayApp, bootstrap
from gateway.db import constraint_conflict
from gateway.domain.errors import DomainError, ValidationError, ValidationErrors
from gateway.errors import Conflict, ImportRefused
from gateway.seed import seed_demo
from gateway.settings import GatewaySettings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def cmd_migrate(settings: GatewaySettings, args: argparse.Namespace) -> int:
    upgrade(settings, MIGRATIONS)
    print(f"gateway database at head ({settings.database_url.split('@')[-1]})")
    return 0


def _app(settings: GatewaySettings) -> GatewayApp:
    return bootstrap(settings)


def cmd_create_operator(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    view = service.create_user(app.uow(), None, {"email": args.email, "password": args.password,
                                                 "role": "operator"},
                               actor=None, hasher=app.hasher, now=app.now())
    print(f"operator {view.user.email} created ({view.user.id})")
    return 0


def cmd_create_network(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    network = service.create_network(app.uow(), {
        "slug": args.slug, "name": args.name,
        "unit": {"code": args.unit_code, "name": args.unit_name, "symbol": args.unit_symbol},
        "default_credit_limit": parse_cents(args.credit_limit, allow_zero=True),
        "payment_modes": [int(m) for m in args.payment_modes.split(",") if m.strip()],
        "hold_expiry_days": args.hold_expiry_days,
        "vat_settlement": args.vat_settlement,
        "commission": {"rate": args.commission_rate, "charged_in": args.commission_charged_in},
        "buyer_acceptance_required": not args.no_buyer_acceptance,
        "need_expiry_days": args.need_expiry_days,
    })
    print(f"network {network.slug} created: unit {network.unit.code}, default credit limit "
          f"{format_cents(network.default_credit_limit)}")
    return 0


def cmd_create_tenant(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    tenant = service.create_tenant(app.uow(), args.network, {
        "slug": args.slug, "name": args.name,
        "departments": [d.strip() for d in args.departments.split(",") if d.strip()],
    })
    print(f"tenant {tenant.slug} created in {args.network} "
          f"(departments {', '.join(tenant.departments)})")
    return 0


def cmd_create_user(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    view = service.create_user(app.uow(), args.tenant, {
        "email": args.email, "password": args.password, "role": args.role,
        "member_id": uuid.UUID(args.member_id) if args.member_id else None,
    }, actor=None, hasher=app.hasher, now=app.now())
    print(f"{view.user.role.value} {view.user.email} created ({view.user.id})")
    return 0


def cmd_import_members(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    data = Path(args.file).read_bytes()
    if len(data) > settings.import_max_bytes:
        print(f"error: the file is larger than {settings.import_max_bytes} bytes; split it",
              file=sys.stderr)
        return 2
    try:
        members = service.import_members(app.uow(), args.tenant, data, now=app.now())
    except ImportRefused as exc:
        for error in exc.report.errors:
            print(f"line {error.line}: {error.field}: {error.message} [{error.code}]",
                  file=sys.stderr)
        print(f"nobody admitted: {len(exc.report.errors)} problem(s) to fix in {args.file}",
              file=sys.stderr)
        return 1
    for view in members:
        print(f"admitted {view.member.siret} {view.member.name} ({view.member.id})")
    print(f"{len(members)} member(s) admitted into {args.tenant}")
    return 0


def cmd_rotate_key(settings: GatewaySettings, args: argparse.Namespace) -> int:
    """Make a new signing key active; the previous one stays published for its tokens."""
    keys = KeyStore.from_settings(settings)
    keys.ensure()
    key = keys.rotate(keep=args.keep)
    print(json.dumps({"active": key.kid, "published": [k.kid for k in keys.published()]}))
    return 0


def cmd_seed_demo(settings: GatewaySettings, args: argparse.Namespace) -> int:
    app = _app(settings)
    logins = seed_demo(app, settings.demo_password)
    print(f"demo data ready; every demo account's password is {settings.demo_password!r} "
          "(TROC_DEMO_PASSWORD)")
    for login in logins:
        where = f" {login.tenant}" if login.tenant else ""
        company = f" ({login.company})" if login.company else ""
        print(f"  {login.role:<9}{where:<16} {login.email}{company}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m gateway.cli", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the gateway database to the latest schema")
    op = sub.add_parser("create-operator", help="create an operator account")
    op.add_argument("--email", required=True)
    op.add_argument("--password", required=True)
    net = sub.add_parser("create-network", help="create a network and its unit")
    net.add_argument("--slug", required=True)
    net.add_argument("--name", required=True)
    net.add_argument("--unit-code", required=True, help="e.g. ACT")
    net.add_argument("--unit-name", required=True, help="e.g. Actif")
    net.add_argument("--unit-symbol", required=True)
    net.add_argument("--credit-limit", default="1000.00", help="default credit limit")
    net.add_argument("--payment-modes", default="100,50")
    net.add_argument("--hold-expiry-days", type=int, default=30)
    net.add_argument("--need-expiry-days", type=int, default=90,
                     help="days after which a published need expires")
    net.add_argument("--vat-settlement", choices=["unit", "euro"], default="unit")
    net.add_argument("--commission-rate", default="0", help='percent, e.g. "5"')
    net.add_argument("--commission-charged-in", choices=["unit", "euro"], default="unit")
    net.add_argument("--no-buyer-acceptance", action="store_true",
                     help="issued invoices go straight to the animators")
    ten = sub.add_parser("create-tenant", help="create a tenant (territorial association)")
    ten.add_argument("--network", required=True)
    ten.add_argument("--slug", required=True)
    ten.add_argument("--name", required=True)
    ten.add_argument("--departments", required=True, help="e.g. 92,93,94")
    usr = sub.add_parser("create-user", help="create an animator or a member user")
    usr.add_argument("--tenant", required=True)
    usr.add_argument("--email", required=True)
    usr.add_argument("--password", required=True)
    usr.add_argument("--role", choices=["animator", "member"], required=True)
    usr.add_argument("--member-id")
    imp = sub.add_parser("import-members", help="admit the members of a CSV (all or none)")
    imp.add_argument("--tenant", required=True)
    imp.add_argument("file")
    rot = sub.add_parser("rotate-key", help="rotate the token signing key (two stay valid)")
    rot.add_argument("--keep", type=int, default=1, help="previous keys kept published")
    sub.add_parser("seed-demo", help="load the demo networks, tenants, users and members")
    return root


COMMANDS = {
    "migrate": cmd_migrate,
    "create-operator": cmd_create_operator,
    "create-network": cmd_create_network,
    "create-tenant": cmd_create_tenant,
    "create-user": cmd_create_user,
    "import-members": cmd_import_members,
    "rotate-key": cmd_rotate_key,
    "seed-demo": cmd_seed_demo,
}


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationErrors):
        return "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
    if isinstance(exc, ValidationError | Conflict):
        return f"{exc.field}: {exc.message}"
    if isinstance(exc, IntegrityError):
        conflict = constraint_conflict(exc)
        return f"{conflict[0]}: {conflict[1]}" if conflict else "conflicting data"
    return str(exc)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = GatewaySettings.from_env()
        return COMMANDS[args.command](settings, args)
    except (ConfigError, AmountError, DomainError, IntegrityError, ValueError) as exc:
        print(f"error: {_describe(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
