"""The animators' validation queue: validate one invoice, several at once, or refuse one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.directory import counterpart_names
from gateway.web.session import api, tenant_path


def _queue() -> list[dict[str, object]]:
    return list(api().items(tenant_path("/invoices"), status="awaiting_validation"))


def _transfers() -> list[dict[str, object]]:
    """Manual transfers above the network's threshold, waiting for a second animator."""
    return list(api().items(tenant_path("/transfer-approvals")))


@bp.get("/app/validation")
@page("animator", "operator")
def validation() -> ResponseReturnValue:
    transfers = _transfers()
    return render_template(
        "animator/validation.html",
        invoices=_queue(),
        transfers=transfers,
        names=counterpart_names(t[side] for t in transfers for side in ("payer", "payee")),
    )


@bp.post("/app/validation/virements/<uuid:transfer_id>/<decision>")
@page("animator", "operator")
def transfer_decision(transfer_id: str, decision: str) -> ResponseReturnValue:
    """Four eyes: approve (the transfer is posted) or reject (it is voided) another animator's
    manual transfer."""
    if decision not in ("approuver", "rejeter"):
        return redirect(url_for("web.validation"))
    action = "approve" if decision == "approuver" else "reject"
    body = {"reason": request.form.get("reason", "").strip()} if action == "reject" else None
    try:
        transfer = api().post(tenant_path(f"/transfers/{transfer_id}/{action}"), body)
    except ApiError as exc:
        if exc.status not in (403, 409, 422):
            raise
        flash(exc.message, "error")
    else:
        done = "approuvé : il est passé" if action == "approve" else "rejeté : il est annulé"
        flash(f"Virement de {transfer['amount']} {done}.", "success")
    return redirect(url_for("web.validation"))


@bp.post("/app/validation")
@page("animator", "operator")
def validation_bulk() -> ResponseReturnValue:
    """Validate the checked invoices; each one succeeds or fails on its own."""
    chosen = request.form.getlist("invoice_ids")
    if not chosen:
        flash("Cochez au moins une facture à valider.", "error")
        return redirect(url_for("web.validation"))
    result = api().post(tenant_path("/invoices/bulk/validate"), {"invoice_ids": chosen})
    refused = [r for r in result["results"] if not r.get("status") or r.get("code")]
    flash(f"{result['validated']} facture(s) validée(s).", "success")
    if refused:
        flash(
            f"{len(refused)} facture(s) n'ont pas pu être validées : elles restent dans la file.",
            "error",
        )
    return redirect(url_for("web.validation"))


@bp.post("/app/validation/<uuid:invoice_id>/valider")
@page("animator", "operator")
def validation_validate(invoice_id: str) -> ResponseReturnValue:
    invoice = api().post(tenant_path(f"/invoices/{invoice_id}/validate"))
    flash(f"Facture {invoice.get('number') or ''} validée : le règlement est en cours.", "success")
    return redirect(url_for("web.validation"))


@bp.post("/app/validation/<uuid:invoice_id>/refuser")
@page("animator", "operator")
def validation_reject(invoice_id: str) -> ResponseReturnValue:
    """Without a reason: the form asking for it; with one: the refusal."""
    invoice = api().get(tenant_path(f"/invoices/{invoice_id}"))
    reason = request.form.get("reason")
    error: ApiError | None = None
    if reason is not None:
        if not reason.strip():
            error = ApiError(
                422,
                "validation_failed",
                "Certains champs sont à corriger.",
                {"reason": ["Indiquez le motif du refus."]},
            )
        else:
            try:
                api().post(
                    tenant_path(f"/invoices/{invoice_id}/reject"), {"reason": reason.strip()}
                )
            except ApiError as exc:
                error = exc
            else:
                flash(f"Facture {invoice.get('number') or ''} refusée.", "success")
                return redirect(url_for("web.validation"))
    return render_template(
        "animator/reject.html", invoice=invoice, reason=reason or "", error=error
    ), 200 if error is None else 422
