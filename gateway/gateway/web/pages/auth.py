"""Login, logout, password reset, and the landing page of each role."""

from __future__ import annotations

from typing import Final

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, open_page, page, safe_next
from gateway.web.client import ApiError
from gateway.web.session import anonymous_client, current_account, sign_in, sign_out

#: Where each role lands after the login (the first endpoint that exists).
HOME_BY_ROLE: Final[dict[str, tuple[str, ...]]] = {
    "member": ("web.dashboard",),
    "animator": ("web.validation",),
    "operator": ("web.networks", "web.operator_home"),
}


@bp.route("/", methods=["GET", "POST"])
@open_page
def login() -> ResponseReturnValue:
    """The login form (the first page of the application)."""
    if request.method == "GET" and current_account() is not None:
        return redirect(url_for("web.home"))
    email = request.form.get("email", "").strip()
    error: ApiError | None = None
    if request.method == "POST":
        try:
            sign_in(email, request.form.get("password", ""))
        except ApiError as exc:
            error = exc
        else:
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    status = 200 if error is None else 401 if error.status == 401 else error.status
    return render_template("auth/login.html", email=email, error=error,
                           expired=request.args.get("expired")), status


@bp.post("/app/deconnexion")
@open_page
def logout() -> ResponseReturnValue:
    sign_out()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("web.login"))


@bp.get("/app")
@page()
def home() -> ResponseReturnValue:
    account = current_account()
    assert account is not None  # noqa: S101 (page() guarantees it)
    for endpoint in HOME_BY_ROLE.get(account.role, ()):
        if endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return render_template("home.html")


@bp.get("/app/accueil")
@page("operator")
def operator_home() -> ResponseReturnValue:
    return render_template("home.html")


@bp.route("/app/mot-de-passe-oublie", methods=["GET", "POST"])
@open_page
def password_reset() -> ResponseReturnValue:
    """Ask for a reset link (the answer never tells whether the address has an account)."""
    email = request.form.get("email", "").strip()
    error: ApiError | None = None
    if request.method == "POST":
        try:
            anonymous_client().post("/auth/password-reset", {"email": email})
        except ApiError as exc:
            error = exc
        else:
            flash("Si un compte existe pour cette adresse, un lien de réinitialisation vient "
                  "de lui être envoyé.", "success")
            return redirect(url_for("web.login"))
    return render_template("auth/reset_request.html", email=email, error=error)


@bp.route("/app/mot-de-passe/nouveau", methods=["GET", "POST"])
@open_page
def password_reset_confirm() -> ResponseReturnValue:
    """Choose a new password with the token of a reset link."""
    token = (request.form.get("token") or request.args.get("token") or "").strip()
    error: ApiError | None = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password_again", ""):
            error = ApiError(422, "validation_failed", "Certains champs sont à corriger.",
                             {"password_again": ["Les deux mots de passe diffèrent."]})
        else:
            try:
                anonymous_client().post("/auth/password-reset/confirm",
                                        {"token": token, "password": password})
            except ApiError as exc:
                error = exc
            else:
                flash("Votre mot de passe est changé : connectez-vous.", "success")
                return redirect(url_for("web.login"))
    return render_template("auth/reset_confirm.html", token=token, error=error)
