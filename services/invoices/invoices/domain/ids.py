"""Deterministic identifiers: what makes every saga step idempotent and restart-safe.

The ids of the ledger transfers an invoice asks for are derived from the invoice (and the attempt
of a hold), never drawn at random: a command sent twice, or sent again after a crash, names the
same transfer, and the ledger applies it once. Standard library only.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

NAMESPACE = uuid5(NAMESPACE_URL, "https://trocactif.org/invoices")

#: The ledger's rule for a network's fee account (``ledger.domain.fees_account_id``), restated
#: here because a service never imports another one: ``uuid5(uuid5(NAMESPACE_URL,
#: "https://trocactif.org/ledger/fees"), <network slug>)``. A test holds the two to one value.
LEDGER_FEES_NAMESPACE = uuid5(NAMESPACE_URL, "https://trocactif.org/ledger/fees")


def hold_transfer_id(invoice_id: UUID, attempt: int) -> UUID:
    """The hold of the buyer's unit part; a new attempt (after a refusal) is a new hold."""
    return uuid5(NAMESPACE, f"{invoice_id}:hold:{attempt}")


def commission_transfer_id(invoice_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"{invoice_id}:commission")


def federated_transfer_id(invoice_id: UUID, attempt: int) -> UUID:
    """The ledger saga that settles a cross-network invoice or payment (one per attempt, as a
    hold)."""
    return uuid5(NAMESPACE, f"{invoice_id}:federated:{attempt}")


def buyer_commission_transfer_id(invoice_id: UUID) -> UUID:
    """The buyer network's commission on a cross-network invoice, paid by the buyer."""
    return uuid5(NAMESPACE, f"{invoice_id}:buyer-commission")


def credit_note_id(invoice_id: UUID) -> UUID:
    """An invoice is cancelled by one credit note at most: cancelling twice finds the same one."""
    return uuid5(NAMESPACE, f"{invoice_id}:credit-note")


def reversal_transfer_id(credit_note: UUID) -> UUID:
    return uuid5(NAMESPACE, f"{credit_note}:reversal")


def fees_account_id(network: str) -> UUID:
    """The network's fee account in the ledger (same rule as the ledger's, see above)."""
    return uuid5(LEDGER_FEES_NAMESPACE, network)


def invoice_number(series: str, year: int, sequence: int) -> str:
    """``F2026-000042``: the series (F invoices, A credit notes), the year, six digits or more."""
    return f"{series}{year}-{sequence:06d}"


def direct_payment_id(payer: UUID, idempotency_key: str) -> UUID:
    """A direct payment is named by its payer and the caller's ``Idempotency-Key``: a retried
    request finds the first one."""
    return uuid5(NAMESPACE, f"payment:{payer}:{idempotency_key}")


def membership_fee_key(member: UUID, period: str) -> str:
    """The idempotency key of a member's fee of one period: ``fee:<member>:<year>``."""
    return f"fee:{member}:{period}"


def membership_fee_id(member: UUID, period: str) -> UUID:
    """The fee record and its ledger transfer share this id, derived from the key: charging
    twice (a restart, a replay, two workers) names the same record and the same transfer."""
    return uuid5(NAMESPACE, membership_fee_key(member, period))
