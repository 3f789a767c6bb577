"""Commands owned by the ledger and the money facts it alone publishes.

Commands go to ``ledger.commands``; every command that moves Actifs carries a caller-chosen
``transfer_id``: replaying it returns the first result and moves nothing twice. Events go to
``ledger.events`` with a gap-free per-tenant ``sequence`` in the envelope. A transfer between
members of two tenants is published once in each tenant's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from chassis.messages import command, event

AccountKind = Literal["member", "fees", "clearing"]
TransferKind = Literal["direct", "hold", "reversal", "fee", "correction"]

#: A network's clearing account for a partner network has the same id in every ledger and to
#: every reader (statements name it as a transfer's counterpart): ``clearing_account_id``.
CLEARING_NAMESPACE: Final = uuid5(NAMESPACE_URL, "https://trocactif.org/ledger/clearing")


def clearing_account_id(network: str, partner: str) -> UUID:
    """The id of ``network``'s clearing account for ``partner`` (slugs)."""
    return uuid5(CLEARING_NAMESPACE, f"{network}|{partner}")


# --- commands ----------------------------------------------------------------------------------


@command("ledger", "open_account")
@dataclass(frozen=True, kw_only=True, slots=True)
class OpenAccount:
    """Open a member's account in the envelope's network and tenant."""

    account_id: UUID  # the member id for member accounts
    credit_limit: Decimal | None = None  # None: the network's default


@command("ledger", "transfer")
@dataclass(frozen=True, kw_only=True, slots=True)
class Transfer:
    """Move ``amount`` from ``payer`` to ``payee`` at once (posted)."""

    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: Decimal
    reference: str = ""
    kind: TransferKind = "direct"
    #: For a ``reversal``: the posted transfer it pays back (same amount, opposite way).
    reverses: UUID | None = None


@command("ledger", "hold_transfer")
@dataclass(frozen=True, kw_only=True, slots=True)
class HoldTransfer:
    """Reserve ``amount`` of the payer's available credit (a pending transfer)."""

    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: Decimal
    reference: str = ""
    expires_at: datetime | None = None  # None: the network's hold expiry


@command("ledger", "post_transfer")
@dataclass(frozen=True, kw_only=True, slots=True)
class PostTransfer:
    transfer_id: UUID


@command("ledger", "void_transfer")
@dataclass(frozen=True, kw_only=True, slots=True)
class VoidTransfer:
    transfer_id: UUID
    reason: str = ""


@command("ledger", "start_federated_transfer")
@dataclass(frozen=True, kw_only=True, slots=True)
class StartFederatedTransfer:
    """Pay a member of a linked network: a saga of holds in both networks' books.

    ``amount`` is in the payer's unit; the payee receives it converted at the link's rate of the
    moment the saga starts. ``saga_id`` is the idempotency key: a replay starts nothing twice.
    """

    saga_id: UUID
    link_id: UUID
    payer_network: str
    payer: UUID
    payee: UUID
    amount: Decimal
    reference: str = ""
    #: The link's rate (units of its ``network_b`` for one unit of its ``network_a``) frozen
    #: earlier (a cross-network invoice freezes it at issue), and what the payee receives at
    #: that rate, in the payee's unit: both or neither. With them the saga moves exactly these
    #: two amounts (``converted_amount`` must be the conversion of ``amount`` at ``rate``, or
    #: ``amount`` the conversion back of ``converted_amount``, to the cent); without them it
    #: converts at the link's rate of the moment it starts.
    rate: Decimal | None = None
    converted_amount: Decimal | None = None
    #: Who asked (``invoices``, ``gateway``), for the saga's record and its completion event.
    requested_by: str | None = None


@command("ledger", "advance_federated_transfer")
@dataclass(frozen=True, kw_only=True, slots=True)
class AdvanceFederatedTransfer:
    """Run the next step of a cross-network saga (sent by the saga to itself, step after step)."""

    saga_id: UUID


