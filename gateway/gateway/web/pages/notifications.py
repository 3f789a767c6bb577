"""The user's notification feed: read and unread entries, marking one as read; the animators'
choice of e-mails about the invoices awaiting their validation."""

from __future__ import annotations

from typing import Final

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.session import api, tenant_path


@bp.get("/app/notifications")
@page("member", "animator")
def notifications() -> ResponseReturnValue:
    unread_only = request.args.get("non_lues") == "1"
    feed = api().get(
        tenant_path("/notifications"), per_page=50, unread="true" if unread_only else None
    )
    return render_template("notifications.html", feed=feed, unread_only=unread_only)


@bp.post("/app/notifications/<uuid:notification_id>/lue")
@page("member", "animator")
def notification_read(notification_id: str) -> ResponseReturnValue:
    api().post(tenant_path(f"/notifications/{notification_id}/read"))
    return redirect(url_for("web.notifications", non_lues=request.form.get("non_lues") or None))


#: The animators' choices about the invoices awaiting their validation, in French.
VALIDATION_CHOICES: Final = (
    ("each", "Un e-mail à chaque facture à valider"),
    ("digest", "Un résumé quotidien de ce qui attend"),
    ("none", "Aucun e-mail (le fil de notifications suffit)"),
)


def _preferences_page(error: ApiError | None = None) -> str:
    preferences = api().get(tenant_path("/notifications/preferences"))
    return render_template(
        "animator/notification_preferences.html",
        preferences=preferences,
        choices=VALIDATION_CHOICES,
        error=error,
    )


@bp.get("/app/notifications/preferences")
@page("animator")
def notification_preferences() -> ResponseReturnValue:
    return _preferences_page()


@bp.post("/app/notifications/preferences")
@page("animator")
def notification_preferences_save() -> ResponseReturnValue:
    try:
        api().put(
            tenant_path("/notifications/preferences"),
            {"validation_emails": request.form.get("validation_emails", "")},
        )
    except ApiError as exc:
        return _preferences_page(exc), exc.status
    flash("Préférences enregistrées.", "success")
    return redirect(url_for("web.notification_preferences"))
