"""The transfer route's compiled decoder never disagrees with the schema it stands in front of.

``load_transfer`` may pass (None: the schema decides), but whatever it accepts, the schema accepts
with the same value; so the route's accepted inputs, refusals and problem documents are the
schema's. Generated bodies mix valid fields with near misses of every kind.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from ledger.fastinput import load_transfer
from ledger.schemas import TransferInSchema

SCHEMA = TransferInSchema()

uuids = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: u.hex),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.text(max_size=40),
    st.integers(),
    st.none(),
)
amounts = st.one_of(
    st.decimals(min_value=-10, max_value=10**13, places=2, allow_nan=False).map(str),
    st.from_regex(r"\A\s?-?[0-9]{1,16}(\.[0-9]{0,3})?\s?\Z"),
    st.sampled_from(
        [
            "0",
            "0.00",
            "1e3",
            "1_000",
            "١٢",
            " 12.50",
            "12.5 ",
            "+1",
            ".5",
            "5.",
            "NaN",
            "Infinity",
            "-0.01",
            "99999999999999999999",
        ]
    ),
    st.integers(min_value=-5, max_value=10**16),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)
kinds = st.one_of(
    st.sampled_from(["direct", "correction", "reversal", "hold", "Direct", ""]),
    st.text(max_size=12),
    st.integers(),
)
references = st.one_of(
    st.text(max_size=205), st.sampled_from(["x" * 200, "x" * 201]), st.integers(), st.none()
)
booleans = st.one_of(st.booleans(), st.sampled_from(["true", "false", "1", 0, 1, "yes", None]))
times = st.one_of(
    st.none(),
    st.sampled_from(["2030-01-01T00:00:00Z", "2030-01-01T00:00:00", "2030-01-01", "soon", 5]),
)

fields = {
    "payer": uuids,
    "payee": uuids,
    "amount": amounts,
    "reference": references,
    "kind": kinds,
    "reverses": uuids,
    "hold": booleans,
    "expires_at": times,
    "extra": st.text(max_size=5),
}


@st.composite
def bodies(draw: st.DrawFn) -> Any:
    chosen = draw(st.sets(st.sampled_from(sorted(fields)), max_size=len(fields)))
    body = {name: draw(fields[name]) for name in sorted(chosen)}
    if draw(st.booleans()):
        # Mostly well-formed: the fast path's own ground, with one field perhaps off.
        body.setdefault("payer", str(uuid.uuid4()))
        body.setdefault("payee", str(uuid.uuid4()))
        body.setdefault("amount", "12.50")
        body.pop("extra", None)
        if draw(st.booleans()):
            body.pop("expires_at", None)
    return body


def schema_load(raw: bytes) -> dict[str, Any] | str:
    try:
        data = json.loads(raw)
    except ValueError:
        return "not json"
    try:
        loaded: dict[str, Any] = SCHEMA.load(data)
    except ValidationError:
        return "refused"
    return loaded


def check(raw: bytes) -> None:
    fast = load_transfer(raw)
    if fast is not None:
        assert fast == schema_load(raw)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
@example({"payer": str(uuid.uuid4()), "payee": str(uuid.uuid4()), "amount": "1.00"})
@example({"payer": str(uuid.uuid4()), "payee": str(uuid.uuid4()), "amount": 3, "hold": True})
@example(
    {
        "payer": str(uuid.uuid4()),
        "payee": str(uuid.uuid4()),
        "amount": "1.00",
        "kind": "reversal",
        "reverses": str(uuid.uuid4()),
    }
)
def test_whatever_the_fast_path_accepts_the_schema_accepts_alike(body: Any) -> None:
    check(json.dumps(body).encode())


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=80),
        st.text(max_size=80).map(str.encode),
        st.lists(st.integers()).map(lambda v: json.dumps(v).encode()),
    )
)
def test_any_bytes(raw: bytes) -> None:
    check(raw)


def test_the_usual_transfer_takes_the_fast_path() -> None:
    payer, payee = uuid.uuid4(), uuid.uuid4()
    raw = json.dumps(
        {"payer": str(payer), "payee": str(payee), "amount": "1250.00", "reference": "invoice F1"}
    ).encode()
    assert (
        load_transfer(raw)
        == schema_load(raw)
        == {
            "payer": payer,
            "payee": payee,
            "amount": 125_000,
            "reference": "invoice F1",
            "kind": "direct",
            "reverses": None,
            "hold": False,
            "expires_at": None,
        }
    )


def test_a_repeated_key_is_read_as_the_schema_reads_it() -> None:
    """JSON with a key twice: Python keeps the last one; so must the fast path (or pass)."""
    payer, payee = str(uuid.uuid4()), str(uuid.uuid4())
    raw = (
        f'{{"payer": "{payer}", "payee": "{payee}", "amount": "1.00", "amount": "2.00"}}'
    ).encode()
    check(raw)
    raw = (
        f'{{"payer": "{payer}", "payee": "{payee}", "amount": "1.00", '
        f'"kind": "reversal", "kind": "direct"}}'
    ).encode()
    check(raw)


def test_refusals_and_unusual_spellings_are_left_to_the_schema() -> None:
    payer, payee = str(uuid.uuid4()), str(uuid.uuid4())
    for body in (
        {"payer": payer, "payee": payee, "amount": "0.00"},
        {"payer": payer, "payee": payee, "amount": 12.5},
        {"payer": payer, "payee": payee, "amount": "1.00", "hold": "true"},
        {"payer": payer, "payee": payee, "amount": "1.00", "extra": 1},
        {
            "payer": payer,
            "payee": payee,
            "amount": "1.00",
            "hold": True,
            "expires_at": "2030-01-01T00:00:00Z",
        },
        {"payer": payer, "amount": "1.00"},
    ):
        assert load_transfer(json.dumps(body).encode()) is None
