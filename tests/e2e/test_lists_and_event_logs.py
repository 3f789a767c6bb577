"""Lists and event logs end to end, through the gateway, every service a real process.

Every list answers ``{"items": [...], ...paging}``; the older shapes (a bare array, a statement's
``X-Total-Count``, ``{"events", "next_after"}``) come back with ``Troc-List-Shape: legacy``,
marked ``Deprecation``. The invoices and the listings keep a per-tenant, gap-free log of what they
publish like the ledger: ``GET /t/<t>/events?source=invoices|listings`` replays it, and the
webhooks carry the same position (the CloudEvents ``sequence``, 20 digits, per-tenant source).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, make_url, text

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from tests.chaos.receiver import Receipts, webhook_receiver

pytestmark = pytest.mark.e2e

PIE, MGP = "pie", "fa-mgp"
LEGACY = {"Troc-List-Shape": "legacy"}
LISTING_TYPES = ("org.trocactif.listings.listing_published.v1",)
ISSUED = "org.trocactif.invoices.invoice_issued.v1"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    env = {
        "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",  # the receiver listens on loopback
        "TROC_WEBHOOKS_RETRY_SCHEDULE": "1,1,1,1,1",
        "TROC_WEBHOOKS_POLL_INTERVAL_MS": "200",
    }
    with running_platform(tmp_path_factory.mktemp("lists"), tag="lst", env=env) as running:
        yield running


def get(platform: Platform, path: str, headers: dict[str, str], **params: Any) -> requests.Response:
    return requests.get(f"{platform.url}{path}", headers=headers, params=params, timeout=15)


def member_id(platform: Platform, animator: dict[str, str], tenant: str, name: str) -> str:
    directory = platform.get(f"/t/{tenant}/members", animator, per_page=100)
    return str(next(m["id"] for m in directory["items"] if m["name"] == name))


def assert_page(body: Any, *, page: int = 1) -> list[dict[str, Any]]:
    """An offset page: its items."""
    assert set(body) >= {"items", "page", "per_page", "total"}, body
    assert body["page"] == page and isinstance(body["total"], int)
    assert len(body["items"]) <= body["per_page"]
    items: list[dict[str, Any]] = body["items"]
    return items


def assert_legacy(response: requests.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["Deprecation"].startswith("@")
    assert 'rel="deprecation"' in response.headers["Link"]
    return response.json()


def read_log(
    platform: Platform, tenant: str, headers: dict[str, str], source: str, limit: int = 1000
) -> list[dict[str, Any]]:
    """A tenant's whole log of ``source``, page by page (``next_after`` as ``after``)."""
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        body = platform.get(f"/t/{tenant}/events", headers, source=source, after=after, limit=limit)
        assert set(body) == {"items", "next_after"}, body
        events += body["items"]
        if not body["items"]:
            assert body["next_after"] == after
            return events
        assert body["next_after"] == int(body["items"][-1]["sequence"])
        after = body["next_after"]


def assert_gap_free(events: list[dict[str, Any]], tenant: str, source: str) -> None:
    """Positions 1, 2, 3... of one tenant's log, each a padded string in a per-tenant source."""
    assert [e["sequence"] for e in events] == [f"{n:020d}" for n in range(1, len(events) + 1)]
    assert {e["source"] for e in events} == {f"/t/{tenant}/{source}"}
    assert {e["tenant"] for e in events} == {tenant}
    assert all(e["type"].startswith(f"org.trocactif.{source}.") for e in events)
    assert [e["data"]["sequence"] for e in events] == list(range(1, len(events) + 1))


