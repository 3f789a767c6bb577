"""The demo data of ``make run``: the Troc Actif network, its four associations, a few members.

Idempotent: what exists is left as it is, so ``seed-demo`` may run on every start. Everything
goes through the use cases, so the events reach the ledger (accounts open) like real admissions.
SIRETs are computed (Luhn-valid SIREN and SIRET) for made-up companies; VAT numbers follow them.
Every demo account has the password ``TROC_DEMO_PASSWORD``; the password rules are skipped for
them on purpose (``create_user(check_rules=False)``): the demo password is short to type.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from gateway import service
from gateway.bootstrap import GatewayApp
from gateway.domain.errors import ValidationErrors
from gateway.domain.identifiers import luhn_check_digit, vat_number_for_siren
from gateway.errors import Conflict

OPERATOR_EMAIL = "operator@demo.trocactif.org"


def demo_siret(stem: str, establishment: str = "0001") -> str:
    """A valid SIRET from 8 digits: SIREN key, establishment number, SIRET key."""
    siren = stem + luhn_check_digit(stem)
    body = siren + establishment
    return body + luhn_check_digit(body)


@dataclass(frozen=True, slots=True)
class DemoMember:
    handle: str  # the company's demo mail domain: contact@<handle>.demo.trocactif.org
    name: str
    stem: str
    street: str
    postal_code: str
    city: str
    department: str
    naf: str
    phone: str

    @property
    def siret(self) -> str:
        return demo_siret(self.stem)

    @property
    def email(self) -> str:
        return f"contact@{self.handle}.demo.trocactif.org"

    def application(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "siret": self.siret,
            "vat_number": vat_number_for_siren(self.siret[:9]),
            "naf": self.naf,
            "address": {"street": self.street, "postal_code": self.postal_code, "city": self.city},
            "department": self.department,
            "email": self.email,
            "phone": self.phone,
        }


@dataclass(frozen=True, slots=True)
class DemoTenant:
    slug: str
    name: str
    departments: tuple[str, ...]
    animators: tuple[str, ...]
    members: tuple[DemoMember, ...]


@dataclass(frozen=True, slots=True)
class DemoNetwork:
    settings: dict[str, Any]
    tenants: tuple[DemoTenant, ...]


TROC_ACTIF = DemoNetwork(
    settings={
        "slug": "troc-actif",
        "name": "Troc Actif",
        "unit": {"code": "ACT", "name": "Actif", "symbol": "Ⓐ"},
        "default_credit_limit": 100_000,
        "payment_modes": [100, 50],
        "hold_expiry_days": 30,
        "vat_settlement": "unit",
        "commission": {"rate": "5", "charged_in": "unit"},
        # The demo's invoices go straight to the animators once issued.
        "buyer_acceptance_required": False,
    },
    tenants=(
        DemoTenant(
            "pie",
            "Paris Initiative Entreprise",
            ("75",),
            ("animation@pie.demo.trocactif.org", "claire.moreau@pie.demo.trocactif.org"),
            (
                DemoMember(
                    "atelier-lumiere",
                    "Atelier Lumière Design",
                    "81234567",
                    "12 rue de la Roquette",
                    "75011",
                    "Paris",
                    "75",
                    "7410Z",
                    "01 43 55 21 08",
                ),
                DemoMember(
                    "bles-dor",
                    "Boulangerie Les Blés d'Or",
                    "82345678",
                    "48 rue des Martyrs",
                    "75009",
                    "Paris",
                    "75",
                    "1071C",
                    "01 48 78 32 64",
                ),
                DemoMember(
                    "imprimerie-marais",
                    "Imprimerie du Marais",
                    "83456789",
                    "7 rue Vieille-du-Temple",
                    "75004",
                    "Paris",
                    "75",
                    "1812Z",
                    "01 42 72 18 90",
                ),
            ),
        ),
        DemoTenant(
            "fa-mgp",
            "France Active Métropole – Grand Paris",
            ("92", "93", "94"),
            ("animation@fa-mgp.demo.trocactif.org", "karim.benali@fa-mgp.demo.trocactif.org"),
            (
                DemoMember(
                    "menuiserie-dubois",
                    "Menuiserie Dubois et Fils",
                    "84567890",
                    "21 avenue Jean Jaurès",
                    "92120",
                    "Montrouge",
                    "92",
                    "1623Z",
                    "01 46 55 10 72",
                ),
                DemoMember(
                    "saveurs-saint-denis",
                    "Traiteur Saveurs de Saint-Denis",
                    "85678901",
                    "5 rue de la République",
                    "93200",
                    "Saint-Denis",
                    "93",
                    "5621Z",
                    "01 48 20 33 51",
                ),
                DemoMember(
                    "creteil-conseil",
                    "Créteil Conseil Expertise Comptable",
                    "86789012",
                    "14 avenue du Général de Gaulle",
                    "94000",
                    "Créteil",
                    "94",
                    "6920Z",
                    "01 43 39 84 20",
                ),
            ),
        ),
        DemoTenant(
            "initiactive-95",
            "Initiactive 95",
            ("78", "95"),
            ("animation@initiactive-95.demo.trocactif.org",),
            (
                DemoMember(
                    "garage-cergy",
                    "Garage Central Cergy",
                    "87890123",
                    "3 boulevard de l'Oise",
                    "95000",
                    "Cergy",
                    "95",
                    "4520A",
                    "01 30 32 45 18",
                ),
                DemoMember(
                    "jardins-versailles",
                    "Les Jardins de Versailles Paysage",
                    "88901234",
                    "10 rue de la Paroisse",
                    "78000",
                    "Versailles",
                    "78",
                    "8130Z",
                    "01 39 50 62 77",
                ),
            ),
        ),
        DemoTenant(
            "fa-77-91",
            "France Active Seine-et-Marne – Essonne",
            ("77", "91"),
            ("animation@fa-77-91.demo.trocactif.org",),
            (
                DemoMember(
                    "brasserie-melun",
                    "Brasserie Artisanale de Melun",
                    "89012345",
                    "16 rue Saint-Étienne",
                    "77000",
                    "Melun",
                    "77",
                    "1105Z",
                    "01 64 37 12 90",
                ),
                DemoMember(
                    "evry-digital",
                    "Évry Digital Agence Web",
                    "79123456",
                    "2 cours Blaise Pascal",
                    "91000",
                    "Évry-Courcouronnes",
                    "91",
                    "6201Z",
                    "01 60 78 45 33",
                ),
            ),
        ),
    ),
)

AGRI_ECHANGE = DemoNetwork(
    settings={
        "slug": "agri-echange",
        "name": "Agri-échange",
        "unit": {"code": "GRN", "name": "Grain", "symbol": "G"},
        "default_credit_limit": 200_000,
        "payment_modes": [100],
        "hold_expiry_days": 15,
        "vat_settlement": "euro",
        "commission": {"rate": "2", "charged_in": "euro"},
        # Farmers pay each other without an invoice too: payment requests and direct payments.
        "direct_payments": "both",
    },
    tenants=(
        DemoTenant(
            "agri-beauce",
            "Agri-échange Beauce",
            ("28", "45"),
            ("animation@agri-beauce.demo.trocactif.org",),
            (
                DemoMember(
                    "earl-plaine",
                    "EARL de la Plaine",
                    "52345671",
                    "4 route de Chartres",
                    "28300",
                    "Mainvilliers",
                    "28",
                    "0111Z",
                    "02 37 21 40 16",
                ),
                DemoMember(
                    "gaec-trois-chenes",
                    "GAEC des Trois Chênes",
                    "53456782",
                    "La Ferme des Chênes",
                    "45140",
                    "Ingré",
                    "45",
                    "0150Z",
                    "02 38 43 27 81",
                ),
            ),
        ),
    ),
)

DEMO_NETWORKS = (TROC_ACTIF, AGRI_ECHANGE)

#: The two demo networks trade with each other: both units are worth a euro, and each network
#: lets its clearing account for the other go 5,000.00 below zero.
DEMO_LINK: dict[str, Any] = {
    "network_a": "troc-actif",
    "network_b": "agri-echange",
    "rate": "1",
    "limit_a": 500_000,
    "limit_b": 500_000,
}


@dataclass(frozen=True, slots=True)
class Login:
    email: str
    role: str
    tenant: str | None = None
    company: str | None = None


def _ensure_user(app: GatewayApp, tenant: str | None, data: dict[str, Any]) -> None:
    with contextlib.suppress(Conflict):  # already seeded
        service.create_user(
            app.uow(), tenant, data, actor=None, hasher=app.hasher, now=app.now(), check_rules=False
        )


def seed_demo(app: GatewayApp, password: str) -> list[Login]:
    """Create whatever of the demo is missing; return the demo logins."""
    logins = [Login(OPERATOR_EMAIL, "operator")]
    _ensure_user(app, None, {"email": OPERATOR_EMAIL, "password": password, "role": "operator"})
    for demo in DEMO_NETWORKS:
        slug = demo.settings["slug"]
        with contextlib.suppress(Conflict):
            service.create_network(app.uow(), demo.settings)
        for tenant in demo.tenants:
            with contextlib.suppress(Conflict):
                service.create_tenant(
                    app.uow(),
                    slug,
                    {
                        "slug": tenant.slug,
                        "name": tenant.name,
                        "departments": list(tenant.departments),
                        "contact": {"name": tenant.name, "email": tenant.animators[0]},
                    },
                )
            for email in tenant.animators:
                _ensure_user(
                    app, tenant.slug, {"email": email, "password": password, "role": "animator"}
                )
                logins.append(Login(email, "animator", tenant.slug))
            for company in tenant.members:
                view = service.find_member(app.uow(), tenant.slug, company.siret)
                if view is None:
                    try:
                        view = service.admit_member(
                            app.uow(),
                            tenant.slug,
                            company.application(),
                            credit_limit=None,
                            now=app.now(),
                        )
                    except ValidationErrors:
                        continue  # the SIRET belongs to another tenant's member: leave it
                _ensure_user(
                    app,
                    tenant.slug,
                    {
                        "email": company.email,
                        "password": password,
                        "role": "member",
                        "member_id": view.member.id,
                    },
                )
                logins.append(Login(company.email, "member", tenant.slug, company.name))
    with contextlib.suppress(Conflict):  # already linked
        service.create_link(app.uow(), DEMO_LINK)
    return logins
