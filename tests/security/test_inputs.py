"""Hostile input through the gateway: injection in search, oversized and malformed bodies, unknown
fields, and amounts that are not two-decimal positive strings. Each is refused with a 4xx problem
document naming what is wrong (never a 500), or, for searches, answered without widening the
results; and nothing changes on a refusal.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from .conftest import TENANT, Attack, problem_of

# --- search -------------------------------------------------------------------------------------

SEARCHES = [
    "' OR '1'='1",
    "zzqx' OR '1'='1' --",
    '"; DROP TABLE listings; --',
    "zzqx' || pg_sleep(3) --",
    "1::int",
    "comptab:*",
    "zzqx | !zzqy",
    "zzqx & !",
    "<->",
    "!!",
    "(((",
    ")",
    "\\",
    "%",
    "_",
    "\x00",
    "zzqx\x00' OR 1=1",
    "😀🏳️‍🌈",
    "\u202e",
    "𝕔𝕠𝕞𝕡𝕥𝕒",
    "é" * 200,
    "a" * 200,
    "-- ;",
    "/* */",
    "$1",
    "%s",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "zzqx OR 1=1",
]


@pytest.mark.parametrize("q", SEARCHES, ids=range(len(SEARCHES)))
def test_search_takes_any_text_as_words(attack: Attack, q: str) -> None:
    started = time.monotonic()
    response = attack.request(
        "GET", f"/t/{TENANT}/listings", "member", params={"q": q, "scope": "network"}
    )
    assert time.monotonic() - started < 10, "the search ran for long: an injected sleep?"
    assert response.status_code == 200, response.text[:500]
    page = response.json()
    if q.startswith("zzqx"):  # a word found nowhere, ANDed with the rest: nothing matches
        assert page["total"] == 0, page


@pytest.mark.parametrize("q", ["a" * 201, "é" * 500])
def test_a_search_too_long_is_refused_by_name(attack: Attack, q: str) -> None:
    """(Past gunicorn's request line of 4 KiB, gunicorn itself answers 414, before the app.)"""
    response = attack.request("GET", f"/t/{TENANT}/listings", "member", params={"q": q})
    assert "query.q" in problem_of(response, 422)["errors"]


# --- bodies -------------------------------------------------------------------------------------

#: One write of each service (and the gateway's own), by a role allowed to make it.
WRITES = [
    ("listings", "POST", "/t/{tenant}/listings", "member"),
    ("ledger", "POST", "/t/{tenant}/transfers", "animator"),
    ("invoices", "POST", "/t/{tenant}/invoices", "member"),
    ("notifications", "POST", "/t/{tenant}/webhooks", "animator"),
    ("gateway", "POST", "/t/{tenant}/members", "animator"),
]
BAD_BODIES: dict[str, tuple[bytes, str, tuple[int, ...], str]] = {
    # name: (body, content type, statuses, code)
    "2 MiB": (
        b'{"title": "' + b"a" * (2 * 1024 * 1024) + b'"}',
        "application/json",
        (413,),
        "payload_too_large",
    ),
    "truncated": (b'{"kind": "offer", "title": "x"', "application/json", (400,), "malformed_json"),
    "not UTF-8": (b'{"title": "\xff\xfe"}', "application/json", (400,), "malformed_json"),
    "nested 100,000 deep": (
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "application/json",
        (400,),
        "malformed_json",
    ),
    "a list": (b"[]", "application/json", (422,), "validation_failed"),
    "null": (b"null", "application/json", (422,), "validation_failed"),
    "a huge number": (b"1e999999", "application/json", (422,), "validation_failed"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
@pytest.mark.parametrize("service, method, path, role", WRITES, ids=[w[0] for w in WRITES])
def test_oversized_and_malformed_bodies_are_refused(
    attack: Attack, service: str, method: str, path: str, role: str, name: str
) -> None:
    body, content_type, statuses, code = BAD_BODIES[name]
    response = attack.request(
        method,
        path.format(tenant=TENANT),
        role,
        data=body,
        headers={"Content-Type": content_type, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert problem_of(response, statuses)["code"] == code


@pytest.mark.parametrize("field", ["is_admin", "tenant", "network", "status", "id"])
@pytest.mark.parametrize("service, method, path, role", WRITES, ids=[w[0] for w in WRITES])
def test_unknown_fields_are_refused_by_name(
    attack: Attack, service: str, method: str, path: str, role: str, field: str
) -> None:
    body = {**_valid_bodies(attack)[service], field: "fa-mgp"}
    response = attack.request(
        method,
        path.format(tenant=TENANT),
        role,
        json=body,
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    problem = problem_of(response, 422)
    assert field in problem["errors"], problem


def _valid_bodies(attack: Attack) -> dict[str, dict[str, Any]]:
    member, other = attack.members["member"], attack.members["other_member"]
    return {
        "listings": {"kind": "offer", "title": "Atelier de reliure", "category": "autre"},
        "ledger": {"payer": member, "payee": other, "amount": "1.00"},
        "invoices": {
            "buyer_member_id": other,
            "payment_mode": 100,
            "delivery_date": "2026-11-20",
            "lines": [
                {"description": "Reliure", "quantity": "1", "unit_price": "10.00", "vat_rate": "20"}
            ],
        },
        "notifications": {
            "url": "https://93.184.215.14/hook",
            "event_types": ["org.trocactif.ledger.transfer_posted.v1"],
        },
        "gateway": {
            "name": "Reliure Saint-Jacques",
            "siret": "55210055400013",
            "department": "75",
            "email": "reliure@example.org",
            "address": {"street": "1 rue Saint-Jacques", "postal_code": "75005", "city": "Paris"},
        },
    }


# --- amounts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountField:
    """Where an amount goes, who sends it, and what of the platform it would change."""

    method: str
    path: str
    role: str
    body: Callable[[Attack, Any], dict[str, Any]]
    field: str
    zero_allowed: bool
    state: Callable[[Attack], Any]


def _account(role: str) -> Callable[[Attack], Any]:
    return lambda attack: attack.platform.get(
        f"/t/{TENANT}/accounts/{attack.members[role]}", attack.headers["animator"]
    )


def _count(path: str, role: str) -> Callable[[Attack], Any]:
    return lambda attack: attack.platform.get(path.format(tenant=TENANT), attack.headers[role])[
        "total"
    ]


def _invoice(attack: Attack, value: Any) -> dict[str, Any]:
    """The amount on the first line; a second line keeps the total positive when it is 0."""
    body = _valid_bodies(attack)["invoices"]
    line = body["lines"][0]
    return {**body, "lines": [{**line, "unit_price": value}, line]}


AMOUNT_FIELDS = {
    "transfer amount": AmountField(
        "POST",
        "/t/{tenant}/transfers",
        "animator",
        lambda attack, value: {**_valid_bodies(attack)["ledger"], "amount": value},
        "amount",
        zero_allowed=False,
        state=_account("member"),
    ),
    # The third member's account, which no other test moves credit from: 0 is a valid limit.
    "credit limit": AmountField(
        "PUT",
        "/t/{tenant}/accounts/{third_member}/credit-limit",
        "animator",
        lambda attack, value: {"credit_limit": value},
        "credit_limit",
        zero_allowed=True,
        state=_account("third_member"),
    ),
    "invoice unit price": AmountField(
        "POST",
        "/t/{tenant}/invoices",
        "member",
        _invoice,
        "lines.0.unit_price",
        zero_allowed=True,
        state=_count("/t/{tenant}/invoices", "member"),
    ),
    "listing price": AmountField(
        "POST",
        "/t/{tenant}/listings",
        "member",
        lambda attack, value: {
            **_valid_bodies(attack)["listings"],
            "price": {"type": "fixed", "amount": value},
        },
        "price.amount",
        zero_allowed=False,
        state=lambda attack: _count(
            f"/t/{{tenant}}/listings?status=all&member_id={attack.members['member']}", "member"
        )(attack),
    ),
}
REFUSED_AMOUNTS: list[Any] = [
    "1.005",
    "12.500",
    "-1.00",
    "-0.01",
    "1e3",
    "1E2",
    "1.5e1",
    "1_000",
    "١٢",
    "+5",
    ".5",
    "99999999999999999999.00",
    "100000000000.01",
    "NaN",
    "Infinity",
    "-Infinity",
    "",
    " ",
    "1,50",
    "0x10",
    10.5,
    0.1,
    1e308,
    -5,
    True,
    [1],
    {"amount": "1.00"},
]


@pytest.mark.parametrize("value", REFUSED_AMOUNTS, ids=[repr(v) for v in REFUSED_AMOUNTS])
@pytest.mark.parametrize("target", AMOUNT_FIELDS)
def test_amounts_not_two_decimal_strings_are_refused_and_change_nothing(
    attack: Attack, target: str, value: Any
) -> None:
    spec = AMOUNT_FIELDS[target]
    before = spec.state(attack)
    response = _send_amount(attack, spec, value)
    problem = problem_of(response, 422)
    assert spec.field in problem["errors"], problem
    assert spec.state(attack) == before


@pytest.mark.parametrize("target", AMOUNT_FIELDS)
def test_zero_is_refused_where_an_amount_must_be_positive(attack: Attack, target: str) -> None:
    spec = AMOUNT_FIELDS[target]
    response = _send_amount(attack, spec, "0.00")
    if spec.zero_allowed:
        assert response.status_code in {200, 201}, response.text
    else:
        assert spec.field in problem_of(response, 422)["errors"]


def _send_amount(attack: Attack, spec: AmountField, value: Any) -> requests.Response:
    path = spec.path.format(tenant=TENANT, third_member=attack.members["third_member"])
    return attack.request(
        spec.method,
        path,
        spec.role,
        json=spec.body(attack, value),
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("quantity", "1e3"),
        ("quantity", "-1"),
        ("quantity", "0"),
        ("quantity", "1.0001"),
        ("quantity", "1e999999"),
        ("quantity", "NaN"),
        ("quantity", 2.5),
        ("vat_rate", "19.6"),
        ("vat_rate", "NaN"),
        ("vat_rate", "-20"),
        ("vat_rate", "1e1"),
    ],
)
def test_invoice_quantities_and_vat_rates_are_checked(
    attack: Attack, field: str, value: Any
) -> None:
    body = _valid_bodies(attack)["invoices"]
    body["lines"] = [{**body["lines"][0], field: value}]
    response = attack.request("POST", f"/t/{TENANT}/invoices", "member", json=body)
    assert f"lines.0.{field}" in problem_of(response, 422)["errors"]
