"""The invoices' table of contents: the use cases of the HTTP API, the reactions to the bus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import gateway as gw
from contracts import ledger as lg
from invoices import handlers, payflows

Reaction = Callable[[Any, handlers.Meta, Any, Any], None]

#: What a seller, a buyer or an animator asks over HTTP (``invoices.api`` calls them).
USE_CASES: dict[str, Callable[..., Any]] = {
    "draft": handlers.create_draft,
    "issue": handlers.issue,
    "accept": handlers.accept,
    "dispute": handlers.dispute,
    "validate": handlers.validate,
    "bulk_validate": handlers.bulk_validate,
    "reject": handlers.reject,
    "cancel": handlers.cancel,
    "record_euro_payment": handlers.record_euro_payment,
    "create_payment": payflows.create_payment,
    "accept_payment": payflows.accept,
    "decline_payment": payflows.decline,
    "validate_payment": payflows.validate,
    "reject_payment": payflows.reject,
    "mark_fee_paid": payflows.mark_fee_paid,
}

#: What the worker does with each message of its queues (``contracts.topology``).
EVENT_HANDLERS: dict[type, Reaction] = {
    gw.NetworkCreated: handlers.on_network,
    gw.NetworkUpdated: handlers.on_network,
    gw.TenantCreated: handlers.on_tenant_created,
    gw.TenantUpdated: handlers.on_tenant_created,
    gw.MemberAdmitted: handlers.on_member,
    gw.MemberUpdated: handlers.on_member,
    gw.MemberSuspended: handlers.on_member_suspended,
    gw.MemberReinstated: handlers.on_member_reinstated,
    gw.MemberLeft: handlers.on_member_left,
    gw.FederationLinkCreated: handlers.on_link_changed,
    gw.FederationLinkUpdated: handlers.on_link_changed,
    lg.AccountOpened: handlers.on_account_limit,
    lg.CreditLimitChanged: handlers.on_account_limit,
    lg.TransferHeld: payflows.on_transfer_held,
    lg.TransferPosted: payflows.on_transfer_posted,
    lg.TransferVoided: payflows.on_transfer_voided,
    lg.TransferRefused: payflows.on_transfer_refused,
    lg.FederatedTransferCompleted: payflows.on_federated_transfer_completed,
}
