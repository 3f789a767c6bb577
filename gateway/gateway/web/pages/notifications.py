"""The user's notification feed: read and unread entries, marking one as read."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
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
