"""The transfer route's body, decoded by a validator compiled once (msgspec).

The marshmallow schema (``TransferInSchema``) stays the route's contract: it is what the OpenAPI
description shows, and every answer it gives stays the answer. The compiled decoder is only a
fast path in front of it: it accepts a body only when it is certain the schema would load it to the
same value (a plain JSON object of the usual shape), and hands everything else to the schema
unchanged, so the accepted inputs, the refusals and their problem documents are the schema's own.
``tests/unit/ledger/test_fastinput.py`` holds the two to that with generated inputs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any

import msgspec
from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema

from chassis.money import AmountError, parse_cents
from chassis.schemas import AMOUNT_PATTERN
from ledger.schemas import TRANSFER_KINDS


class _TransferBody(msgspec.Struct, forbid_unknown_fields=True):
    """The usual shape of a transfer's body; anything else goes to the schema."""

    payer: uuid.UUID
    payee: uuid.UUID
    amount: str | int
    reference: str = ""
    kind: str = "direct"
    reverses: uuid.UUID | None = None
    hold: bool = False
    #: A hold's end goes through the schema (time zones, formats): only absent or null here.
    expires_at: None = None


_decode = msgspec.json.Decoder(_TransferBody).decode
_AMOUNT_TEXT = re.compile(AMOUNT_PATTERN)


def _amount(value: str | int) -> int | None:
    """Cents as ``chassis.schemas.Amount`` reads them, or None where it would refuse."""
    if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value.strip()):
        return None
    try:
        return parse_cents(value)
    except AmountError:
        return None


def load_transfer(raw: bytes) -> dict[str, Any] | None:
    """What ``TransferInSchema().load(json.loads(raw))`` returns, or None: ask the schema.

    None does not mean invalid: it means this fast path is not sure (a hold's end, a boolean
    spelled "true", an unknown field, a refusal whose wording belongs to the schema).
    """
    try:
        body = _decode(raw)
    except msgspec.DecodeError:  # ValidationError is a DecodeError
        return None
    cents = _amount(body.amount)
    if (
        cents is None
        or len(body.reference) > 200
        or body.kind not in TRANSFER_KINDS
        or (body.kind == "reversal") != (body.reverses is not None)
        or (body.hold and body.kind != "direct")
    ):
        return None
    return {
        "payer": body.payer,
        "payee": body.payee,
        "amount": cents,
        "reference": body.reference,
        "kind": body.kind,
        "reverses": body.reverses,
        "hold": body.hold,
        "expires_at": None,
    }


def fast_json_arguments(
    blp: Blueprint, schema: Schema, load: Callable[[bytes], dict[str, Any] | None]
) -> Callable[..., Any]:
    """``blp.arguments(schema)`` with ``load`` tried first on a JSON body.

    The view gets what the schema would give; when ``load`` answers None (or the body is not
    plain ``application/json``) the schema parses the request as before, with its own errors.
    The OpenAPI description is the schema's, as with ``blp.arguments``.
    """

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        documented = blp.arguments(schema)(func)

        @wraps(func)
        def view(*args: Any, **kwargs: Any) -> Any:
            if request.mimetype == "application/json":
                body = load(request.get_data(cache=True))
                if body is not None:
                    return func(*args, body, **kwargs)
            return documented(*args, **kwargs)

        view._apidoc = deepcopy(documented._apidoc)  # type: ignore[attr-defined]
        return view

    return decorator
