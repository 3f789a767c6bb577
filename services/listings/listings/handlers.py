"""What the listings do for each request of their API and each event they receive.

Use cases run inside a unit of work opened by the caller (the API per request, the worker per
batch); they never commit and never publish directly: events leave through the outbox, in the
same transaction as the change they announce. Matchmaking runs when a listing is published or
becomes live again, in that same transaction, so a match is there as soon as the answer is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4, uuid5

from chassis.messages import InvalidMessage
from chassis.messages import MessageMeta as Meta
from chassis.money import parse_cents, to_decimal
from contracts import gateway as gw
from contracts import ledger as lg
from contracts import listings as ev
from listings import demo, domain
from listings.db import BoundStore, listing_terms
from listings.domain import (
    Draft,
    Kind,
    Listing,
    Match,
    Member,
    MemberStatus,
    Network,
    Status,
    Thread,
    Viewer,
)


@dataclass(frozen=True, slots=True)
class Context:
    """What a handler works with: the bound store and the marketplace's settings."""

    store: BoundStore
    need_expiry_days: int = domain.DEFAULT_NEED_EXPIRY_DAYS
    match_limit: int = domain.MATCH_LIMIT
    demo_listings: bool = False


def network_of(ctx: Context, slug: str) -> Network:
    """The network's settings as last announced, or the platform's defaults if not known yet."""
    return ctx.store.get_network(slug) or Network(slug=slug, need_expiry_days=ctx.need_expiry_days)


# --- events this service publishes ---------------------------------------------------------------


def _amount(listing: Listing) -> Decimal | None:
    return to_decimal(listing.price.amount) if listing.price.amount is not None else None


def _published(listing: Listing, network: Network) -> ev.ListingPublished:
    return ev.ListingPublished(
        listing_id=listing.id,
        member_id=listing.member_id,
        kind=listing.kind.value,  # type: ignore[arg-type]
        title=listing.title,
        category=listing.category,
        price_type=listing.price.type.value,
        price_amount=_amount(listing),  # type: ignore[arg-type]
        unit=network.unit_code,
        payment_modes=list(listing.payment_modes),
        departments=list(listing.departments),
        visibility=listing.visibility.value,  # type: ignore[arg-type]
        expires_at=listing.expires_at,
    )


def _updated(
    listing: Listing, network: Network, changed: Sequence[str], reason: str = ""
) -> ev.ListingUpdated:
    return ev.ListingUpdated(
        listing_id=listing.id,
        member_id=listing.member_id,
        kind=listing.kind.value,  # type: ignore[arg-type]
        title=listing.title,
        category=listing.category,
        status=listing.status.value,  # type: ignore[arg-type]
        changed=sorted(changed),
        reason=reason,
        price_type=listing.price.type.value,
        price_amount=_amount(listing),  # type: ignore[arg-type]
        unit=network.unit_code,
        payment_modes=list(listing.payment_modes),
        departments=list(listing.departments),
        visibility=listing.visibility.value,  # type: ignore[arg-type]
        expires_at=listing.expires_at,
    )


def _emit(ctx: Context, message: object, listing: Listing) -> None:
    ctx.store.emit(message, network=listing.network, tenant=listing.tenant, subject=str(listing.id))


# --- listings ----------------------------------------------------------------------------------


def _active_member(ctx: Context, member_id: UUID, tenant: str) -> Member | None:
    """The author as the directory knows it; refused if suspended, gone or of another tenant."""
    member = ctx.store.get_member(member_id)
    if member is None:
        return None  # its admission has not reached this service yet: let it publish
    if member.tenant != tenant:
        raise domain.UnknownMember(f"member {member_id} is not a member of {tenant}")
    if member.status is not MemberStatus.ACTIVE:
        raise domain.MemberInactive(f"member {member_id} is {member.status.value}")
    return member


