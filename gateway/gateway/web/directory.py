"""The network's member directory as the pages need it: names by id, read once per request; and
the network's clearing accounts, named after their partner network (transfers' counterparts)."""

from __future__ import annotations

from collections.abc import Iterable
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
