"""The listings' per-tenant event log: every event of a tenant is logged once, with the change,
and positioned gap-free by the relay; ``GET /t/<t>/events?source=listings`` replays it."""

from __future__ import annotations

from typing import Any

from chassis.outbox import OutboxRelay
from listings.db import outbox_sequence_table, outbox_table
from tests.integration.listings.conftest import Market


def sequence_all(market: Market) -> None:
    """Position what is committed, as the worker's relay does before publishing."""
    relay = OutboxRelay(market.app.engine, outbox_table, outbox_sequence_table, lambda _batch: None)
    while relay.assign_sequences():
        pass


def log_of(market: Market, tenant: str, **query: Any) -> Any:
    response = market.client.get(
        f"/t/{tenant}/events",
        headers=market.animator(tenant),
        query_string={"source": "listings", **query},
    )
    assert response.status_code == 200, response.json
    return response.json


def test_each_tenants_events_are_positioned_one_by_one_and_replayed(market: Market) -> None:
    a, b = market.member(), market.member(market.tenant_b, department="92")
    titles: dict[str, list[str]] = {market.tenant_a: [], market.tenant_b: []}
    for n in range(3):
        for tenant, author in ((market.tenant_a, a), (market.tenant_b, b)):
            title = f"Offre {tenant} {n}"
            market.publish(author, tenant, title=title, departments=["75", "92"])
            titles[tenant].append(title)
    unpositioned = log_of(market, market.tenant_a)
    assert unpositioned == {"items": [], "next_after": 0}  # the relay has not passed yet
    sequence_all(market)
    for tenant in (market.tenant_a, market.tenant_b):
        log = log_of(market, tenant)["items"]
        assert [e["sequence"] for e in log] == [f"{n:020d}" for n in range(1, len(log) + 1)]
        assert {e["source"] for e in log} == {f"/t/{tenant}/listings"}
        published = [
            e["data"]["title"]
            for e in log
            if e["type"] == "org.trocactif.listings.listing_published.v1"
        ]
        assert published == titles[tenant]
        rest = log_of(market, tenant, after=2, limit=1)
        assert rest == {"items": log[2:3], "next_after": 3}
        old = market.client.get(
            f"/t/{tenant}/events",
            headers={**market.animator(tenant), "Troc-List-Shape": "legacy"},
            query_string={"source": "listings"},
        )
        assert old.json == {"events": log, "next_after": len(log)}
        assert old.headers["Deprecation"].startswith("@")


def test_the_listings_serve_their_own_log_only_and_to_staff_only(market: Market) -> None:
    tenant = market.tenant_a
    for source in ("ledger", "invoices", "nope"):
        refused = market.client.get(
            f"/t/{tenant}/events", headers=market.animator(), query_string={"source": source}
        )
        assert refused.status_code == 422 and "query.source" in refused.json["errors"]
    member = market.client.get(
        f"/t/{tenant}/events?source=listings", headers=market.headers(market.member())
    )
    assert member.status_code == 403
    other = market.client.get(
        f"/t/{market.tenant_b}/events?source=listings", headers=market.animator()
    )
    assert other.status_code == 404
