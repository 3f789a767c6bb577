"""Trade between two linked networks (issue #20): the link, the frozen rate, the conversion.

Standard library only. The operator links two networks with a rate, *units of ``network_b`` for
one unit of ``network_a``* (the gateway owns the record; this service keeps a copy from its
events). A cross-network invoice stays in the seller's unit; it also shows the buyer's side: the
rate seen from the seller (buyer's units for one seller unit) and the unit part converted to the
buyer's unit. A draft follows the link's current rate; issue freezes it, and the ledger's saga
then moves exactly the two frozen amounts.

:func:`chassis.money.convert` is the conversion every service shares with the ledger: cents of
one side as cents of the other, rounded half away from zero. The ledger refuses a frozen pair it
does not give.

A payment without an invoice between two networks (:class:`OtherNetwork`) is written in the unit
of the member who writes it, as an invoice is in its seller's: a request in the payee's unit, a
direct payment in the payer's; it shows the other side converted, at the rate frozen at creation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from uuid import UUID

from chassis.money import convert, format_rate
from invoices.domain.errors import UnknownMember

#: Digits after the point of the rate as seen from the payee when it is the inverse of the link's.
INVERSE_RATE_PLACES = 10


@dataclass(frozen=True, slots=True)
class Link:
    """The invoices' copy of a link between two networks."""

    id: UUID
    network_a: str
    network_b: str
    rate: Decimal
    status: str = "active"
    updated_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"

    def joins(self, one: str, other: str) -> bool:
        return {one, other} == {self.network_a, self.network_b}


@dataclass(frozen=True, slots=True)
class CrossNetwork:
    """The buyer's side of a cross-network invoice: its network, its unit, the rate, the amount.

    ``link_rate`` is the link's own rate (b per a) as frozen; ``seller_is_a`` says which way it
    reads. ``buyer_unit_part`` is the invoice's unit part in the buyer's unit at that rate.
    The buyer network's commission terms are copied at issue, as the seller's are.
    """

    link_id: UUID
    buyer_network: str
    buyer_unit: str
    buyer_unit_name: str
    buyer_unit_symbol: str
    link_rate: Decimal
    seller_is_a: bool
    buyer_unit_part: int
    buyer_commission_rate: Decimal = Decimal(0)
    buyer_commission_charged_in: str = "unit"

    @property
    def exchange_rate(self) -> Decimal:
        """Buyer's units for one seller unit (the link's rate, or its inverse)."""
        return rate_seen_from(self.link_rate, from_a=self.seller_is_a)

    def to_buyer(self, seller_cents: int) -> int:
        """Cents of the seller's unit as cents of the buyer's, at the frozen rate."""
        return convert(seller_cents, self.link_rate, a_to_b=self.seller_is_a)

    def as_dict(self) -> dict[str, object]:
        return {
            "link_id": str(self.link_id),
            "buyer_network": self.buyer_network,
            "buyer_unit": self.buyer_unit,
            "buyer_unit_name": self.buyer_unit_name,
            "buyer_unit_symbol": self.buyer_unit_symbol,
            "link_rate": format_rate(self.link_rate),
            "seller_is_a": self.seller_is_a,
            "buyer_unit_part": self.buyer_unit_part,
            "buyer_commission_rate": format_rate(self.buyer_commission_rate),
            "buyer_commission_charged_in": self.buyer_commission_charged_in,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, object] | None) -> CrossNetwork | None:
        if not raw:
            return None
        return cls(
            link_id=UUID(str(raw["link_id"])),
            buyer_network=str(raw["buyer_network"]),
            buyer_unit=str(raw["buyer_unit"]),
            buyer_unit_name=str(raw["buyer_unit_name"]),
            buyer_unit_symbol=str(raw["buyer_unit_symbol"]),
            link_rate=Decimal(str(raw["link_rate"])),
            seller_is_a=bool(raw["seller_is_a"]),
            buyer_unit_part=int(str(raw["buyer_unit_part"])),
            buyer_commission_rate=Decimal(str(raw.get("buyer_commission_rate") or "0")),
            buyer_commission_charged_in=str(raw.get("buyer_commission_charged_in") or "unit"),
        )