# --- events ------------------------------------------------------------------------------------


@event("ledger", "account_opened")
@dataclass(frozen=True, kw_only=True, slots=True)
class AccountOpened:
    account_id: UUID
    unit: str
    kind: AccountKind
    credit_limit: Decimal


@event("ledger", "transfer_posted")
@dataclass(frozen=True, kw_only=True, slots=True)
class TransferPosted:
    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: Decimal
    unit: str
    kind: TransferKind
    reference: str
    posted_at: datetime
    payer_balance: Decimal | None = None  # balances right after posting, for read models
    payee_balance: Decimal | None = None
    reverses: UUID | None = None
    #: A side of a cross-network saga: the partner network its clearing account stands for.
    partner_network: str | None = None
    saga_id: UUID | None = None


@event("ledger", "transfer_held")
@dataclass(frozen=True, kw_only=True, slots=True)
class TransferHeld:
    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: Decimal
    unit: str
    reference: str
    expires_at: datetime
    #: A side of a cross-network saga: the partner network its clearing account stands for.
    partner_network: str | None = None
    saga_id: UUID | None = None


@event("ledger", "transfer_voided")
@dataclass(frozen=True, kw_only=True, slots=True)
class TransferVoided:
    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: Decimal
    unit: str
    reason: str
    #: A side of a cross-network saga: the partner network its clearing account stands for.
    partner_network: str | None = None
    saga_id: UUID | None = None


@event("ledger", "transfer_refused")
@dataclass(frozen=True, kw_only=True, slots=True)
class TransferRefused:
    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: Decimal
    unit: str
    code: str  # insufficient_credit, account_frozen, unknown_account, cross_network, ...
    reason: str
    #: A side of a cross-network saga: the partner network its clearing account stands for.
    partner_network: str | None = None
    saga_id: UUID | None = None


@event("ledger", "federated_transfer_completed")
@dataclass(frozen=True, kw_only=True, slots=True)
class FederatedTransferCompleted:
    """A cross-network saga ended: both sides posted, or nothing moved on either side.

    Published once in the payer's tenant log and once in the payee's (the envelope's network
    and tenant are each side's own); ``amount`` is in the payer's unit, ``converted_amount`` in
    the payee's, at the frozen ``rate``.
    """

    saga_id: UUID
    link_id: UUID
    payer_network: str
    payee_network: str
    payer: UUID
    payee: UUID
    amount: Decimal
    payer_unit: str
    converted_amount: Decimal
    payee_unit: str
    rate: Decimal
    reference: str
    outcome: Literal["posted", "voided", "refused"]
    code: str | None = None  # why it did not post: insufficient_credit, expired, ...
    reason: str | None = None
    requested_by: str | None = None
    completed_at: datetime | None = None


@event("ledger", "credit_limit_changed")
@dataclass(frozen=True, kw_only=True, slots=True)
class CreditLimitChanged:
    account_id: UUID
    unit: str
    old_credit_limit: Decimal
    credit_limit: Decimal
    #: ``expired``: a temporary limit ended and the default came back; else the staff's reason.
    reason: str = ""
    balance: Decimal | None = None
    #: The account is left below its new limit: it may receive but not spend until it recovers.
    over_limit: bool = False
    credit_limit_expires_on: date | None = None
    credit_limit_review_on: date | None = None


@event("ledger", "credit_line_due")
@dataclass(frozen=True, kw_only=True, slots=True)
class CreditLineDue:
    """A member's credit line has a review or an expiry entering the animators' horizon (30
    days): announced once per line and date, again only when the line's dates change."""

    member_id: UUID  # the member's tenant and network are the envelope's
    unit: str
    credit_limit: Decimal
    #: The date announced: the expiry when it is ``expires_on``, else the review.
    due_on: date
    #: Days from the announcement to ``due_on`` (negative: a review already past).
    days_left: int
    expires_on: date | None = None
    review_on: date | None = None
