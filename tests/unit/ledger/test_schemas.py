"""The hand-written transfer JSON of the hot path says exactly what the documented schema says."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from chassis.schemas import MAX_SEQUENCE, events_query
from contracts import DEFAULT_EVENT_LOG, EVENT_LOGS
from ledger.domain import TransferKind, TransferRecord, TransferStatus
from ledger.schemas import TransferSchema, transfer_json

EventsQuery = events_query(EVENT_LOGS, DEFAULT_EVENT_LOG)

NOW = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    "record",
    [
        TransferRecord(
            id=uuid.uuid4(),
            network="troc-actif",
            payer=uuid.uuid4(),
            payee=uuid.uuid4(),
            amount=12_550,
            kind=TransferKind.DIRECT,
            status=TransferStatus.POSTED,
            reference="Facture F1",
            created_at=NOW,
            posted_at=NOW,
        ),
        TransferRecord(
            id=uuid.uuid4(),
            network="troc-actif",
            payer=uuid.uuid4(),
            payee=uuid.uuid4(),
            amount=1,
            kind=TransferKind.HOLD,
            status=TransferStatus.VOIDED,
            reference="",
            created_at=NOW,
            voided_at=NOW,
            expires_at=NOW + timedelta(days=30),
            void_reason="expired",
        ),
        TransferRecord(
            id=uuid.uuid4(),
            network="agri",
            payer=uuid.uuid4(),
            payee=uuid.uuid4(),
            amount=10**12,
            kind=TransferKind.REVERSAL,
            status=TransferStatus.REFUSED,
            reference="é",
            created_at=NOW,
            reverses=uuid.uuid4(),
            refusal_code="insufficient_credit",
            refusal_reason="available 0.00",
        ),
    ],
    ids=["posted", "voided hold", "refused reversal"],
)
def test_transfer_json_equals_the_schema_dump(record: TransferRecord) -> None:
    assert transfer_json(record) == TransferSchema().dump(record)


def test_event_log_position_past_a_bigint_is_refused_as_invalid_input() -> None:
    """A huge ``after`` was passed to PostgreSQL as is and overflowed its bigint (a 500)."""
    assert EventsQuery().load({"after": str(MAX_SEQUENCE)})["after"] == MAX_SEQUENCE
    with pytest.raises(ValidationError) as refused:
        EventsQuery().load({"after": str(MAX_SEQUENCE + 1)})
    assert "after" in refused.value.messages
