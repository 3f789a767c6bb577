"""The animators' members: the list with statuses and balances, admission, CSV import, a member's
page (suspend, reinstate, credit limit and its history, a login for the company).

Everything through the public API: the directory is the gateway's (``/t/<t>/members``), the
accounts and credit limits the ledger's (``/t/<t>/accounts``).
"""

from __future__ import annotations

from typing import Any, Final

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.formatting import units
from gateway.web.session import api, tenant_path

ANIMATOR: Final = "animator"

#: The admission form's fields, in the API's names (their errors come back under them).
ADMISSION_FIELDS: Final = (
    "name",
    "siret",
    "vat_number",
    "naf",
    "address",
    "department",
    "email",
    "phone",
    "credit_limit",
)
STATUSES: Final = (("admitted", "Admis"), ("suspended", "Suspendus"), ("left", "Partis"))
#: Largest CSV file the page sends on (the API refuses larger ones with its own message).
MAX_UPLOAD: Final = 2 * 1024 * 1024
#: An import report in French: the columns as the file names them, the usual problems.
IMPORT_COLUMNS: Final = {
    "name": "Raison sociale",
    "siret": "SIRET",
    "vat_number": "TVA",
    "naf": "NAF",
    "address": "Adresse",
    "postal_code": "Code postal",
    "city": "Ville",
    "department": "Département",
    "email": "E-mail",
    "phone": "Téléphone",
    "file": "Fichier",
}
IMPORT_PROBLEMS: Final = {
    "required": "Valeur manquante.",
    "bad_key": "Clé de contrôle incorrecte : vérifiez le numéro.",
    "bad_format": "Format incorrect.",
    "bad_length": "Nombre de caractères incorrect.",
    "not_digits": "Chiffres uniquement.",
    "not_covered": "Département hors du territoire de l'association.",
    "duplicate": "Déjà membre du réseau (même SIRET).",
    "mismatch": "Le SIRET et le numéro de TVA ne désignent pas la même entreprise.",
    "empty_file": "Le fichier est vide.",
    "encoding": "Le fichier doit être enregistré en UTF-8 ou en Windows-1252.",
    "bad_csv": "Le fichier n'est pas un CSV lisible.",
}


def import_report(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The refused import's rows in French (the API's own words kept beside them)."""
    return [
        {
            "line": row.get("line"),
            "column": IMPORT_COLUMNS.get(str(row.get("field")), row.get("field")),
            "problem": IMPORT_PROBLEMS.get(str(row.get("code")), ""),
            "detail": row.get("message", ""),
        }
        for row in rows
    ]


def _accounts_by_member() -> dict[str, dict[str, Any]]:
    """The ledger accounts of the tenant, by member id (balances and credit limits)."""
    return {
        str(a["member_id"]): a
        for a in api().items(tenant_path("/accounts"), per_page=500, limit=20_000)
    }


@bp.get("/app/adherents")
@page(ANIMATOR)
def members() -> ResponseReturnValue:
    status = request.args.get("statut", "")
    if status not in {key for key, _ in STATUSES}:
        status = ""
    listed = sorted(
        api().items(tenant_path("/members"), status=status or None, limit=20_000),
        key=lambda m: str(m["name"]).lower(),
    )
    return render_template(
        "animator/members.html",
        members=listed,
        accounts=_accounts_by_member(),
        status=status,
        statuses=STATUSES,
    )


@bp.route("/app/adherents/nouveau", methods=["GET", "POST"])
@page(ANIMATOR)
def member_new() -> ResponseReturnValue:
    """Admit a company: its ledger account opens with the network's credit limit (or another)."""
    values = {name: request.form.get(name, "").strip() for name in ADMISSION_FIELDS}
    error: ApiError | None = None
    if request.method == "POST":
        body: dict[str, Any] = {k: v for k, v in values.items() if v}
        if "credit_limit" in body:
            body["credit_limit"] = body["credit_limit"].replace(",", ".").replace(" ", "")
        try:
            member = api().post(tenant_path("/members"), body)
        except ApiError as exc:
            error = exc
        else:
            flash(f"{member['name']} est admis : son compte est ouvert.", "success")
            return redirect(url_for("web.member_detail", member_id=member["id"]))
    return render_template(
        "animator/member_new.html", values=values, error=error
    ), 200 if error is None else 422


@bp.route("/app/adherents/import", methods=["GET", "POST"])
@page(ANIMATOR)
def members_import() -> ResponseReturnValue:
    """Admit the companies of a CSV file: all of them, or none and a report per line."""
    error: ApiError | None = None
    admitted: list[dict[str, Any]] | None = None
    if request.method == "POST":
        upload = request.files.get("fichier")
        if upload is None or not upload.filename:
            error = ApiError(
                422,
                "validation_failed",
                "Choisissez un fichier CSV.",
                {"fichier": ["Choisissez un fichier CSV."]},
            )
        else:
            data = upload.stream.read(MAX_UPLOAD + 1)
            try:
                result = api().upload(
                    tenant_path("/members/import"),
                    data,
                    filename=upload.filename,
                    content_type="text/csv",
                )
            except ApiError as exc:
                error = exc
            else:
                admitted = list(result["members"])
                flash(f"{result['admitted']} adhérent(s) admis.", "success")
    rows = import_report(error.body.get("rows", [])) if error else []
    return render_template(
        "animator/members_import.html", error=error, rows=rows, admitted=admitted
    ), 200 if error is None else 422


