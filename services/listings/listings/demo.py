"""The demo marketplace of ``make run``: what each demo company offers and needs.

The gateway's demo seed admits the companies (``contact@<handle>.demo.trocactif.org``); when the
listings worker learns of one, it publishes the listings below for it, through the ordinary
use case (so they are matched, and announced, like any other). Several of them fit each other
across associations, so the demo shows matches from the start.
"""

from __future__ import annotations

import re

from listings.domain import Draft, Kind, Price, PriceType, Visibility

DEMO_DOMAIN = re.compile(r"^[^@]+@([a-z0-9-]+)\.demo\.trocactif\.org$")


def _draft(
    kind: Kind,
    title: str,
    category: str,
    description: str,
    *,
    price: Price | None = None,
    departments: tuple[str, ...] | None = None,
    modes: tuple[int, ...] | None = None,
    visibility: Visibility = Visibility.NETWORK,
) -> Draft:
    return Draft(
        kind=kind,
        title=title,
        category=category,
        description=description,
        price=price or Price(),
        departments=departments,
        payment_modes=modes,
        visibility=visibility,
    )


def _fixed(units: int) -> Price:
    return Price(PriceType.FIXED, units * 100)


def _from(units: int) -> Price:
    return Price(PriceType.FROM, units * 100)


IDF = ("75", "77", "78", "91", "92", "93", "94", "95")
OFFER, NEED = Kind.OFFER, Kind.NEED
#: A seventh item: the listing's visibility. The demo's two networks are linked: a few offers of
#: each are shown to the other (``scope=federation``).
FEDERATION = Visibility.FEDERATION

