"""The marketplace: search the offers and needs the association sees, a listing, contact; a
partner network's listing leads to paying or invoicing its member."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.directory import partner_link
from gateway.web.session import api, current_account, tenant_path

PER_PAGE = 20
FILTERS = ("q", "kind", "category", "department", "payment_mode", "scope")


def categories() -> list[dict[str, Any]]:
    """The marketplace's taxonomy (slug, French label, group), once per request."""
    cached: list[dict[str, Any]] | None = g.get("_troc_categories")
    if cached is None:
        cached = list(api().items(tenant_path("/categories"), per_page=500))
        g._troc_categories = cached
    return cached


def category_options() -> list[tuple[str, str]]:
    return [(c["slug"], c["label"]) for c in categories()]


def from_partner(listing: dict[str, Any]) -> dict[str, Any]:
    """Mark a listing of a linked network (``scope=federation``): its price is in that
    network's unit, ``price_in_your_unit`` in the reader's."""
    account = current_account()
    network = listing.get("network")
    listing["from_partner"] = bool(
        network and account is not None and account.network and network != account.network
    )
    return listing


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@bp.get("/app/place-de-marche")
@page("member", "animator", "operator")
def marketplace() -> ResponseReturnValue:
    filters = {name: request.args.get(name, "").strip() for name in FILTERS}
    number = _page_number()
    error: ApiError | None = None
    try:
        found = api().get(tenant_path("/listings"), page=number, per_page=PER_PAGE, **filters)
    except ApiError as exc:
        if exc.status != 422:
            raise
        error, found = exc, {"items": [], "total": 0}
    found["items"] = [from_partner(listing) for listing in found["items"]]
    return render_template(
        "marketplace/search.html",
        filters=filters,
        found=found,
        categories=category_options(),
        page=number,
        per_page=PER_PAGE,
        error=error,
    )


@bp.get("/app/place-de-marche/<uuid:listing_id>")
@page("member", "animator", "operator")
def marketplace_listing(listing_id: str) -> ResponseReturnValue:
    listing = from_partner(api().get(tenant_path(f"/listings/{listing_id}")))
    return _listing_page(listing, "", None)


def _listing_page(listing: dict[str, Any], message: str, error: ApiError | None) -> str:
    """A listing; a partner network's has « Payer ce membre » (an offer) or « Facturer ce
    membre » (a need) while the link with that network is active."""
    link = partner_link(str(listing["network"])) if listing["from_partner"] else None
    return render_template(
        "marketplace/listing.html",
        listing=listing,
        message=message,
        error=error,
        mine=_is_mine(listing),
        trade_across=link is not None and link.get("status") == "active",
    )


def _is_mine(listing: dict[str, Any]) -> bool:
    account = current_account()
    return account is not None and str(listing["member_id"]) == account.member_id


@bp.post("/app/place-de-marche/<uuid:listing_id>/contact")
@page("member")
def marketplace_contact(listing_id: str) -> ResponseReturnValue:
    message = request.form.get("message", "").strip()
    try:
        api().post(tenant_path(f"/listings/{listing_id}/contact"), {"message": message})
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        listing = from_partner(api().get(tenant_path(f"/listings/{listing_id}")))
        return _listing_page(listing, message, exc), 422
    flash("Votre message a été envoyé à l'annonceur.", "success")
    return redirect(url_for("web.marketplace_listing", listing_id=listing_id))
