"""The operator's pages: the networks of the deployment (unit and rules), their tenants, and
their links with other networks (both clearing balances)."""

from __future__ import annotations

from typing import Any, Final

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.session import api

OPERATOR: Final = "operator"

#: The network form's defaults: the Troc Actif rules.
NETWORK_DEFAULTS: Final[dict[str, Any]] = {
    "slug": "",
    "name": "",
    "unit-code": "",
    "unit-name": "",
    "unit-symbol": "",
    "default_credit_limit": "1000.00",
    "payment_modes": ["100", "50"],
    "hold_expiry_days": "30",
    "vat_settlement": "unit",
    "commission-rate": "5",
    "commission-charged_in": "unit",
    "buyer_acceptance_required": "1",
    "direct_payments": "off",
    "direct_payments_validation_threshold": "0",
}
TENANT_DEFAULTS: Final[dict[str, Any]] = {
    "slug": "",
    "name": "",
    "departments": "",
    "contact-name": "",
    "contact-email": "",
    "contact-phone": "",
}


def _amount(text: str) -> str:
    return text.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")


def _integer_or_text(text: str) -> int | str:
    """An integer when the field holds one; otherwise the text, for the API to name the field."""
    text = text.strip()
    return int(text) if text.isdigit() else text


def network_body(form: Any) -> dict[str, Any]:
    """The ``POST /networks`` body of the form (the API checks every field)."""
    return {
        "slug": form.get("slug", "").strip(),
        "name": form.get("name", "").strip(),
        "unit": {
            "code": form.get("unit-code", "").strip(),
            "name": form.get("unit-name", "").strip(),
            "symbol": form.get("unit-symbol", "").strip(),
        },
        "default_credit_limit": _amount(form.get("default_credit_limit", "")),
        "payment_modes": [_integer_or_text(m) for m in form.getlist("payment_modes")],
        "hold_expiry_days": _integer_or_text(form.get("hold_expiry_days", "")),
        "vat_settlement": form.get("vat_settlement", ""),
        "commission": {
            "rate": _amount(form.get("commission-rate", "")) or "0",
            "charged_in": form.get("commission-charged_in", "unit"),
        },
        "buyer_acceptance_required": form.get("buyer_acceptance_required") == "1",
        "direct_payments": form.get("direct_payments") or "off",
        "direct_payments_validation_threshold": _amount(
            form.get("direct_payments_validation_threshold", "")
        )
        or "0",
    }


def tenant_body(form: Any) -> dict[str, Any]:
    """The ``POST /networks/<n>/tenants`` body: departments separated by commas or spaces."""
    departments = [d for d in form.get("departments", "").replace(",", " ").split() if d]
    body: dict[str, Any] = {
        "slug": form.get("slug", "").strip(),
        "name": form.get("name", "").strip(),
        "departments": departments,
    }
    contact = {key: form.get(f"contact-{key}", "").strip() for key in ("name", "email", "phone")}
    if any(contact.values()):
        body["contact"] = {k: v for k, v in contact.items() if v}
    return body


def _form_values(defaults: dict[str, Any]) -> dict[str, Any]:
    values = {key: request.form.get(key, "") for key in defaults}
    values["payment_modes"] = request.form.getlist("payment_modes")
    return values


@bp.route("/app/reseaux", methods=["GET", "POST"])
@page(OPERATOR)
def networks() -> ResponseReturnValue:
    """The networks, and the form creating one."""
    error: ApiError | None = None
    values = dict(NETWORK_DEFAULTS)
    if request.method == "POST":
        values = _form_values(NETWORK_DEFAULTS)
        try:
            created = api().post("/networks", network_body(request.form))
        except ApiError as exc:
            if exc.status not in (400, 409, 422):
                raise
            error = exc
        else:
            flash(f"Réseau « {created['name']} » créé. Ajoutez-lui ses associations.", "success")
            return redirect(url_for("web.network", slug=created["slug"]))
    listed = list(api().items("/networks"))
    return render_template(
        "operator/networks.html", networks=listed, values=values, error=error
    ), 200 if error is None else 422


