"""Money products: the animators' credit lines due for review or expiry, and the operator's view
of a network's fee account (balance, statement, commissions, transfers out of it)."""

from __future__ import annotations

import uuid
from typing import Any, Final

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.session import api, tenant_path

#: The horizon of the animators' list, in days (the API's default).
REVIEW_DAYS: Final = 30
FEE_TRANSFER_FIELDS: Final = ("payee_member_id", "tenant", "amount", "reference")


@bp.get("/app/revisions-credit")
@page("animator")
def credit_reviews() -> ResponseReturnValue:
    """Credit lines to review or ending within 30 days, soonest first."""
    data = api().get(tenant_path("/credit-reviews"), days=REVIEW_DAYS, per_page=500)
    return render_template(
        "animator/credit_reviews.html", lines=data["items"], total=data["total"], days=REVIEW_DAYS
    )


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.route("/app/reseaux/<slug>/compte-de-frais", methods=["GET", "POST"])
@page("operator")
def fee_account(slug: str) -> ResponseReturnValue:
    """The network's fee account; the form pays a member out of it (once per form shown)."""
    settings = api().get(f"/networks/{slug}")
    error: ApiError | None = None
    values: dict[str, Any] = {name: "" for name in FEE_TRANSFER_FIELDS}
    values["key"] = uuid.uuid4().hex
    if request.method == "POST":
        values = {n: request.form.get(n, "").strip() for n in (*FEE_TRANSFER_FIELDS, "key")}
        try:
            made = (
                api()
                .send(
                    "POST",
                    f"/networks/{slug}/fee-account/transfers",
                    json={name: values[name] for name in FEE_TRANSFER_FIELDS},
                    headers={"Idempotency-Key": values["key"] or uuid.uuid4().hex},
                )
                .json()
            )
        except ApiError as exc:
            if exc.status not in (400, 404, 409, 422):
                raise
            error = exc
        else:
            flash(f"Virement de {made['amount']} effectué depuis le compte de frais.", "success")
            return redirect(url_for("web.fee_account", slug=slug))
    number = _page_number()
    account = api().get(f"/networks/{slug}/fee-account", page=number, per_page=25)
    commissions = api().get(f"/networks/{slug}/commissions")
    tenants = sorted(api().items(f"/networks/{slug}/tenants"), key=lambda t: str(t["name"]))
    return render_template(
        "operator/fee_account.html",
        network=settings,
        account=account,
        commissions=commissions,
        tenants=tenants,
        values=values,
        error=error,
        page_number=number,
        pages=max(1, -(-int(account["total"]) // int(account["per_page"]))),
    ), 422 if error is not None else 200
