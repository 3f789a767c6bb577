"""The marketplace's rules: listings, the category taxonomy, who may do what, match scoring.

Standard library only. Amounts are integer cents of the network's unit. Text analysis (French
stemming) lives in ``textsearch.py``; scoring here works on the term sets it produces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from chassis.money import convert

# --- vocabulary --------------------------------------------------------------------------------


class Kind(StrEnum):
    OFFER = "offer"
    NEED = "need"

    @property
    def counterpart(self) -> Kind:
        return Kind.NEED if self is Kind.OFFER else Kind.OFFER


class Status(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class Visibility(StrEnum):
    TENANT = "tenant"
    NETWORK = "network"
    FEDERATION = "federation"  # the network, and the networks linked to it by an active link

    @property
    def network_wide(self) -> bool:
        """Seen by the whole network (and, for ``federation``, beyond it)."""
        return self is not Visibility.TENANT


class PriceType(StrEnum):
    FIXED = "fixed"
    FROM = "from"
    ON_QUOTE = "on_quote"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"


#: Why a listing was paused or archived by someone other than its author.
PAUSED_BY_SUSPENSION = "member_suspended"
PAUSED_BY_DEPARTURE = "member_left"
ARCHIVED_EXPIRED = "expired"

#: The payment modes of DESIGN.md: share of an invoice paid in the network's unit, in percent.
PAYMENT_MODES: tuple[int, ...] = (100, 50)
_MODE_BITS = {100: 1, 50: 2}

#: Needs expire after this many days unless the network says otherwise.
DEFAULT_NEED_EXPIRY_DAYS = 90
MAX_EXPIRY = timedelta(days=366)
TITLE_MAX = 120
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 4000


def payment_mask(modes: Iterable[int]) -> int:
    """Payment modes as a bit set (what the database filters on)."""
    mask = 0
    for mode in modes:
        mask |= _MODE_BITS[mode]
    return mask


def modes_of_mask(mask: int) -> tuple[int, ...]:
    return tuple(mode for mode in PAYMENT_MODES if mask & _MODE_BITS[mode])


# --- categories --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    label: str
    group: str


#: The seeded taxonomy: what the companies of these networks trade (labels in French).
CATEGORIES: tuple[Category, ...] = (
    Category("comptabilite", "Comptabilité, gestion et finance", "Services aux entreprises"),
    Category("juridique", "Juridique et droit des affaires", "Services aux entreprises"),
    Category("conseil", "Conseil, stratégie et accompagnement", "Services aux entreprises"),
    Category(
        "ressources-humaines", "Ressources humaines et recrutement", "Services aux entreprises"
    ),
    Category(
        "services-administratifs",
        "Secrétariat et services administratifs",
        "Services aux entreprises",
    ),
    Category(
        "traduction-redaction", "Traduction, rédaction et correction", "Services aux entreprises"
    ),
    Category(
        "communication",
        "Communication, marketing et relations presse",
        "Communication et numérique",
    ),
    Category(
        "graphisme-impression",
        "Graphisme, impression et signalétique",
        "Communication et numérique",
    ),
    Category("photo-video", "Photo, vidéo et audiovisuel", "Communication et numérique"),
    Category("web-informatique", "Web, informatique et numérique", "Communication et numérique"),
    Category("formation", "Formation et coaching", "Formation et événements"),
    Category("evenementiel", "Événementiel, animation et spectacles", "Formation et événements"),
    Category("locaux-salles", "Locaux, salles de réunion et bureaux", "Lieux et équipements"),
    Category("materiel-machines", "Matériel, équipements et machines", "Lieux et équipements"),
    Category("mobilier-fournitures", "Mobilier et fournitures de bureau", "Lieux et équipements"),
    Category(
        "transport-logistique", "Transport, logistique et déménagement", "Lieux et équipements"
    ),
    Category("nettoyage", "Nettoyage, entretien et hygiène", "Services techniques"),
    Category("artisanat-batiment", "Artisanat, bâtiment et travaux", "Services techniques"),
    Category("electricite-energie", "Électricité, plomberie et énergie", "Services techniques"),
    Category("espaces-verts", "Espaces verts et paysage", "Services techniques"),
    Category("automobile", "Automobile, garage et mobilité", "Services techniques"),
    Category("restauration-traiteur", "Restauration et traiteur", "Alimentation et accueil"),
    Category(
        "alimentation-boissons",
        "Alimentation, boissons et produits locaux",
        "Alimentation et accueil",
    ),
    Category("agriculture", "Agriculture et produits de la ferme", "Alimentation et accueil"),
    Category("hebergement-tourisme", "Hébergement et tourisme", "Alimentation et accueil"),
    Category("sante-bien-etre", "Santé, bien-être et beauté", "Personnes"),
    Category("textile-mode", "Textile, mode et couture", "Personnes"),
    Category("autre", "Autres biens et services", "Autres"),
)
CATEGORY_BY_SLUG: Mapping[str, Category] = {c.slug: c for c in CATEGORIES}


# --- departments -------------------------------------------------------------------------------

#: French departments: 01-95 (Corsica as 2A/2B) and the overseas 971-976.
DEPARTMENTS: frozenset[str] = frozenset(
    {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {str(n) for n in range(971, 977)}
)


def normalize_department(code: str) -> str:
    """``"2a"`` -> ``"2A"``, ``"5"`` -> ``"05"``; raises ``InvalidListing`` if unknown."""
    value = code.strip().upper()
    if re.fullmatch(r"\d", value):
        value = "0" + value
    if value not in DEPARTMENTS:
        raise InvalidListing("departments", f"{code!r} is not a French department code")
    return value


# --- errors ------------------------------------------------------------------------------------


class ListingsError(Exception):
    """Base of the marketplace's refusals; ``code`` is stable and public."""

    code = "listings_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidListing(ListingsError):
    """A field breaks a rule that depends on more than its own value (a 422 naming it)."""

    code = "validation_failed"

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class ListingNotFound(ListingsError):
    code = "listing_not_found"


