"""The ledger's rules: accounts, transfers and the errors that refuse them.

Standard library only. Amounts are integer cents of the network's unit. The same rules run in
Python (the SQLite store) and in the PostgreSQL functions of ``sql/ledger.sql`` (one round trip
under the row locks); ``tests/integration/ledger/test_store.py`` holds both to one behaviour,
and ``test_properties.py`` both to a simple model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

#: Credit-line dates are calendar days of the networks' time zone: a day starts at 00:00 there.
PARIS = ZoneInfo("Europe/Paris")


class AccountStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    CLOSED = "closed"


class TransferStatus(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    VOIDED = "voided"
    REFUSED = "refused"


class TransferKind(StrEnum):
    DIRECT = "direct"
    HOLD = "hold"
    REVERSAL = "reversal"
    FEE = "fee"
    CORRECTION = "correction"


def format_amount(cents: int) -> str:
    """Cents as the decimal text the API and the events use (``-1250.05``)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


# --- errors ------------------------------------------------------------------------------------


class LedgerError(Exception):
    """Base of the ledger's refusals; ``code`` is stable and public."""

    code = "ledger_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransferRefused(LedgerError):
    """A transfer or hold that would break a rule; recorded as refused, nothing moves."""

    code = "transfer_refused"


class InsufficientCredit(TransferRefused):
    code = "insufficient_credit"


class AccountFrozen(TransferRefused):
    code = "account_frozen"


class AccountClosed(TransferRefused):
    code = "account_closed"


class UnknownAccount(TransferRefused):
    code = "unknown_account"


class CrossNetwork(TransferRefused):
    code = "cross_network"


class SameAccount(TransferRefused):
    code = "same_account"


class MaxBalanceExceeded(TransferRefused):
    code = "max_balance_exceeded"


class InvalidReversal(TransferRefused):
    code = "invalid_reversal"


class NonPositiveAmount(LedgerError):
    code = "non_positive_amount"


class IdempotencyConflict(LedgerError):
    """The same transfer id was used before with different content."""

    code = "idempotency_conflict"


class TransferNotFound(LedgerError):
    code = "transfer_not_found"


class AccountNotFound(LedgerError):
    code = "account_not_found"


class NetworkNotFound(LedgerError):
    code = "network_not_found"


class InvalidTransferState(LedgerError):
    """Post or void of a transfer that is not pending (e.g. voiding a posted one)."""

    code = "invalid_transfer_state"


class HoldExpired(InvalidTransferState):
    code = "hold_expired"


class CreditLimitTooLow(LedgerError):
    """Lowering a credit limit below what the account already uses."""

    code = "credit_limit_too_low"


class InvalidCreditLineDates(LedgerError):
    """An expiry or review date in the past, or a review after the expiry."""

    code = "invalid_credit_line_dates"


class MaxBalanceTooLow(LedgerError):
    """A maximum balance below what the account already holds (with its pending credits)."""

    code = "max_balance_too_low"


class SameApprover(LedgerError):
    """Four eyes: the staff user who made a manual transfer cannot approve or reject it."""

    code = "same_approver"


class AwaitingApproval(InvalidTransferState):
    """A transfer held for four eyes is posted or voided only by ``approve`` / ``reject``."""

    code = "awaiting_approval"


class ApprovalNotRequired(LedgerError):
    """Approving or rejecting a transfer that was never held for approval."""

    code = "approval_not_required"


class MemberBusy(LedgerError):
    """A member's account cannot move to another tenant while a hold on it is pending."""

    code = "member_busy"


class TenantClosed(LedgerError):
    """The tenant is closed: its accounts are frozen and no account moves into it."""

    code = "tenant_closed"


REFUSALS: dict[str, type[TransferRefused]] = {
    cls.code: cls
    for cls in (
        InsufficientCredit,
        AccountFrozen,
        AccountClosed,
        UnknownAccount,
        CrossNetwork,
        SameAccount,
        MaxBalanceExceeded,
        InvalidReversal,
    )
}


# --- values ------------------------------------------------------------------------------------


def local_date(now: datetime) -> date:
    """The calendar day ``now`` falls on in the networks' time zone (Europe/Paris)."""
    return now.astimezone(PARIS).date()


@dataclass(frozen=True, slots=True)
class MemberCategory:
    """A category of members of a network: the limit (and maximum balance) its members get."""

    slug: str
    name: str
    default_credit_limit: int
    max_balance: int | None = None


