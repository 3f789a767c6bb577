"""The animators' integrations: webhook subscriptions (with their delivery log) and API keys.

A webhook's signing secret and an API key are shown once, on the page that answers their
creation, and never again (that page is not cached); the API does not keep them readable either.
"""

from __future__ import annotations

from typing import Any, Final

from flask import flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.session import api, tenant_path

ANIMATOR: Final = "animator"

#: The events offered to webhooks, in French, by CloudEvents type: the types of the platform's
#: published API (the pages are an HTTP client; tests/unit/gateway/test_web_event_types.py checks
#: them against the contracts).
EVENT_CHOICES: Final[tuple[tuple[str, str], ...]] = (
    ("org.trocactif.ledger.transfer_posted.v1", "Virement passé (un solde a changé)"),
    ("org.trocactif.ledger.transfer_held.v1", "Montant réservé (facture acceptée)"),
    ("org.trocactif.ledger.transfer_voided.v1", "Réservation annulée"),
    ("org.trocactif.ledger.transfer_refused.v1", "Virement refusé"),
    (
        "org.trocactif.ledger.federated_transfer_completed.v1",
        "Échange avec un réseau partenaire terminé",
    ),
    ("org.trocactif.ledger.account_opened.v1", "Compte ouvert"),
    ("org.trocactif.ledger.credit_limit_changed.v1", "Découvert autorisé modifié"),
    ("org.trocactif.invoices.invoice_issued.v1", "Facture émise"),
    ("org.trocactif.invoices.invoice_awaiting_validation.v1", "Facture à valider"),
    ("org.trocactif.invoices.invoice_settled.v1", "Facture réglée"),
    ("org.trocactif.invoices.invoice_rejected.v1", "Facture refusée"),
    ("org.trocactif.invoices.invoice_disputed.v1", "Facture contestée"),
    ("org.trocactif.listings.listing_published.v1", "Annonce publiée"),
    ("org.trocactif.listings.match_found.v1", "Offre et besoin rapprochés"),
)
EVENT_LABELS: Final = dict(EVENT_CHOICES)

#: API key scopes (the gateway's), in French.
SCOPE_CHOICES: Final = (
    ("ledger:read", "Lire les comptes et les virements"),
    ("events:read", "Lire le journal des événements du grand livre"),
    ("invoices:read", "Lire les factures"),
    ("listings:read", "Lire les annonces"),
    ("webhooks:manage", "Gérer les webhooks"),
)
DELIVERY_STATUS: Final = {"pending": "En attente", "succeeded": "Livrée", "failed": "Échec"}


def _no_store(body: str, status: int = 201) -> ResponseReturnValue:
    """A page holding a secret: never kept by the browser or a proxy."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


# --- webhooks ------------------------------------------------------------------------------------


def _webhooks_page(
    *,
    error: ApiError | None = None,
    values: dict[str, Any] | None = None,
    created: dict[str, Any] | None = None,
) -> str:
    hooks = list(api().items(tenant_path("/webhooks")))
    return render_template(
        "animator/webhooks.html",
        hooks=hooks,
        error=error,
        values=values or {"url": "", "description": "", "event_types": []},
        created=created,
        choices=EVENT_CHOICES,
        labels=EVENT_LABELS,
    )


@bp.get("/app/integrations/webhooks")
@page(ANIMATOR)
def integrations_webhooks() -> ResponseReturnValue:
    return _webhooks_page()


@bp.post("/app/integrations/webhooks")
@page(ANIMATOR)
def integrations_webhook_create() -> ResponseReturnValue:
    values = {
        "url": request.form.get("url", "").strip(),
        "description": request.form.get("description", "").strip(),
        "event_types": request.form.getlist("event_types"),
    }
    if not values["event_types"]:
        error = ApiError(
            422,
            "validation_failed",
            "Certains champs sont à corriger.",
            {"event_types": ["Choisissez au moins un événement."]},
        )
        return _webhooks_page(error=error, values=values), 422
    try:
        created = api().post(tenant_path("/webhooks"), values)
    except ApiError as exc:
        if exc.status in (400, 409, 422):
            return _webhooks_page(error=exc, values=values), 422
        raise
    return _no_store(_webhooks_page(created=created))


@bp.get("/app/integrations/webhooks/<uuid:webhook_id>")
@page(ANIMATOR)
def integrations_webhook(webhook_id: Any) -> ResponseReturnValue:
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        number = 1
    hook = api().get(tenant_path(f"/webhooks/{webhook_id}"))
    deliveries = api().get(
        tenant_path(f"/webhooks/{webhook_id}/deliveries"), page=number, per_page=25
    )
    return render_template(
        "animator/webhook.html",
        hook=hook,
        deliveries=deliveries,
        page_number=number,
        labels=EVENT_LABELS,
        statuses=DELIVERY_STATUS,
    )


@bp.post("/app/integrations/webhooks/<uuid:webhook_id>/supprimer")
@page(ANIMATOR)
def integrations_webhook_delete(webhook_id: Any) -> ResponseReturnValue:
    api().delete(tenant_path(f"/webhooks/{webhook_id}"))
    flash("Webhook supprimé : plus rien ne sera envoyé à cette adresse.", "success")
    return redirect(url_for("web.integrations_webhooks"))


@bp.post("/app/integrations/webhooks/<uuid:webhook_id>/livraisons/<uuid:delivery_id>/renvoyer")
@page(ANIMATOR)
def integrations_redeliver(webhook_id: Any, delivery_id: Any) -> ResponseReturnValue:
    api().post(tenant_path(f"/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"))
    flash("Livraison programmée à nouveau.", "success")
    return redirect(url_for("web.integrations_webhook", webhook_id=webhook_id))


# --- API keys ---------------------------------------------------------------------------------


def _keys_page(
    *,
    error: ApiError | None = None,
    values: dict[str, Any] | None = None,
    created: dict[str, Any] | None = None,
) -> str:
    keys = sorted(
        api().items(tenant_path("/api-keys")),
        key=lambda k: (k.get("revoked_at") is not None, str(k.get("created_at"))),
    )
    return render_template(
        "animator/api_keys.html",
        keys=keys,
        error=error,
        values=values or {"name": "", "scopes": []},
        created=created,
        choices=SCOPE_CHOICES,
        labels=dict(SCOPE_CHOICES),
    )


@bp.get("/app/integrations/cles-api")
@page(ANIMATOR)
def integrations_keys() -> ResponseReturnValue:
    return _keys_page()


@bp.post("/app/integrations/cles-api")
@page(ANIMATOR)
def integrations_key_create() -> ResponseReturnValue:
    values = {
        "name": request.form.get("name", "").strip(),
        "scopes": request.form.getlist("scopes"),
    }
    try:
        created = api().post(tenant_path("/api-keys"), values)
    except ApiError as exc:
        if exc.status in (400, 409, 422):
            return _keys_page(error=exc, values=values), 422
        raise
    return _no_store(_keys_page(created=created))


@bp.post("/app/integrations/cles-api/<uuid:key_id>/revoquer")
@page(ANIMATOR)
def integrations_key_revoke(key_id: Any) -> ResponseReturnValue:
    api().delete(tenant_path(f"/api-keys/{key_id}"))
    flash("Clé révoquée : elle ne donne plus accès à rien.", "success")
    return redirect(url_for("web.integrations_keys"))