def assert_logged_apart(platform: Platform, service: str, tenant: str, log: list[Any]) -> None:
    """On PostgreSQL the service's log is its outbox's ``outbox_log`` partition, and what it
    replays is all there; the queue partition (rows without a sequence) empties as they leave."""
    url = platform.database_urls[service]
    if not make_url(url).drivername.startswith("postgresql"):
        return
    engine = create_engine(url)
    try:

        def drained() -> bool:
            with engine.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM outbox_pending")).scalar() == 0

        assert eventually(drained, timeout=30), platform.logs()
        with engine.connect() as conn:
            logged = conn.execute(
                text("SELECT sequence FROM outbox_log WHERE tenant = :t ORDER BY sequence"),
                {"t": tenant},
            ).scalars()
            positions = list(logged)
        # Gap-free, and what was replayed is its start (a later event may have been logged since).
        assert positions == list(range(1, len(positions) + 1))
        assert positions[: len(log)] == [int(e["sequence"]) for e in log]
    finally:
        engine.dispose()


def test_every_list_answers_items_and_its_older_shape_on_request(platform: Platform) -> None:
    animator = platform.login(f"animation@{PIE}.demo.trocactif.org")
    seller = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    seller_id = member_id(platform, animator, PIE, "Atelier Lumière Design")
    eventually(lambda: get(platform, f"/t/{PIE}/accounts/{seller_id}", animator).ok)

    accounts = platform.get(f"/t/{PIE}/accounts", animator, per_page=2)
    assert len(assert_page(accounts)) == 2 and accounts["total"] >= 3
    assert (
        assert_legacy(get(platform, f"/t/{PIE}/accounts", {**animator, **LEGACY}, per_page=2))[:2]
        == accounts["items"]
    )

    path = f"/t/{PIE}/accounts/{seller_id}/transfers"
    statement = platform.get(path, animator, per_page=1)
    assert_page(statement)
    old = get(platform, path, {**animator, **LEGACY}, per_page=1)
    assert assert_legacy(old) == statement["items"]
    assert old.headers["X-Total-Count"] == str(statement["total"])
    csv = get(platform, path, {**animator, "Accept": "text/csv"})
    assert csv.headers["Content-Type"].startswith("text/csv") and "Deprecation" not in csv.headers

    categories = platform.get(f"/t/{PIE}/categories", seller, per_page=500)
    assert len(assert_page(categories)) == categories["total"] > 10
    assert (
        assert_legacy(get(platform, f"/t/{PIE}/categories", {**seller, **LEGACY}))
        == (categories["items"])
    )
    second = platform.get(f"/t/{PIE}/categories", seller, page=2, per_page=5)
    assert assert_page(second, page=2) == categories["items"][5:10]

    offer = platform.post(
        f"/t/{PIE}/listings",
        seller,
        status=201,
        json={"kind": "offer", "title": "Photos de vos produits", "category": "photo-video"},
    )
    matches = platform.get(f"/t/{PIE}/listings/{offer['id']}/matches", seller)
    assert_page(matches)
    old_matches = get(platform, f"/t/{PIE}/listings/{offer['id']}/matches", {**seller, **LEGACY})
    assert assert_legacy(old_matches) == matches["items"]

    events = platform.get(f"/t/{PIE}/events", animator, limit=2)
    assert set(events) == {"items", "next_after"} and len(events["items"]) == 2
    old_events = assert_legacy(get(platform, f"/t/{PIE}/events", {**animator, **LEGACY}, limit=2))
    assert old_events == {"events": events["items"], "next_after": events["next_after"]}

    # Lists that never had another shape answer the same page, and the current shape on request.
    invoices = platform.get(f"/t/{PIE}/invoices", animator, per_page=1)
    assert_page(invoices)
    same = get(platform, f"/t/{PIE}/accounts", {**animator, "Troc-List-Shape": "items"})
    assert "Deprecation" not in same.headers and assert_page(same.json())
    wrong = get(platform, f"/t/{PIE}/accounts", {**animator, "Troc-List-Shape": "flat"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"headers.Troc-List-Shape": ["Give 'items' or 'legacy'."]}


def test_an_unknown_source_is_refused_and_a_member_reads_no_log(platform: Platform) -> None:
    animator = platform.login(f"animation@{PIE}.demo.trocactif.org")
    unknown = get(platform, f"/t/{PIE}/events", animator, source="notifications")
    assert unknown.status_code == 422
    assert unknown.headers["Content-Type"] == "application/problem+json"
    assert "query.source" in unknown.json()["errors"]
    assert get(platform, f"/t/{PIE}/events", {}, source="nope").status_code == 401
    member = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    for source in ("ledger", "invoices", "listings"):
        assert get(platform, f"/t/{PIE}/events", member, source=source).status_code == 403
        assert get(platform, f"/t/{MGP}/events", animator, source=source).status_code == 404


def concurrently(*work: Callable[[], None]) -> None:
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def subscribe(
    platform: Platform, url: str, receipts: Receipts, tenant: str, types: tuple[str, ...]
) -> None:
    animator = platform.login(f"animation@{tenant}.demo.trocactif.org")
    hook = platform.post(
        f"/t/{tenant}/webhooks",
        animator,
        status=201,
        json={"url": f"{url}/hooks/{tenant}", "event_types": list(types)},
    )
    receipts.secrets[tenant] = hook["secret"]


def test_the_listings_log_is_gap_free_per_tenant_under_concurrent_writes(
    platform: Platform,
) -> None:
    authors = {
        PIE: platform.login("contact@bles-dor.demo.trocactif.org"),
        MGP: platform.login("contact@menuiserie-dubois.demo.trocactif.org"),
    }
    animators = {t: platform.login(f"animation@{t}.demo.trocactif.org") for t in authors}
    published: dict[str, list[str]] = {PIE: [], MGP: []}

    def publish(tenant: str) -> Callable[[], None]:
        def job() -> None:
            for n in range(6):
                created = platform.post(
                    f"/t/{tenant}/listings",
                    authors[tenant],
                    status=201,
                    json={"kind": "offer", "title": f"Offre {tenant} {n}", "category": "nettoyage"},
                )
                published[tenant].append(created["id"])

        return job

    with webhook_receiver() as (url, receipts):
        for tenant in authors:
            subscribe(platform, url, receipts, tenant, LISTING_TYPES)
        concurrently(publish(PIE), publish(MGP))
        for tenant, headers in animators.items():

            def logged(tenant: str = tenant, headers: dict[str, str] = headers) -> Any:
                log = read_log(platform, tenant, headers, "listings", limit=4)
                ids = {e["data"].get("listing_id") for e in log}
                return log if set(published[tenant]) <= ids else None

            log = eventually(logged, timeout=60)
            assert log, platform.logs()
            assert_gap_free(log, tenant, "listings")
            assert_logged_apart(platform, "listings", tenant, log)
            # after= reads on from any position, without gap or repeat.
            middle = int(log[len(log) // 2]["sequence"])
            rest = platform.get(f"/t/{tenant}/events", headers, source="listings", after=middle)
            assert rest["items"] == log[middle:]
            # The webhooks carry the same documents, the same positions.
            mine = [e for e in log if e["data"].get("listing_id") in published[tenant]]
            assert eventually(
                lambda t=tenant, m=mine: all(e["id"] in receipts.events.get(t, {}) for e in m),
                timeout=60,
            ), platform.logs()
            for event in mine:
                got = receipts.events[tenant][event["id"]]
                assert (got["source"], got["sequence"], got["data"]) == (
                    event["source"],
                    event["sequence"],
                    event["data"],
                )
        assert not receipts.forged


def test_the_invoices_log_is_gap_free_per_tenant_under_concurrent_writes(
    platform: Platform,
) -> None:
    trades = {
        PIE: ("atelier-lumiere", "Atelier Lumière Design", "Boulangerie Les Blés d'Or"),
        MGP: ("menuiserie-dubois", "Menuiserie Dubois et Fils", "Traiteur Saveurs de Saint-Denis"),
    }
    animators = {t: platform.login(f"animation@{t}.demo.trocactif.org") for t in trades}
    issued: dict[str, list[str]] = {PIE: [], MGP: []}

    def trade(tenant: str) -> Callable[[], None]:
        handle, seller_name, buyer_name = trades[tenant]
        seller = platform.login(f"contact@{handle}.demo.trocactif.org")
        directory = platform.get(f"/t/{tenant}/members", animators[tenant], per_page=100)
        by_name = {m["name"]: m for m in directory["items"]}
        seller_view, buyer_view = by_name[seller_name], by_name[buyer_name]

        def address(view: dict[str, Any]) -> dict[str, str]:
            return {k: view["address"][k] for k in ("street", "postal_code", "city")}

        body = {
            "buyer_member_id": buyer_view["id"],
            "payment_mode": 100,
            "delivery_date": "2026-11-20",
            "seller_address": address(seller_view),
            "buyer_address": address(buyer_view),
            "lines": [
                {
                    "description": "Prestation",
                    "quantity": "1",
                    "unit_price": "10.00",
                    "vat_rate": "20",
                }
            ],
        }

        def job() -> None:
            for _ in range(4):
                draft = eventually(
                    lambda: (lambda r: r.json() if r.status_code == 201 else None)(
                        requests.post(
                            f"{platform.url}/t/{tenant}/invoices",
                            json=body,
                            headers=seller,
                            timeout=15,
                        )
                    )
                )
                assert draft, platform.logs()
                platform.post(f"/t/{tenant}/invoices/{draft['id']}/issue", seller)
                issued[tenant].append(draft["id"])

        return job

    concurrently(trade(PIE), trade(MGP))
    for tenant, headers in animators.items():

        def logged(tenant: str = tenant, headers: dict[str, str] = headers) -> Any:
            log = read_log(platform, tenant, headers, "invoices", limit=3)
            ids = {e["data"].get("invoice_id") for e in log if e["type"] == ISSUED}
            return log if set(issued[tenant]) <= ids else None

        log = eventually(logged, timeout=60)
        assert log, platform.logs()
        assert_gap_free(log, tenant, "invoices")
        assert_logged_apart(platform, "invoices", tenant, log)
        rest = platform.get(f"/t/{tenant}/events", headers, source="invoices", after=1, limit=2)
        assert rest["items"] == log[1:3] and rest["next_after"] == 3
        # Each log is the tenant's own: the other tenant's invoices are not in it.
        other = MGP if tenant == PIE else PIE
        assert not {e["data"].get("invoice_id") for e in log} & set(issued[other])


def test_the_merged_spec_documents_the_shapes_the_opt_in_and_the_sources(
    platform: Platform,
) -> None:
    document = requests.get(f"{platform.url}/openapi.json", timeout=15).json()
    assert "## List shapes" in document["info"]["description"]
    paths = document["paths"]
    for path in (
        "/t/{tenant}/accounts",
        "/t/{tenant}/accounts/{member_id}/transfers",
        "/t/{tenant}/categories",
        "/t/{tenant}/listings/{listing_id}/matches",
        "/t/{tenant}/events",
    ):
        [opt_in] = [p for p in paths[path]["parameters"] if p["in"] == "header"]
        assert (opt_in["name"], opt_in["deprecated"]) == ("Troc-List-Shape", True), path
        assert "legacy" in opt_in["schema"]["enum"]
        assert "Deprecated opt-in" in paths[path]["get"]["description"], path
    events = paths["/t/{tenant}/events"]["get"]
    [source] = [p for p in events["parameters"] if p["name"] == "source"]
    assert source["schema"]["enum"] == ["ledger", "invoices", "listings"]
    assert source["schema"]["default"] == "ledger"
    page = events["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][page.rsplit("/", 1)[1]]
    assert set(schema["properties"]) == {"items", "next_after"}
    item = schema["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    sequence = document["components"]["schemas"][item]["properties"]["sequence"]
    assert (sequence["type"], sequence["pattern"]) == ("string", "^[0-9]{20}$")
    for path in ("/t/{tenant}/accounts", "/t/{tenant}/categories"):
        ref = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        listed = document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
        assert set(listed["properties"]) == {"items", "page", "per_page", "total"}
