"""Login, logout, password reset, and the landing page of each role."""

from __future__ import annotations

from typing import Final

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, open_page, page, safe_next
from gateway.web.client import ApiClient, ApiError
from gateway.web.session import (
    EnrolmentRequired,
    anonymous_client,
    api,
    current_account,
    enrolment_client,
    forget_pending_login,
    pending_login,
    remember_pending_login,
    sign_in,
    sign_out,
)

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
        password = request.form.get("password", "")
        try:
            sign_in(email, password)
        except EnrolmentRequired:
            return redirect(url_for("web.totp_enrolment"))
        except ApiError as exc:
            if exc.code == "totp_required":
                remember_pending_login(email, password)
                return redirect(url_for("web.login_code", next=request.args.get("next")))
            error = exc
        else:
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    status = 200 if error is None else 401 if error.status == 401 else error.status
    return render_template(
        "auth/login.html", email=email, error=error, expired=request.args.get("expired")
    ), status


@bp.route("/app/connexion/code", methods=["GET", "POST"])
@open_page
def login_code() -> ResponseReturnValue:
    """The second step of a login: the code of the authenticator app (or a recovery code)."""
    pending = pending_login()
    if pending is None:
        flash("Le délai est dépassé : saisissez de nouveau votre mot de passe.", "info")
        return redirect(url_for("web.login"))
    error: ApiError | None = None
    if request.method == "POST":
        try:
            sign_in(*pending, totp=request.form.get("code", "").strip())
        except ApiError as exc:
            if exc.code != "totp_invalid" and exc.status != 429:
                forget_pending_login()
                raise
            error = exc
        else:
            return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    status = 200 if error is None else error.status
    return render_template("auth/login_code.html", error=error), status


@bp.get("/app/double-authentification")
@open_page
def totp_enrolment() -> ResponseReturnValue:
    """Set up two-factor login: required by the network, or chosen from « Mon compte »."""
    client = _enrolment_api()
    if client is None:
        return redirect(url_for("web.login"))
    return render_template(
        "auth/totp.html", enrolment=None, error=None, required=current_account() is None
    )


@bp.post("/app/double-authentification")
@open_page
def totp_start() -> ResponseReturnValue:
    client = _enrolment_api()
    if client is None:
        return redirect(url_for("web.login"))
    enrolment = client.post("/auth/totp")
    session["totp_secret_shown"] = enrolment["secret"]
    response = make_response(
        render_template(
            "auth/totp.html", enrolment=enrolment, error=None, required=current_account() is None
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/app/double-authentification/confirmer")
@open_page
def totp_confirm() -> ResponseReturnValue:
    client = _enrolment_api()
    if client is None:
        return redirect(url_for("web.login"))
    try:
        client.post("/auth/totp/confirm", {"code": request.form.get("code", "").strip()})
    except ApiError as exc:
        if exc.status not in (401, 409, 422):
            raise
        enrolment = {
            "secret": session.get("totp_secret_shown", ""),
            "recovery_codes": [],
            "otpauth_uri": "",
        }
        return render_template(
            "auth/totp.html", enrolment=enrolment, error=exc, required=current_account() is None
        ), 422
    session.pop("totp_secret_shown", None)
    if current_account() is None:
        session.pop("enrolment", None)
        flash("La double authentification est activée : connectez-vous avec votre code.", "success")
        return redirect(url_for("web.login"))
    flash("La double authentification est activée.", "success")
    return redirect(url_for("web.my_account"))


def _enrolment_api() -> ApiClient | None:
    """The signed-in user's client, or that of an enrol-only login."""
    if current_account() is not None:
        return api()
    return enrolment_client()


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
            flash(
                "Si un compte existe pour cette adresse, un lien de réinitialisation vient "
                "de lui être envoyé.",
                "success",
            )
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
            error = ApiError(
                422,
                "validation_failed",
                "Certains champs sont à corriger.",
                {"password_again": ["Les deux mots de passe diffèrent."]},
            )
        else:
            try:
                anonymous_client().post(
                    "/auth/password-reset/confirm", {"token": token, "password": password}
                )
            except ApiError as exc:
                error = exc
            else:
                flash("Votre mot de passe est changé : connectez-vous.", "success")
                return redirect(url_for("web.login"))
    return render_template("auth/reset_confirm.html", token=token, error=error)
