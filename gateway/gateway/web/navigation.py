"""The navigation bar: one entry per page, shown to the roles that may open it.

Add an entry here when you add a page that belongs in the menu; :func:`entries_for` keeps the
order of :data:`NAVIGATION`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from gateway.web.session import Account


@dataclass(frozen=True, slots=True)
class NavEntry:
    label: str
    endpoint: str
    roles: frozenset[str]
    #: Endpoints (besides ``endpoint``) under which this entry is the current one.
    section: str = ""


def entry(label: str, endpoint: str, *roles: str, section: str = "") -> NavEntry:
    return NavEntry(label, endpoint, frozenset(roles), section or endpoint.rsplit("_", 1)[0])


MEMBER: Final = "member"
ANIMATOR: Final = "animator"
OPERATOR: Final = "operator"

NAVIGATION: Final[list[NavEntry]] = [
    entry("Tableau de bord", "web.dashboard", MEMBER, section="web.dashboard"),
    entry("Place de marché", "web.marketplace", MEMBER, ANIMATOR, section="web.marketplace"),
    entry("Mes annonces", "web.my_listings", MEMBER, section="web.my_listing"),
    entry("Messages", "web.messages", MEMBER, section="web.message"),
    entry("Mes factures", "web.invoices", MEMBER, section="web.invoice"),
    entry("Paiements", "web.payments", MEMBER, ANIMATOR, section="web.payment"),
    entry("Validation", "web.validation", ANIMATOR, section="web.validation"),
    entry("Adhérents", "web.members", ANIMATOR, section="web.member"),
    entry("Cotisations", "web.fees", ANIMATOR, section="web.fee"),
    entry("Activité", "web.activity", ANIMATOR, section="web.activity"),
    entry("Révisions", "web.credit_reviews", ANIMATOR, section="web.credit_reviews"),
    entry("Intégrations", "web.integrations_webhooks", ANIMATOR, section="web.integrations"),
    entry("Notifications", "web.notifications", MEMBER, ANIMATOR, section="web.notification"),
    entry("Utilisateurs", "web.users", ANIMATOR, section="web.user"),
    entry("Journal", "web.audit_log", ANIMATOR, OPERATOR, section="web.audit_log"),
    entry("Réseaux", "web.networks", OPERATOR, section="web.network"),
    entry("Opérateurs", "web.operator_users", OPERATOR, section="web.operator_user"),
    entry("Mon compte", "web.my_account", MEMBER, ANIMATOR, OPERATOR, section="web.my_"),
]


def entries_for(account: Account) -> list[NavEntry]:
    return [e for e in NAVIGATION if e.roles & set(account.roles)]


def is_current(nav: NavEntry, endpoint: str | None) -> bool:
    return bool(endpoint) and (endpoint == nav.endpoint or str(endpoint).startswith(nav.section))
