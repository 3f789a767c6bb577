"""Payments without an invoice: « Demander un paiement » (the payee), « Payer » (the payer), the
member's requests and payments with their decisions, and the animators' validation of them (a
member of a linked network named with « Réseau partenaire », the amount in both units); the
animators' membership fees (« Cotisations »)."""

from __future__ import annotations

import secrets
from typing import Any, Final

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.directory import (
    PartnerMember,
    counterpart_choices,
    member_id_or_blank,
    partner_link,
    partner_member,
    partner_network_names,
)
from gateway.web.pages.invoices import _decimal_text
from gateway.web.session import api, current_account, tenant_path

#: Form action -> (API path segment, API action, needs a reason, flash message).
ACTIONS: Final[dict[str, tuple[str, bool, str]]] = {
    "accepter": ("accept", False, "Demande acceptée : le montant est réservé sur votre compte."),
    "refuser": ("decline", False, "Demande refusée."),
    "valider": ("validate", False, "Paiement validé."),
    "rejeter": ("reject", True, "Paiement refusé."),
}
KINDS: Final = {"demande": "/payment-requests", "paiement": "/payments"}


def _lists() -> dict[str, Any]:
    account = current_account()
    assert account is not None  # noqa: S101 (page())
    # The animators see their queue; a member, every payment it is party to.
    status = {"status": "awaiting_validation"} if account.has("animator", "operator") else {}
    requests = api().get(tenant_path("/payment-requests"), per_page=50, **status)["items"]
    payments = api().get(tenant_path("/payments"), per_page=50, **status)["items"]
    # A payment with a member of a linked network names that network (« Réseau partenaire »).
    crossing = any(p.get("converted_amount") is not None for p in (*requests, *payments))
    return {
        "requests": requests,
        "payments": payments,
        "partners": partner_network_names() if crossing else {},
    }


@bp.get("/app/paiements")
@page("member", "animator", "operator")
def payments() -> ResponseReturnValue:
    return render_template("payments/list.html", error=None, **_lists())


def _prefill(kind: str, counterpart: str, partner: PartnerMember | None) -> dict[str, str]:
    """A new form's values; from a partner network's listing: its member, its title, and for a
    payment its price in the payer's unit when known."""
    values = {counterpart: member_id_or_blank(request.args.get("membre")), "amount": ""}
    values["description"] = ""
    if partner is not None:
        values["description"] = partner.listing_title
        if kind == "paiement" and partner.price_in_your_unit:
            values["amount"] = partner.price_in_your_unit.replace(".", ",")
    return values


def _form(kind: str) -> ResponseReturnValue:
    """« Demander un paiement » (``demande``) or « Payer » (``paiement``); the counterpart may be
    a member of a linked network, from its listing (``?membre=<id>&annonce=<listing>``)."""
    error: ApiError | None = None
    counterpart = "payer_member_id" if kind == "demande" else "payee_member_id"
    source = request.form if request.method == "POST" else request.args
    listing_id = member_id_or_blank(source.get("listing_id") or source.get("annonce"))
    chosen = member_id_or_blank(source.get(counterpart) or source.get("membre"))
    partner = partner_member(chosen, listing_id) if listing_id else None
    values = _prefill(kind, counterpart, partner)
    if request.method == "POST":
        values = {
            counterpart: request.form.get(counterpart, ""),
            "amount": request.form.get("amount", "").strip(),
            "description": request.form.get("description", "").strip(),
        }
        body = {**values, "amount": _decimal_text(values["amount"])}
        headers: dict[str, str] = {}
        if kind == "paiement":
            # One key per form: a double submission pays once.
            key = request.form.get("idempotency_key") or secrets.token_hex(16)
            headers["Idempotency-Key"] = key
        try:
            created = api().send("POST", tenant_path(KINDS[kind]), json=body, headers=headers)
        except ApiError as exc:
            if exc.status not in (403, 409, 422):
                raise
            error = exc
        else:
            flash(
                "Demande envoyée : le payeur l'accepte ou la refuse."
                if kind == "demande"
                else "Paiement enregistré : il part en validation à l'association.",
                "success",
            )
            return redirect(url_for("web.payment", kind=kind, payment_id=created.json()["id"]))
    return render_template(
        "payments/new.html",
        kind=kind,
        counterpart=counterpart,
        values=values,
        members=counterpart_choices(chosen, partner),
        partner=partner,
        listing_id=listing_id,
        error=error,
        idempotency_key=secrets.token_hex(16),
    ), 200 if error is None else (403 if error.status == 403 else 422)