def publish_listing(
    ctx: Context,
    draft: Draft,
    *,
    tenant: str,
    network: str,
    member_id: UUID,
    now: datetime,
    listing_id: UUID | None = None,
) -> Listing:
    """Publish an offer or a need of ``member_id``, then match it."""
    net = network_of(ctx, network)
    member = _active_member(ctx, member_id, tenant)
    departments = draft.departments
    if departments is None:
        departments = domain.default_departments(member, ctx.store.tenant_departments(tenant))
    listing = Listing(
        id=listing_id or uuid4(),
        network=network,
        tenant=tenant,
        member_id=member_id,
        kind=draft.kind,
        title=draft.title.strip(),
        description=draft.description.strip(),
        category=draft.category,
        price=draft.price,
        payment_modes=tuple(sorted(set(draft.payment_modes or net.payment_modes), reverse=True)),
        departments=tuple(sorted(set(departments))),
        visibility=draft.visibility,
        status=Status.ACTIVE,
        created_at=now,
        updated_at=now,
        published_at=now,
        expires_at=draft.expires_at or domain.default_expiry(draft.kind, net, now),
    )
    domain.ensure_valid(listing, net, now)
    ctx.store.insert_listing(listing)
    _emit(ctx, _published(listing, net), listing)
    match_listing(ctx, listing, now)
    return listing


def _visible(
    ctx: Context, viewer: Viewer, listing_id: UUID, now: datetime, *, for_update: bool = False
) -> Listing:
    listing = ctx.store.get_listing(listing_id, for_update=for_update)
    if listing is None or not viewer.can_see(listing, now):
        raise domain.ListingNotFound(f"no listing {listing_id}")
    return listing


def get_listing(ctx: Context, viewer: Viewer, listing_id: UUID, now: datetime) -> Listing:
    return _visible(ctx, viewer, listing_id, now)


def _owned(ctx: Context, viewer: Viewer, listing_id: UUID, now: datetime) -> Listing:
    listing = _visible(ctx, viewer, listing_id, now, for_update=True)
    if not viewer.owns(listing):
        raise domain.NotAllowed("only its author or an animator of its association may do this")
    return listing


def update_listing(
    ctx: Context, viewer: Viewer, listing_id: UUID, changes: Mapping[str, Any], now: datetime
) -> Listing:
    """Change a listing (its author, or an animator of its tenant moderating it)."""
    listing = _owned(ctx, viewer, listing_id, now)
    listing.ensure_editable()
    if changes.get("status") is Status.ARCHIVED:
        return archive_listing(ctx, viewer, listing_id, now)
    net = network_of(ctx, listing.network)
    changes = dict(changes)
    if "departments" in changes:
        changes["departments"] = tuple(sorted(set(changes["departments"])))
    if "payment_modes" in changes:
        changes["payment_modes"] = tuple(sorted(set(changes["payment_modes"]), reverse=True))
    changed = sorted(k for k, v in changes.items() if getattr(listing, k) != v)
    if not changed:
        return listing
    was_live = listing.is_live(now)
    updated = domain.with_changes(listing, changes, now)
    if "status" in changed:
        updated = replace(updated, status_reason=None)
    if updated.status is Status.ACTIVE and not was_live:
        _active_member(ctx, listing.member_id, listing.tenant)
        if updated.expires_at is not None and updated.expires_at <= now:
            # A need coming back after its expiry gets a fresh period; an explicit date wins.
            updated = replace(updated, expires_at=domain.default_expiry(updated.kind, net, now))
    domain.ensure_valid(updated, net, now)
    ctx.store.save_listing(updated)
    _emit(ctx, _updated(updated, net, changed), updated)
    if updated.is_live(now) and (not was_live or domain.MATCH_FIELDS & set(changed)):
        match_listing(ctx, updated, now)
    return updated


def archive_listing(ctx: Context, viewer: Viewer, listing_id: UUID, now: datetime) -> Listing:
    """Withdraw a listing for good (``DELETE``); archiving twice changes nothing."""
    listing = _owned(ctx, viewer, listing_id, now)
    if listing.status is Status.ARCHIVED:
        return listing
    by_author = viewer.member_id == listing.member_id
    return _archive(ctx, listing, "withdrawn" if by_author else "moderated", now)


def _archive(ctx: Context, listing: Listing, reason: str, now: datetime) -> Listing:
    archived = replace(listing, status=Status.ARCHIVED, status_reason=reason, updated_at=now)
    ctx.store.save_listing(archived)
    _emit(
        ctx,
        ev.ListingArchived(
            listing_id=listing.id,
            member_id=listing.member_id,
            kind=listing.kind.value,
            reason=reason,
        ),
        archived,
    )  # type: ignore[arg-type]
    return archived


