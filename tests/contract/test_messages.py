"""Every contract round-trips through the CloudEvents envelope; the topology matches handlers."""

from __future__ import annotations

import dataclasses
import json
import typing
import uuid
from dataclasses import MISSING, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

import pytest

import contracts
from chassis.messages import (
    REGISTRY,
    Envelope,
    InvalidMessage,
    MessageType,
    envelope_for,
    format_sequence,
    parse_sequence,
)
from contracts.topology import SUBSCRIPTIONS, platform_topology


def sample(hint: Any) -> Any:
    """A plausible value for a contract field type."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, __import__("types").UnionType):
        return sample(next(a for a in typing.get_args(hint) if a is not type(None)))
    if origin is Literal:
        return typing.get_args(hint)[0]
    if origin is list:
        return [sample(typing.get_args(hint)[0])]
    if hint is uuid.UUID:
        return uuid.uuid4()
    if hint is Decimal:
        return Decimal("1250.50")
    if hint is int:
        return 30
    if hint is bool:
        return True
    if hint is str:
        return "text"
    if hint is datetime:
        return datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    if hint is date:
        return date(2026, 11, 26)
    return hint(**{f.name: sample(t) for f, t in _hints(hint)})


def _hints(cls: type) -> list[tuple[Any, Any]]:
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name]) for f in fields(cls)]


def example(mtype: MessageType) -> Any:
    return mtype.cls(**{f.name: sample(t) for f, t in _hints(mtype.cls)})


@pytest.mark.parametrize(
    "mtype", sorted(REGISTRY.values(), key=lambda m: m.type), ids=lambda m: m.type
)
def test_every_contract_round_trips_through_its_envelope(mtype: MessageType) -> None:
    message = example(mtype)
    envelope = envelope_for(
        message, source="tests", tenant="pie", network="troc-actif", correlation_id="c-1"
    )
    body = envelope.to_json()
    document = json.loads(body)
    assert document["specversion"] == "1.0"
    assert document["type"] == mtype.type
    assert document["tenant"] == "pie" and document["network"] == "troc-actif"
    assert "tenant" not in document["data"] and "network" not in document["data"]
    decoded = Envelope.from_json(body)
    assert decoded.message() == message
    assert decoded.routing_key == (
        f"troc-actif.pie.{mtype.name}.v{mtype.version}"
        if mtype.kind == "event"
        else f"{mtype.name}.v{mtype.version}"
    )


@pytest.mark.parametrize(
    "mtype", sorted(REGISTRY.values(), key=lambda m: m.type), ids=lambda m: m.type
)
def test_unknown_fields_are_ignored_and_missing_required_ones_refused(mtype: MessageType) -> None:
    data = envelope_for(example(mtype), source="tests").data
    from chassis.messages import from_data

    assert from_data(mtype.cls, {**data, "added_in_a_later_version": 1}) == from_data(
        mtype.cls, data
    )
    required = [
        f.name for f in fields(mtype.cls) if f.default is MISSING and f.default_factory is MISSING
    ]
    with pytest.raises(InvalidMessage, match=required[0]):
        from_data(mtype.cls, {k: v for k, v in data.items() if k != required[0]})


def test_money_is_never_a_float_on_the_wire() -> None:
    from contracts.ledger import Transfer

    with pytest.raises(InvalidMessage):
        from chassis.messages import from_data

        from_data(
            Transfer,
            {
                "transfer_id": str(uuid.uuid4()),
                "payer": str(uuid.uuid4()),
                "payee": str(uuid.uuid4()),
                "amount": 12.5,
            },
        )


def test_malformed_envelopes_are_poison() -> None:
    for body in (b"not json", b"{}", json.dumps({"specversion": "1.0", "id": "1"}).encode()):
        with pytest.raises(InvalidMessage):
            Envelope.from_json(body).message()


def test_each_service_handles_exactly_what_the_topology_routes_to_it() -> None:
    from ledger.app import HANDLERS

    assert set(HANDLERS) == set(SUBSCRIPTIONS["ledger"])
    assert contracts.ledger is not None


def test_the_listings_handle_exactly_what_the_topology_routes_to_them() -> None:
    from listings.app import HANDLERS

    assert set(HANDLERS) == set(SUBSCRIPTIONS["listings"])
    queues = {q.name for q in platform_topology().queues}
    assert {"listings.gateway.events", "listings.ledger.events"} <= queues


def test_the_listings_events_keep_tenant_and_network_out_of_their_data() -> None:
    from contracts import listings

    names = {m.name for m in REGISTRY.values() if m.owner == "listings"}
    assert names == {
        "listing_published",
        "listing_updated",
        "listing_archived",
        "contact_requested",
        "contact_replied",
        "match_found",
    }
    for mtype in REGISTRY.values():
        if mtype.owner == "listings":
            assert mtype.exchange == "listings.events"
            assert not {"tenant", "network", "tenant_id"} & {f.name for f in fields(mtype.cls)}
    assert listings.MatchFound is not None


def test_the_notifications_handle_exactly_what_the_topology_routes_to_them() -> None:
    from notifications.app import HANDLERS, WEBHOOK_EVENT_TYPES

    assert set(HANDLERS) == set(SUBSCRIPTIONS["notifications"])
    queues = {q.name for q in platform_topology().queues}
    assert {
        "notifications.gateway.events",
        "notifications.ledger.events",
        "notifications.invoices.events",
        "notifications.listings.events",
    } <= queues
    assert "org.trocactif.ledger.transfer_posted.v1" in WEBHOOK_EVENT_TYPES
    assert not [t for t in WEBHOOK_EVENT_TYPES if ".gateway." in t]


def test_the_invoices_handle_exactly_what_the_topology_routes_to_them() -> None:
    from invoices.app import EVENT_HANDLERS

    assert set(EVENT_HANDLERS) == set(SUBSCRIPTIONS["invoices"])
    queues = {q.name for q in platform_topology().queues}
    assert {"invoices.gateway.events", "invoices.ledger.events"} <= queues


def test_the_invoices_events_keep_tenant_and_network_out_of_their_data() -> None:
    names = {m.name for m in REGISTRY.values() if m.owner == "invoices"}
    assert names == {
        "invoice_issued",
        "invoice_accepted",
        "invoice_hold_refused",
        "invoice_awaiting_validation",
        "invoice_validated",
        "invoice_settled",
        "invoice_disputed",
        "invoice_rejected",
        "invoice_expired",
        "invoice_cancelled",
        "credit_note_issued",
        "commission_recorded",
        "payment_requested",
        "payment_declined",
        "payment_awaiting_validation",
        "payment_hold_refused",
        "payment_settled",
        "payment_rejected",
        "membership_fee_charged",
        "membership_fee_paid",
        "membership_fee_overdue",
    }
    for mtype in REGISTRY.values():
        if mtype.owner == "invoices":
            assert mtype.kind == "event" and mtype.exchange == "invoices.events"
            assert not {"tenant", "network", "tenant_id"} & {f.name for f in fields(mtype.cls)}
    assert contracts.invoices is not None


def test_topology_has_a_dead_letter_queue_per_queue() -> None:
    topology = platform_topology()
    names = {q.name for q in topology.queues}
    assert {"ledger.commands", "ledger.gateway.events"} <= names
    assert all(q.dlq == f"{q.name}.dlq" for q in topology.queues)


# --- the sequence of a logged event (CloudEvents Sequence extension) ----------------------------


@pytest.mark.parametrize(
    "mtype",
    sorted(
        (m for m in REGISTRY.values() if m.kind == "event" and m.owner in contracts.EVENT_LOGS),
        key=lambda m: m.type,
    ),
    ids=lambda m: m.type,
)
def test_a_logged_event_carries_its_position_as_a_padded_string_in_a_per_tenant_source(
    mtype: MessageType,
) -> None:
    envelope = dataclasses.replace(
        envelope_for(example(mtype), source=mtype.owner, tenant="pie", network="troc-actif"),
        sequence=42,
    )
    document = json.loads(envelope.to_json())
    assert document["sequence"] == "00000000000000000042"
    assert document["source"] == f"/t/pie/{mtype.owner}"
    assert document["data"]["sequence"] == 42  # the integer, deprecated, for one version
    again = Envelope.from_json(envelope.to_json())
    assert (again.sequence, again.source) == (42, f"/t/pie/{mtype.owner}")
    assert again.message() == envelope.message()
    assert json.loads(again.to_json()) == document  # re-sent as it came


def test_sequences_order_as_strings_as_their_positions_order() -> None:
    positions = [1, 2, 9, 10, 11, 99, 100, 12345, 2**63 - 1]
    texts = [format_sequence(p) for p in positions]
    assert sorted(texts) == texts and {len(t) for t in texts} == {20}
    assert [parse_sequence(t) for t in texts] == positions
    assert parse_sequence(7) == 7  # an older message, whose sequence was an integer
    for wrong in (-1, 10**20, True, "12"):
        with pytest.raises((ValueError, TypeError)):
            format_sequence(wrong)  # type: ignore[arg-type]
    for wrong_text in ("-1", "1e3", "", "٣", True, 1.5):
        with pytest.raises(InvalidMessage):
            parse_sequence(wrong_text)


def test_an_unsequenced_message_keeps_its_service_source_and_no_sequence() -> None:
    mtype = REGISTRY["org.trocactif.ledger.hold_transfer.v1"]
    document = json.loads(envelope_for(example(mtype), source="invoices", tenant="pie").to_json())
    assert document["source"] == "/invoices" and "sequence" not in document
    assert "sequence" not in document["data"]
