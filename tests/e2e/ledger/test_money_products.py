"""Money products through the gateway, every service a real process: member categories (at the
network's PATCH, at admission), credit lines with an expiry and a review (the animators' list,
the expiry exactly when its day starts in Paris, back to the category's or the network's
default, an account left below its new limit that may receive but not spend, the animators'
feed), the maximum balance, and the network's fee account (statement, commissions by tenant and
month, the operator's transfers out of it: refused beyond its balance, replayed once)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from chassis.testing.platform import Platform, eventually, running_platform
from gateway.seed import demo_siret

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
NETWORK = "troc-actif"
OPERATOR = "operator@demo.trocactif.org"
ANIMATOR = "animation@pie.demo.trocactif.org"
CATEGORIES = [
    {
        "slug": "association",
        "name": "Associations",
        "default_credit_limit": "300.00",
        "max_balance": "20000.00",
    },
    {"slug": "startup", "name": "Jeunes pousses", "default_credit_limit": "500.00"},
]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(tmp_path_factory.mktemp("money"), tag="money") as running:
        yield running


@pytest.fixture(scope="module")
def operator(platform: Platform) -> dict[str, str]:
    headers = platform.login(OPERATOR)
    response = requests.patch(
        f"{platform.url}/networks/{NETWORK}",
        json={"member_categories": CATEGORIES},
        headers=headers,
        timeout=15,
    )
    assert response.status_code == 200, response.text
    assert response.json()["member_categories"][0]["default_credit_limit"] == "300.00"
    return headers


@pytest.fixture(scope="module")
def animator(platform: Platform, operator: dict[str, str]) -> dict[str, str]:
    return platform.login(ANIMATOR)


def call(
    platform: Platform,
    method: str,
    path: str,
    headers: dict[str, str],
    body: Any = None,
    **extra: str,
) -> requests.Response:
    return requests.request(
        method, f"{platform.url}{path}", json=body, headers={**headers, **extra}, timeout=15
    )


def admit(
    platform: Platform, animator: dict[str, str], name: str, category: str | None = None
) -> str:
    """Admit a company in PIE and wait until the ledger opened its account."""
    body = {
        "name": name,
        "siret": demo_siret(f"{uuid.uuid4().int % 10**8:08d}"),
        "address": {"street": "1 rue de Rivoli", "postal_code": "75001", "city": "Paris"},
        "department": "75",
        "email": f"{uuid.uuid4().hex[:10]}@example.org",
        "category": category,
    }
    admitted = platform.post("/t/pie/members", animator, json=body, status=201)
    assert admitted["category"] == category
    member_id = str(admitted["id"])
    assert eventually(lambda: account(platform, animator, member_id)), platform.logs()
    return member_id


def account(platform: Platform, headers: dict[str, str], member_id: str) -> dict[str, Any] | None:
    response = call(platform, "GET", f"/t/pie/accounts/{member_id}", headers)
    return response.json() if response.status_code == 200 else None


def transfer(
    platform: Platform, animator: dict[str, str], payer: str, payee: str, amount: str
) -> requests.Response:
    return call(
        platform,
        "POST",
        "/t/pie/transfers",
        animator,
        {"payer": payer, "payee": payee, "amount": amount, "reference": "test"},
        **{"Idempotency-Key": uuid.uuid4().hex},
    )


def paris_midnight(days_from_today: int) -> datetime:
    today = datetime.now(PARIS).date() + timedelta(days=days_from_today)
    return datetime(today.year, today.month, today.day, tzinfo=PARIS)


def expire_at(platform: Platform, instant: datetime) -> dict[str, int]:
    """One pass of the ledger's credit-limit expiry, its clock set to ``instant``."""
    run = platform.cli("ledger", "expire-credit-limits", "--now", instant.isoformat())
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


# --- member categories -------------------------------------------------------------------------


def test_a_category_gives_its_limit_and_maximum_at_admission(
    platform: Platform, animator: dict[str, str]
) -> None:
    member = admit(platform, animator, "Association des Jardins", "association")
    opened = account(platform, animator, member)
    assert opened is not None
    assert (opened["credit_limit"], opened["max_balance"], opened["category"]) == (
        "300.00",
        "20000.00",
        "association",
    )
    plain = account(platform, animator, admit(platform, animator, "Boulangerie Sans Catégorie"))
    assert plain is not None
    assert (plain["credit_limit"], plain["max_balance"], plain["category"]) == (
        "1000.00",
        None,
        None,
    )