def _member_page(
    member_id: str,
    *,
    limit_error: ApiError | None = None,
    user_error: ApiError | None = None,
    limit_value: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    member = api().get(tenant_path(f"/members/{member_id}"))
    account, history = _account_and_history(member_id)
    users = {str(u["id"]): u for u in api().items(tenant_path("/users"), limit=5000)}
    logins = [u for u in users.values() if str(u.get("member_id")) == member_id]
    return render_template(
        "animator/member.html",
        member=member,
        ledger_account=account,
        history=history,
        users=users,
        logins=logins,
        limit_error=limit_error,
        user_error=user_error,
        limit_value=limit_value,
    ), status


def _account_and_history(member_id: str) -> tuple[dict[str, Any] | None, list[Any]]:
    """The ledger account and its credit limits; None while the ledger has not opened it yet
    (the admission reaches the ledger over the bus, a moment after the member exists)."""
    try:
        account = api().get(tenant_path(f"/accounts/{member_id}"))
    except ApiError as exc:
        if exc.status != 404:
            raise
        return None, []
    history = api().get(tenant_path(f"/accounts/{member_id}/credit-limit/history"), per_page=50)[
        "items"
    ]
    return account, history


@bp.get("/app/adherents/<uuid:member_id>")
@page(ANIMATOR)
def member_detail(member_id: Any) -> ResponseReturnValue:
    return _member_page(str(member_id))


@bp.post("/app/adherents/<uuid:member_id>/decouvert")
@page(ANIMATOR)
def member_credit_limit(member_id: Any) -> ResponseReturnValue:
    """Change the credit limit; the ledger refuses one below what the account already uses."""
    value = request.form.get("credit_limit", "").strip()
    body = {
        "credit_limit": value.replace(",", ".").replace(" ", "").replace("\u202f", ""),
        "reason": request.form.get("reason", "").strip(),
        # Blank: a standing limit, no review date.
        "expires_on": request.form.get("expires_on", "").strip() or None,
        "review_on": request.form.get("review_on", "").strip() or None,
    }
    try:
        account = api().put(tenant_path(f"/accounts/{member_id}/credit-limit"), body)
    except ApiError as exc:
        if exc.status in (400, 409, 422):
            return _member_page(str(member_id), limit_error=exc, limit_value=value, status=422)
        raise
    flash(f"Découvert autorisé fixé à {units(account['credit_limit'])}.", "success")
    return redirect(url_for("web.member_detail", member_id=member_id) + "#decouvert")


@bp.post("/app/adherents/<uuid:member_id>/<any(suspendre, reintegrer):action>")
@page(ANIMATOR)
def member_status(member_id: Any, action: str) -> ResponseReturnValue:
    """Suspend (its account freezes) or reinstate a member."""
    verb = {"suspendre": "suspend", "reintegrer": "reinstate"}[action]
    member = api().post(
        tenant_path(f"/members/{member_id}/{verb}"),
        {"reason": request.form.get("reason", "").strip()},
    )
    flash(f"{member['name']} est {'suspendu' if verb == 'suspend' else 'réintégré'}.", "success")
    return redirect(url_for("web.member_detail", member_id=member_id))


@bp.post("/app/adherents/<uuid:member_id>/acces")
@page(ANIMATOR)
def member_login(member_id: Any) -> ResponseReturnValue:
    """Create a user account for the company (it can change its password by itself later)."""
    body = {
        "email": request.form.get("email", "").strip(),
        "password": request.form.get("password", ""),
        "role": "member",
        "member_id": str(member_id),
    }
    try:
        api().post(tenant_path("/users"), body)
    except ApiError as exc:
        if exc.status in (400, 409, 422):
            return _member_page(str(member_id), user_error=exc, status=422)
        raise
    flash(f"Accès créé pour {body['email']}.", "success")
    return redirect(url_for("web.member_detail", member_id=member_id))


def changed_by_label(change: dict[str, Any], users: dict[str, dict[str, Any]]) -> str:
    """Who changed a credit limit, in words: an animator's e-mail, the operator, the opening."""
    if change.get("old_credit_limit") is None and not change.get("changed_by"):
        return "Ouverture du compte"
    if change.get("changed_by_role") == "operator":
        return "L'opérateur"
    user = users.get(str(change.get("changed_by")))
    return str(user["email"]) if user else "Un animateur"


bp.add_app_template_global(changed_by_label, "changed_by_label")
