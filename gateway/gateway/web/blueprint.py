"""The web blueprint, its page decorator, CSRF protection and the rendering of refusals.

Every view of the web application is declared with ``@bp.get``/``@bp.post``/``@bp.route`` and
:func:`page` (signed-in users, optionally of some roles) or :func:`open_page` (the login and
password pages). Both mark the view public for the chassis' bearer-token check: the web pages
authenticate with the session cookie, and every API call they make carries the user's token.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from chassis.http import public
from gateway.web.client import ApiError
from gateway.web.session import current_account

P = ParamSpec("P")
R = TypeVar("R")

HERE: Final = Path(__file__).resolve().parent
#: Every page lives under /app (the API owns /auth, /me, /networks, /t/..., /openapi.json...),
#: except the login page at /.
PREFIX: Final = "/app"

bp = Blueprint("web", __name__, template_folder="templates")


def open_page(view: Callable[P, R]) -> Callable[P, R]:
    """A page anyone may open (login, password reset)."""
    return public(view)


def page(
    *roles: str,
) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, ResponseReturnValue]]:
    """A page for signed-in users (of one of ``roles`` when given); others go to the login."""

    def decorate(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            account = current_account()
            if account is None:
                return redirect(url_for("web.login", next=safe_next(request.full_path)))
            if roles and not account.has(*roles):
                return render_template(
                    "error.html",
                    title="Accès refusé",
                    message="Cette page n'est pas accessible avec votre profil.",
                ), 403
            return view(*args, **kwargs)

        return public(wrapper)

    return decorate


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after the login, never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(PREFIX + "/"):
        return None
    return target.rstrip("?")


# --- CSRF: one token per session, in every form, checked on every unsafe request ----------------


def csrf_token() -> str:
    token: str | None = session.get("csrf")
    if token is None:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


@bp.before_request
def check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="csrf")


# --- refusals of the API, shown as pages ---------------------------------------------------------


@bp.errorhandler(ApiError)
def api_refused(error: ApiError) -> ResponseReturnValue:
    """An :class:`ApiError` a page did not handle itself: the login, or an error page."""
    if error.unauthenticated:
        session.clear()
        return redirect(url_for("web.login", next=safe_next(request.full_path), expired=1))
    titles = {
        403: "Accès refusé",
        404: "Introuvable",
        429: "Trop de requêtes",
        503: "Service indisponible",
    }
    status = error.status if error.status in titles else 502 if error.status >= 500 else 400
    return render_template(
        "error.html", title=titles.get(error.status, "Action impossible"), message=error.message
    ), status


@bp.errorhandler(400)
def bad_request(error: Any) -> ResponseReturnValue:
    message = (
        "Le formulaire a expiré : rechargez la page et recommencez."
        if getattr(error, "description", "") == "csrf"
        else "La demande est incorrecte."
    )
    return render_template("error.html", title="Demande refusée", message=message), 400


@bp.errorhandler(404)
def not_found(_error: Any) -> ResponseReturnValue:
    return render_template(
        "error.html", title="Introuvable", message="Cette page n'existe pas."
    ), 404