def expire_listings(ctx: Context, now: datetime, limit: int = 500) -> int:
    """Archive the live listings past their expiry; returns how many."""
    due = ctx.store.expired(now, limit)
    for listing_id in due:
        listing = ctx.store.get_listing(listing_id, for_update=True)
        if listing is not None and listing.status is Status.ACTIVE:
            _archive(ctx, listing, domain.ARCHIVED_EXPIRED, now)
    return len(due)


# --- matchmaking -------------------------------------------------------------------------------


def match_listing(ctx: Context, listing: Listing, now: datetime) -> list[Match]:
    """Find the best counterparts of a live listing; record and announce the new matches."""
    terms = listing_terms(listing)
    candidates = ctx.store.candidates(listing, now)
    balances = ctx.store.balances_of([listing.member_id, *(c.member_id for c in candidates)])
    best = domain.best_matches(
        listing,
        terms,
        [(c, listing_terms(c)) for c in candidates],
        balances=balances,
        limit=ctx.match_limit,
    )
    found = []
    for other, result in best:
        offer, need = (listing, other) if listing.kind is Kind.OFFER else (other, listing)
        match = Match(
            id=uuid4(),
            network=listing.network,
            offer_id=offer.id,
            need_id=need.id,
            offer_member_id=offer.member_id,
            need_member_id=need.member_id,
            offer_tenant=offer.tenant,
            need_tenant=need.tenant,
            score=result.score,
            reasons=result.reasons,
            created_at=now,
        )
        if not ctx.store.add_match(match):
            continue
        found.append(match)
        for mine, theirs in ((offer, need), (need, offer)):
            ctx.store.emit(
                ev.MatchFound(
                    match_id=match.id,
                    member_id=mine.member_id,
                    listing_id=mine.id,
                    listing_kind=mine.kind.value,
                    listing_title=mine.title,  # type: ignore[arg-type]
                    counterpart_listing_id=theirs.id,
                    counterpart_member_id=theirs.member_id,
                    counterpart_title=theirs.title,
                    category=mine.category,
                    score=match.score,
                    reasons=list(match.reasons),
                ),
                network=listing.network,
                tenant=mine.tenant,
                subject=str(match.id),
            )
    return found


def matches_of(
    ctx: Context, viewer: Viewer, listing_id: UUID, now: datetime
) -> list[tuple[Match, Listing]]:
    """A listing's matches whose counterpart is still live and visible, best first."""
    listing = _visible(ctx, viewer, listing_id, now)
    if not viewer.owns(listing):
        raise domain.NotAllowed("only its author or an animator of its association sees this")
    found = ctx.store.matches_of(listing_id)
    others = ctx.store.listings_by_id(match.side_of(listing_id)[0] for match in found)
    result = []
    for match in found:
        other = others.get(match.side_of(listing_id)[0])
        if other is not None and other.is_live(now) and viewer.can_see(other, now):
            result.append((match, other))
    return result


# --- contact -----------------------------------------------------------------------------------


def contact_author(
    ctx: Context, viewer: Viewer, listing_id: UUID, message: str, now: datetime
) -> tuple[Thread, UUID]:
    """A member writes to a listing's author: the thread between them, and the message id."""
    listing = _visible(ctx, viewer, listing_id, now)
    if viewer.member_id is None:
        raise domain.NotAllowed("only a member company can contact an author")
    if listing.member_id == viewer.member_id:
        raise domain.OwnListing("this is your own listing")
    if listing.network != viewer.network:
        # Threads, their notifications and the matches live in one network.
        raise domain.NotAllowed("a listing of a partner network is not contacted from here yet")
    listing.ensure_contactable(now)
    _active_member(ctx, viewer.member_id, viewer.tenant)
    body = domain.ensure_message(message)
    thread = ctx.store.find_thread(listing.id, viewer.member_id, for_update=True)
    if thread is None:
        thread = Thread(
            id=uuid4(),
            network=listing.network,
            listing_id=listing.id,
            author_member_id=listing.member_id,
            author_tenant=listing.tenant,
            requester_member_id=viewer.member_id,
            requester_tenant=viewer.tenant,
            created_at=now,
            last_message_at=now,
        )
        ctx.store.insert_thread(thread)
    message_id = ctx.store.add_message(thread.id, viewer.member_id, body, now)
    ctx.store.emit(
        ev.ContactRequested(
            thread_id=thread.id,
            message_id=message_id,
            listing_id=listing.id,
            listing_title=listing.title,
            from_member_id=viewer.member_id,
            to_member_id=listing.member_id,
            message=body,
        ),
        network=listing.network,
        tenant=listing.tenant,
        subject=str(thread.id),
    )
    return replace(thread, last_message_at=now, message_count=thread.message_count + 1), message_id