@dataclass(frozen=True, slots=True)
class Network:
    """The ledger's copy of a network's settings (from the gateway's events)."""

    slug: str
    unit_code: str
    default_credit_limit: int
    hold_expiry_days: int
    name: str = ""
    unit_name: str = ""
    unit_symbol: str = ""
    member_categories: tuple[MemberCategory, ...] = ()
    #: Manual transfers above this amount (cents) wait for a second animator; None: never.
    manual_transfer_approval_threshold: int | None = None

    def hold_expiry(self, now: datetime) -> datetime:
        return now + timedelta(days=self.hold_expiry_days)

    def category(self, slug: str | None) -> MemberCategory | None:
        """The category named ``slug`` (None: unknown to the network, or no category)."""
        return next((c for c in self.member_categories if c.slug == slug), None)

    def default_credit_limit_for(self, category: str | None) -> int:
        """A member's standing limit: its category's default, else the network's."""
        found = self.category(category)
        return found.default_credit_limit if found else self.default_credit_limit

    def max_balance_for(self, category: str | None) -> int | None:
        found = self.category(category)
        return found.max_balance if found else None

    def needs_approval(self, amount: int) -> bool:
        """Whether a manual transfer of ``amount`` needs a second animator (four eyes)."""
        threshold = self.manual_transfer_approval_threshold
        return threshold is not None and amount > threshold


FEES_NAMESPACE = uuid5(NAMESPACE_URL, "https://trocactif.org/ledger/fees")


#: How the invoices service names a membership fee's transfer (``Cotisation 2026``), which also
#: goes to the fee account with kind ``fee``: the commissions' report leaves these out.
MEMBERSHIP_FEE_REFERENCE = "Cotisation "


def fees_account_id(network: str) -> UUID:
    """The deterministic id of a network's fee account."""
    return uuid5(FEES_NAMESPACE, network)


