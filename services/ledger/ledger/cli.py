"""Operator commands of the ledger: ``python -m ledger.cli <command>`` (or ``troc-ledger``)."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from chassis.auth import ROLES, Identity, identity_claims
from chassis.cli import ServiceCli, arg
from chassis.keys import KeyStore
from chassis.money import AmountError, parse_cents
from ledger import domain
from ledger.bootstrap import bootstrap
from ledger.sagas import FederationSagas
from ledger.settings import SERVICE, LedgerSettings

CLI: ServiceCli[LedgerSettings] = ServiceCli(
    SERVICE,
    __doc__,
    settings=LedgerSettings.from_env,
    migrations=Path(__file__).resolve().parent.parent / "migrations",
    errors=(AmountError, domain.LedgerError),
)


@CLI.command("invariants", "verify the double-entry invariants (exit 1 if broken)")
def cmd_invariants(settings: LedgerSettings, args: argparse.Namespace) -> int:
    """Check Σ balances = 0 per network and balance = Σ postings per account, in every
    database of books, and the mirror of each federation link's clearing balances."""
    app = bootstrap(settings)
    problems = []
    for engine in app.engines():
        with engine.connect() as conn:
            problems += app.store_for_engine(engine).invariants(conn)
    problems += FederationSagas(app).invariants()
    for problem in problems:
        print(f"VIOLATION {problem}")
    print(json.dumps({"ok": not problems, "violations": len(problems)}))
    return 1 if problems else 0


@CLI.command(
    "expire-credit-limits",
    "give accounts whose temporary credit limit ended their standing limit back (once)",
    arg("--now", help="ISO instant with its offset, e.g. 2027-01-01T00:00:00+01:00"),
)
def cmd_expire_credit_limits(settings: LedgerSettings, args: argparse.Namespace) -> int:
    """Run one pass of the worker's credit-limit expiry (at ``--now``, default: now)."""
    from ledger.consumer import expire_credit_limits

    now = datetime.fromisoformat(args.now) if args.now else None
    if now is not None and now.tzinfo is None:
        print("error: --now needs a UTC offset", file=sys.stderr)
        return 2
    app = bootstrap(settings)
    try:
        expired = expire_credit_limits(app, now)
    finally:
        app.dispose()
    print(json.dumps({"expired": len(expired), "over_limit": sum(e.over_limit for e in expired)}))
    return 0


@CLI.command(
    "add-network",
    "register a network in the ledger",
    arg("slug"),
    arg("--name", default=""),
    arg("--unit", default="ACT"),
    arg("--credit-limit", default="1000.00", help="default credit limit"),
    arg("--hold-expiry-days", type=int, default=30),
)
def cmd_add_network(settings: LedgerSettings, args: argparse.Namespace) -> int:
    """Register a network directly (normally it arrives as the gateway's network_created)."""
    app = bootstrap(settings)
    with app.uow() as uow:
        uow.ledger.upsert_network(
            domain.Network(
                slug=args.slug,
                name=args.name or args.slug,
                unit_code=args.unit,
                default_credit_limit=parse_cents(args.credit_limit, allow_zero=True),
                hold_expiry_days=args.hold_expiry_days,
            )
        )
        uow.commit()
    print(f"network {args.slug} ready")
    return 0


@CLI.command(
    "open-account",
    "open a member account",
    arg("--network", required=True),
    arg("--tenant", required=True),
    arg("--member-id"),
    arg("--credit-limit"),
)
def cmd_open_account(settings: LedgerSettings, args: argparse.Namespace) -> int:
    """Open a member account directly (normally on the gateway's member_admitted)."""
    app = bootstrap(settings)
    account_id = uuid.UUID(args.member_id) if args.member_id else uuid.uuid4()
    credit = parse_cents(args.credit_limit, allow_zero=True) if args.credit_limit else None
    with app.uow() as uow:
        account, created = uow.ledger.open_account(account_id, args.network, args.tenant, credit)
        uow.commit()
    print(json.dumps({"member_id": str(account.id), "created": created}))
    return 0


@CLI.command(
    "dev-token",
    "mint a development token (not in production)",
    arg("--role", choices=sorted(ROLES), required=True),
    arg("--tenant"),
    arg("--network"),
    arg("--member-id"),
    arg("--subject"),
    arg("--scope", action="append"),
    arg("--expires-in", type=int, default=3600),
)
def cmd_dev_token(settings: LedgerSettings, args: argparse.Namespace) -> int:
    """Mint a token with the local signing key (development and demos only)."""
    if settings.env == "production":
        print("error: dev-token is refused in production", file=sys.stderr)
        return 2
    store = KeyStore.from_settings(settings)
    store.ensure()
    identity = Identity(
        subject=args.subject or f"dev-{args.role}",
        roles=frozenset({args.role}),
        tenant=args.tenant,
        network=args.network,
        member_id=uuid.UUID(args.member_id) if args.member_id else None,
        scopes=frozenset(args.scope or ()),
    )
    claims = identity_claims(
        identity,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        expires_in=args.expires_in,
    )
    print(store.sign(claims))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return CLI.main(argv)


if __name__ == "__main__":
    sys.exit(main())