class ThreadNotFound(ListingsError):
    code = "thread_not_found"


class ListingArchived(ListingsError):
    code = "listing_archived"


class ListingNotActive(ListingsError):
    code = "listing_not_active"


class OwnListing(ListingsError):
    code = "own_listing"


class UnknownMember(ListingsError):
    """A member this service does not hold (``unknown_id``: missing from its copy of the
    directory, which the gateway tells apart from absence), or holds in another tenant."""

    code = "unknown_member"

    def __init__(self, message: str, unknown_id: UUID | None = None) -> None:
        super().__init__(message)
        self.unknown_id = unknown_id


class MemberInactive(ListingsError):
    code = "member_inactive"


class NotAllowed(ListingsError):
    code = "forbidden"


# --- copies of other services' facts -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Network:
    """The marketplace's copy of a network's settings (from the gateway's events)."""

    slug: str
    name: str = ""
    unit_code: str = ""
    unit_name: str = ""
    unit_symbol: str = ""
    payment_modes: tuple[int, ...] = PAYMENT_MODES
    need_expiry_days: int = DEFAULT_NEED_EXPIRY_DAYS


class LinkStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(frozen=True, slots=True)
class FederationLink:
    """The marketplace's copy of a link between two networks (the gateway owns the record).

    ``rate``: units of ``network_b`` for one unit of ``network_a``. ``as_of``: the time of the
    event that set it, so that an older event delivered late changes nothing.
    """

    id: UUID
    network_a: str
    network_b: str
    rate: Decimal
    status: LinkStatus
    as_of: datetime

    @property
    def active(self) -> bool:
        return self.status is LinkStatus.ACTIVE

    def joins(self, network: str) -> bool:
        return network in (self.network_a, self.network_b)

    def partner_of(self, network: str) -> str:
        if network == self.network_a:
            return self.network_b
        if network == self.network_b:
            return self.network_a
        raise ValueError(f"the link {self.id} does not join {network}")

    def price_for(self, amount: int, seller_network: str) -> int:
        """``amount`` cents of the seller's unit in the other network's unit, at today's rate."""
        return convert(amount, self.rate, a_to_b=seller_network == self.network_a)

    def supersedes(self, other: FederationLink | None) -> bool:
        """Whether this copy replaces ``other`` (no older event overwrites a newer one)."""
        return other is None or self.as_of >= other.as_of