def thread_for(
    ctx: Context, viewer: Viewer, thread_id: UUID, *, for_update: bool = False
) -> Thread:
    thread = ctx.store.get_thread(thread_id, for_update=for_update)
    if thread is None or not thread.visible_to(viewer):
        raise domain.ThreadNotFound(f"no thread {thread_id}")
    return thread


def reply(
    ctx: Context, viewer: Viewer, thread_id: UUID, message: str, now: datetime
) -> tuple[Thread, UUID]:
    """One party answers the other in a thread."""
    thread = thread_for(ctx, viewer, thread_id, for_update=True)
    if viewer.member_id is None or not thread.party(viewer.member_id):
        raise domain.NotAllowed("only the two members of a thread write in it")
    body = domain.ensure_message(message)
    listing = ctx.store.get_listing(thread.listing_id)
    assert listing is not None
    message_id = ctx.store.add_message(thread.id, viewer.member_id, body, now)
    to_member, to_tenant = thread.other_party(viewer.member_id)
    ctx.store.emit(
        ev.ContactReplied(
            thread_id=thread.id,
            message_id=message_id,
            listing_id=listing.id,
            listing_title=listing.title,
            from_member_id=viewer.member_id,
            to_member_id=to_member,
            message=body,
        ),
        network=thread.network,
        tenant=to_tenant,
        subject=str(thread.id),
    )
    return replace(thread, last_message_at=now, message_count=thread.message_count + 1), message_id


# --- events of the gateway ---------------------------------------------------------------------


def on_network_created(message: gw.NetworkSettings, meta: Meta, ctx: Context) -> None:
    modes = tuple(m for m in message.payment_modes if m in domain.PAYMENT_MODES)
    days = message.need_expiry_days or ctx.need_expiry_days
    ctx.store.upsert_network(
        Network(
            slug=message.slug,
            name=message.name,
            unit_code=message.unit.code,
            unit_name=message.unit.name,
            unit_symbol=message.unit.symbol,
            payment_modes=modes or domain.PAYMENT_MODES,
            need_expiry_days=days,
        )
    )


def on_tenant_created(message: gw.TenantSettings, meta: Meta, ctx: Context) -> None:
    """A tenant created or updated (an upsert of its copy)."""
    if not meta.network:
        raise InvalidMessage("the envelope must name the network")
    departments = [d for d in message.departments if d in domain.DEPARTMENTS]
    ctx.store.upsert_tenant(message.slug, meta.network, message.name, departments)


def on_member_admitted(message: gw.MemberAdmitted, meta: Meta, ctx: Context) -> None:
    network, tenant = meta.home()
    known = ctx.store.get_member(message.member_id)
    ctx.store.upsert_member(
        Member(
            id=message.member_id,
            network=network,
            tenant=tenant,
            name=message.name,
            department=message.department,
            status=known.status if known is not None else MemberStatus.ACTIVE,
        )
    )
    if known is None and ctx.demo_listings:
        _publish_demo_listings(ctx, message, network, tenant, meta.time)


def _publish_demo_listings(
    ctx: Context, message: gw.MemberAdmitted, network: str, tenant: str, now: datetime
) -> None:
    """The demo companies of ``make run`` come with their offers and needs (ids are stable)."""
    for index, draft in enumerate(demo.drafts_for(message.email)):
        listing_id = uuid5(message.member_id, f"demo-listing-{index}")
        if ctx.store.get_listing(listing_id) is None:
            publish_listing(
                ctx,
                draft,
                tenant=tenant,
                network=network,
                member_id=message.member_id,
                now=now,
                listing_id=listing_id,
            )


