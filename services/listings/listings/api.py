"""HTTP API of the listings: offers and needs, search, categories, contact threads, matches.

Views are thin: work out who reads or acts (a ``Viewer`` from the token and the path), run the
use case of ``handlers.py`` in a unit of work, shape the answer. ``gunicorn
"listings.api:create_app()"``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from uuid import UUID

from flask import Flask, Response, current_app, g, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR, Forbidden, NotFound
from chassis.bus import is_amqp
from chassis.config import Settings
from chassis.db import utcnow
from chassis.http import broker_check, create_base_app, database_check, problem
from chassis.lists import (
    EVENTS_OLDER_SHAPE,
    LIST_SHAPE_PARAMETERS,
    event_log_page,
    legacy_response,
    list_shape_doc,
    page_in_memory,
    wants_legacy_shape,
)
from chassis.metrics import register_outbox_collector
from chassis.outbox import events_after
from chassis.schemas import EventPageSchema, PageQuery, events_query, page_of
from chassis.tenancy import require_event_reader, require_tenant
from contracts import DEFAULT_EVENT_LOG, EVENT_LOGS
from listings import domain, handlers
from listings.bootstrap import ListingsApp, bootstrap
from listings.db import SearchFilters, outbox_sequence_table, outbox_table
from listings.domain import FederationLink, Listing, Match, Member, Thread, Viewer
from listings.schemas import (
    CategorySchema,
    ContactInSchema,
    ListingInSchema,
    ListingPageSchema,
    ListingPatchSchema,
    ListingQuery,
    ListingSchema,
    MatchSchema,
    MemberListingsQuery,
    MessagePageSchema,
    MessageSchema,
    MessagesQuery,
    ThreadPageSchema,
    ThreadSchema,
)
from listings.settings import ListingsSettings

blp = Blueprint(
    "listings",
    __name__,
    url_prefix="/t/<tenant>",
    description="Offers and needs of the network, contact threads and matches",
)

#: Domain errors and their HTTP answers: the one table of the service.
ERRORS: dict[type[Exception], tuple[int, str]] = {
    domain.NotAllowed: (403, "forbidden"),
    domain.MemberInactive: (403, "member_inactive"),
    domain.ListingArchived: (409, "listing_archived"),
    domain.ListingNotActive: (409, "listing_not_active"),
    domain.OwnListing: (422, "own_listing"),
}
#: Not found, in the same words whether the thing does not exist or belongs to another tenant.
NOT_FOUND = (domain.ListingNotFound, domain.ThreadNotFound)


def listings_app() -> ListingsApp:
    app: ListingsApp = current_app.extensions["listings"]
    return app


def _tenant_network(listings: ListingsApp, tenant: str) -> str | None:
    """The network of a tenant, from the directory's events (network-scoped API keys)."""
    with listings.engine.connect() as conn:
        return listings.store.tenant_network(conn, tenant)


# --- who reads and acts ------------------------------------------------------------------------


def _viewer(tenant: str, *, write: bool = False) -> Viewer:
    """The viewer of a request: members and staff; integrators with ``listings:read`` read."""
    identity = require_tenant(tenant)
    staff = identity.has_role(ANIMATOR, OPERATOR)
    member = identity.has_role(MEMBER)
    reader = identity.has_role(INTEGRATOR) and identity.has_scope("listings:read")
    if not (staff or member) and (write or not reader):
        raise Forbidden()
    network = identity.network
    if network is None:
        with listings_app().engine.connect() as conn:
            network = listings_app().store.tenant_network(conn, tenant)
    return Viewer(
        tenant=tenant,
        network=network,
        member_id=identity.member_id if member else None,
        staff=staff,
        partners=frozenset(_partner_links(network)),
    )