CATALOGUE: dict[str, tuple[tuple, ...]] = {
    "atelier-lumiere": (
        (
            OFFER,
            "Création d'identité visuelle et de logo",
            "graphisme-impression",
            "Logo, charte graphique et déclinaisons pour votre entreprise : cartes de visite, "
            "papeterie, réseaux sociaux.",
            _from(600),
            IDF,
        ),
        (
            NEED,
            "Expert-comptable pour le bilan annuel",
            "comptabilite",
            "Studio de design de 4 personnes, nous cherchons un cabinet pour la tenue de la "
            "comptabilité et le bilan 2026.",
            None,
            ("75",),
        ),
    ),
    "bles-dor": (
        (
            OFFER,
            "Viennoiseries et buffets pour vos réunions",
            "restauration-traiteur",
            "Petits-déjeuners d'entreprise, plateaux de viennoiseries et buffets sucrés-salés "
            "livrés dans Paris.",
            _from(80),
            ("75",),
        ),
        (
            NEED,
            "Nettoyage du laboratoire de boulangerie",
            "nettoyage",
            "Nettoyage approfondi du fournil et de la chambre froide, une fois par mois.",
            None,
            ("75",),
        ),
    ),
    "imprimerie-marais": (
        (
            OFFER,
            "Impression de flyers, affiches et cartes de visite",
            "graphisme-impression",
            "Impression offset et numérique, petits et grands formats, façonnage et livraison "
            "en Île-de-France.",
            _from(150),
            IDF,
        ),
        (
            NEED,
            "Site web vitrine avec boutique en ligne",
            "web-informatique",
            "Refonte de notre site internet avec prise de commande en ligne.",
            _from(2000),
            IDF,
        ),
    ),
    "menuiserie-dubois": (
        (
            OFFER,
            "Agencement et mobilier de bureau sur mesure",
            "artisanat-batiment",
            "Conception et fabrication de mobilier, comptoirs et agencements de boutiques.",
            Price(),
            ("75", "92", "93", "94"),
        ),
        (
            NEED,
            "Camionnette pour livraisons ponctuelles",
            "transport-logistique",
            "Location ou prêt d'un utilitaire de 12 m³ deux jours par mois.",
            _fixed(150),
            ("92",),
        ),
    ),
    "saveurs-saint-denis": (
        (
            OFFER,
            "Traiteur pour séminaires et événements d'entreprise",
            "restauration-traiteur",
            "Cocktails, buffets et repas assis de 20 à 300 personnes, cuisine du monde.",
            _from(25),
            IDF,
        ),
        (
            NEED,
            "Salle de réception pour 80 personnes",
            "locaux-salles",
            "Nous cherchons une salle équipée pour une soirée de lancement en juin.",
            None,
            ("93", "75"),
        ),
    ),
    "creteil-conseil": (
        (
            OFFER,
            "Tenue de comptabilité et bilan pour TPE",
            "comptabilite",
            "Cabinet d'expertise comptable : comptabilité, déclarations de TVA, bilan et "
            "liasse fiscale pour les petites entreprises.",
            _from(900),
            IDF,
        ),
        (
            NEED,
            "Formation Excel pour notre équipe",
            "formation",
            "Formation aux tableaux croisés dynamiques pour six collaborateurs.",
            _from(500),
            ("94",),
        ),
    ),
    "garage-cergy": (
        (
            OFFER,
            "Entretien et réparation de véhicules utilitaires",
            "automobile",
            "Révisions, freinage, pneumatiques et diagnostic pour flottes d'entreprise.",
            Price(),
            ("95", "78"),
        ),
        (
            NEED,
            "Flyers et affiches pour nos portes ouvertes",
            "graphisme-impression",
            "Impression de 2 000 flyers et 50 affiches A2.",
            _fixed(300),
            ("95", "75"),
        ),
    ),
    "jardins-versailles": (
        (
            OFFER,
            "Entretien d'espaces verts pour entreprises",
            "espaces-verts",
            "Tonte, taille de haies, plantations et arrosage des jardins d'entreprise.",
            _from(200),
            ("78", "92", "95"),
        ),
        (
            NEED,
            "Vidéo de présentation de l'entreprise",
            "photo-video",
            "Un film de deux minutes sur nos chantiers pour notre site et les salons.",
            _from(1500),
            ("78",),
        ),
    ),
    "brasserie-melun": (
        (
            OFFER,
            "Bières artisanales pour vos événements",
            "alimentation-boissons",
            "Fûts et bouteilles de notre brasserie, tireuse prêtée pour vos soirées.",
            _from(120),
            ("77", "91", "75"),
            FEDERATION,
        ),
        (
            NEED,
            "Création d'étiquettes et identité visuelle",
            "graphisme-impression",
            "Nouvelle gamme : création des étiquettes de quatre bières.",
            _from(800),
            ("77", "75"),
        ),
    ),
    "evry-digital": (
        (
            OFFER,
            "Création de sites web et référencement",
            "web-informatique",
            "Sites vitrines et boutiques en ligne, référencement naturel et maintenance.",
            _from(1800),
            (),
            FEDERATION,
        ),
        (
            NEED,
            "Salle de réunion pour nos ateliers clients",
            "locaux-salles",
            "Une salle de 15 places, une demi-journée par semaine.",
            None,
            ("91", "77"),
        ),
    ),
    "earl-plaine": (
        (
            OFFER,
            "Vente de céréales et de paille",
            "agriculture",
            "Blé, orge et paille en bottes, livraison possible en Beauce.",
            Price(),
            ("28", "45"),
            FEDERATION,
        ),
        (
            NEED,
            "Réparation de matériel agricole",
            "materiel-machines",
            "Remise en état d'une moissonneuse avant la saison.",
            None,
            ("28",),
        ),
    ),
    "gaec-trois-chenes": (
        (
            OFFER,
            "Prêt de tracteur et de matériel agricole avec chauffeur",
            "materiel-machines",
            "Tracteur, remorque et broyeur avec chauffeur, à la journée.",
            _fixed(350),
            ("28", "45"),
            FEDERATION,
        ),
        (
            NEED,
            "Transport de récoltes vers la coopérative",
            "transport-logistique",
            "Deux semaines de transport en juillet.",
            None,
            ("45",),
        ),
    ),
}


def drafts_for(email: str) -> list[Draft]:
    """The demo listings of a demo company, from its e-mail; none for anyone else."""
    found = DEMO_DOMAIN.match(email.strip().lower())
    if found is None:
        return []
    drafts = []
    for kind, title, category, description, price, departments, *rest in CATALOGUE.get(
        found[1], ()
    ):
        visibility = rest[0] if rest else Visibility.NETWORK
        drafts.append(
            _draft(
                kind,
                title,
                category,
                description,
                price=price,
                departments=departments,
                visibility=visibility,
            )
        )
    return drafts
