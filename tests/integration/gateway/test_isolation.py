"""Tenant isolation: a token of tenant A gets 404 on every resource of tenant B, whether the path
names tenant B or names tenant A with one of B's ids; nothing of B changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.test import TestResponse

from .conftest import PASSWORD, World, bearer, member_body

Call = Callable[[World, dict[str, str], str, dict[str, str]], TestResponse]


@pytest.fixture
def tenant_b_things(gw: World) -> dict[str, str]:
    """A member, a user and an API key of tenant B."""
    member = gw.admit(gw.tenant_b)
    gw.user(gw.tenant_b, "member", member["id"])
    users = gw.client.get(f"/t/{gw.tenant_b}/users", headers=gw.animator_b).json["items"]
    key = gw.client.post(
        f"/t/{gw.tenant_b}/api-keys",
        headers=gw.animator_b,
        json={"name": "B's CRM", "scopes": ["ledger:read"]},
    ).json
    return {"member": member["id"], "user": users[0]["id"], "key": key["id"]}


def _routes() -> dict[str, Call]:
    def json(body: dict[str, Any]) -> dict[str, Any]:
        return {"json": body}

    user_body = {"email": "intruder@example.org", "password": PASSWORD, "role": "animator"}
    return {
        "list members": lambda w, h, t, ids: w.client.get(f"/t/{t}/members", headers=h),
        "admit member": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/members", headers=h, **json(member_body(tenant_b=True))
        ),
        "show member": lambda w, h, t, ids: w.client.get(
            f"/t/{t}/members/{ids['member']}", headers=h
        ),
        "amend member": lambda w, h, t, ids: w.client.patch(
            f"/t/{t}/members/{ids['member']}", headers=h, **json({"name": "Pwned"})
        ),
        "suspend member": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/members/{ids['member']}/suspend", headers=h, **json({})
        ),
        "reinstate member": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/members/{ids['member']}/reinstate", headers=h, **json({})
        ),
        "member leaves": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/members/{ids['member']}/leave", headers=h, **json({})
        ),
        "import members": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/members/import", headers=h, data=b"name;siret\n", content_type="text/csv"
        ),
        "create user": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/users", headers=h, **json(user_body)
        ),
        "list users": lambda w, h, t, ids: w.client.get(f"/t/{t}/users", headers=h),
        "show user": lambda w, h, t, ids: w.client.get(f"/t/{t}/users/{ids['user']}", headers=h),
        "create api key": lambda w, h, t, ids: w.client.post(
            f"/t/{t}/api-keys", headers=h, **json({"name": "k", "scopes": ["ledger:read"]})
        ),
        "list api keys": lambda w, h, t, ids: w.client.get(f"/t/{t}/api-keys", headers=h),
        "revoke api key": lambda w, h, t, ids: w.client.delete(
            f"/t/{t}/api-keys/{ids['key']}", headers=h
        ),
    }


ROUTES = _routes()
#: Routes that name one of tenant B's resources by id (reachable through tenant A's paths too).
BY_ID = (
    "show member",
    "amend member",
    "suspend member",
    "reinstate member",
    "member leaves",
    "show user",
    "revoke api key",
)


def _tenant_a_headers(gw: World, who: str) -> dict[str, str]:
    if who == "animator":
        return gw.animator_a
    if who == "member":
        member = gw.admit()
        return gw.headers_of(gw.user(gw.tenant_a, "member", member["id"]))
    key = gw.client.post(
        f"/t/{gw.tenant_a}/api-keys",
        headers=gw.animator_a,
        json={"name": "A's CRM", "scopes": ["ledger:read"]},
    ).json["key"]
    return bearer(key)


def _b_unchanged(gw: World, ids: dict[str, str]) -> None:
    member = gw.client.get(f"/t/{gw.tenant_b}/members/{ids['member']}", headers=gw.animator_b)
    assert member.json["status"] == "admitted" and member.json["name"] == "Atelier Test"
    keys = gw.client.get(f"/t/{gw.tenant_b}/api-keys", headers=gw.animator_b).json["items"]
    assert [k["revoked_at"] for k in keys] == [None]
    users = gw.client.get(f"/t/{gw.tenant_b}/users", headers=gw.animator_b).json
    assert "intruder@example.org" not in {u["email"] for u in users["items"]}


@pytest.mark.parametrize("who", ["animator", "member", "integrator"])
def test_tenant_b_paths_are_not_found_for_tenant_a(
    gw: World, tenant_b_things: dict[str, str], who: str
) -> None:
    headers = _tenant_a_headers(gw, who)
    answers = {
        name: call(gw, headers, gw.tenant_b, tenant_b_things).status_code
        for name, call in ROUTES.items()
    }
    assert answers == dict.fromkeys(ROUTES, 404)
    _b_unchanged(gw, tenant_b_things)


@pytest.mark.parametrize("who", ["animator", "member"])
def test_tenant_b_ids_are_not_found_through_tenant_a_paths(
    gw: World, tenant_b_things: dict[str, str], who: str
) -> None:
    headers = _tenant_a_headers(gw, who)
    answers = {
        name: ROUTES[name](gw, headers, gw.tenant_a, tenant_b_things).status_code for name in BY_ID
    }
    if who == "animator":
        assert answers == dict.fromkeys(BY_ID, 404)
    else:
        # A member may read members only: its writes are refused (403) before any lookup.
        assert answers == {**dict.fromkeys(BY_ID, 403), "show member": 404}
    _b_unchanged(gw, tenant_b_things)


def test_an_unknown_tenant_is_not_found_even_for_the_operator(gw: World) -> None:
    assert gw.client.get("/t/no-such-tenant/members", headers=gw.operator).status_code == 404
    assert gw.client.get(f"/t/{gw.tenant_b}/members", headers=gw.operator).status_code == 200
