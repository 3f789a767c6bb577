"""Accounts: one's own password, the tenant's users (animators), the operator's own accounts."""

from __future__ import annotations

from typing import Any, Final

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.pages.operator import tenant_body
from gateway.web.session import api, current_account, tenant_path

ANIMATOR: Final = "animator"
OPERATOR: Final = "operator"
ROLE_CHOICES: Final = (("animator", "Animateur"), ("member", "Adhérent"))


# --- my account ----------------------------------------------------------------------------------


def _account_page(*, error: ApiError | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("account/account.html", error=error), status


@bp.get("/app/mon-compte")
@page()
def my_account() -> ResponseReturnValue:
    return _account_page()


@bp.post("/app/mon-compte/mot-de-passe")
@page()
def my_password() -> ResponseReturnValue:
    """Change one's password; the other sessions end (this one goes on with a new login)."""
    new = request.form.get("new_password", "")
    if new != request.form.get("new_password_again", ""):
        error = ApiError(
            422,
            "validation_failed",
            "Certains champs sont à corriger.",
            {"new_password_again": ["Les deux mots de passe diffèrent."]},
        )
        return _account_page(error=error, status=422)
    try:
        api().post(
            "/auth/password",
            {"current_password": request.form.get("current_password", ""), "new_password": new},
        )
    except ApiError as exc:
        if exc.status in (400, 422, 429):
            if "password" in exc.fields:
                exc.fields["new_password"] = exc.fields.pop("password")
            return _account_page(error=exc, status=422 if exc.status != 429 else 429)
        raise
    flash("Votre mot de passe est changé. Vos autres sessions sont fermées.", "success")
    return redirect(url_for("web.my_account"))


# --- the tenant's users (animators) --------------------------------------------------------------


def _users_page(
    *, error: ApiError | None = None, values: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    users = list(api().items(tenant_path("/users")))
    members = {str(m["id"]): m["name"] for m in api().items(tenant_path("/members"))}
    return render_template(
        "animator/users.html",
        users=users,
        members=members,
        error=error,
        values=values or {"email": "", "role": "animator"},
        roles=ROLE_CHOICES,
    ), status


@bp.get("/app/utilisateurs")
@page(ANIMATOR)
def users() -> ResponseReturnValue:
    return _users_page()


@bp.post("/app/utilisateurs")
@page(ANIMATOR)
def user_invite() -> ResponseReturnValue:
    """Create an animator's account without a password: they are e-mailed an invitation."""
    values = {"email": request.form.get("email", "").strip(), "role": "animator"}
    try:
        api().post(tenant_path("/users"), values)
    except ApiError as exc:
        if exc.status in (400, 409, 422):
            return _users_page(error=exc, values=values, status=422)
        raise
    flash(f"Invitation envoyée à {values['email']}.", "success")
    return redirect(url_for("web.users"))


@bp.post("/app/utilisateurs/<uuid:user_id>/<any(activer, desactiver):action>")
@page(ANIMATOR)
def user_status(user_id: Any, action: str) -> ResponseReturnValue:
    status = "active" if action == "activer" else "disabled"
    user = api().patch(tenant_path(f"/users/{user_id}"), {"status": status})
    flash(
        f"Le compte {user['email']} est {'réactivé' if status == 'active' else 'désactivé'}.",
        "success",
    )
    return redirect(url_for("web.users"))


# --- the operator's own accounts -----------------------------------------------------------------


def _operators_page(
    *, error: ApiError | None = None, values: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "operator/users.html",
        users=list(api().items("/users")),
        error=error,
        values=values or {"email": ""},
    ), status


@bp.get("/app/operateurs")
@page(OPERATOR)
def operator_users() -> ResponseReturnValue:
    return _operators_page()


@bp.post("/app/operateurs")
@page(OPERATOR)
def operator_user_invite() -> ResponseReturnValue:
    values = {"email": request.form.get("email", "").strip()}
    try:
        api().post("/users", values)
    except ApiError as exc:
        if exc.status in (400, 409, 422):
            return _operators_page(error=exc, values=values, status=422)
        raise
    flash(f"Invitation envoyée à {values['email']}.", "success")
    return redirect(url_for("web.operator_users"))


@bp.post("/app/operateurs/<uuid:user_id>/<any(activer, desactiver):action>")
@page(OPERATOR)
def operator_user_status(user_id: Any, action: str) -> ResponseReturnValue:
    status = "active" if action == "activer" else "disabled"
    user = api().patch(f"/users/{user_id}", {"status": status})
    flash(
        f"Le compte {user['email']} est {'réactivé' if status == 'active' else 'désactivé'}.",
        "success",
    )
    return redirect(url_for("web.operator_users"))


# --- the audit log -------------------------------------------------------------------------------

#: The actions of the audit log, in French.
ACTIONS: Final[dict[str, str]] = {
    "member_admitted": "Admission d'un adhérent",
    "member_updated": "Fiche adhérent modifiée",
    "member_suspended": "Adhérent suspendu",
    "member_reinstated": "Adhérent réintégré",
    "member_left": "Départ d'un adhérent",
    "user_created": "Compte créé",
    "user_disabled": "Compte désactivé",
    "user_enabled": "Compte réactivé",
    "user_role_changed": "Rôle modifié",
    "api_key_created": "Clé d'API créée",
    "api_key_revoked": "Clé d'API révoquée",
    "network_created": "Réseau créé",
    "network_updated": "Réseau modifié",
    "tenant_created": "Association créée",
    "transfer_made": "Virement manuel",
    "hold_posted": "Réservation débitée",
    "hold_voided": "Réservation annulée",
    "credit_limit_changed": "Découvert modifié",
    "transfer_approved": "Virement approuvé",
    "transfer_rejected": "Virement rejeté",
    "tenant_updated": "Association modifiée",
    "tenant_closed": "Association fermée",
    "tenant_reopened": "Association rouverte",
    "member_moved": "Adhérent déplacé",
    "account_moved": "Compte déplacé",
}
PER_PAGE: Final = 50


@bp.get("/app/journal")
@page(ANIMATOR, OPERATOR)
def audit_log() -> ResponseReturnValue:
    """Staff actions, newest first: the tenant's (animators) or the deployment's (operator)."""
    account = current_account()
    assert account is not None  # noqa: S101 (page() guarantees it)
    filters = {
        "action": request.args.get("action", "").strip(),
        "actor": request.args.get("actor", "").strip(),
        "since": request.args.get("since", "").strip(),
    }
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    path = "/audit" if account.has(OPERATOR) else tenant_path("/audit")
    error: ApiError | None = None
    log: dict[str, Any] = {"items": [], "total": 0, "sources": {}}
    try:
        log = api().get(
            path,
            page=page_number,
            per_page=PER_PAGE,
            action=filters["action"],
            actor=filters["actor"],
            since=f"{filters['since']}T00:00:00+00:00" if filters["since"] else None,
        )
    except ApiError as exc:
        if exc.status != 422:
            raise
        error = exc
    pages = max(1, -(-int(log["total"]) // PER_PAGE))
    missing = [name for name, state in (log.get("sources") or {}).items() if state != "ok"]
    return render_template(
        "audit.html",
        log=log,
        filters=filters,
        page=page_number,
        pages=pages,
        actions=ACTIONS,
        missing=missing,
        error=error,
    )


# --- a tenant of a network (operator) ------------------------------------------------------------


@bp.route("/app/reseaux/<slug>/associations/<tenant>", methods=["GET", "POST"])
@page(OPERATOR)
def network_tenant(slug: str, tenant: str) -> ResponseReturnValue:
    """Edit a tenant: name, departments, contact (its identifier never changes)."""
    path = f"/networks/{slug}/tenants/{tenant}"
    current = api().get(path)
    error: ApiError | None = None
    if request.method == "POST":
        body = tenant_body(request.form)
        body.pop("slug", None)
        body.setdefault("contact", None)
        try:
            current = api().patch(path, body)
        except ApiError as exc:
            if exc.status not in (400, 422):
                raise
            error = exc
        else:
            flash(f"Association « {current['name']} » modifiée.", "success")
            return redirect(url_for("web.network", slug=slug))
    contact = current.get("contact") or {}
    values = {
        "name": request.form.get("name", current["name"]),
        "departments": request.form.get("departments", ", ".join(current["departments"])),
        **{
            f"contact-{k}": request.form.get(f"contact-{k}", contact.get(k) or "")
            for k in ("name", "email", "phone")
        },
    }
    return _tenant_page(slug, current, values=values, error=error)


def _tenant_page(
    slug: str,
    current: dict[str, Any],
    *,
    values: dict[str, Any] | None = None,
    error: ApiError | None = None,
    move: dict[str, str] | None = None,
    move_error: ApiError | None = None,
) -> ResponseReturnValue:
    """The tenant's page: its settings form, closing or reopening it, moving its members."""
    if values is None:
        contact = current.get("contact") or {}
        values = {
            "name": current["name"],
            "departments": ", ".join(current["departments"]),
            **{f"contact-{k}": contact.get(k) or "" for k in ("name", "email", "phone")},
        }
    members = sorted(
        api().items(f"/t/{current['slug']}/members"), key=lambda m: str(m["name"]).lower()
    )
    others = sorted(
        (
            t
            for t in api().items(f"/networks/{slug}/tenants")
            if t["slug"] != current["slug"] and t.get("status") != "closed"
        ),
        key=lambda t: str(t["name"]),
    )
    failed = error is not None or move_error is not None
    return render_template(
        "operator/tenant.html",
        network_slug=slug,
        tenant=current,
        values=values,
        error=error,
        members=members,
        others=others,
        move=move or {"member_id": "", "tenant": ""},
        move_error=move_error,
    ), 422 if failed else 200


@bp.post("/app/reseaux/<slug>/associations/<tenant>/statut")
@page(OPERATOR)
def network_tenant_status(slug: str, tenant: str) -> ResponseReturnValue:
    """Close a tenant (its users and API keys are refused, its accounts frozen) or reopen it."""
    status = "closed" if request.form.get("status") == "closed" else "active"
    try:
        changed = api().patch(f"/networks/{slug}/tenants/{tenant}", {"status": status})
    except ApiError as exc:
        if exc.status not in (400, 409, 422, 503):
            raise
        flash(exc.message, "error")
    else:
        if status == "closed":
            flash(
                f"Association « {changed['name']} » fermée : ses utilisateurs ne peuvent plus se "
                "connecter et les comptes de ses adhérents sont gelés.",
                "success",
            )
        else:
            flash(f"Association « {changed['name']} » rouverte.", "success")
    return redirect(url_for("web.network_tenant", slug=slug, tenant=tenant))


@bp.post("/app/reseaux/<slug>/associations/<tenant>/deplacer")
@page(OPERATOR)
def network_tenant_move(slug: str, tenant: str) -> ResponseReturnValue:
    """Move a member (its users and its account) to another association of the network."""
    current = api().get(f"/networks/{slug}/tenants/{tenant}")
    move = {
        "member_id": request.form.get("member_id", ""),
        "tenant": request.form.get("tenant", ""),
    }
    if not move["member_id"] or not move["tenant"]:
        error = ApiError(
            422,
            "validation_failed",
            "Certains champs sont à corriger.",
            {
                name: [label]
                for name, label in (
                    ("member_id", "Choisissez l'adhérent à déplacer."),
                    ("tenant", "Choisissez l'association d'arrivée."),
                )
                if not move[name]
            },
        )
        return _tenant_page(slug, current, move=move, move_error=error)
    try:
        moved = api().post(
            f"/t/{tenant}/members/{move['member_id']}/move", {"tenant": move["tenant"]}
        )
    except ApiError as exc:
        if exc.status not in (400, 404, 409, 422, 503):
            raise
        return _tenant_page(slug, current, move=move, move_error=exc)
    flash(f"Adhérent « {moved['name']} » déplacé vers {move['tenant']}.", "success")
    return redirect(url_for("web.network_tenant", slug=slug, tenant=tenant))
