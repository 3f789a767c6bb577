"""HTTP API of the notifications: the in-app feed and the webhook subscriptions.

``gunicorn "notifications.api:create_app()"``. A member token reads its company's feed, an animator
the tenant's animators' feed; webhooks are managed by animators and by integrator keys with the
``webhooks:manage`` scope. Everything is filtered by the tenant of the path, which must be the
token's.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from flask import Flask, Response, current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from chassis.audit import audit_blueprint
from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR, Forbidden, Identity, NotFound
from chassis.bus import is_amqp
from chassis.config import Settings
from chassis.db import utcnow
from chassis.http import broker_check, create_base_app, database_check, problem
from chassis.metrics import register_outbox_collector
from chassis.schemas import PageQuery
from chassis.tenancy import require_tenant
from notifications import db, domain, handlers
from notifications.app import WEBHOOK_EVENT_TYPES
from notifications.bootstrap import NotificationsApp, bootstrap
from notifications.domain import Audience, Viewer
from notifications.schemas import (
    DeliveryPageSchema,
    DeliverySchema,
    NotificationPageSchema,
    NotificationQuery,
    NotificationSchema,
    PreferencesInSchema,
    PreferencesQuery,
    PreferencesSchema,
    RedeliveredSchema,
    RedeliverRangeInSchema,
    RotateSecretInSchema,
    WebhookInSchema,
    WebhookPageSchema,
    WebhookPatchSchema,
    WebhookSchema,
)
from notifications.settings import NotificationsSettings

blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/t/<tenant>",
    description="The in-app feed and the webhook subscriptions of an association",
)


def notifications_app() -> NotificationsApp:
    app: NotificationsApp = current_app.extensions["notifications"]
    return app


def _viewer(tenant: str) -> Viewer:
    identity = require_tenant(tenant)
    if identity.has_role(ANIMATOR, OPERATOR):
        return Viewer(tenant, Audience.ANIMATORS)
    if identity.has_role(MEMBER) and identity.member_id is not None:
        return Viewer(tenant, Audience.MEMBER, identity.member_id)
    raise Forbidden()


def _manager(tenant: str) -> Identity:
    identity = require_tenant(tenant)
    if identity.has_role(ANIMATOR, OPERATOR):
        return identity
    if identity.has_role(INTEGRATOR) and identity.has_scope("webhooks:manage"):
        return identity
    raise Forbidden(
        "insufficient_scope", "Managing webhooks needs an animator or 'webhooks:manage'."
    )


def _entry_view(row: Any) -> dict[str, Any]:
    return {**row._mapping, "read": row.read_at is not None}


def _hook_view(row: Any, secret: str | None = None) -> dict[str, Any]:
    view = {k: v for k, v in row._mapping.items() if k not in {"secret", "previous_secret"}}
    if secret is not None:
        view["secret"] = secret
    return view


# --- the feed ----------------------------------------------------------------------------------


@blp.route("/notifications")
class Notifications(MethodView):
    @blp.arguments(NotificationQuery(), location="query")
    @blp.response(200, NotificationPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """The reader's feed, newest first: its company's, or the animators' of the tenant"""
        viewer = _viewer(tenant)
        page, per_page = query["page"], query["per_page"]
        with notifications_app().engine.connect() as conn:
            rows, total, unread = db.feed(
                conn,
                viewer,
                unread_only=query["unread"],
                limit=per_page,
                offset=(page - 1) * per_page,
            )
        return {
            "items": [_entry_view(r) for r in rows],
            "page": page,
            "per_page": per_page,
            "total": total,
            "unread": unread,
        }


@blp.route("/notifications/<uuid:notification_id>/read")
class NotificationRead(MethodView):
    @blp.response(200, NotificationSchema())
    def post(self, tenant: str, notification_id: UUID) -> dict[str, Any]:
        """Mark an entry of the reader's feed as read"""
        viewer = _viewer(tenant)
        row = handlers.mark_read(notifications_app().uow(), viewer, notification_id, utcnow())
        if row is None:
            raise NotFound()
        return _entry_view(row)