def _partner_links(network: str | None) -> dict[str, FederationLink]:
    """The networks linked to ``network`` by an active link, and the link (once a request)."""
    if network is None:
        return {}
    cached: dict[str, dict[str, FederationLink]] = g.setdefault("partner_links", {})
    if network not in cached:
        app = listings_app()
        with app.engine.connect() as conn:
            links = app.store.links_of(conn, network)
        cached[network] = {link.partner_of(network): link for link in links if link.active}
    return cached[network]


# --- shaping answers ---------------------------------------------------------------------------


def _names(ids: Iterable[UUID]) -> dict[UUID, Member]:
    app = listings_app()
    with app.engine.connect() as conn:
        return app.store.member_names(conn, ids)


def _listing_views(
    items: list[Listing], names: dict[UUID, Member] | None = None, viewer: Viewer | None = None
) -> list[dict[str, Any]]:
    if names is None:
        names = _names(listing.member_id for listing in items)
    return [_listing_view(listing, names, viewer) for listing in items]


def _price_in_unit_of(viewer: Viewer | None, listing: Listing) -> dict[str, Any] | None:
    """A partner network's price in the viewer's unit, at the link's current rate."""
    if viewer is None or viewer.network is None or listing.network == viewer.network:
        return None
    link = _partner_links(viewer.network).get(listing.network)
    if link is None or listing.price.amount is None:
        return None
    own = listings_app().networks.get(viewer.network)
    return {
        "amount": link.price_for(listing.price.amount, listing.network),
        "unit": own.unit_code if own and own.unit_code else None,
    }


def _listing_view(
    listing: Listing, names: dict[UUID, Member] | None = None, viewer: Viewer | None = None
) -> dict[str, Any]:
    if names is None:
        names = _names([listing.member_id])
    network = listings_app().networks.get(listing.network)
    member = names.get(listing.member_id)
    view = {
        "id": listing.id,
        "kind": listing.kind.value,
        "title": listing.title,
        "description": listing.description,
        "category": listing.category,
        "category_label": listing.category_label,
        "price": {
            "type": listing.price.type.value,
            "amount": listing.price.amount,
            "unit": network.unit_code if network and network.unit_code else None,
        },
        "payment_modes": list(listing.payment_modes),
        "departments": list(listing.departments),
        "visibility": listing.visibility.value,
        "status": listing.status.value,
        "status_reason": listing.status_reason,
        "member_id": listing.member_id,
        "member_name": member.name if member and member.name else None,
        "tenant": listing.tenant,
        "created_at": listing.created_at,
        "updated_at": listing.updated_at,
        "published_at": listing.published_at,
        "expires_at": listing.expires_at,
        "network": listing.network,
        "network_name": network.name if network and network.name else None,
    }
    converted = _price_in_unit_of(viewer, listing)
    if converted is not None:
        view["price_in_your_unit"] = converted
    return view


def _thread_views(viewer: Viewer, items: list[Thread]) -> list[dict[str, Any]]:
    app = listings_app()
    with app.engine.connect() as conn:
        titles = app.store.listings_by_id(conn, (t.listing_id for t in items))
        names = app.store.member_names(
            conn, [m for t in items for m in (t.author_member_id, t.requester_member_id)]
        )
    views = []
    for thread in items:
        listing = titles.get(thread.listing_id)
        counterpart = None
        if viewer.member_id is not None and thread.party(viewer.member_id):
            counterpart = thread.other_party(viewer.member_id)[0]
        member = names.get(counterpart) if counterpart else None
        views.append(
            {
                "id": thread.id,
                "listing_id": thread.listing_id,
                "listing_title": listing.title if listing else None,
                "listing_kind": listing.kind.value if listing else None,
                "author_member_id": thread.author_member_id,
                "requester_member_id": thread.requester_member_id,
                "counterpart_member_id": counterpart,
                "counterpart_name": member.name if member and member.name else None,
                "created_at": thread.created_at,
                "last_message_at": thread.last_message_at,
                "message_count": thread.message_count,
            }
        )
    return views


def _page(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "page": page, "per_page": per_page, "total": total}


# --- categories --------------------------------------------------------------------------------


