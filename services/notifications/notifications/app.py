"""The notifications' table of contents: which handler answers which message.

Every event listed here is also offered to the tenant's webhooks (``WEBHOOK_EVENT_TYPES``), except
the gateway's directory and network events, which stay inside the platform (the directory's carry
personal data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chassis.messages import message_type
from contracts import gateway as gw
from contracts import invoices as inv
from contracts import ledger as lg
from contracts import listings as ls
from notifications import handlers

Handler = Callable[[Any, handlers.Meta, handlers.Context], object]

EVENT_HANDLERS: dict[type, Handler] = {
    gw.PasswordResetRequested: handlers.on_password_reset_requested,
    gw.UserInvited: handlers.on_user_invited,
    gw.UserChanged: handlers.on_user_changed,
    gw.NetworkCreated: handlers.on_network_changed,
    gw.NetworkUpdated: handlers.on_network_changed,
    gw.MemberAdmitted: handlers.on_member_admitted,
    gw.MemberUpdated: handlers.on_member_updated,
    gw.MemberSuspended: handlers.on_member_suspended,
    gw.MemberReinstated: handlers.on_member_reinstated,
    gw.MemberLeft: handlers.on_member_left,
    inv.InvoiceIssued: handlers.on_invoice_issued,
    inv.InvoiceAccepted: handlers.ignore,
    inv.InvoiceAwaitingValidation: handlers.on_invoice_awaiting_validation,
    inv.InvoiceValidated: handlers.on_invoice_closed,
    inv.InvoiceSettled: handlers.on_invoice_settled,
    inv.InvoiceRejected: handlers.on_invoice_rejected,
    inv.InvoiceDisputed: handlers.on_invoice_disputed,
    inv.InvoiceExpired: handlers.on_invoice_closed,
    inv.InvoiceCancelled: handlers.on_invoice_closed,
    inv.CreditNoteIssued: handlers.ignore,
    inv.PaymentRequested: handlers.on_payment_requested,
    inv.PaymentDeclined: handlers.on_payment_not_made,
    inv.PaymentAwaitingValidation: handlers.on_payment_awaiting_validation,
    inv.PaymentHoldRefused: handlers.on_payment_not_made,
    inv.PaymentSettled: handlers.on_payment_settled,
    inv.PaymentRejected: handlers.on_payment_not_made,
    inv.MembershipFeeCharged: handlers.on_membership_fee_charged,
    inv.MembershipFeePaid: handlers.ignore,
    inv.MembershipFeeOverdue: handlers.on_membership_fee_overdue,
    ls.ListingPublished: handlers.ignore,
    ls.ListingArchived: handlers.ignore,
    ls.ContactRequested: handlers.on_contact_requested,
    ls.ContactReplied: handlers.on_contact_replied,
    ls.MatchFound: handlers.on_match_found,
    lg.AccountOpened: handlers.on_account_opened,
    lg.CreditLimitChanged: handlers.on_credit_limit_changed,
    lg.CreditLineDue: handlers.on_credit_line_due,
    lg.TransferPosted: handlers.on_transfer_posted,
    lg.TransferHeld: handlers.ignore,
    lg.TransferVoided: handlers.ignore,
    lg.TransferRefused: handlers.ignore,
    lg.FederatedTransferCompleted: handlers.ignore,
}

HANDLERS: dict[type, Handler] = dict(EVENT_HANDLERS)

#: CloudEvents types a webhook may subscribe to.
WEBHOOK_EVENT_TYPES: tuple[str, ...] = tuple(
    sorted(message_type(cls).type for cls in EVENT_HANDLERS if message_type(cls).owner != "gateway")
)