@dataclass(frozen=True, slots=True)
class Member:
    """A member company as the directory shows it (name and department, no contact data)."""

    id: UUID
    network: str
    tenant: str
    name: str
    department: str
    status: MemberStatus = MemberStatus.ACTIVE


# --- listings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Price:
    """A price indication in the network's unit: fixed, "from" (at least) or on quote."""

    type: PriceType = PriceType.ON_QUOTE
    amount: int | None = None  # cents

    def ensure_valid(self) -> None:
        if self.type is PriceType.ON_QUOTE:
            if self.amount is not None:
                raise InvalidListing("price.amount", "a price on quote has no amount")
        elif self.amount is None or self.amount <= 0:
            raise InvalidListing("price.amount", f"a {self.type.value} price needs an amount")


@dataclass(frozen=True, slots=True)
class Listing:
    id: UUID
    network: str
    tenant: str
    member_id: UUID
    kind: Kind
    title: str
    description: str
    category: str
    price: Price
    payment_modes: tuple[int, ...]
    departments: tuple[str, ...]  # empty: anywhere in France
    visibility: Visibility
    status: Status
    created_at: datetime
    updated_at: datetime
    published_at: datetime
    expires_at: datetime | None = None
    status_reason: str | None = None

    @property
    def category_label(self) -> str:
        category = CATEGORY_BY_SLUG.get(self.category)
        return category.label if category else self.category

    def is_live(self, now: datetime) -> bool:
        """Active and not past its expiry: what others may see and match."""
        return self.status is Status.ACTIVE and (self.expires_at is None or self.expires_at > now)

    def ensure_editable(self) -> None:
        if self.status is Status.ARCHIVED:
            raise ListingArchived(f"listing {self.id} is archived")

    def ensure_contactable(self, now: datetime) -> None:
        if not self.is_live(now):
            raise ListingNotActive(f"listing {self.id} is not active")


@dataclass(frozen=True, slots=True)
class Draft:
    """A listing as its author describes it; what is left out gets the defaults."""

    kind: Kind
    title: str
    category: str
    description: str = ""
    price: Price = Price()
    payment_modes: tuple[int, ...] | None = None  # None: every mode of the network
    departments: tuple[str, ...] | None = None  # None: the member's department
    visibility: Visibility = Visibility.NETWORK
    expires_at: datetime | None = None


#: Fields of a listing an author may change (``PATCH``).
EDITABLE = frozenset(
    {
        "title",
        "description",
        "category",
        "price",
        "payment_modes",
        "departments",
        "visibility",
        "status",
        "expires_at",
    }
)
#: Changes that make a listing worth matching again.
MATCH_FIELDS = frozenset(
    {"title", "description", "category", "payment_modes", "departments", "status"}
)


def ensure_valid(listing: Listing, network: Network, now: datetime) -> None:
    """Check the rules that span fields or depend on the network's settings."""
    title = listing.title.strip()
    if not 3 <= len(title) <= TITLE_MAX:
        raise InvalidListing("title", f"give a title of 3 to {TITLE_MAX} characters")
    if len(listing.description) > DESCRIPTION_MAX:
        raise InvalidListing("description", f"at most {DESCRIPTION_MAX} characters")
    if listing.category not in CATEGORY_BY_SLUG:
        raise InvalidListing("category", f"unknown category {listing.category!r}")
    listing.price.ensure_valid()
    if not listing.payment_modes:
        raise InvalidListing("payment_modes", "accept at least one payment mode")
    refused = [m for m in listing.payment_modes if m not in network.payment_modes]
    if refused:
        allowed = ", ".join(str(m) for m in network.payment_modes)
        raise InvalidListing(
            "payment_modes", f"this network accepts the payment modes {allowed} only"
        )
    if listing.expires_at is not None and listing.status is not Status.ARCHIVED:
        if listing.expires_at <= now:
            raise InvalidListing("expires_at", "the expiry must be in the future")
        if listing.expires_at - now > MAX_EXPIRY:
            raise InvalidListing("expires_at", "a listing expires within a year at most")