@bp.route("/app/paiements/demander", methods=["GET", "POST"])
@page("member")
def payment_request_new() -> ResponseReturnValue:
    return _form("demande")


@bp.route("/app/paiements/payer", methods=["GET", "POST"])
@page("member")
def payment_new() -> ResponseReturnValue:
    return _form("paiement")


def other_side(payment: dict[str, Any]) -> dict[str, Any] | None:
    """A payment with a member of a linked network seen from the reader's network: the partner
    network's name, the amount in each unit and the frozen rate (None within one network)."""
    account = current_account()
    if payment.get("converted_amount") is None or account is None:
        return None
    mine = account.network
    partner = next(
        (str(payment[n]) for n in ("payer_network", "payee_network") if payment.get(n) != mine),
        str(payment.get("payee_network") or ""),
    )
    link = partner_link(partner) or {}
    partner_unit = str(link.get("partner_unit") or "")
    written_here = payment.get("network") == mine
    own = (payment["amount"], account.unit_name)
    theirs = (payment["converted_amount"], partner_unit or str(payment.get("converted_unit")))
    if not written_here:
        own = (payment["converted_amount"], account.unit_name)
        theirs = (payment["amount"], partner_unit or str(payment.get("unit")))
    return {
        "network": partner,
        "network_name": str(link.get("partner_network_name") or partner),
        "own_amount": own[0],
        "own_unit": own[1],
        "their_amount": theirs[0],
        "their_unit": theirs[1],
        # The rate as the API froze it: the counterpart's units for one unit of the writer's.
        "rate_from": own[1] if written_here else theirs[1],
        "rate_to": theirs[1] if written_here else own[1],
        "rate": str(payment.get("exchange_rate") or ""),
    }


@bp.get("/app/paiements/<any(demande,paiement):kind>/<uuid:payment_id>")
@page("member", "animator", "operator")
def payment(kind: str, payment_id: str) -> ResponseReturnValue:
    """One payment without an invoice; between two networks, both sides and the frozen rate."""
    found = api().get(tenant_path(f"{KINDS[kind]}/{payment_id}"))
    return render_template(
        "payments/show.html", kind=kind, payment=found, side=other_side(found), error=None
    )


@bp.post(
    "/app/paiements/<any(demande,paiement):kind>/<uuid:payment_id>"
    "/<any(accepter,refuser,valider,rejeter):action>"
)
@page("member", "animator", "operator")
def payment_action(kind: str, payment_id: str, action: str) -> ResponseReturnValue:
    """One decision on a payment; the API says who may take it and when."""
    api_action, needs_reason, done = ACTIONS[action]
    reason = request.form.get("reason", "").strip()
    try:
        if needs_reason and not reason:
            raise ApiError(
                422,
                "validation_failed",
                "Indiquez le motif du refus.",
                {"reason": ["Ce champ est obligatoire."]},
            )
        body = {"reason": reason} if needs_reason or reason else {}
        api().post(tenant_path(f"{KINDS[kind]}/{payment_id}/{api_action}"), body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return render_template("payments/list.html", error=exc, **_lists()), exc.status
    flash(done, "success")
    return redirect(url_for("web.payments"))


# --- the animators' membership fees ------------------------------------------------------------


@bp.get("/app/cotisations")
@page("animator", "operator")
def fees() -> ResponseReturnValue:
    status = request.args.get("statut") if request.args.get("statut") in ("due", "paid") else None
    found = api().get(tenant_path("/fees"), per_page=100, status=status)
    return render_template("payments/fees.html", fees=found["items"], status=status)


@bp.get("/app/cotisations.csv")
@page("animator", "operator")
def fees_csv() -> ResponseReturnValue:
    upstream = api().download(tenant_path("/fees"), "text/csv")
    return Response(
        upstream.content,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cotisations.csv"'},
    )


@bp.post("/app/cotisations/<uuid:fee_id>/payee")
@page("animator", "operator")
def fee_paid(fee_id: str) -> ResponseReturnValue:
    api().post(tenant_path(f"/fees/{fee_id}/paid"), {})
    flash("Cotisation enregistrée comme payée.", "success")
    return redirect(url_for("web.fees", statut="due"))
