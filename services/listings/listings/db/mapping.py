"""Rows to domain objects and back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from listings import domain, textsearch
from listings.domain import (
    Kind,
    Listing,
    Match,
    Member,
    MemberStatus,
    Network,
    Price,
    PriceType,
    Status,
    Terms,
    Thread,
    Visibility,
)

# --- row <-> domain ----------------------------------------------------------------------------


def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)


def to_listing(row: Any) -> Listing:
    return Listing(
        id=row.id,
        network=row.network,
        tenant=row.tenant,
        member_id=row.member_id,
        kind=Kind(row.kind),
        title=row.title,
        description=row.description,
        category=row.category,
        price=Price(PriceType(row.price_type), row.price_amount),
        payment_modes=domain.modes_of_mask(row.payment_mask),
        departments=split(row.departments),
        visibility=Visibility(row.visibility),
        status=Status(row.status),
        status_reason=row.status_reason,
        expires_at=aware(row.expires_at),
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        updated_at=aware(row.updated_at),
        published_at=aware(row.published_at),  # type: ignore[arg-type]
    )


def listing_values(listing: Listing) -> dict[str, Any]:
    return {
        "network": listing.network,
        "tenant": listing.tenant,
        "member_id": listing.member_id,
        "kind": listing.kind.value,
        "title": listing.title,
        "description": listing.description,
        "category": listing.category,
        "category_label": listing.category_label,
        "price_type": listing.price.type.value,
        "price_amount": listing.price.amount,
        "payment_mask": domain.payment_mask(listing.payment_modes),
        "departments": ",".join(listing.departments),
        "nationwide": not listing.departments,
        "visibility": listing.visibility.value,
        "status": listing.status.value,
        "status_reason": listing.status_reason,
        "expires_at": listing.expires_at,
        "created_at": listing.created_at,
        "updated_at": listing.updated_at,
        "published_at": listing.published_at,
    }


def to_match(row: Any) -> Match:
    return Match(
        id=row.id,
        network=row.network,
        offer_id=row.offer_id,
        need_id=row.need_id,
        offer_member_id=row.offer_member_id,
        need_member_id=row.need_member_id,
        offer_tenant=row.offer_tenant,
        need_tenant=row.need_tenant,
        score=row.score,
        reasons=split(row.reasons),
        created_at=aware(row.created_at),  # type: ignore[arg-type]
    )


def to_thread(row: Any) -> Thread:
    return Thread(
        id=row.id,
        network=row.network,
        listing_id=row.listing_id,
        author_member_id=row.author_member_id,
        author_tenant=row.author_tenant,
        requester_member_id=row.requester_member_id,
        requester_tenant=row.requester_tenant,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        last_message_at=aware(row.last_message_at),  # type: ignore[arg-type]
        message_count=row.message_count,
    )


def to_network(row: Any) -> Network:
    return Network(
        slug=row.slug,
        name=row.name,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        unit_symbol=row.unit_symbol,
        payment_modes=tuple(int(m) for m in split(row.payment_modes)),
        need_expiry_days=row.need_expiry_days,
    )


def to_member(row: Any) -> Member:
    return Member(
        id=row.id,
        network=row.network,
        tenant=row.tenant,
        name=row.name,
        department=row.department,
        status=MemberStatus(row.status),
    )


def listing_terms(listing: Listing) -> Terms:
    """The terms matchmaking compares (title alone, and title with description)."""
    return Terms(
        title=textsearch.terms(listing.title),
        text=textsearch.terms(f"{listing.title} {listing.description}"),
    )
