"""Membership fees: when a member's yearly fee falls due, and its record.

Standard library only. A network's ``membership_fee`` is due once per member and period (the
calendar year): on each anniversary of the member's admission (``due: admission``), or on a
fixed date ``MM-DD`` (a member admitted after that date that year pays at admission). Its
idempotency key is ``fee:<member>:<year>`` (``ids.membership_fee_key``): the record and the
ledger transfer are named by it, so charging again after a crash, a restart or a replay finds
the first charge and moves nothing twice.

Charged in the unit, the fee is a ledger transfer of kind ``fee`` to the network's fee account,
drawing on the member's credit (its balance may go below zero, down to its credit limit); its
record goes ``pending -> charged``, or ``refused`` when the ledger refuses it (no credit left, a
frozen account: the ledger's invariant holds), which the animators are told of. In euros it is a
record the association collects outside the platform, ``due -> paid``; still ``due``
``grace_days`` after it fell due, the animators are told once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from invoices.domain import ids
from invoices.domain.errors import InvalidTransition


@dataclass(frozen=True, slots=True)
class FeeTerms:
    """A network's membership fee (amount in cents)."""

    amount: int
    charged_in: str  # "unit" | "euro"
    due: str = "admission"  # "admission" | "MM-DD"
    grace_days: int = 30


def _on(year: int, month: int, day: int) -> date:
    """That day of ``year``; the 29th of February of a common year is the 28th."""
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


def due_on(terms: FeeTerms, year: int, admitted_on: date) -> date | None:
    """When the fee of ``year`` falls due for a member admitted on ``admitted_on`` (None: that
    member owes nothing for that year, being admitted later)."""
    if year < admitted_on.year:
        return None
    if terms.due == "admission":
        return _on(year, admitted_on.month, admitted_on.day)
    month, day = (int(part) for part in terms.due.split("-"))
    return max(_on(year, month, day), admitted_on)


def period_due(terms: FeeTerms, admitted_on: date, today: date) -> tuple[str, date] | None:
    """The period (``"2026"``) whose fee is due by ``today``, and its due date, if any."""
    due = due_on(terms, today.year, admitted_on)
    if due is None or due > today:
        return None
    return str(today.year), due


class FeeStatus:
    PENDING = "pending"  # in the unit: the transfer is asked of the ledger
    CHARGED = "charged"  # in the unit: posted
    REFUSED = "refused"  # in the unit: the ledger refused it (frozen or closed account)
    DUE = "due"  # in euros: to collect
    PAID = "paid"  # in euros: collected


@dataclass
class MembershipFee:
    """One member's fee of one period."""

    id: UUID
    network: str
    tenant: str
    member_id: UUID
    member_name: str
    period: str
    amount: int
    charged_in: str
    unit_code: str
    due_on: date
    status: str
    created_at: datetime
    transfer_id: UUID | None = None
    refusal_reason: str = ""
    paid_on: date | None = None
    paid_by: str | None = None
    overdue_notified_at: datetime | None = None

    @classmethod
    def charge(
        cls,
        *,
        network: str,
        tenant: str,
        member_id: UUID,
        member_name: str,
        period: str,
        due: date,
        terms: FeeTerms,
        unit_code: str,
        now: datetime,
    ) -> MembershipFee:
        fee_id = ids.membership_fee_id(member_id, period)
        in_unit = terms.charged_in == "unit"
        return cls(
            id=fee_id,
            network=network,
            tenant=tenant,
            member_id=member_id,
            member_name=member_name,
            period=period,
            amount=terms.amount,
            charged_in=terms.charged_in,
            unit_code=unit_code,
            due_on=due,
            status=FeeStatus.PENDING if in_unit else FeeStatus.DUE,
            created_at=now,
            transfer_id=fee_id if in_unit else None,
        )

    @property
    def key(self) -> str:
        return ids.membership_fee_key(self.member_id, self.period)

    @property
    def reference(self) -> str:
        return f"Cotisation {self.period}"

    def mark_paid(self, by: str, paid_on: date) -> bool:
        """Record the payment of a fee in euros; False if it was recorded already."""
        if self.charged_in != "euro":
            raise InvalidTransition("this fee is charged in the network's unit, not in euros")
        if self.status == FeeStatus.PAID:
            return False
        self.status = FeeStatus.PAID
        self.paid_on = paid_on
        self.paid_by = by
        return True

    def is_overdue(self, today: date, grace_days: int) -> bool:
        """Unpaid past the grace period and not reported yet."""
        return (
            self.status == FeeStatus.DUE
            and self.overdue_notified_at is None
            and today > self.due_on + timedelta(days=grace_days)
        )

    def on_transfer(self, status: str, reason: str = "") -> bool:
        if self.status != FeeStatus.PENDING:
            return False
        self.status = status
        self.refusal_reason = reason[:300]
        return True
