"""French formatting of amounts, dates and states: the Jinja filters of every template.

Amounts come from the API as decimal strings (``"1234.50"``); they are parsed with ``Decimal``
(never floats) and written the French way: ``1 234,50 Actifs``, ``-12,00 €``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from gateway.web.messages import french_problem
from gateway.web.session import current_account

try:
    PARIS: Final = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # pragma: no cover - a system without tzdata
    PARIS = ZoneInfo("UTC")

NARROW_NBSP: Final = "\u202f"
MONTHS: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_MONTHS: Final = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)

#: French labels of the API's states and kinds.
LABELS: Final[dict[str, dict[str, str]]] = {
    "invoice_status": {
        "draft": "Brouillon",
        "issued": "Émise",
        "accepted": "Acceptée",
        "awaiting_validation": "En attente de validation",
        "settled": "Réglée",
        "disputed": "Contestée",
        "rejected": "Refusée",
        "expired": "Expirée",
        "cancelled": "Annulée",
    },
    "payment_status": {
        "requested": "À accepter",
        "accepted": "Réservation en cours",
        "awaiting_validation": "En attente de validation",
        "validated": "Validé",
        "settled": "Effectué",
        "declined": "Refusé par le payeur",
        "rejected": "Refusé",
        "refused": "Impossible",
        "expired": "Expiré",
    },
    "fee_status": {
        "pending": "Prélèvement en cours",
        "charged": "Prélevée",
        "refused": "Prélèvement refusé",
        "due": "À régler",
        "paid": "Payée",
    },
    "listing_kind": {"offer": "Offre", "need": "Besoin"},
    "listing_status": {
        "active": "Active",
        "paused": "En pause",
        "archived": "Archivée",
        "expired": "Expirée",
        "suspended": "Suspendue",
    },
    "transfer_status": {
        "pending": "En attente",
        "posted": "Effectué",
        "voided": "Annulé",
        "refused": "Refusé",
    },
    "link_status": {"active": "En service", "suspended": "Suspendu"},
    "price_type": {"fixed": "Prix fixe", "from": "À partir de", "on_quote": "Sur devis"},
    "member_status": {
        "admitted": "Admis",
        "active": "Actif",
        "suspended": "Suspendu",
        "left": "Parti",
    },
    "role": {
        "member": "Adhérent",
        "animator": "Animateur",
        "operator": "Opérateur",
        "integrator": "Intégrateur",
    },
}


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number(value: Any, decimals: int = 2) -> str:
    """``1234.5`` -> ``1 234,50`` (narrow no-break spaces between thousands)."""
    amount = to_decimal(value)
    if amount is None:
        return "—"
    text = f"{abs(amount):,.{decimals}f}".replace(",", NARROW_NBSP).replace(".", ",")
    # No sign on what rounds to zero: -0.4 reads « 0 », never « -0 ».
    negative = amount < 0 and any(digit in text for digit in "123456789")
    return ("-" if negative else "") + text


def unit_label(amount: Decimal, name: str) -> str:
    """French plural from 2: ``1,50 Actif``, ``2,00 Actifs``."""
    if abs(amount) >= 2 and not name.endswith(("s", "x", "z")):
        return name + "s"
    return name


def units(value: Any, unit: str | None = None) -> str:
    """An amount in the network's unit (its name from the network's settings)."""
    amount = to_decimal(value)
    if amount is None:
        return "—"
    account = current_account()
    name = unit or (account.unit_name if account else "unité")
    return f"{number(amount)}\u00a0{unit_label(amount, name)}"


def exchange_rate(rate: Any, unit_from: str, unit_to: str) -> str:
    """A link's rate between two units: ``1 Actif = 2 Grains``, ``1 Grain = 0,5 Actif``."""
    value = to_decimal(rate)
    if value is None:
        return "—"
    text = format(value.normalize(), "f").replace(".", ",")
    return f"1 {unit_from} = {text}\u00a0{unit_label(value, unit_to)}"


def euros(value: Any) -> str:
    amount = to_decimal(value)
    return "—" if amount is None else f"{number(amount)}\u00a0€"


def _as_datetime(value: Any) -> datetime | date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    text = str(value)
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


def date_fr(value: Any) -> str:
    """``2026-11-26`` -> ``26 novembre 2026``."""
    when = _as_datetime(value)
    if when is None:
        return "—"
    if isinstance(when, datetime):
        when = when.astimezone(PARIS).date() if when.tzinfo else when.date()
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def datetime_fr(value: Any) -> str:
    """``2026-11-26T10:05:00+00:00`` -> ``26/11/2026 à 11:05`` (Paris time)."""
    when = _as_datetime(value)
    if when is None:
        return "—"
    if not isinstance(when, datetime):
        return date_fr(when)
    local = when.astimezone(PARIS) if when.tzinfo else when
    return f"{local:%d/%m/%Y} à {local:%H:%M}"


def refusal(code: Any, reason: Any = "") -> str:
    """A refusal of the platform (a problem code) in French."""
    return french_problem(422, str(code), str(reason or ""))


def label(value: Any, kind: str) -> str:
    return LABELS.get(kind, {}).get(str(value), str(value))


def install_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        units=units,
        exchange_rate=exchange_rate,
        euros=euros,
        number=number,
        date_fr=date_fr,
        datetime_fr=datetime_fr,
        label=label,
        refusal=refusal,
    )