@dataclass(frozen=True, slots=True)
class Account:
    id: UUID
    network: str
    tenant: str | None
    kind: str = "member"
    balance: int = 0
    pending_debits: int = 0
    pending_credits: int = 0
    credit_limit: int = 0
    max_balance: int | None = None
    status: AccountStatus = AccountStatus.ACTIVE
    category: str | None = None
    #: A temporary limit ends when this day starts (00:00 Europe/Paris); None: it stands.
    credit_limit_expires_on: date | None = None
    credit_limit_review_on: date | None = None
    #: How far below its limit the account was left when an expiry lowered it: tolerated by
    #: the database's credit check, never spendable (``available`` ignores it).
    credit_shortfall: int = 0

    @property
    def available(self) -> int:
        """What the account can still spend: balance - pending debits + credit limit."""
        return self.balance - self.pending_debits + self.credit_limit

    def ensure_can_move(self) -> None:
        if self.status is AccountStatus.FROZEN:
            raise AccountFrozen(f"account {self.id} is frozen")
        if self.status is AccountStatus.CLOSED:
            raise AccountClosed(f"account {self.id} is closed")

    def ensure_sufficient_credit(self, amount: int) -> None:
        if self.available < amount:
            raise InsufficientCredit(
                f"available credit {format_amount(self.available)} is below the amount "
                f"{format_amount(amount)}"
            )

    def ensure_under_max_balance(self, amount: int) -> None:
        if self.max_balance is not None and (
            self.balance + self.pending_credits + amount > self.max_balance
        ):
            raise MaxBalanceExceeded(f"account {self.id} would exceed its maximum balance")

    def ensure_limit_allows(self, credit_limit: int) -> None:
        if credit_limit < 0:
            raise CreditLimitTooLow("a credit limit cannot be negative")
        if self.balance - self.pending_debits < -credit_limit:
            raise CreditLimitTooLow(
                f"the account already uses {format_amount(self.pending_debits - self.balance)} "
                "of credit"
            )

    def ensure_max_balance_allows(self, max_balance: int | None) -> None:
        if max_balance is None:
            return
        if max_balance < 0:
            raise MaxBalanceTooLow("a maximum balance cannot be negative")
        if self.balance + self.pending_credits > max_balance:
            raise MaxBalanceTooLow(
                f"the account already holds {format_amount(self.balance + self.pending_credits)}"
                " with its pending credits"
            )

    def credit_limit_expired(self, today: date) -> bool:
        """Whether a temporary limit has ended by ``today`` (a Paris calendar day)."""
        return self.credit_limit_expires_on is not None and self.credit_limit_expires_on <= today

    def shortfall_under(self, credit_limit: int) -> int:
        """How far below ``credit_limit`` the account stands (0: within it)."""
        return max(0, -(self.balance - self.pending_debits + credit_limit))

    # state changes return new values: the store decides when they are written
    def debited(self, amount: int) -> Account:
        return replace(self, balance=self.balance - amount)

    def credited(self, amount: int) -> Account:
        return replace(self, balance=self.balance + amount)

    def reserved_debit(self, amount: int) -> Account:
        return replace(self, pending_debits=self.pending_debits + amount)

    def reserved_credit(self, amount: int) -> Account:
        return replace(self, pending_credits=self.pending_credits + amount)


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """What a caller asks for; ``id`` is chosen by the caller (the idempotency key)."""

    id: UUID
    network: str  # "" in a request: the payer account's network
    payer: UUID
    payee: UUID
    amount: int
    kind: TransferKind = TransferKind.DIRECT
    reference: str = ""
    hold: bool = False
    expires_at: datetime | None = None
    reverses: UUID | None = None
    tenant: str | None = None  # the requester's tenant: where a refusal is logged
    #: When set, the payer must belong to this tenant, or the account is unknown to the caller.
    payer_tenant: str | None = None

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise NonPositiveAmount("amount must be a positive number of cents")

    @property
    def fingerprint(self) -> str:
        """Digest of the content: the same id with another content is a conflict."""
        raw = "|".join(
            (
                "hold" if self.hold else "post",
                str(self.payer),
                str(self.payee),
                str(self.amount),
                self.kind.value,
                self.reference,
                str(self.reverses or ""),
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """A transfer as stored: immutable once posted, voided or refused."""

    id: UUID
    network: str
    payer: UUID
    payee: UUID
    amount: int
    kind: TransferKind
    status: TransferStatus
    reference: str
    created_at: datetime
    posted_at: datetime | None = None
    voided_at: datetime | None = None
    expires_at: datetime | None = None
    reverses: UUID | None = None
    refusal_code: str | None = None
    refusal_reason: str | None = None
    void_reason: str | None = None
    payer_tenant: str | None = None
    payee_tenant: str | None = None
    fingerprint: str = ""
    #: The user who made a manual transfer (the token's subject); None: the platform (system).
    initiated_by: str | None = None
    #: A manual transfer above the network's threshold, held until another animator decides.
    approval_required: bool = False
    approved_by: str | None = None
    rejected_by: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """Result of a command on a transfer: the record, and whether this call created it."""

    transfer: TransferRecord
    replayed: bool = False
    #: A post found the hold expired: it was voided instead (committed like any other outcome).
    expired: bool = False

    @property
    def refused(self) -> bool:
        return self.transfer.status is TransferStatus.REFUSED

    def raise_if_refused(self) -> None:
        if self.refused:
            code = self.transfer.refusal_code or "transfer_refused"
            raise REFUSALS.get(code, TransferRefused)(self.transfer.refusal_reason or code)


def check_transfer(request: TransferRequest, payer: Account | None, payee: Account | None) -> None:
    """Raise the refusal a transfer or hold deserves, or nothing if it may proceed."""
    if request.payer == request.payee:
        raise SameAccount("payer and payee are the same account")
    if payer is None:
        raise UnknownAccount(f"unknown payer account {request.payer}")
    if payee is None:
        raise UnknownAccount(f"unknown payee account {request.payee}")
    if payer.network != request.network or payee.network != request.network:
        raise CrossNetwork("payer and payee must belong to the transfer's network")
    payer.ensure_can_move()
    payee.ensure_can_move()
    payer.ensure_sufficient_credit(request.amount)
    payee.ensure_under_max_balance(request.amount)


def check_reversal(request: TransferRequest, original: TransferRecord | None) -> None:
    """A reversal mirrors one posted transfer exactly, once."""
    if original is None:
        raise InvalidReversal(f"transfer {request.reverses} does not exist")
    if original.status is not TransferStatus.POSTED:
        raise InvalidReversal("only a posted transfer can be reversed")
    if original.network != request.network:
        raise CrossNetwork("a reversal stays in its network")
    if (original.payer, original.payee, original.amount) != (
        request.payee,
        request.payer,
        request.amount,
    ):
        raise InvalidReversal("a reversal moves the same amount back between the same accounts")


def ensure_postable(transfer: TransferRecord, now: datetime) -> None:
    if transfer.status is not TransferStatus.PENDING:
        raise InvalidTransferState(f"transfer {transfer.id} is {transfer.status.value}")
    if transfer.expires_at is not None and transfer.expires_at <= now:
        raise HoldExpired(f"the hold {transfer.id} expired at {transfer.expires_at.isoformat()}")


def ensure_voidable(transfer: TransferRecord) -> None:
    if transfer.status is not TransferStatus.PENDING:
        raise InvalidTransferState(f"transfer {transfer.id} is {transfer.status.value}")


# --- credit lines: dates, expiry, reviews ---------------------------------------------------------


def ensure_credit_line_dates(expires_on: date | None, review_on: date | None, today: date) -> None:
    """An expiry is a day still to start; a review is today or later, and not after the expiry."""
    if expires_on is not None and expires_on <= today:
        raise InvalidCreditLineDates(
            f"expires_on must be after today ({today.isoformat()}): the limit ends when that day "
            "starts"
        )
    if review_on is not None and review_on < today:
        raise InvalidCreditLineDates(f"review_on must be today ({today.isoformat()}) or later")
    if expires_on is not None and review_on is not None and review_on > expires_on:
        raise InvalidCreditLineDates("review_on must not be after expires_on")


@dataclass(frozen=True, slots=True)
class LimitExpiry:
    """What an expiry does to an account: its new standing limit, and what it is left short of."""

    old_credit_limit: int
    credit_limit: int
    shortfall: int

    @property
    def over_limit(self) -> bool:
        return self.shortfall > 0


def expiry_of(account: Account, network: Network) -> LimitExpiry:
    """The limit comes back to the category's default (else the network's), whatever the balance:
    an account left below it is not refused but may not spend until it recovers."""
    standing = network.default_credit_limit_for(account.category)
    return LimitExpiry(account.credit_limit, standing, account.shortfall_under(standing))


#: How far ahead animators see the credit lines due for review or expiry.
REVIEW_HORIZON_DAYS = 30


@dataclass(frozen=True, slots=True)
class CreditLineDue:
    """A credit line due for review or expiry within the horizon (a past review stays due)."""

    account: Account
    kind: str  # "review" or "expiry"
    due_on: date
    #: The limit the account gets back at expiry.
    standing_credit_limit: int


def credit_lines_due(
    accounts: Iterable[Account],
    network: Network | None,
    today: date,
    days: int = REVIEW_HORIZON_DAYS,
) -> list[CreditLineDue]:
    """Reviews and expiries due by ``today + days``, soonest first."""
    horizon = today + timedelta(days=days)
    due: list[CreditLineDue] = []
    for account in accounts:
        standing = (
            network.default_credit_limit_for(account.category) if network else account.credit_limit
        )
        for kind, on in (
            ("review", account.credit_limit_review_on),
            ("expiry", account.credit_limit_expires_on),
        ):
            if on is not None and on <= horizon:
                due.append(CreditLineDue(account, kind, on, standing))
    return sorted(due, key=lambda d: (d.due_on, d.kind, str(d.account.id)))


def check_decision(transfer: TransferRecord, decider: str, *, approve: bool) -> bool:
    """Whether a second animator's approval (or rejection) still has to be applied.

    False: the same decision was already taken (a replay answers the transfer as it is). Raises
    when the transfer was never held for approval, when the decider made the transfer (four
    eyes), or when the opposite decision was taken (or the hold expired).
    """
    if not transfer.approval_required:
        raise ApprovalNotRequired(f"transfer {transfer.id} does not wait for an approval")
    if transfer.initiated_by is not None and transfer.initiated_by == decider:
        raise SameApprover("the animator who made a transfer cannot approve or reject it")
    done = TransferStatus.POSTED if approve else TransferStatus.VOIDED
    if transfer.status is done:
        return False
    if transfer.status is not TransferStatus.PENDING:
        raise InvalidTransferState(f"transfer {transfer.id} is {transfer.status.value}")
    return True


def ensure_movable(account: Account) -> None:
    """An account changes tenant only with no hold pending on it (invoices in flight settle
    in the tenant where they were accepted)."""
    if account.pending_debits or account.pending_credits:
        raise MemberBusy(
            f"account {account.id} has pending holds; settle or void them before the move"
        )


# --- reads of a tenant's history ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreditLimitChange:
    """One credit limit an account had: ``old_credit_limit`` None is the account's opening."""

    account_id: UUID
    old_credit_limit: int | None
    credit_limit: int
    changed_by: str | None
    changed_by_role: str | None
    reason: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class MonthActivity:
    """What a tenant's members traded in one calendar month (UTC), ``month`` as ``YYYY-MM``.

    ``volume`` is the sum of the posted trades touching the tenant, less their reversals;
    ``transfers`` counts the trades; ``active_members`` the tenant's members in at least one.
    """

    month: str
    volume: int = 0
    transfers: int = 0
    active_members: int = 0


@dataclass(frozen=True, slots=True)
class TenantActivity:
    tenant: str
    months: tuple[MonthActivity, ...]
    #: Member accounts not closed, and those of them below zero.
    members: int
    members_in_debit: int
    #: The sum of the negative balances, as a positive amount: the credit in use.
    outstanding_credit: int
    credit_limits: int


def first_month(now: datetime, months: int) -> datetime:
    """Midnight UTC on the first day of the month ``months - 1`` months before ``now``'s."""
    index = now.year * 12 + now.month - 1 - (months - 1)
    return now.replace(
        year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def month_keys(now: datetime, months: int) -> list[str]:
    """The ``YYYY-MM`` of the last ``months`` months, oldest first, ``now``'s month last."""
    start = now.year * 12 + now.month - 1 - (months - 1)
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(start, start + months)]
