"""The member's own listings: list, publish, edit, pause and resume."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.pages.marketplace import category_options
from gateway.web.session import api, current_account, tenant_path

FORM_FIELDS = (
    "kind",
    "title",
    "category",
    "description",
    "price-type",
    "price-amount",
    "payment_modes",
    "departments",
    "visibility",
)


def listing_body(form: MultiDict[str, str], *, creating: bool) -> dict[str, Any]:
    """The API body of the listing form (the API checks every field)."""
    price_type = form.get("price-type", "on_quote")
    amount = form.get("price-amount", "").strip().replace(",", ".").replace(" ", "")
    departments = [
        d.strip() for d in form.get("departments", "").replace(";", ",").split(",") if d.strip()
    ]
    body: dict[str, Any] = {
        "title": form.get("title", "").strip(),
        "category": form.get("category", ""),
        "description": form.get("description", "").strip(),
        "price": {
            "type": price_type,
            "amount": amount if amount and price_type != "on_quote" else None,
        },
        "payment_modes": [int(m) for m in form.getlist("payment_modes") if m.isdigit()],
        "departments": departments,
        "visibility": form.get("visibility", "network"),
    }
    if creating:
        body["kind"] = form.get("kind", "offer")
    return body


def form_values(listing: dict[str, Any] | None) -> dict[str, Any]:
    """The form's values: those of a listing, or the defaults of a new one."""
    account = current_account()
    if listing is None:
        return {
            "kind": "offer",
            "title": "",
            "category": "",
            "description": "",
            "price-type": "fixed",
            "price-amount": "",
            "payment_modes": [str(m) for m in (account.payment_modes if account else ())],
            "departments": "",
            "visibility": "network",
        }
    price = listing.get("price") or {}
    return {
        "kind": listing["kind"],
        "title": listing["title"],
        "category": listing["category"],
        "description": listing.get("description", ""),
        "price-type": price.get("type", "on_quote"),
        "price-amount": price.get("amount") or "",
        "payment_modes": [str(m) for m in listing.get("payment_modes", ())],
        "departments": ", ".join(listing.get("departments", ())),
        "visibility": listing.get("visibility", "network"),
    }


def submitted_values(form: MultiDict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: form.get(name, "") for name in FORM_FIELDS}
    values["payment_modes"] = form.getlist("payment_modes")
    return values


def _render(
    values: dict[str, Any],
    error: ApiError | None,
    listing: dict[str, Any] | None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "listings/form.html",
        values=values,
        error=error,
        listing=listing,
        categories=category_options(),
        fields=FORM_FIELDS,
    ), status


@bp.get("/app/mes-annonces")
@page("member")
def my_listings() -> ResponseReturnValue:
    account = current_account()
    assert account is not None  # noqa: S101 (page())
    listings = list(
        api().items(
            tenant_path("/listings"),
            member_id=account.member_id,
            status="all",
            scope="network",
            per_page=100,
        )
    )
    return render_template("listings/mine.html", listings=listings)


@bp.route("/app/mes-annonces/nouvelle", methods=["GET", "POST"])
@page("member")
def my_listing_new() -> ResponseReturnValue:
    if request.method == "GET":
        return _render(form_values(None), None, None)
    try:
        created = api().post(tenant_path("/listings"), listing_body(request.form, creating=True))
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return _render(submitted_values(request.form), exc, None, 422)
    flash(f"Votre annonce « {created['title']} » est publiée.", "success")
    return redirect(url_for("web.my_listings"))


@bp.route("/app/mes-annonces/<uuid:listing_id>/modifier", methods=["GET", "POST"])
@page("member")
def my_listing_edit(listing_id: str) -> ResponseReturnValue:
    listing = api().get(tenant_path(f"/listings/{listing_id}"))
    if request.method == "GET":
        return _render(form_values(listing), None, listing)
    try:
        api().patch(
            tenant_path(f"/listings/{listing_id}"), listing_body(request.form, creating=False)
        )
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return _render(
            {**submitted_values(request.form), "kind": listing["kind"]}, exc, listing, 422
        )
    flash("Votre annonce est modifiée.", "success")
    return redirect(url_for("web.my_listings"))


@bp.post("/app/mes-annonces/<uuid:listing_id>/statut")
@page("member")
def my_listing_status(listing_id: str) -> ResponseReturnValue:
    """Pause a listing, or put it back on the marketplace."""
    status = "paused" if request.form.get("status") == "paused" else "active"
    api().patch(tenant_path(f"/listings/{listing_id}"), {"status": status})
    flash("Annonce mise en pause." if status == "paused" else "Annonce remise en ligne.", "success")
    return redirect(url_for("web.my_listings"))