# --- e-mail preferences ------------------------------------------------------------------------


def _preferences_member(tenant: str, named: UUID | None, *, write: bool) -> UUID | None:
    """The member company whose preferences are read or changed: a member's own; the one an
    animator names (None: the defaults, for reading only)."""
    viewer = _viewer(tenant)
    if viewer.audience is Audience.MEMBER:
        if named is not None and named != viewer.member_id:
            raise NotFound()
        return viewer.member_id
    if named is None:
        if write:
            raise ValidationError({"member_id": ["Name the member company to change."]})
        return None
    with notifications_app().engine.connect() as conn:
        member = db.get_member(conn, named)
    if member is None:
        # Not yet in this service's copy of the directory: named in ``unknown_ids``, so the
        # gateway, which owns the directory, tells a member just admitted (503 not_yet_known,
        # after sending the request again) from one that does not exist (this refusal).
        raise domain.UnknownMember(
            "No such member in this association.", unknown_id=named, status=422 if write else 404
        )
    if member.tenant != tenant:
        if write:
            raise domain.UnknownMember("No such member in this association.")
        raise NotFound()
    return named


def _preferences_view(member_id: UUID | None, animator: str | None) -> dict[str, Any]:
    chosen: dict[str, bool] = {}
    app = notifications_app()
    validation: str | None = None
    with app.engine.connect() as conn:
        if member_id is not None:
            chosen = db.email_preferences_of(conn, member_id)
        if animator is not None:
            validation = db.validation_mail_of(conn, animator).value
    items = [{"kind": k.value, "email": chosen.get(k.value, True)} for k in domain.MEMBER_KINDS]
    return {
        "member_id": member_id,
        "items": items,
        "validation_emails": validation,
        "digest_hour": app.settings.validation_digest_at.strftime("%H:%M"),
    }


def _animator_of(tenant: str) -> str | None:
    """The calling animator's user id (whose validation e-mails these are), else None."""
    identity = require_tenant(tenant)
    return identity.subject if identity.has_role(ANIMATOR) else None


