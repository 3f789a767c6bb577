"""Operator commands of the ledger: ``python -m ledger.cli <command>`` (or ``troc-ledger``)."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from chassis.auth import ROLES, Identity, identity_claims
from chassis.config import ConfigError, Settings
from chassis.keys import KeyStore
from chassis.migrate import upgrade
from chassis.money import AmountError, parse_cents
from ledger import domain
from ledger.bootstrap import bootstrap

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    upgrade(settings, MIGRATIONS)
    print(f"ledger database at head ({settings.database_url.split('@')[-1]})")
    return 0


def cmd_invariants(settings: Settings, args: argparse.Namespace) -> int:
    """Check Σ balances = 0 per network and balance = Σ postings per account."""
    app = bootstrap(settings)
    with app.engine.connect() as conn:
        problems = app.store.invariants(conn)
    for problem in problems:
        print(f"VIOLATION {problem}")
    print(json.dumps({"ok": not problems, "violations": len(problems)}))
    return 1 if problems else 0


def cmd_add_network(settings: Settings, args: argparse.Namespace) -> int:
    """Register a network directly (normally it arrives as the gateway's network_created)."""
    app = bootstrap(settings)
    with app.uow() as uow:
        uow.ledger.upsert_network(domain.Network(
            slug=args.slug, name=args.name or args.slug, unit_code=args.unit,
            default_credit_limit=parse_cents(args.credit_limit, allow_zero=True),
            hold_expiry_days=args.hold_expiry_days))
        uow.commit()
    print(f"network {args.slug} ready")
    return 0


def cmd_open_account(settings: Settings, args: argparse.Namespace) -> int:
    """Open a member account directly (normally on the gateway's member_admitted)."""
    app = bootstrap(settings)
    account_id = uuid.UUID(args.member_id) if args.member_id else uuid.uuid4()
    credit = parse_cents(args.credit_limit, allow_zero=True) if args.credit_limit else None
    with app.uow() as uow:
        account, created = uow.ledger.open_account(account_id, args.network, args.tenant, credit)
        uow.commit()
    print(json.dumps({"member_id": str(account.id), "created": created}))
    return 0


def cmd_dev_token(settings: Settings, args: argparse.Namespace) -> int:
    """Mint a token with the local signing key (development and demos only)."""
    if settings.env == "production":
        print("error: dev-token is refused in production", file=sys.stderr)
        return 2
    store = KeyStore.from_settings(settings)
    store.ensure()
    identity = Identity(
        subject=args.subject or f"dev-{args.role}", roles=frozenset({args.role}),
        tenant=args.tenant, network=args.network,
        member_id=uuid.UUID(args.member_id) if args.member_id else None,
        scopes=frozenset(args.scope or ()))
    claims = identity_claims(identity, issuer=settings.jwt_issuer,
                             audience=settings.jwt_audience, expires_in=args.expires_in)
    print(store.sign(claims))
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="troc-ledger", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the ledger database to the latest schema")
    sub.add_parser("invariants", help="verify the double-entry invariants (exit 1 if broken)")
    net = sub.add_parser("add-network", help="register a network in the ledger")
    net.add_argument("slug")
    net.add_argument("--name", default="")
    net.add_argument("--unit", default="ACT")
    net.add_argument("--credit-limit", default="1000.00", help="default credit limit")
    net.add_argument("--hold-expiry-days", type=int, default=30)
    acc = sub.add_parser("open-account", help="open a member account")
    acc.add_argument("--network", required=True)
    acc.add_argument("--tenant", required=True)
    acc.add_argument("--member-id")
    acc.add_argument("--credit-limit")
    tok = sub.add_parser("dev-token", help="mint a development token (not in production)")
    tok.add_argument("--role", choices=sorted(ROLES), required=True)
    tok.add_argument("--tenant")
    tok.add_argument("--network")
    tok.add_argument("--member-id")
    tok.add_argument("--subject")
    tok.add_argument("--scope", action="append")
    tok.add_argument("--expires-in", type=int, default=3600)
    return root


COMMANDS = {
    "migrate": cmd_migrate,
    "invariants": cmd_invariants,
    "add-network": cmd_add_network,
    "open-account": cmd_open_account,
    "dev-token": cmd_dev_token,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env("ledger")
        return COMMANDS[args.command](settings, args)
    except (ConfigError, AmountError, ValueError, domain.LedgerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
