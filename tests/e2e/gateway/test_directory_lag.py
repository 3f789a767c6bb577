"""Lag never looks like an error, in the listings and the notifications too (issue 14).

The gateway, the listings and the notifications run as processes; the directory's events are held
back by stopping a service's worker (they wait on the bus). An animator then acts for a member it
has just admitted: the service, whose copy of the directory lacks it, names it in ``unknown_ids``,
and the gateway, which holds it, sends the request again and answers ``503 not_yet_known`` with
``Retry-After`` — never a refusal claiming the member does not exist. Once the worker runs again,
the same request succeeds; a member nobody admitted is still refused at once. Likewise for a
network-scoped API key reading a tenant the operator has just created in its network.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from tests.unit.gateway.builders import make_siret, vat_for

pytestmark = pytest.mark.e2e

ANIMATOR = "animation@pie.demo.trocactif.org"
OPERATOR = "operator@demo.trocactif.org"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(
        tmp_path_factory.mktemp("lag"),
        services=["gateway", "listings", "notifications"],
        tag="lag",
    ) as running:
        yield running


@contextmanager
def held_back(platform: Platform, service: str) -> Iterator[None]:
    """``service``'s worker stopped: the directory's events wait on the bus meanwhile."""
    worker = platform.worker(service)
    worker.stop()
    try:
        yield
    finally:
        worker.start()


def admit(platform: Platform, animator: dict[str, str]) -> str:
    siret = make_siret(str(random.randrange(10_000_000, 99_999_999)))
    body = {
        "name": f"Atelier {siret[:6]}",
        "siret": siret,
        "vat_number": vat_for(siret[:9]),
        "address": {"street": "3 rue de la Paix", "postal_code": "75002", "city": "Paris"},
        "department": "75",
        "email": f"contact-{siret}@example.fr",
        "phone": "01 23 45 67 89",
    }
    return str(platform.post("/t/pie/members", animator, json=body, status=201)["id"])


def assert_not_yet_known(response: requests.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "not_yet_known", response.text
    assert response.headers["Retry-After"] == "1"


def test_an_animator_publishes_for_a_member_it_has_just_admitted(platform: Platform) -> None:
    animator = platform.login(ANIMATOR)
    url = f"{platform.url}/t/pie/listings"
    listing = {"kind": "offer", "title": "Affiches sérigraphiées", "category": "autre"}
    with held_back(platform, "listings"):
        newcomer = admit(platform, animator)
        lagging = requests.post(
            url, headers=animator, json={**listing, "member_id": newcomer}, timeout=15
        )
        assert_not_yet_known(lagging)
        stranger = str(uuid.uuid4())
        missing = requests.post(
            url, headers=animator, json={**listing, "member_id": stranger}, timeout=15
        )
        assert missing.status_code == 422, missing.text
        assert missing.json()["code"] == "unknown_member"

    def publish() -> requests.Response | None:
        response = requests.post(
            url, headers=animator, json={**listing, "member_id": newcomer}, timeout=15
        )
        if response.status_code == 503:
            assert_not_yet_known(response)
            return None
        return response

    published = eventually(publish, 45.0)
    assert published.status_code == 201, published.text
    assert published.json()["member_id"] == newcomer


def test_an_animator_reads_and_sets_the_mail_of_a_member_it_has_just_admitted(
    platform: Platform,
) -> None:
    animator = platform.login(ANIMATOR)
    url = f"{platform.url}/t/pie/notifications/preferences"
    with held_back(platform, "notifications"):
        newcomer = admit(platform, animator)
        body = {"member_id": newcomer, "email": {"match_found": False}}
        assert_not_yet_known(requests.put(url, headers=animator, json=body, timeout=15))
        read = requests.get(url, headers=animator, params={"member_id": newcomer}, timeout=15)
        assert_not_yet_known(read)
        stranger = str(uuid.uuid4())
        missing = requests.get(url, headers=animator, params={"member_id": stranger}, timeout=15)
        assert missing.status_code == 404, missing.text
        refused = requests.put(
            url, headers=animator, json={**body, "member_id": stranger}, timeout=15
        )
        assert refused.status_code == 422 and refused.json()["code"] == "unknown_member"

    def choose() -> requests.Response | None:
        response = requests.put(url, headers=animator, json=body, timeout=15)
        if response.status_code == 503:
            assert_not_yet_known(response)
            return None
        return response

    chosen = eventually(choose, 45.0)
    assert chosen.status_code == 200, chosen.text
    shown = platform.get("/t/pie/notifications/preferences", animator, member_id=newcomer)
    assert {i["kind"]: i["email"] for i in shown["items"]}["match_found"] is False


def test_a_network_key_reads_a_tenant_just_created_in_its_network(platform: Platform) -> None:
    operator = platform.login(OPERATOR)
    key = platform.post(
        "/networks/troc-actif/api-keys",
        operator,
        json={"name": "Tableau régional", "scopes": ["listings:read"]},
        status=201,
    )["key"]
    reader = {"Authorization": f"Bearer {key}"}
    tenant = f"lag-{uuid.uuid4().hex[:8]}"
    with held_back(platform, "listings"):
        platform.post(
            "/networks/troc-actif/tenants",
            operator,
            json={"slug": tenant, "name": "Association toute neuve", "departments": ["77"]},
            status=201,
        )
        lagging = requests.get(f"{platform.url}/t/{tenant}/listings", headers=reader, timeout=15)
        assert_not_yet_known(lagging)
        # Another network's tenant, and a tenant nobody created: not found at once, alike.
        for elsewhere in ("agri-beauce", f"nowhere-{uuid.uuid4().hex[:8]}"):
            outside = requests.get(
                f"{platform.url}/t/{elsewhere}/listings", headers=reader, timeout=15
            )
            assert outside.status_code == 404, outside.text
            assert outside.json()["unknown_tenants"] == [elsewhere]

    def search() -> requests.Response | None:
        response = requests.get(f"{platform.url}/t/{tenant}/listings", headers=reader, timeout=15)
        if response.status_code == 503:
            assert_not_yet_known(response)
            return None
        return response

    found = eventually(search, 45.0)
    assert found.status_code == 200, found.text
    assert "items" in found.json()
