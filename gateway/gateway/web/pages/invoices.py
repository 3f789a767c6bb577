"""The member's invoices: list, draft with live totals, issue, PDF, accept or dispute."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.directory import (
    counterpart_choices,
    member_id_or_blank,
    partner_member,
    partner_network_names,
)
from gateway.web.formatting import PARIS
from gateway.web.session import api, current_account, tenant_path

VAT_RATES: Final = ("20", "10", "5.5", "2.1", "0")
#: Line rows of a new invoice without JavaScript (the script adds more on demand).
BLANK_LINES: Final = 1
MAX_LINES: Final = 100
#: The buyer's decisions and the seller's, as (form action, API action, needs a reason).
ACTIONS: Final[dict[str, tuple[str, bool, str]]] = {
    "emettre": ("issue", False, "Facture émise."),
    "accepter": ("accept", False, "Facture acceptée : elle part en validation."),
    "contester": ("dispute", True, "Facture contestée."),
    "annuler": ("cancel", False, "Facture annulée."),
}


def parse_lines(form: MultiDict[str, str]) -> list[dict[str, str]]:
    """The filled rows of the form (``lines-<i>-<field>``), in order; blank rows are dropped."""
    lines = []
    for index in range(MAX_LINES):
        row = {
            name: form.get(f"lines-{index}-{name}", "").strip()
            for name in ("description", "quantity", "unit_price", "vat_rate")
        }
        if not any(row[n] for n in ("description", "quantity", "unit_price")):
            if f"lines-{index}-description" not in form:
                break
            continue
        lines.append(
            {
                **row,
                "quantity": _decimal_text(row["quantity"]),
                "unit_price": _decimal_text(row["unit_price"]),
            }
        )
    return lines


def _decimal_text(text: str) -> str:
    """French input to the API's decimal strings: ``1 234,5`` -> ``1234.5``."""
    return text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")


def draft_body(form: MultiDict[str, str]) -> dict[str, Any]:
    mode = form.get("payment_mode", "")
    return {
        "buyer_member_id": form.get("buyer_member_id") or None,
        "payment_mode": int(mode) if mode.isdigit() else None,
        "delivery_date": form.get("delivery_date") or None,
        "listing_id": form.get("listing_id") or None,
        "buyer_reference": form.get("buyer_reference", "").strip(),
        "note": form.get("note", "").strip(),
        "lines": parse_lines(form),
    }


@bp.get("/app/factures")
@page("member")
def invoices() -> ResponseReturnValue:
    account = current_account()
    assert account is not None  # noqa: S101 (page())
    role = request.args.get("role") if request.args.get("role") in ("seller", "buyer") else None
    found = api().get(tenant_path("/invoices"), per_page=50, role=role)
    return render_template("invoices/list.html", invoices=found["items"], role=role)


@bp.route("/app/factures/nouvelle", methods=["GET", "POST"])
@page("member")
def invoice_new() -> ResponseReturnValue:
    """A draft; the buyer may be a member of a linked network, from its listing
    (``?acheteur=<id>&annonce=<listing>``), its part then converted at the link's rate."""
    account = current_account()
    assert account is not None  # noqa: S101 (page())
    error: ApiError | None = None
    source = request.form if request.method == "POST" else request.args
    chosen = member_id_or_blank(source.get("buyer_member_id") or source.get("acheteur"))
    listing_id = member_id_or_blank(source.get("listing_id") or source.get("annonce"))
    partner = partner_member(chosen, listing_id) if listing_id else None
    if request.method == "POST":
        body = draft_body(request.form)
        try:
            created = api().post(tenant_path("/invoices"), body)
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            error = exc
        else:
            flash("Brouillon enregistré : vérifiez-le, puis émettez la facture.", "success")
            return redirect(url_for("web.invoice", invoice_id=created["id"]))
        values = {**request.form.to_dict(), "lines": body["lines"] or [{}]}
    else:
        line = {"vat_rate": "20", "quantity": "1"}
        if partner is not None:
            line["description"] = partner.listing_title
        values = {
            "buyer_member_id": chosen,
            "listing_id": listing_id,
            "payment_mode": str(account.payment_modes[0]),
            "delivery_date": datetime.now(PARIS).date().isoformat(),
            "lines": [line] * BLANK_LINES,
        }
    rates = [(rate, rate.replace(".", ",") + " %") for rate in VAT_RATES]
    return render_template(
        "invoices/new.html",
        values=values,
        error=error,
        buyers=counterpart_choices(chosen, partner),
        partner=partner,
        vat_rates=rates,
    ), 200 if error is None else 422


@bp.get("/app/factures/<uuid:invoice_id>")
@page("member")
def invoice(invoice_id: str) -> ResponseReturnValue:
    found = api().get(tenant_path(f"/invoices/{invoice_id}"))
    return render_template(
        "invoices/show.html", invoice=found, partners=_partners(found), error=None, reason=""
    )


def _partners(invoice: dict[str, Any]) -> dict[str, str]:
    """The partner networks' names for an invoice between two networks (none within one)."""
    return partner_network_names() if invoice.get("buyer_unit") else {}


@bp.post("/app/factures/<uuid:invoice_id>/<any(emettre,accepter,contester,annuler):action>")
@page("member")
def invoice_action(invoice_id: str, action: str) -> ResponseReturnValue:
    """One transition of the invoice; the API says who may make it and when."""
    api_action, needs_reason, done = ACTIONS[action]
    reason = request.form.get("reason", "").strip()
    try:
        if needs_reason and not reason:
            raise ApiError(
                422,
                "validation_failed",
                "Indiquez le motif de la contestation.",
                {"reason": ["Ce champ est obligatoire."]},
            )
        body = {"reason": reason} if needs_reason or reason else {}
        api().post(tenant_path(f"/invoices/{invoice_id}/{api_action}"), body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        found = api().get(tenant_path(f"/invoices/{invoice_id}"))
        return render_template(
            "invoices/show.html",
            invoice=found,
            partners=_partners(found),
            error=exc,
            reason=reason,
        ), exc.status
    flash(done, "success")
    return redirect(url_for("web.invoice", invoice_id=invoice_id))


@bp.get("/app/factures/<uuid:invoice_id>/pdf")
@page("member")
def invoice_pdf(invoice_id: str) -> ResponseReturnValue:
    upstream = api().download(tenant_path(f"/invoices/{invoice_id}/pdf"), "application/pdf")
    # Always a download (the API may say inline), under the API's file name.
    named = re.search(r'filename="?([\w.-]+)"?', upstream.headers.get("Content-Disposition", ""))
    filename = named.group(1) if named else f"facture-{invoice_id}.pdf"
    return Response(
        stream_with_context(upstream.iter_content(64 * 1024)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