@bp.route("/app/reseaux/<slug>", methods=["GET", "POST"])
@page(OPERATOR)
def network(slug: str) -> ResponseReturnValue:
    """A network's settings, its tenants, and the form creating one."""
    settings = api().get(f"/networks/{slug}")
    error: ApiError | None = None
    values = dict(TENANT_DEFAULTS)
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in TENANT_DEFAULTS}
        try:
            created = api().post(f"/networks/{slug}/tenants", tenant_body(request.form))
        except ApiError as exc:
            if exc.status not in (400, 409, 422):
                raise
            error = exc
        else:
            flash(f"Association « {created['name']} » créée dans {settings['name']}.", "success")
            return redirect(url_for("web.network", slug=slug))
    return _network_page(settings, values=values, error=error)


def network_links(slug: str) -> list[dict[str, Any]] | None:
    """The links of a network, each with the partner's name and both sides' clearing balances
    seen from ``slug`` (``own_*`` / ``partner_*``); None when the gateway cannot tell them now."""
    try:
        links = [
            link
            for link in api().items("/federation/links")
            if slug in (link["network_a"], link["network_b"])
        ]
        networks = {str(n["slug"]): n for n in api().items("/networks")} if links else {}
    except ApiError:
        return None
    shown = []
    for link in links:
        own, partner = ("a", "b") if link["network_a"] == slug else ("b", "a")
        partner_slug = link[f"network_{partner}"]
        partner_network = networks.get(partner_slug, {})
        shown.append(
            {
                **link,
                "partner_network": partner_slug,
                "partner_network_name": partner_network.get("name", partner_slug),
                "partner_unit": (partner_network.get("unit") or {}).get("name", "unité"),
                "own_balance": link[f"clearing_balance_{own}"],
                "own_limit": link[f"limit_{own}"],
                "partner_balance": link[f"clearing_balance_{partner}"],
                "partner_limit": link[f"limit_{partner}"],
            }
        )
    return shown


def _network_page(
    settings: dict[str, Any],
    *,
    values: dict[str, Any] | None = None,
    error: ApiError | None = None,
    animator: dict[str, str] | None = None,
    animator_error: ApiError | None = None,
) -> ResponseReturnValue:
    tenants = sorted(
        api().items(f"/networks/{settings['slug']}/tenants"), key=lambda t: str(t["name"])
    )
    failed = error is not None or animator_error is not None
    return render_template(
        "operator/network.html",
        network=settings,
        tenants=tenants,
        links=network_links(str(settings["slug"])),
        values=values or dict(TENANT_DEFAULTS),
        error=error,
        animator=animator or {"tenant": "", "email": ""},
        animator_error=animator_error,
    ), 422 if failed else 200


@bp.post("/app/reseaux/<slug>/animateurs")
@page(OPERATOR)
def network_animator(slug: str) -> ResponseReturnValue:
    """Give a tenant of the network an animator's login."""
    settings = api().get(f"/networks/{slug}")
    tenant = request.form.get("tenant", "")
    animator = {"tenant": tenant, "email": request.form.get("email", "").strip()}
    tenants = {str(t["slug"]) for t in api().items(f"/networks/{slug}/tenants")}
    if tenant not in tenants:
        error = ApiError(
            422,
            "validation_failed",
            "Certains champs sont à corriger.",
            {"tenant": ["Choisissez une association du réseau."]},
        )
        return _network_page(settings, animator=animator, animator_error=error)
    try:
        api().post(
            f"/t/{tenant}/users",
            {
                "email": animator["email"],
                "role": "animator",
                "password": request.form.get("password", ""),
            },
        )
    except ApiError as exc:
        if exc.status not in (400, 409, 422):
            raise
        return _network_page(settings, animator=animator, animator_error=exc)
    flash(f"Accès animateur créé pour {animator['email']}.", "success")
    return redirect(url_for("web.network", slug=slug))
