"""The member's conversations about listings: the threads opened by the contact form, replies,
and from a thread on one's own listing, an invoice to the member who wrote."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.session import api, current_account, tenant_path


def _threads() -> list[dict[str, Any]]:
    return list(api().items(tenant_path("/threads"), limit=200))


@bp.get("/app/messages")
@page("member")
def messages() -> ResponseReturnValue:
    return render_template("messages/list.html", threads=_threads())


@bp.route("/app/messages/<uuid:thread_id>", methods=["GET", "POST"])
@page("member")
def message_thread(thread_id: str) -> ResponseReturnValue:
    thread = next((t for t in _threads() if str(t["id"]) == str(thread_id)), None)
    if thread is None:
        abort(404)
    error: ApiError | None = None
    text = request.form.get("message", "").strip()
    if request.method == "POST":
        try:
            api().post(tenant_path(f"/threads/{thread_id}/messages"), {"message": text})
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            error = exc
        else:
            flash("Réponse envoyée.", "success")
            return redirect(url_for("web.message_thread", thread_id=thread_id))
    found = api().get(tenant_path(f"/threads/{thread_id}/messages"), per_page=200)
    account = current_account()
    mine = account is not None and str(thread["author_member_id"]) == account.member_id
    return render_template(
        "messages/thread.html",
        thread=thread,
        messages=found["items"],
        author=mine,
        error=error,
        text=text if error else "",
    ), (200 if error is None else 422)
