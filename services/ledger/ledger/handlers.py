"""What the ledger does for each command and event it receives over the bus.

Handlers run inside a unit of work opened by the caller (the bus worker commits a whole batch at
once, then acks); they never commit and never publish directly: events leave through the outbox.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from chassis.messages import MessageMeta as Meta
from chassis.money import parse_cents
from contracts import gateway as gw
from contracts import ledger as cmd
from ledger.db import BoundLedger
from ledger.domain import (
    AccountStatus,
    MemberCategory,
    Network,
    NetworkNotFound,
    Outcome,
    TransferKind,
    TransferRequest,
)


def _network(ledger: BoundLedger, meta: Meta, account_id: UUID) -> str:
    """The command's network: from the envelope, else from the payer's account."""
    if meta.network:
        return meta.network
    account = ledger.get_account(account_id)
    if account is None:
        raise NetworkNotFound("the command names no network and the payer account is unknown")
    return str(account.network)


def _hold_expiry(
    ledger: BoundLedger, network: str, requested: datetime | None, now: datetime
) -> datetime:
    if requested is not None:
        return requested
    net: Network | None = ledger.get_network(network)
    if net is None:
        raise NetworkNotFound(f"unknown network {network!r}")
    return net.hold_expiry(now)


# --- commands ----------------------------------------------------------------------------------


def open_account(message: cmd.OpenAccount, meta: Meta, ledger: BoundLedger) -> None:
    credit = parse_cents(message.credit_limit, allow_zero=True) if message.credit_limit else None
    network, tenant = meta.home()
    ledger.open_account(message.account_id, network, tenant, credit)


def transfer_request(
    message: cmd.Transfer | cmd.HoldTransfer, meta: Meta, ledger: BoundLedger
) -> TransferRequest:
    """The domain request of a ``transfer`` or ``hold_transfer`` command."""
    network = _network(ledger, meta, message.payer)
    if isinstance(message, cmd.HoldTransfer):
        return TransferRequest(
            id=message.transfer_id,
            network=network,
            payer=message.payer,
            payee=message.payee,
            amount=parse_cents(message.amount),
            kind=TransferKind.HOLD,
            reference=message.reference,
            hold=True,
            tenant=meta.tenant,
            expires_at=_hold_expiry(ledger, network, message.expires_at, meta.time),
        )
    return TransferRequest(
        id=message.transfer_id,
        network=network,
        payer=message.payer,
        payee=message.payee,
        amount=parse_cents(message.amount),
        kind=TransferKind(message.kind),
        reference=message.reference,
        tenant=meta.tenant,
        reverses=message.reverses,
    )


def transfer(message: cmd.Transfer, meta: Meta, ledger: BoundLedger) -> Outcome:
    return ledger.transfer(transfer_request(message, meta, ledger))


def hold_transfer(message: cmd.HoldTransfer, meta: Meta, ledger: BoundLedger) -> Outcome:
    return ledger.transfer(transfer_request(message, meta, ledger))


def post_transfer(message: cmd.PostTransfer, meta: Meta, ledger: BoundLedger) -> Outcome:
    return ledger.settle(message.transfer_id, post=True)


def void_transfer(message: cmd.VoidTransfer, meta: Meta, ledger: BoundLedger) -> Outcome:
    return ledger.settle(message.transfer_id, post=False, reason=message.reason)


# --- events of the gateway -----------------------------------------------------------------------


def on_network_created(message: gw.NetworkSettings, meta: Meta, ledger: BoundLedger) -> None:
    ledger.upsert_network(
        Network(
            slug=message.slug,
            name=message.name,
            unit_code=message.unit.code,
            unit_name=message.unit.name,
            unit_symbol=message.unit.symbol,
            default_credit_limit=parse_cents(message.default_credit_limit, allow_zero=True),
            hold_expiry_days=message.hold_expiry_days,
            member_categories=tuple(
                MemberCategory(
                    slug=c.slug,
                    name=c.name,
                    default_credit_limit=parse_cents(c.default_credit_limit, allow_zero=True),
                    max_balance=(
                        None
                        if c.max_balance is None
                        else parse_cents(c.max_balance, allow_zero=True)
                    ),
                )
                for c in message.member_categories
            ),
            manual_transfer_approval_threshold=(
                None
                if message.manual_transfer_approval_threshold is None
                else parse_cents(message.manual_transfer_approval_threshold, allow_zero=True)
            ),
        )
    )


def on_member_admitted(message: gw.MemberAdmitted, meta: Meta, ledger: BoundLedger) -> None:
    credit = (
        parse_cents(message.credit_limit, allow_zero=True)
        if message.credit_limit is not None
        else None
    )
    network, tenant = meta.home()
    account, opened = ledger.open_account(
        message.member_id, network, tenant, credit, message.category
    )
    if opened and ledger.tenant_closed(tenant):
        ledger.freeze_for_tenant(account.id, tenant)
    ledger.name_member(message.member_id, tenant, message.name, message.siret)


def on_member_updated(message: gw.MemberUpdated, meta: Meta, ledger: BoundLedger) -> None:
    _network, tenant = meta.home()
    ledger.name_member(message.member_id, tenant, message.name, message.siret)
    ledger.set_category(message.member_id, message.category)


def on_member_suspended(message: gw.MemberSuspended, meta: Meta, ledger: BoundLedger) -> None:
    # Frozen for itself now: reopening its tenant later leaves it frozen.
    ledger.forget_tenant_freeze(message.member_id)
    ledger.set_status(message.member_id, AccountStatus.FROZEN)


def on_member_reinstated(message: gw.MemberReinstated, meta: Meta, ledger: BoundLedger) -> None:
    account = ledger.get_account(message.member_id)
    if account is not None and account.tenant and ledger.tenant_closed(account.tenant):
        # Reinstated in a closed tenant: frozen by the closing until the tenant reopens.
        ledger.freeze_for_tenant(account.id, account.tenant)
        return
    ledger.set_status(message.member_id, AccountStatus.ACTIVE)


def on_member_left(message: gw.MemberLeft, meta: Meta, ledger: BoundLedger) -> None:
    ledger.forget_tenant_freeze(message.member_id)
    ledger.set_status(message.member_id, AccountStatus.CLOSED)