def default_expiry(kind: Kind, network: Network, now: datetime) -> datetime | None:
    """Needs expire after the network's number of days; offers stay until withdrawn."""
    if kind is Kind.NEED:
        return now + timedelta(days=network.need_expiry_days)
    return None


def default_departments(
    member: Member | None, tenant_departments: Iterable[str]
) -> tuple[str, ...]:
    """The member's own department, else its association's, else anywhere (empty)."""
    if member is not None and member.department in DEPARTMENTS:
        return (member.department,)
    return tuple(sorted({d for d in tenant_departments if d in DEPARTMENTS}))


# --- who may do what ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who reads or acts, as the listings see them: from the token and the path."""

    tenant: str
    network: str | None
    member_id: UUID | None = None
    staff: bool = False  # an animator of ``tenant`` or an operator
    #: Networks linked to ``network`` by an active link: their ``federation`` listings show.
    partners: frozenset[str] = frozenset()

    def can_see(self, listing: Listing, now: datetime) -> bool:
        """Tenant-only listings stay in their tenant; paused or archived ones with their owners;
        a partner network's live ``federation`` listings are seen across an active link."""
        if self.network is not None and listing.network != self.network:
            return self.sees_across_link(listing, now)
        shared = self.network is not None and listing.visibility.network_wide
        if listing.tenant != self.tenant and not shared:
            return False
        return listing.is_live(now) or self.owns(listing)

    def sees_across_link(self, listing: Listing, now: datetime) -> bool:
        """A listing of a partner network: live, ``federation``-visible, its link active."""
        return (
            listing.network in self.partners
            and listing.visibility is Visibility.FEDERATION
            and listing.is_live(now)
        )

    def owns(self, listing: Listing) -> bool:
        """The author, or staff of the listing's tenant: may edit, moderate, see its matches.

        Never across a link: a partner network's reader sees its listings, edits none.
        """
        if listing.tenant != self.tenant:
            return False
        if self.network is not None and listing.network != self.network:
            return False
        return self.staff or (self.member_id is not None and listing.member_id == self.member_id)


# --- matchmaking -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Terms:
    """Stemmed terms of a listing's title and of its whole text."""

    title: frozenset[str]
    text: frozenset[str]


@dataclass(frozen=True, slots=True)
class MatchScore:
    score: int  # 0..100
    reasons: tuple[str, ...]


#: Matches kept per published listing, and the text similarity that counts without the category.
MATCH_LIMIT = 10
TEXT_THRESHOLD = 0.3


