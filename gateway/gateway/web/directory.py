"""The network's member directory as the pages need it: names by id, read once per request."""

from __future__ import annotations

from typing import Any

from flask import g

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