def test_an_unknown_category_is_refused_naming_the_field(
    platform: Platform, animator: dict[str, str]
) -> None:
    response = call(
        platform,
        "POST",
        "/t/pie/members",
        animator,
        {
            "name": "Mauvaise Catégorie",
            "siret": demo_siret(f"{uuid.uuid4().int % 10**8:08d}"),
            "address": "1 rue de Rivoli, 75001 Paris",
            "department": "75",
            "email": f"{uuid.uuid4().hex[:10]}@example.org",
            "category": "inconnue",
        },
    )
    assert response.status_code == 422, response.text
    assert "category" in response.text


def test_an_amendment_changes_the_category(platform: Platform, animator: dict[str, str]) -> None:
    member = admit(platform, animator, "Studio Changeant")
    changed = call(platform, "PATCH", f"/t/pie/members/{member}", animator, {"category": "startup"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["category"] == "startup"

    def seen() -> bool:
        found = account(platform, animator, member)
        return found is not None and found["category"] == "startup"

    assert eventually(seen), platform.logs()


def test_a_network_is_created_with_its_categories(
    platform: Platform, operator: dict[str, str]
) -> None:
    slug = f"reseau-{uuid.uuid4().hex[:6]}"
    body = {
        "slug": slug,
        "name": "Réseau de test",
        "unit": {"code": "TST", "name": "Test", "symbol": "T"},
        "default_credit_limit": "100.00",
        "payment_modes": [100],
        "hold_expiry_days": 10,
        "vat_settlement": "unit",
        "member_categories": [{"slug": "bad slug", "name": "x", "default_credit_limit": "1.00"}],
    }
    refused = call(platform, "POST", "/networks", operator, body)
    assert refused.status_code == 422 and "member_categories" in refused.text, refused.text
    created = platform.post(
        "/networks", operator, json={**body, "member_categories": CATEGORIES[1:]}, status=201
    )
    assert created["member_categories"] == [{**CATEGORIES[1], "max_balance": None}]


# --- credit lines with a life ------------------------------------------------------------------


def test_credit_lines_expire_when_their_day_starts_in_paris(
    platform: Platform, animator: dict[str, str]
) -> None:
    in_category = admit(platform, animator, "Association Échéance", "association")
    plain = admit(platform, animator, "Menuiserie Échéance")
    payee = admit(platform, animator, "Imprimerie Échéance")
    end = paris_midnight(3)
    for member, limit, review in ((in_category, "5000.00", None), (plain, "2000.00", 2)):
        body = {
            "credit_limit": limit,
            "reason": "commande exceptionnelle",
            "expires_on": end.date().isoformat(),
            "review_on": (paris_midnight(review).date().isoformat() if review else None),
        }
        changed = call(platform, "PUT", f"/t/pie/accounts/{member}/credit-limit", animator, body)
        assert changed.status_code == 200, changed.text
        assert changed.json()["credit_limit_expires_on"] == end.date().isoformat()
    past = call(
        platform,
        "PUT",
        f"/t/pie/accounts/{payee}/credit-limit",
        animator,
        {"credit_limit": "10.00", "expires_on": paris_midnight(0).date().isoformat()},
    )
    assert past.status_code == 422 and "expires_on" in past.text, past.text

    reviews = platform.get("/t/pie/credit-reviews", animator)["items"]
    mine = {(r["member_id"], r["kind"]) for r in reviews}
    assert {(in_category, "expiry"), (plain, "expiry"), (plain, "review")} <= mine
    [line] = [r for r in reviews if (r["member_id"], r["kind"]) == (in_category, "expiry")]
    assert (line["credit_limit"], line["standing_credit_limit"]) == ("5000.00", "300.00")

    # The member in the category spends beyond what its standing limit allows.
    assert transfer(platform, animator, in_category, payee, "1000.00").status_code == 201

    assert expire_at(platform, end - timedelta(seconds=1))["expired"] == 0
    still = account(platform, animator, in_category)
    assert still is not None and still["credit_limit"] == "5000.00"

    assert expire_at(platform, end) == {"expired": 2, "over_limit": 1}
    assert expire_at(platform, end + timedelta(hours=1))["expired"] == 0  # once only

    short = account(platform, animator, in_category)
    assert short is not None
    assert (short["credit_limit"], short["credit_limit_expires_on"]) == ("300.00", None)
    assert (short["balance"], short["available"], short["over_limit"]) == (
        "-1000.00",
        "-700.00",
        True,
    )
    restored = account(platform, animator, plain)
    assert restored is not None and restored["credit_limit"] == "1000.00"  # the network's default
    history = platform.get(f"/t/pie/accounts/{in_category}/credit-limit/history", animator)
    assert (history["items"][0]["reason"], history["items"][0]["old_credit_limit"]) == (
        "expired",
        "5000.00",
    )

    # Below its new limit: it may receive, not spend.
    refused = transfer(platform, animator, in_category, payee, "0.01")
    assert refused.status_code == 422 and refused.json()["code"] == "insufficient_credit"
    assert transfer(platform, animator, payee, in_category, "100.00").status_code == 201
    after = account(platform, animator, in_category)
    assert after is not None and after["balance"] == "-900.00"

    def flagged() -> bool:
        feed = platform.get("/t/pie/notifications", animator, per_page=100)
        return any(
            n["kind"] == "credit_limit_expired" and "sous la limite" in n["title"]
            for n in feed["items"]
        )

    assert eventually(flagged), platform.logs()
    invariants = platform.cli("ledger", "invariants")
    assert invariants.returncode == 0, invariants.stdout


def announce_at(platform: Platform, instant: datetime) -> list[str]:
    """One pass of the ledger's credit-line announcements, its clock set to ``instant``: the
    members whose line was announced."""
    run = platform.cli("ledger", "announce-credit-lines", "--now", instant.isoformat())
    assert run.returncode == 0, run.stderr
    return list(json.loads(run.stdout.strip().splitlines()[-1])["member_ids"])


def test_a_credit_line_due_reaches_the_animators_feed_once(
    platform: Platform, animator: dict[str, str]
) -> None:
    member = admit(platform, animator, "Ferme Révision")
    review_on = paris_midnight(400).date()  # beyond every other test's horizon
    body = {"credit_limit": "2500.00", "reason": "saison", "review_on": review_on.isoformat()}
    changed = call(platform, "PUT", f"/t/pie/accounts/{member}/credit-limit", animator, body)
    assert changed.status_code == 200, changed.text

    def entries() -> list[dict[str, Any]]:
        feed = platform.get("/t/pie/notifications", animator, per_page=100)
        return [
            n
            for n in feed["items"]
            if n["kind"] == "credit_line_due" and n["data"].get("member_id") == member
        ]

    assert member not in announce_at(platform, paris_midnight(369))  # 31 days ahead: not yet
    assert member in announce_at(platform, paris_midnight(370))
    assert member not in announce_at(platform, paris_midnight(371))  # once
    assert eventually(entries), platform.logs()
    [entry] = entries()
    assert entry["title"] == "Ligne de crédit à revoir"
    assert "Ferme Révision" in entry["body"] and "2500.00" in entry["body"]
    assert entry["data"]["link"] == "/app/revisions-credit"


# --- the maximum balance -------------------------------------------------------------------------


def test_a_maximum_balance_is_set_enforced_and_cleared(
    platform: Platform, animator: dict[str, str]
) -> None:
    payer = admit(platform, animator, "Payeur Plafond")
    capped = admit(platform, animator, "Plafonnée SARL")
    path = f"/t/pie/accounts/{capped}/max-balance"
    assert transfer(platform, animator, payer, capped, "80.00").status_code == 201
    too_low = call(platform, "PUT", path, animator, {"max_balance": "79.99"})
    assert too_low.status_code == 422 and too_low.json()["code"] == "max_balance_too_low"
    bad = call(platform, "PUT", path, animator, {"max_balance": "beaucoup"})
    assert bad.status_code == 422 and "max_balance" in bad.text
    set_ = call(platform, "PUT", path, animator, {"max_balance": "100.00"})
    assert set_.status_code == 200 and set_.json()["max_balance"] == "100.00", set_.text
    over = transfer(platform, animator, payer, capped, "20.01")
    assert over.status_code == 422 and over.json()["code"] == "max_balance_exceeded"
    assert transfer(platform, animator, payer, capped, "20.00").status_code == 201
    cleared = call(platform, "PUT", path, animator, {"max_balance": None})
    assert cleared.status_code == 200 and cleared.json()["max_balance"] is None
    assert transfer(platform, animator, payer, capped, "20.01").status_code == 201


# --- the network's fee account --------------------------------------------------------------------


def settle_an_invoice(platform: Platform, animator: dict[str, str]) -> None:
    """A PIE invoice of 100.00 excl. VAT settled in the unit: 5.00 of commission."""
    seller = platform.login("contact@atelier-lumiere.demo.trocactif.org")
    directory = platform.get("/t/pie/members", animator, per_page=100, scope="network")["items"]
    seller_view = next(m for m in directory if m["name"] == "Atelier Lumière Design")
    buyer_view = next(m for m in directory if m["name"] == "Menuiserie Dubois et Fils")

    def address(view: dict[str, Any]) -> dict[str, str]:
        return {k: view["address"][k] for k in ("street", "postal_code", "city")}

    body = {
        "buyer_member_id": buyer_view["id"],
        "payment_mode": 100,
        "delivery_date": "2026-11-20",
        "seller_address": address(seller_view),
        "buyer_address": address(buyer_view),
        "lines": [
            {"description": "Conseil", "quantity": "1", "unit_price": "100.00", "vat_rate": "20"}
        ],
    }

    def drafted() -> Any:
        response = call(platform, "POST", "/t/pie/invoices", seller, body)
        return response.json() if response.status_code == 201 else None

    invoice = eventually(drafted)
    assert invoice, platform.logs()
    platform.post(f"/t/pie/invoices/{invoice['id']}/issue", seller)

    def status() -> str:
        return str(platform.get(f"/t/pie/invoices/{invoice['id']}", animator)["status"])

    assert eventually(lambda: status() == "awaiting_validation"), platform.logs()
    platform.post(f"/t/pie/invoices/{invoice['id']}/validate", animator)
    assert eventually(lambda: status() == "settled"), platform.logs()


def fee_account(platform: Platform, operator: dict[str, str]) -> dict[str, Any]:
    return dict(platform.get(f"/networks/{NETWORK}/fee-account", operator))


def test_the_fee_account_shows_its_commissions_and_pays_out_once(
    platform: Platform, operator: dict[str, str], animator: dict[str, str]
) -> None:
    before = Decimal(fee_account(platform, operator)["balance"])
    settle_an_invoice(platform, animator)

    def credited() -> dict[str, Any] | None:
        found = fee_account(platform, operator)
        return found if Decimal(found["balance"]) == before + Decimal("5.00") else None

    found = eventually(credited)
    assert found, platform.logs()
    assert found["unit"] == "ACT" and found["total"] >= 1
    assert found["items"][0]["kind"] == "fee" and found["items"][0]["amount"] == "5.00"
    page = platform.get(f"/networks/{NETWORK}/fee-account", operator, per_page=1)
    assert len(page["items"]) == 1 and page["per_page"] == 1

    commissions = platform.get(f"/networks/{NETWORK}/commissions", operator)
    month = datetime.now(ZoneInfo("UTC")).strftime("%Y-%m")
    [pie] = [c for c in commissions["items"] if (c["tenant"], c["month"]) == ("pie", month)]
    assert Decimal(pie["amount"]) >= Decimal("5.00") and pie["transfers"] >= 1
    assert Decimal(commissions["total"]) == sum(Decimal(c["amount"]) for c in commissions["items"])

    payee = admit(platform, animator, "Lauréat du Réseau")
    balance = Decimal(credited()["balance"])  # type: ignore[index]
    path = f"/networks/{NETWORK}/fee-account/transfers"
    too_much = call(
        platform,
        "POST",
        path,
        operator,
        {"payee_member_id": payee, "tenant": "pie", "amount": str(balance + Decimal("0.01"))},
        **{"Idempotency-Key": uuid.uuid4().hex},
    )
    assert too_much.status_code == 422 and too_much.json()["code"] == "insufficient_credit"
    assert Decimal(fee_account(platform, operator)["balance"]) == balance
    untouched = account(platform, animator, payee)
    assert untouched is not None and untouched["balance"] == "0.00"

    key = uuid.uuid4().hex
    body = {"payee_member_id": payee, "tenant": "pie", "amount": "2.00", "reference": "prix"}
    first = call(platform, "POST", path, operator, body, **{"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = call(platform, "POST", path, operator, body, **{"Idempotency-Key": key})
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    conflict = call(
        platform, "POST", path, operator, {**body, "amount": "3.00"}, **{"Idempotency-Key": key}
    )
    assert conflict.status_code == 409
    assert Decimal(fee_account(platform, operator)["balance"]) == balance - Decimal("2.00")
    paid = account(platform, animator, payee)
    assert paid is not None and paid["balance"] == "2.00"
    assert first.json()["initiated_by"] != "system"

    audit = platform.get("/audit", operator, action="fee_account_transfer_made")
    assert [e["target"]["id"] for e in audit["items"]].count(first.json()["id"]) == 1
    elsewhere = call(
        platform, "POST", path, operator, {**body, "tenant": "fa-mgp"}, **{"Idempotency-Key": "x"}
    )
    assert elsewhere.status_code == 404
    assert call(platform, "GET", f"/networks/{NETWORK}/fee-account", animator).status_code == 403
    invariants = platform.cli("ledger", "invariants")
    assert invariants.returncode == 0, invariants.stdout