@blp.route("/categories", parameters=LIST_SHAPE_PARAMETERS)
class Categories(MethodView):
    @blp.arguments(PageQuery(), location="query")
    @blp.response(200, page_of(CategorySchema))
    @blp.doc(**list_shape_doc("a bare array of every category"))
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """The taxonomy of the marketplace (slugs and French labels)"""
        _viewer(tenant)
        if wants_legacy_shape():
            return legacy_response(CategorySchema(many=True).dump(domain.CATEGORIES))
        return page_in_memory(list(domain.CATEGORIES), query)


# --- listings ----------------------------------------------------------------------------------


def _search(viewer: Viewer, query: dict[str, Any], **fixed: Any) -> dict[str, Any]:
    app = listings_app()
    filters = replace(
        SearchFilters(
            q=query.get("q", ""),
            kind=query.get("kind"),
            category=query.get("category"),
            department=query.get("department"),
            tenant=query.get("tenant"),
            payment_mode=query.get("payment_mode"),
            member_id=query.get("member_id"),
            scope=query.get("scope", "network"),
            status=query.get("status"),
            page=query["page"],
            per_page=query["per_page"],
        ),
        **fixed,
    )
    with app.engine.connect() as conn:
        found = app.store.search(conn, viewer, filters, utcnow())
        names = app.store.member_names(conn, (listing.member_id for listing in found.items))
    views = _listing_views(found.items, names, viewer)
    page = _page(views, found.total, filters.page, filters.per_page)
    page["total_capped"] = found.capped
    return page