@blp.route("/notifications/preferences")
class Preferences(MethodView):
    @blp.arguments(PreferencesQuery(), location="query")
    @blp.response(200, PreferencesSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Which kinds a member company gets by e-mail (all by default), and how the calling
        animator hears of the invoices awaiting validation"""
        member_id = _preferences_member(tenant, query["member_id"], write=False)
        return _preferences_view(member_id, _animator_of(tenant))

    @blp.arguments(PreferencesInSchema())
    @blp.response(200, PreferencesSchema())
    def put(self, body: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Choose which kinds are sent by e-mail (the feed always has them all); an animator
        chooses how the invoices awaiting validation come (``validation_emails``)"""
        animator = _animator_of(tenant)
        choice = body.get("validation_emails")
        kinds = body.get("email")
        if choice is not None and animator is None:
            raise Forbidden(message="Only animators choose the validation e-mails.")
        member_id: UUID | None = None
        if kinds is not None:
            member_id = _preferences_member(tenant, body["member_id"], write=True)
        elif body["member_id"] is not None:
            member_id = _preferences_member(tenant, body["member_id"], write=False)
        handlers.choose_emails(
            notifications_app().uow(),
            tenant,
            member_id if kinds is not None else None,
            kinds or {},
            animator=animator,
            validation_emails=domain.ValidationMail(choice) if choice is not None else None,
            now=utcnow(),
        )
        return _preferences_view(member_id, animator)


# --- webhooks ----------------------------------------------------------------------------------


def _check_event_types(event_types: list[str]) -> None:
    unknown = sorted(set(event_types) - set(WEBHOOK_EVENT_TYPES))
    if unknown:
        raise ValidationError({"event_types": [f"unknown event types: {', '.join(unknown)}"]})


def _hook_or_404(conn: Any, tenant: str, webhook_id: UUID) -> Any:
    row = db.get_webhook(conn, tenant, webhook_id)
    if row is None:
        raise NotFound()
    return row


@blp.route("/webhooks")
class Webhooks(MethodView):
    @blp.arguments(PageQuery(), location="query")
    @blp.response(200, WebhookPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """The association's webhook subscriptions (secrets are never shown again)"""
        _manager(tenant)
        page, per_page = query["page"], query["per_page"]
        with notifications_app().engine.connect() as conn:
            rows, total = db.webhooks_of(conn, tenant, limit=per_page, offset=(page - 1) * per_page)
        return {
            "items": [_hook_view(r) for r in rows],
            "page": page,
            "per_page": per_page,
            "total": total,
        }

    @blp.arguments(WebhookInSchema())
    @blp.response(201, WebhookSchema())
    def post(self, body: dict[str, Any], tenant: str) -> Any:
        """Subscribe an HTTPS endpoint to event types; the signing secret is shown this once"""
        identity = _manager(tenant)
        app = notifications_app()
        _check_event_types(body["event_types"])
        url = domain.check_url(
            body["url"], allow_private=app.settings.webhooks_allow_private_targets
        )
        secret = domain.new_secret()
        webhook_id = uuid4()
        row = handlers.subscribe_webhook(
            app.uow(),
            webhook_id=webhook_id,
            tenant=tenant,
            network=identity.network,
            url=url,
            description=body["description"],
            event_types=body["event_types"],
            secret=secret,
            created_by=identity.subject,
            now=utcnow(),
            actor=identity,
        )
        location = url_for("notifications.WebhookView", tenant=tenant, webhook_id=webhook_id)
        return _hook_view(row, secret), 201, {"Location": location}


@blp.route("/webhooks/<uuid:webhook_id>")
class WebhookView(MethodView):
    @blp.response(200, WebhookSchema())
    def get(self, tenant: str, webhook_id: UUID) -> dict[str, Any]:
        """One subscription"""
        _manager(tenant)
        with notifications_app().engine.connect() as conn:
            return _hook_view(_hook_or_404(conn, tenant, webhook_id))

    @blp.arguments(WebhookPatchSchema())
    @blp.response(200, WebhookSchema())
    def patch(self, body: dict[str, Any], tenant: str, webhook_id: UUID) -> dict[str, Any]:
        """Change a subscription: its URL, event types, description; pause or resume it"""
        identity = _manager(tenant)
        app = notifications_app()
        values: dict[str, Any] = {}
        if "url" in body:
            values["url"] = domain.check_url(
                body["url"], allow_private=app.settings.webhooks_allow_private_targets
            )
        if "event_types" in body:
            _check_event_types(body["event_types"])
            values["event_types"] = sorted(set(body["event_types"]))
        if "description" in body:
            values["description"] = body["description"]
        if "active" in body:
            values |= (
                {"status": "active", "disabled_at": None}
                if body["active"]
                else {"status": "disabled", "disabled_at": utcnow()}
            )
        row = handlers.change_webhook(
            app.uow(), tenant, webhook_id, values, actor=identity, now=utcnow()
        )
        if row is None:
            raise NotFound()
        return _hook_view(row)

    @blp.response(204)
    def delete(self, tenant: str, webhook_id: UUID) -> None:
        """Unsubscribe: nothing more is sent to the endpoint"""
        identity = _manager(tenant)
        if not handlers.unsubscribe_webhook(
            notifications_app().uow(), tenant, webhook_id, utcnow(), actor=identity
        ):
            raise NotFound()


def _delivery_view(row: Any, attempts: list[Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in row._mapping.items() if k != "body"},
        "attempt_log": [a._mapping for a in attempts],
    }


@blp.route("/webhooks/<uuid:webhook_id>/rotate-secret")
class RotateSecret(MethodView):
    @blp.arguments(RotateSecretInSchema())
    @blp.response(200, WebhookSchema())
    def post(self, body: dict[str, Any], tenant: str, webhook_id: UUID) -> dict[str, Any]:
        """A new signing secret, shown this once; the previous one keeps signing deliveries
        (both signatures in webhook-signature) for ``overlap_hours``"""
        identity = _manager(tenant)
        secret = domain.new_secret()
        overlap = timedelta(hours=body["overlap_hours"])
        row = handlers.rotate_webhook_secret(
            notifications_app().uow(), tenant, webhook_id, secret, overlap, utcnow(), actor=identity
        )
        if row is None:
            raise NotFound()
        return _hook_view(row, secret)


@blp.route("/webhooks/<uuid:webhook_id>/redeliver")
class RedeliverRange(MethodView):
    @blp.arguments(RedeliverRangeInSchema())
    @blp.response(202, RedeliveredSchema())
    def post(self, body: dict[str, Any], tenant: str, webhook_id: UUID) -> dict[str, Any]:
        """Send again the deliveries of every event of ``source``'s log after position ``after``
        (same webhook-ids; re-enables a disabled endpoint)"""
        _manager(tenant)
        queued = handlers.redeliver_range(
            notifications_app().uow(),
            tenant,
            webhook_id,
            body["after"],
            body["limit"],
            utcnow(),
            source=body["source"],
        )
        if queued is None:
            raise NotFound()
        return {"queued": queued}


def _delivery_views(conn: Any, rows: list[Any]) -> list[dict[str, Any]]:
    log = db.attempts_of(conn, [r.id for r in rows])
    return [_delivery_view(r, log[r.id]) for r in rows]


@blp.route("/webhooks/<uuid:webhook_id>/deliveries")
class Deliveries(MethodView):
    @blp.arguments(PageQuery(), location="query")
    @blp.response(200, DeliveryPageSchema())
    def get(self, query: dict[str, Any], tenant: str, webhook_id: UUID) -> dict[str, Any]:
        """The delivery log of a subscription, newest first, with every attempt's response code"""
        _manager(tenant)
        page, per_page = query["page"], query["per_page"]
        with notifications_app().engine.connect() as conn:
            _hook_or_404(conn, tenant, webhook_id)
            rows, total = db.deliveries_of(
                conn, webhook_id, limit=per_page, offset=(page - 1) * per_page
            )
            items = _delivery_views(conn, rows)
        return {"items": items, "page": page, "per_page": per_page, "total": total}


@blp.route("/webhooks/<uuid:webhook_id>/deliveries/<uuid:delivery_id>/redeliver")
class Redeliver(MethodView):
    @blp.response(202, DeliverySchema())
    def post(self, tenant: str, webhook_id: UUID, delivery_id: UUID) -> dict[str, Any]:
        """Send a delivery again, with the same webhook-id (re-enables a disabled endpoint)"""
        _manager(tenant)
        found = handlers.resend(
            notifications_app().uow(), tenant, webhook_id, delivery_id, utcnow()
        )
        if found is None:
            raise NotFound()
        row, attempts = found
        return _delivery_view(row, attempts)


def _unknown_member(exc: domain.UnknownMember) -> Response:
    extra = {"unknown_ids": [str(exc.unknown_id)]} if exc.unknown_id is not None else None
    return problem(exc.status, "unknown_member", detail=exc.message or None, extra=extra)


def create_app(
    settings: Settings | None = None, *, notifications: NotificationsApp | None = None
) -> Flask:
    """Create the notifications' WSGI application."""
    notifications = notifications or bootstrap(settings)
    settings = (
        NotificationsSettings.of(settings) if settings is not None else notifications.settings
    )
    checks = {"database": database_check(notifications.engine)}
    if is_amqp(settings.broker_url):
        checks["broker"] = broker_check(settings.broker_url)
    app, api = create_base_app(
        settings, title="Troc Actif notifications", version="1.0", checks=checks
    )
    app.extensions["notifications"] = notifications
    api.tenant_networks = functools.partial(db.tenant_network, notifications.engine)
    register_outbox_collector(app, notifications.engine, db.outbox_table, db.outbox_sequence_table)
    api.register_error(domain.UnsafeTarget, 422, "unsafe_target")
    app.register_error_handler(domain.UnknownMember, _unknown_member)
    api.register_blueprint(blp)
    api.register_blueprint(
        audit_blueprint("notifications", lambda: notifications.engine, db.audit_entries)
    )
    return app