@dataclass(frozen=True, slots=True)
class OtherNetwork:
    """The counterpart's side of a payment between two linked networks.

    The payment's amount is in the unit of its own network (the one of the member who wrote
    it); this is the other network, its unit, the link's rate as frozen at creation (``own_is_a``
    says which way it reads) and the amount converted to the other unit at that rate.
    """

    link_id: UUID
    network: str
    unit: str
    unit_name: str
    unit_symbol: str
    link_rate: Decimal
    own_is_a: bool
    converted_amount: int

    @property
    def exchange_rate(self) -> Decimal:
        """The other network's units for one unit of the payment's own."""
        return rate_seen_from(self.link_rate, from_a=self.own_is_a)

    def as_dict(self) -> dict[str, object]:
        return {
            "link_id": str(self.link_id),
            "network": self.network,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "unit_symbol": self.unit_symbol,
            "link_rate": format_rate(self.link_rate),
            "own_is_a": self.own_is_a,
            "converted_amount": self.converted_amount,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, object] | None) -> OtherNetwork | None:
        if not raw:
            return None
        return cls(
            link_id=UUID(str(raw["link_id"])),
            network=str(raw["network"]),
            unit=str(raw["unit"]),
            unit_name=str(raw["unit_name"]),
            unit_symbol=str(raw["unit_symbol"]),
            link_rate=Decimal(str(raw["link_rate"])),
            own_is_a=bool(raw["own_is_a"]),
            converted_amount=int(str(raw["converted_amount"])),
        )


def other_network(
    link: Link,
    *,
    own_network: str,
    other_network: str,
    unit: tuple[str, str, str],
    amount: int,
) -> OtherNetwork:
    """The other side of a payment of ``amount`` cents of ``own_network``, at the link's rate."""
    own_is_a = link.network_a == own_network
    code, name, symbol = unit
    return OtherNetwork(
        link_id=link.id,
        network=other_network,
        unit=code,
        unit_name=name,
        unit_symbol=symbol,
        link_rate=link.rate,
        own_is_a=own_is_a,
        converted_amount=convert(amount, link.rate, a_to_b=own_is_a),
    )


def rate_seen_from(link_rate: Decimal, *, from_a: bool) -> Decimal:
    """The other side's units for one unit of this side: the link's rate (b per a) seen from
    its ``network_a`` (``from_a``), or its inverse seen from its ``network_b``."""
    if from_a:
        return link_rate
    with localcontext() as ctx:
        ctx.prec = 60
        inverse = Decimal(1) / link_rate
    return inverse.quantize(Decimal(1).scaleb(-INVERSE_RATE_PLACES), rounding=ROUND_HALF_UP)


def ensure_linked(
    link: Link | None,
    seller_network: str,
    buyer_network: str,
    buyer: UUID,
    *,
    field: str = "buyer_member_id",
) -> Link:
    """The active link between the two networks, or the refusal of an unknown member of the
    other one (422, ``field`` naming it: the buyer of an invoice, a payment's counterpart)."""
    if link is None or not link.joins(seller_network, buyer_network):
        raise UnknownMember(
            f"no member {buyer} in this network: networks {seller_network!r} and "
            f"{buyer_network!r} are not linked",
            field=field,
        )
    if not link.active:
        raise UnknownMember(
            f"no member {buyer} in this network: the link between networks {seller_network!r} "
            f"and {buyer_network!r} is suspended, so they are not linked for now",
            field=field,
        )
    return link


def cross_network(
    link: Link,
    *,
    seller_network: str,
    buyer_network: str,
    buyer_unit: tuple[str, str, str],
    unit_part: int,
    buyer_commission_rate: Decimal,
    buyer_commission_charged_in: str,
) -> CrossNetwork:
    """The buyer's side of an invoice of ``unit_part`` seller cents, at the link's current rate."""
    seller_is_a = link.network_a == seller_network
    code, name, symbol = buyer_unit
    return CrossNetwork(
        link_id=link.id,
        buyer_network=buyer_network,
        buyer_unit=code,
        buyer_unit_name=name,
        buyer_unit_symbol=symbol,
        link_rate=link.rate,
        seller_is_a=seller_is_a,
        buyer_unit_part=convert(unit_part, link.rate, a_to_b=seller_is_a),
        buyer_commission_rate=buyer_commission_rate,
        buyer_commission_charged_in=buyer_commission_charged_in,
    )


def newer(current: datetime | None, incoming: datetime) -> bool:
    """Whether a link event stamped ``incoming`` may replace what ``current`` stamped."""
    return current is None or incoming >= current
