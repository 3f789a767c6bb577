"""The web pages name the webhook events by their CloudEvents types, as an HTTP client would:
those types are the contracts' own, and every one a webhook may subscribe to is offered."""

from __future__ import annotations

from chassis.messages import message_type
from contracts import invoices as inv
from contracts import ledger as lg
from contracts import listings as ls
from gateway.web.pages.integrations import EVENT_CHOICES, EVENT_LABELS


def test_the_offered_event_types_are_the_contracts_types() -> None:
    expected = [
        message_type(cls).type
        for cls in (
            lg.TransferPosted,
            lg.TransferHeld,
            lg.TransferVoided,
            lg.TransferRefused,
            lg.FederatedTransferCompleted,
            lg.AccountOpened,
            lg.CreditLimitChanged,
            inv.InvoiceIssued,
            inv.InvoiceAwaitingValidation,
            inv.InvoiceSettled,
            inv.InvoiceRejected,
            inv.InvoiceDisputed,
            ls.ListingPublished,
            ls.MatchFound,
        )
    ]
    assert [event_type for event_type, _label in EVENT_CHOICES] == expected
    assert all(EVENT_LABELS[event_type] for event_type in expected)


def test_every_offered_type_is_one_a_webhook_may_subscribe_to() -> None:
    from notifications.app import WEBHOOK_EVENT_TYPES

    assert set(EVENT_LABELS) <= set(WEBHOOK_EVENT_TYPES)
