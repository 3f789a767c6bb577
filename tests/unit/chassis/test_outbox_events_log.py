"""Which outbox rows join a tenant's event log (``Outbox(sequence_events=True)``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import MetaData

import contracts  # noqa: F401 (registers the contracts)
from chassis.messages import envelope_for
from chassis.outbox import Outbox, messaging_tables
from contracts.ledger import HoldTransfer
from contracts.listings import ListingArchived

OUTBOX, _SEQUENCE, _INBOX = messaging_tables(MetaData())


def archived() -> ListingArchived:
    return ListingArchived(
        listing_id=uuid.uuid4(), member_id=uuid.uuid4(), kind="offer", reason="expired"
    )


def test_a_services_events_of_a_tenant_join_its_log_and_commands_never_do() -> None:
    logging_outbox = Outbox(OUTBOX, "/listings", sequence_events=True)
    event = envelope_for(archived(), source="listings", tenant="pie", network="troc-actif")
    assert logging_outbox.rows_for(event)["sequenced"] is True
    tenantless = envelope_for(archived(), source="listings", network="troc-actif")
    assert logging_outbox.rows_for(tenantless)["sequenced"] is False
    command = envelope_for(
        HoldTransfer(
            transfer_id=uuid.uuid4(),
            payer=uuid.uuid4(),
            payee=uuid.uuid4(),
            amount=Decimal("10.00"),
        ),
        source="invoices",
        tenant="pie",
        network="troc-actif",
    )
    assert logging_outbox.rows_for(command)["sequenced"] is False


def test_an_outbox_without_a_log_sequences_only_what_it_is_told_to() -> None:
    plain = Outbox(OUTBOX, "/gateway")
    event = envelope_for(archived(), source="listings", tenant="pie", network="troc-actif")
    assert plain.rows_for(event)["sequenced"] is False
    assert plain.rows_for(event, sequenced=True)["sequenced"] is True