def on_member_updated(message: gw.MemberUpdated, meta: Meta, ctx: Context) -> None:
    network, tenant = meta.home()
    known = ctx.store.get_member(message.member_id)
    ctx.store.upsert_member(
        Member(
            id=message.member_id,
            network=network,
            tenant=tenant,
            name=message.name,
            department=message.department,
            status=known.status if known is not None else MemberStatus.ACTIVE,
        )
    )


def _set_member_status(ctx: Context, meta: Meta, member_id: UUID, status: MemberStatus) -> None:
    if ctx.store.get_member(member_id) is None:
        network, tenant = meta.home()
        ctx.store.upsert_member(
            Member(
                id=member_id, network=network, tenant=tenant, name="", department="", status=status
            )
        )
    else:
        ctx.store.set_member_status(member_id, status)


def _pause_all(ctx: Context, member_id: UUID, reason: str, now: datetime) -> None:
    """Pause the member's live listings (and re-label those paused by a suspension)."""
    for listing in ctx.store.listings_of_member(member_id, [Status.ACTIVE, Status.PAUSED]):
        if listing.status is Status.PAUSED and listing.status_reason is None:
            continue  # paused by its author: stays as the author left it
        paused = replace(listing, status=Status.PAUSED, status_reason=reason, updated_at=now)
        ctx.store.save_listing(paused)
        net = network_of(ctx, listing.network)
        _emit(ctx, _updated(paused, net, ["status"], reason), paused)


def on_member_suspended(message: gw.MemberSuspended, meta: Meta, ctx: Context) -> None:
    _set_member_status(ctx, meta, message.member_id, MemberStatus.SUSPENDED)
    _pause_all(ctx, message.member_id, domain.PAUSED_BY_SUSPENSION, meta.time)


def on_member_left(message: gw.MemberLeft, meta: Meta, ctx: Context) -> None:
    _set_member_status(ctx, meta, message.member_id, MemberStatus.LEFT)
    _pause_all(ctx, message.member_id, domain.PAUSED_BY_DEPARTURE, meta.time)


def on_member_reinstated(message: gw.MemberReinstated, meta: Meta, ctx: Context) -> None:
    """Listings the suspension paused come back (and are matched again)."""
    _set_member_status(ctx, meta, message.member_id, MemberStatus.ACTIVE)
    now = meta.time
    for listing in ctx.store.listings_of_member(message.member_id, [Status.PAUSED]):
        if listing.status_reason != domain.PAUSED_BY_SUSPENSION:
            continue
        net = network_of(ctx, listing.network)
        active = replace(listing, status=Status.ACTIVE, status_reason=None, updated_at=now)
        if active.expires_at is not None and active.expires_at <= now:
            active = replace(active, expires_at=domain.default_expiry(active.kind, net, now))
        ctx.store.save_listing(active)
        _emit(ctx, _updated(active, net, ["status"], "member_reinstated"), active)
        if active.is_live(now):
            match_listing(ctx, active, now)


def on_federation_link(message: gw.FederationLinkSettings, meta: Meta, ctx: Context) -> None:
    """A link created or changed: its whole settings, kept unless a later state is known (an
    older event redelivered after a newer one changes nothing)."""
    if message.rate <= 0:
        raise InvalidMessage("a link's rate is positive")
    ctx.store.upsert_link(
        domain.FederationLink(
            id=message.link_id,
            network_a=message.network_a,
            network_b=message.network_b,
            rate=message.rate,
            status=domain.LinkStatus(message.status),
            as_of=meta.time,
        )
    )


# --- events of the ledger ----------------------------------------------------------------------


def on_account_opened(message: lg.AccountOpened, meta: Meta, ctx: Context) -> None:
    if message.kind != "member" or not meta.network:
        return
    ctx.store.set_balance(message.account_id, meta.network, meta.tenant, 0, meta.time)


def on_transfer_posted(message: lg.TransferPosted, meta: Meta, ctx: Context) -> None:
    """Keep the balances the ledger states after each posting (for the match ranking)."""
    if not meta.network:
        return
    for member_id, balance in (
        (message.payer, message.payer_balance),
        (message.payee, message.payee_balance),
    ):
        if balance is not None:
            ctx.store.set_balance(
                member_id,
                meta.network,
                None,
                parse_cents(balance, allow_zero=True, allow_negative=True),
                message.posted_at,
            )