def _cosine(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def text_similarity(a: Terms, b: Terms) -> float:
    return min(1.0, 0.6 * _cosine(a.title, b.title) + 0.4 * _cosine(a.text, b.text))


def departments_overlap(a: Iterable[str], b: Iterable[str]) -> bool:
    """Empty means anywhere in France, which overlaps everything."""
    sa, sb = set(a), set(b)
    return not sa or not sb or bool(sa & sb)


def score_match(
    listing: Listing,
    terms: Terms,
    other: Listing,
    other_terms: Terms,
    *,
    balances: Mapping[UUID, int] | None = None,
) -> MatchScore | None:
    """How well an offer and a need fit, or None if they do not.

    They fit if they are of opposite kinds, share a payment mode and a department, and are in
    the same category or close in text. The score favours trades that can happen: a buyer with
    units to spend, a seller in deficit who needs to sell to come back to zero.
    """
    if listing.kind == other.kind or listing.member_id == other.member_id:
        return None
    if listing.network != other.network:
        return None
    if not set(listing.payment_modes) & set(other.payment_modes):
        return None
    if not departments_overlap(listing.departments, other.departments):
        return None
    same_category = listing.category == other.category
    similarity = text_similarity(terms, other_terms)
    if not same_category and similarity < TEXT_THRESHOLD:
        return None
    reasons: list[str] = []
    score = 0.0
    if same_category:
        score += 0.45
        reasons.append("category")
    if similarity > 0:
        score += 0.35 * similarity
        if similarity >= TEXT_THRESHOLD:
            reasons.append("text")
    if set(listing.departments) & set(other.departments):
        score += 0.05
        reasons.append("departments")
    offer, need = (listing, other) if listing.kind is Kind.OFFER else (other, listing)
    known = balances or {}
    buyer, seller = known.get(need.member_id), known.get(offer.member_id)
    if buyer is not None and buyer > 0:
        score += 0.075
        reasons.append("buyer_can_spend")
    if seller is not None and seller < 0:
        score += 0.075
        reasons.append("seller_in_deficit")
    return MatchScore(score=max(1, min(100, round(score * 100))), reasons=tuple(reasons))


@dataclass(frozen=True, slots=True)
class Match:
    id: UUID
    network: str
    offer_id: UUID
    need_id: UUID
    offer_member_id: UUID
    need_member_id: UUID
    offer_tenant: str
    need_tenant: str
    score: int
    reasons: tuple[str, ...]
    created_at: datetime

    def side_of(self, listing_id: UUID) -> tuple[UUID, UUID]:
        """(counterpart listing, counterpart member) seen from ``listing_id``."""
        if listing_id == self.offer_id:
            return self.need_id, self.need_member_id
        return self.offer_id, self.offer_member_id


def best_matches(
    listing: Listing,
    terms: Terms,
    candidates: Iterable[tuple[Listing, Terms]],
    *,
    balances: Mapping[UUID, int] | None = None,
    limit: int = MATCH_LIMIT,
) -> list[tuple[Listing, MatchScore]]:
    """The best counterparts of ``listing``, best first (ties: the most recent first)."""
    scored = []
    for other, other_terms in candidates:
        result = score_match(listing, terms, other, other_terms, balances=balances)
        if result is not None:
            scored.append((other, result))
    scored.sort(
        key=lambda pair: (-pair[1].score, -pair[0].published_at.timestamp(), str(pair[0].id))
    )
    return scored[:limit]


# --- contact threads ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Thread:
    """A conversation about one listing between its author and one member who got in touch."""

    id: UUID
    network: str
    listing_id: UUID
    author_member_id: UUID
    author_tenant: str
    requester_member_id: UUID
    requester_tenant: str
    created_at: datetime
    last_message_at: datetime
    message_count: int = 0

    def party(self, member_id: UUID | None) -> bool:
        return member_id in {self.author_member_id, self.requester_member_id}

    def other_party(self, member_id: UUID) -> tuple[UUID, str]:
        if member_id == self.author_member_id:
            return self.requester_member_id, self.requester_tenant
        return self.author_member_id, self.author_tenant

    def visible_to(self, viewer: Viewer) -> bool:
        """Both parties, each under its own tenant; the staff of either party's tenant."""
        if viewer.tenant not in {self.author_tenant, self.requester_tenant}:
            return False
        if viewer.staff:
            return True
        return self.party(viewer.member_id)


def ensure_message(body: str) -> str:
    text = body.strip()
    if not text:
        raise InvalidListing("message", "write a message")
    if len(text) > MESSAGE_MAX:
        raise InvalidListing("message", f"at most {MESSAGE_MAX} characters")
    return text


def with_changes(listing: Listing, changes: Mapping[str, object], now: datetime) -> Listing:
    """The listing with the author's ``changes`` applied (fields of ``EDITABLE``)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidListing(sorted(unknown)[0], "this field cannot be changed")
    return replace(listing, updated_at=now, **changes)  # type: ignore[arg-type]
