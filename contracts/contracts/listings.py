"""Events published by the listings service, the marketplace of offers and needs.

They go to ``listings.events`` with the routing key ``<network>.<tenant>.<event>.v1``. The tenant
and network a fact belongs to travel in the envelope only: a listing's events in its author's
tenant; ``contact_requested`` and ``contact_replied`` in the tenant of the member to tell (the
recipient); ``match_found`` once per member to tell, each in that member's tenant. Amounts are
decimal strings in the network's unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from chassis.messages import event

ListingKind = Literal["offer", "need"]
ListingStatus = Literal["active", "paused", "archived"]
#: ``federation``: the network and the networks linked to it by an active link (issue #20).
Visibility = Literal["tenant", "network", "federation"]
PriceType = Literal["fixed", "from", "on_quote"]


@event("listings", "listing_published")
@dataclass(frozen=True, kw_only=True, slots=True)
class ListingPublished:
    """A member published an offer or a need (active from now on)."""

    listing_id: UUID
    member_id: UUID
    kind: ListingKind
    title: str
    category: str
    price_type: PriceType
    price_amount: Decimal | None = None
    unit: str = ""
    payment_modes: list[int] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)  # empty: anywhere in France
    visibility: Visibility = "network"
    expires_at: datetime | None = None


@event("listings", "listing_updated")
@dataclass(frozen=True, kw_only=True, slots=True)
class ListingUpdated:
    """A listing changed (its text, terms or status: paused, active again)."""

    listing_id: UUID
    member_id: UUID
    kind: ListingKind
    title: str
    category: str
    status: ListingStatus
    changed: list[str] = field(default_factory=list)
    reason: str = ""  # e.g. member_suspended when the platform paused it
    price_type: PriceType = "on_quote"
    price_amount: Decimal | None = None
    unit: str = ""
    payment_modes: list[int] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    visibility: Visibility = "network"
    expires_at: datetime | None = None


@event("listings", "listing_archived")
@dataclass(frozen=True, kw_only=True, slots=True)
class ListingArchived:
    """A listing left the marketplace for good (withdrawn, moderated or expired)."""

    listing_id: UUID
    member_id: UUID
    kind: ListingKind
    reason: str  # withdrawn, moderated, expired


@event("listings", "contact_requested")
@dataclass(frozen=True, kw_only=True, slots=True)
class ContactRequested:
    """A member wrote to the author of a listing (the envelope is in the author's tenant)."""

    thread_id: UUID
    message_id: UUID
    listing_id: UUID
    listing_title: str
    from_member_id: UUID
    to_member_id: UUID
    message: str


@event("listings", "contact_replied")
@dataclass(frozen=True, kw_only=True, slots=True)
class ContactReplied:
    """One party of a contact thread answered the other (envelope in the recipient's tenant)."""

    thread_id: UUID
    message_id: UUID
    listing_id: UUID
    listing_title: str
    from_member_id: UUID
    to_member_id: UUID
    message: str


@event("listings", "match_found")
@dataclass(frozen=True, kw_only=True, slots=True)
class MatchFound:
    """An offer and a need fit: one event per member to tell, in that member's tenant."""

    match_id: UUID
    member_id: UUID  # the member to tell
    listing_id: UUID  # that member's listing
    listing_kind: ListingKind
    listing_title: str
    counterpart_listing_id: UUID
    counterpart_member_id: UUID
    counterpart_title: str
    category: str
    score: int  # 0..100
    reasons: list[str] = field(default_factory=list)
