"""The platform's bus topology, declared once: who consumes which messages.

Every process declares the whole topology at start (``chassis.topology.declare``), so a message
published before its consumer first started is queued, on RabbitMQ and on the embedded
``filesystem://`` transport alike; ``deploy/`` exports it for RabbitMQ. Each service's
``app.py`` handles exactly the messages listed here for it (a contract test checks it).
"""

from __future__ import annotations

from chassis.messages import MessageType, message_type
from chassis.topology import Topology, build_topology, command_queue_name, event_queue_name
from contracts import gateway as gw
from contracts import invoices as inv
from contracts import ledger as lg
from contracts import listings as ls

SUBSCRIPTIONS: dict[str, tuple[type, ...]] = {
    "ledger": (
        lg.OpenAccount,
        lg.Transfer,
        lg.HoldTransfer,
        lg.PostTransfer,
        lg.VoidTransfer,
        gw.NetworkCreated,
        gw.NetworkUpdated,
        gw.MemberAdmitted,
        gw.MemberUpdated,
        gw.MemberSuspended,
        gw.MemberReinstated,
        gw.MemberLeft,
        lg.StartFederatedTransfer,
        lg.AdvanceFederatedTransfer,
        gw.FederationLinkCreated,
        gw.FederationLinkUpdated,
    ),
    "listings": (
        gw.NetworkCreated,
        gw.NetworkUpdated,
        gw.TenantCreated,
        gw.TenantUpdated,
        gw.MemberAdmitted,
        gw.MemberUpdated,
        gw.MemberSuspended,
        gw.MemberReinstated,
        gw.MemberLeft,
        lg.AccountOpened,
        lg.TransferPosted,
        gw.FederationLinkCreated,
        gw.FederationLinkUpdated,
    ),
    "invoices": (
        gw.NetworkCreated,
        gw.NetworkUpdated,
        gw.TenantCreated,
        gw.TenantUpdated,
        gw.MemberAdmitted,
        gw.MemberUpdated,
        gw.MemberSuspended,
        gw.MemberReinstated,
        gw.MemberLeft,
        lg.AccountOpened,
        lg.CreditLimitChanged,
        lg.TransferHeld,
        lg.TransferPosted,
        lg.TransferVoided,
        lg.TransferRefused,
        gw.FederationLinkCreated,
        gw.FederationLinkUpdated,
        lg.FederatedTransferCompleted,
    ),
    "notifications": (
        gw.PasswordResetRequested,
        gw.UserInvited,
        gw.UserChanged,
        gw.NetworkCreated,
        gw.NetworkUpdated,
        gw.MemberAdmitted,
        gw.MemberUpdated,
        gw.MemberSuspended,
        gw.MemberReinstated,
        gw.MemberLeft,
        inv.InvoiceIssued,
        inv.InvoiceAccepted,
        inv.InvoiceAwaitingValidation,
        inv.InvoiceValidated,
        inv.InvoiceSettled,
        inv.InvoiceRejected,
        inv.InvoiceDisputed,
        inv.InvoiceExpired,
        inv.InvoiceCancelled,
        inv.CreditNoteIssued,
        inv.PaymentRequested,
        inv.PaymentDeclined,
        inv.PaymentAwaitingValidation,
        inv.PaymentHoldRefused,
        inv.PaymentSettled,
        inv.PaymentRejected,
        inv.MembershipFeeCharged,
        inv.MembershipFeePaid,
        inv.MembershipFeeOverdue,
        ls.ListingPublished,
        ls.ListingArchived,
        ls.ContactRequested,
        ls.ContactReplied,
        ls.MatchFound,
        lg.AccountOpened,
        lg.CreditLimitChanged,
        lg.CreditLineDue,
        lg.TransferPosted,
        lg.TransferHeld,
        lg.TransferVoided,
        lg.TransferRefused,
        lg.FederatedTransferCompleted,
    ),
}


def subscriptions_of(service: str) -> tuple[MessageType, ...]:
    return tuple(message_type(cls) for cls in SUBSCRIPTIONS.get(service, ()))


def platform_topology(max_retries: int = 5) -> Topology:
    """Exchanges of every contract, and one queue per consumer and producer exchange."""
    return build_topology(
        {service: subscriptions_of(service) for service in SUBSCRIPTIONS},
        max_retries=max_retries,
    )


def queues_of(service: str) -> list[str]:
    """The queues ``service``'s worker consumes: one per producer's events, one for its commands."""
    return sorted(
        {
            event_queue_name(service, m.owner) if m.kind == "event" else command_queue_name(service)
            for m in subscriptions_of(service)
        }
    )
