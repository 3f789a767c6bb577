"""The network's member directory as the pages need it: names by id, read once per request; the
network's clearing accounts, named after their partner network (transfers' counterparts); and a
member of a linked network one trades with from its listing (:func:`partner_member`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import g

from gateway.web.client import ApiError
from gateway.web.session import api, current_account, tenant_path


def network_members() -> list[dict[str, Any]]:
    """The network's directory (``GET /t/<tenant>/members?scope=network``), active members."""
    cached: list[dict[str, Any]] | None = g.get("_troc_members")
    if cached is None:
        cached = list(api().items(tenant_path("/members"), scope="network"))
        g._troc_members = cached
    return cached


def member_names() -> dict[str, str]:
    return {str(m["id"]): str(m["name"]) for m in network_members()}


def _federation_links() -> list[dict[str, Any]]:
    """The tenant's view of its network's links, once per request; none if they cannot be read."""
    cached: list[dict[str, Any]] | None = g.get("_troc_links")
    if cached is None:
        try:
            cached = list(api().get(tenant_path("/federation/links"))["items"])
        except ApiError:
            cached = []
        g._troc_links = cached
    return cached


def partner_networks() -> dict[str, str]:
    """« Réseau partenaire : <name> » by the id of the network's clearing account for it (a
    cross-network transfer's counterpart in a statement); none if the links cannot be read."""
    return {
        str(link["clearing_account"]): f"Réseau partenaire : {link['partner_network_name']}"
        for link in _federation_links()
    }


def partner_network_names() -> dict[str, str]:
    """The partner networks' names by slug (a cross-network payment's counterpart)."""
    return {
        str(link["partner_network"]): str(link["partner_network_name"])
        for link in _federation_links()
    }


def partner_link(network: str) -> dict[str, Any] | None:
    """The link with the partner network ``network`` as the tenant's network sees it (its name,
    its unit, the rate: partner units for one of ours, its status); None if there is none."""
    for link in _federation_links():
        if str(link.get("partner_network")) == network:
            return link
    return None


def member_id_or_blank(value: str | None) -> str:
    """A member id from a query string or a form, as the API writes it; blank if not an id (the
    API judges the rest: a valid id of nobody it knows is its ``unknown_member``)."""
    try:
        return str(uuid.UUID(str(value or "").strip()))
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class PartnerMember:
    """A member of a linked network, as its listing on the marketplace shows it."""

    member_id: str
    name: str
    tenant: str
    network: str
    network_name: str
    #: The partner network's unit name, and how many of them one unit of ours is worth.
    unit_name: str
    rate: str
    listing_id: str
    listing_title: str
    listing_kind: str
    #: The listing's price in our unit at the link's current rate (None: on quote).
    price_in_your_unit: str | None


def partner_member(member_id: str, listing_id: str) -> PartnerMember | None:
    """The member ``member_id`` of a partner network behind the marketplace's listing
    ``listing_id``, while the link is active; None when the listing is not a partner network's,
    is not that member's, or cannot be read (the form then names the id alone)."""
    account = current_account()
    listing_id = member_id_or_blank(listing_id)
    if not member_id or not listing_id or account is None or member_id in member_names():
        return None
    try:
        listing = api().get(tenant_path(f"/listings/{listing_id}"))
    except ApiError as exc:
        if exc.status not in (403, 404, 422):
            raise
        return None
    network = str(listing.get("network") or "")
    if not network or network == account.network or str(listing.get("member_id")) != member_id:
        return None
    link = partner_link(network)
    if link is None or link.get("status") != "active":
        return None
    converted = listing.get("price_in_your_unit") or {}
    return PartnerMember(
        member_id=member_id,
        name=str(listing.get("member_name") or ""),
        tenant=str(listing.get("tenant") or ""),
        network=network,
        network_name=str(link.get("partner_network_name") or listing.get("network_name") or ""),
        unit_name=str(link.get("partner_unit") or ""),
        rate=str(link.get("rate") or ""),
        listing_id=listing_id,
        listing_title=str(listing.get("title") or ""),
        listing_kind=str(listing.get("kind") or ""),
        price_in_your_unit=converted.get("amount"),
    )


def counterpart_choices(chosen: str, partner: PartnerMember | None) -> list[tuple[str, str]]:
    """The options of a form's counterpart: the network's members (:func:`counterparts`), and the
    chosen id when it is not one of them: a partner network's member named after its network,
    or an id the API will judge."""
    options = [(str(m["id"]), f"{m['name']} ({m.get('tenant', '')})") for m in counterparts()]
    if chosen and chosen not in {key for key, _ in options}:
        if partner is not None and partner.member_id == chosen:
            label = f"{partner.name} (Réseau partenaire : {partner.network_name})"
        else:
            label = "Entreprise indiquée par l'annonce"
        options.insert(0, (chosen, label))
    return options


def counterpart_names(ids: Iterable[object]) -> dict[str, str]:
    """Names of whom transfers are with: the directory's members, and partner networks (their
    links are read only when some id is not a member's)."""
    names = member_names()
    if any(str(i) not in names for i in ids):
        return {**partner_networks(), **names}
    return names


def counterparts() -> list[dict[str, Any]]:
    """Members one may trade with: the directory without oneself, by name."""
    account = current_account()
    me = account.member_id if account else None
    return sorted(
        (
            m
            for m in network_members()
            if str(m["id"]) != me and m.get("status") not in ("suspended", "left")
        ),
        key=lambda m: str(m["name"]).lower(),
    )
