"""Events published by the invoices service on ``invoices.events``: the billing saga's facts.

Money facts stay the ledger's (``transfer_held``, ``transfer_posted``...): these events say what
became of an invoice. Each is published once per tenant concerned, the seller's and, for a
cross-tenant trade, the buyer's (the envelope's ``tenant``, and the routing key), so that each
association's integrators and notifications learn about it; the network and the tenant travel in
the envelope only. Amounts are decimal strings in euros; ``unit_part`` is in the network's unit
(``unit``), 1 unit = 1 EUR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from chassis.messages import event


@event("invoices", "invoice_issued")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceIssued:
    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    issue_date: date
    payment_mode: int
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal
    unit_part: Decimal
    euro_part: Decimal
    unit: str
    acceptance_required: bool = True


@event("invoices", "invoice_accepted")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceAccepted:
    """The buyer accepted (or the network needs no acceptance): the hold is asked for."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    transfer_id: UUID
    unit_part: Decimal
    unit: str


@event("invoices", "invoice_hold_refused")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceHoldRefused:
    """The ledger refused the hold (e.g. ``insufficient_credit``): back to the seller."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    transfer_id: UUID
    code: str
    reason: str


@event("invoices", "invoice_awaiting_validation")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceAwaitingValidation:
    """The hold is placed: the seller's animators can validate until ``expires_at``."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    transfer_id: UUID
    unit_part: Decimal
    unit: str
    expires_at: datetime | None = None


@event("invoices", "invoice_validated")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceValidated:
    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    transfer_id: UUID


@event("invoices", "invoice_settled")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceSettled:
    """The ledger posted the unit part: the buyer paid the seller."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    transfer_id: UUID
    unit_part: Decimal
    euro_part: Decimal
    unit: str
    settled_at: datetime


@event("invoices", "invoice_disputed")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceDisputed:
    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    reason: str


@event("invoices", "invoice_rejected")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceRejected:
    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    reason: str


@event("invoices", "invoice_expired")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceExpired:
    """The hold was not validated in time (the network's hold expiry): it is voided."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    transfer_id: UUID


@event("invoices", "invoice_cancelled")
@dataclass(frozen=True, kw_only=True, slots=True)
class InvoiceCancelled:
    """An issued invoice cancelled by its credit note (drafts are cancelled silently)."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    reason: str
    credit_note_id: UUID


@event("invoices", "credit_note_issued")
@dataclass(frozen=True, kw_only=True, slots=True)
class CreditNoteIssued:
    """A credit note (avoir); ``reversal_transfer_id`` is set when the invoice was settled."""

    credit_note_id: UUID
    number: str
    invoice_id: UUID
    invoice_number: str
    seller_member_id: UUID
    buyer_member_id: UUID
    issue_date: date
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal
    unit_part: Decimal
    unit: str
    reversal_transfer_id: UUID | None = None


@event("invoices", "commission_recorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommissionRecorded:
    """The network's commission on a settled invoice, paid by the seller: in the unit (a ledger
    ``fee`` transfer to the network's fee account, ``transfer_id``) or in euros (billed by the
    operator from the monthly export)."""

    invoice_id: UUID
    number: str
    seller_member_id: UUID
    base: Decimal
    rate: Decimal
    amount: Decimal
    charged_in: Literal["unit", "euro"]
    transfer_id: UUID | None = None


# --- payments without an invoice -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentFacts:
    """A payment without an invoice: a ``request`` by the payee (the seller), or a ``direct``
    payment by the payer. It goes through the same hold and validation as an invoice; the
    payee's tenant validates. Published once per tenant concerned (between two linked networks,
    each side's copy in its own network's log).

    ``amount`` is in the ``unit`` of the member who wrote it (the payee's for a request, the
    payer's for a direct payment). Between two linked networks ``converted_amount`` is the other
    side's, in ``converted_unit``, at ``exchange_rate`` (``converted_unit`` for one ``unit``)
    frozen at creation; ``transfer_id`` is then the ledger's saga."""

    payment_id: UUID
    kind: Literal["request", "direct"]
    payer_member_id: UUID
    payee_member_id: UUID
    amount: Decimal
    unit: str
    description: str
    transfer_id: UUID | None = None
    converted_amount: Decimal | None = None
    converted_unit: str | None = None
    exchange_rate: Decimal | None = None


@event("invoices", "payment_requested")
@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentRequested(PaymentFacts):
    """The payee asks the payer to pay: the payer accepts or declines."""


@event("invoices", "payment_declined")
@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentDeclined(PaymentFacts):
    """The payer declined a payment request."""


@event("invoices", "payment_awaiting_validation")
@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentAwaitingValidation(PaymentFacts):
    """The payer's amount is held: the payee's animators validate or reject."""


@event("invoices", "payment_hold_refused")
@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentHoldRefused(PaymentFacts):
    """The ledger refused the hold (``code``, e.g. ``insufficient_credit``): nothing moved."""

    code: str = ""
    reason: str = ""


@event("invoices", "payment_settled")
@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentSettled(PaymentFacts):
    """The ledger posted the payment: the amount moved from the payer to the payee."""


@event("invoices", "payment_rejected")
@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentRejected(PaymentFacts):
    """The animators rejected the payment (or its hold expired): the hold is voided."""

    reason: str = ""


# --- membership fees -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class MembershipFeeFacts:
    """A member's membership fee of one period (``period``: the year), charged once."""

    fee_id: UUID
    member_id: UUID
    period: str
    amount: Decimal
    charged_in: Literal["unit", "euro"]
    unit: str
    due_on: date
    transfer_id: UUID | None = None


@event("invoices", "membership_fee_charged")
@dataclass(frozen=True, kw_only=True, slots=True)
class MembershipFeeCharged(MembershipFeeFacts):
    """The fee fell due: a transfer to the network's fee account (unit), or a fee the member
    pays the association outside the platform (euros)."""


@event("invoices", "membership_fee_paid")
@dataclass(frozen=True, kw_only=True, slots=True)
class MembershipFeePaid(MembershipFeeFacts):
    """An animator recorded the payment of a fee in euros."""


@event("invoices", "membership_fee_overdue")
@dataclass(frozen=True, kw_only=True, slots=True)
class MembershipFeeOverdue(MembershipFeeFacts):
    """A fee in euros is still unpaid after the network's grace period (told once)."""