@blp.route("/listings")
class Listings(MethodView):
    @blp.arguments(ListingQuery(), location="query")
    @blp.response(200, ListingPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Search the offers and needs the association can see, best match first"""
        return _search(_viewer(tenant), query)

    @blp.arguments(ListingInSchema())
    @blp.response(201, ListingSchema())
    def post(self, body: dict[str, Any], tenant: str) -> Any:
        """Publish an offer or a need (a member's own; an animator's for a member)"""
        viewer = _viewer(tenant, write=True)
        app = listings_app()

        def publish(ctx: handlers.Context) -> Listing:
            member_id, network = _author(ctx, viewer, body.get("member_id"))
            return handlers.publish_listing(
                ctx,
                body["draft"],
                tenant=tenant,
                network=network,
                member_id=member_id,
                now=utcnow(),
            )

        listing = app.run(publish)
        location = url_for("listings.ListingView", tenant=tenant, listing_id=listing.id)
        return _listing_view(listing), 201, {"Location": location}


def _author(ctx: handlers.Context, viewer: Viewer, named: UUID | None) -> tuple[UUID, str]:
    """Who publishes: a member itself (from its token), or a member named by an animator."""
    if viewer.member_id is not None and not viewer.staff:
        if named is not None and named != viewer.member_id:
            raise domain.InvalidListing("member_id", "a member publishes its own listings only")
        if viewer.network is None:
            raise domain.NotAllowed("the network of this association is not known yet")
        return viewer.member_id, viewer.network
    if named is None:
        raise domain.InvalidListing("member_id", "name the member the listing is published for")
    member = ctx.store.get_member(named)
    if member is None:
        # Not yet in this service's copy of the directory: the gateway, which owns it, tells a
        # member just admitted (it sends the request again, then answers 503 not_yet_known)
        # from one that does not exist.
        raise domain.UnknownMember(f"no member {named} in this association", unknown_id=named)
    if member.tenant != viewer.tenant:
        raise domain.UnknownMember(f"no member {named} in this association")
    return member.id, member.network


@blp.route("/listings/<uuid:listing_id>")
class ListingView(MethodView):
    @blp.response(200, ListingSchema())
    def get(self, tenant: str, listing_id: UUID) -> dict[str, Any]:
        """Show a listing"""
        viewer = _viewer(tenant)
        with listings_app().context() as (_uow, ctx):
            listing = handlers.get_listing(ctx, viewer, listing_id, utcnow())
        return _listing_view(listing, viewer=viewer)

    @blp.arguments(ListingPatchSchema())
    @blp.response(200, ListingSchema())
    def patch(self, changes: dict[str, Any], tenant: str, listing_id: UUID) -> dict[str, Any]:
        """Change a listing: its author, or an animator of its association"""
        viewer = _viewer(tenant, write=True)
        listing = listings_app().run(handlers.update_listing, viewer, listing_id, changes, utcnow())
        return _listing_view(listing)

    @blp.response(204)
    def delete(self, tenant: str, listing_id: UUID) -> None:
        """Withdraw a listing (it is archived: its threads stay readable)"""
        viewer = _viewer(tenant, write=True)
        listings_app().run(handlers.archive_listing, viewer, listing_id, utcnow())


@blp.route("/listings/<uuid:listing_id>/matches", parameters=LIST_SHAPE_PARAMETERS)
class ListingMatches(MethodView):
    @blp.arguments(PageQuery(), location="query")
    @blp.response(200, page_of(MatchSchema))
    @blp.doc(**list_shape_doc("a bare array of every match"))
    def get(self, query: dict[str, Any], tenant: str, listing_id: UUID) -> Any:
        """The counterparts found for a listing, best first (its author and animators)"""
        viewer = _viewer(tenant)
        legacy = wants_legacy_shape()
        with listings_app().context() as (_uow, ctx):
            found = handlers.matches_of(ctx, viewer, listing_id, utcnow())
        if legacy:
            names = _names(other.member_id for _match, other in found)
            views = [_match_view(match, other, names) for match, other in found]
            return legacy_response(MatchSchema(many=True).dump(views))
        shown = page_in_memory(found, query)
        names = _names(other.member_id for _match, other in shown["items"])
        shown["items"] = [_match_view(match, other, names) for match, other in shown["items"]]
        return shown


def _match_view(match: Match, other: Listing, names: dict[UUID, Member]) -> dict[str, Any]:
    return {
        "id": match.id,
        "score": match.score,
        "reasons": list(match.reasons),
        "created_at": match.created_at,
        "listing": _listing_view(other, names),
    }


@blp.route("/members/<uuid:member_id>/listings")
class MemberListings(MethodView):
    @blp.arguments(MemberListingsQuery(), location="query")
    @blp.response(200, ListingPageSchema())
    def get(self, query: dict[str, Any], tenant: str, member_id: UUID) -> dict[str, Any]:
        """A member's active listings, for its page in the member directory"""
        return _search(_viewer(tenant), query, member_id=member_id)


# --- contact -----------------------------------------------------------------------------------


@blp.route("/listings/<uuid:listing_id>/contact")
class Contact(MethodView):
    @blp.arguments(ContactInSchema())
    @blp.response(201, ThreadSchema())
    def post(self, body: dict[str, Any], tenant: str, listing_id: UUID) -> Any:
        """Write to the author of a listing: opens (or goes on with) your thread with it"""
        viewer = _viewer(tenant, write=True)
        thread, message_id = listings_app().run(
            handlers.contact_author, viewer, listing_id, body["message"], utcnow()
        )
        view = _thread_views(viewer, [thread])[0]
        view["message_id"] = message_id
        location = url_for("listings.ThreadMessages", tenant=tenant, thread_id=thread.id)
        return view, 201, {"Location": location}


@blp.route("/threads")
class Threads(MethodView):
    @blp.arguments(MemberListingsQuery(), location="query")
    @blp.response(200, ThreadPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Your contact threads (an animator: those of the association's members), latest first"""
        viewer = _viewer(tenant, write=True)
        app = listings_app()
        page, per_page = query["page"], query["per_page"]
        with app.engine.connect() as conn:
            items, total = app.store.threads_of(
                conn, viewer, limit=per_page, offset=(page - 1) * per_page
            )
        return _page(_thread_views(viewer, items), total, page, per_page)


@blp.route("/threads/<uuid:thread_id>/messages")
class ThreadMessages(MethodView):
    @blp.arguments(MessagesQuery(), location="query")
    @blp.response(200, MessagePageSchema())
    def get(self, query: dict[str, Any], tenant: str, thread_id: UUID) -> dict[str, Any]:
        """The messages of a thread, oldest first (its two members; animators read)"""
        viewer = _viewer(tenant, write=True)
        page, per_page = query["page"], query["per_page"]
        with listings_app().context() as (_uow, ctx):
            thread = handlers.thread_for(ctx, viewer, thread_id)
            rows = ctx.store.messages_of(thread.id, limit=per_page, offset=(page - 1) * per_page)
        items = [
            {
                "id": r.id,
                "thread_id": r.thread_id,
                "sender_member_id": r.sender_member_id,
                "body": r.body,
                "created_at": r.created_at,
            }
            for r in rows
        ]
        return _page(items, thread.message_count, page, per_page)

    @blp.arguments(ContactInSchema())
    @blp.response(201, MessageSchema())
    def post(self, body: dict[str, Any], tenant: str, thread_id: UUID) -> dict[str, Any]:
        """Answer in a thread (its two members only)"""
        viewer = _viewer(tenant, write=True)
        now = utcnow()
        thread, message_id = listings_app().run(
            handlers.reply, viewer, thread_id, body["message"], now
        )
        assert viewer.member_id is not None
        return {
            "id": message_id,
            "thread_id": thread.id,
            "sender_member_id": viewer.member_id,
            "body": body["message"].strip(),
            "created_at": now,
        }


# --- the event log -----------------------------------------------------------------------------


@blp.route("/events", parameters=LIST_SHAPE_PARAMETERS)
class Events(MethodView):
    @blp.arguments(events_query(EVENT_LOGS, DEFAULT_EVENT_LOG)(), location="query")
    @blp.response(200, EventPageSchema())
    @blp.doc(**list_shape_doc(EVENTS_OLDER_SHAPE))
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """The tenant's listings events after a position, in order (``source=listings``)"""
        require_event_reader(tenant)
        envelopes = []
        if query["source"] == "listings":
            with listings_app().engine.connect() as conn:
                envelopes = events_after(conn, outbox_table, tenant, query["after"], query["limit"])
        return event_log_page("listings", query, envelopes)


# --- the application ---------------------------------------------------------------------------


def _invalid(exc: domain.InvalidListing) -> Response:
    return problem(
        422,
        "validation_failed",
        detail="The request has invalid fields.",
        errors={exc.field: [exc.message]},
    )


def _unknown_member(exc: domain.UnknownMember) -> Response:
    extra = {"unknown_ids": [str(exc.unknown_id)]} if exc.unknown_id is not None else None
    return problem(422, "unknown_member", detail=exc.message, extra=extra)


def _not_found(_exc: Exception) -> Response:
    return problem(404, "not_found", detail=NotFound.default_message)


def create_app(settings: Settings | None = None, *, listings: ListingsApp | None = None) -> Flask:
    """Create the listings' WSGI application."""
    listings = listings or bootstrap(settings)
    settings = ListingsSettings.of(settings) if settings is not None else listings.settings
    checks = {"database": database_check(listings.engine)}
    if is_amqp(settings.broker_url):
        checks["broker"] = broker_check(settings.broker_url)
    app, api = create_base_app(settings, title="Troc Actif listings", version="1.0", checks=checks)
    app.extensions["listings"] = listings
    api.tenant_networks = functools.partial(_tenant_network, listings)
    register_outbox_collector(app, listings.engine, outbox_table, outbox_sequence_table)
    for exc, (status, code) in ERRORS.items():
        api.register_error(exc, status, code)
    app.register_error_handler(domain.InvalidListing, _invalid)
    app.register_error_handler(domain.UnknownMember, _unknown_member)
    for exc in NOT_FOUND:
        app.register_error_handler(exc, _not_found)
    api.register_blueprint(blp)
    return app
