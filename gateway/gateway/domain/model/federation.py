"""A link between two networks: the rate between their units and each side's clearing limit.

The gateway owns the record; each network's ledger keeps a copy and holds a clearing account for
the partner, whose credit limit is that side's limit (how far it may go below zero).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from uuid import UUID

from gateway.domain.errors import ValidationError, ValidationErrors
from gateway.domain.model.fields import MAX_CENTS

#: A rate has at most this many decimals and lies in ``(0, MAX_RATE]`` (the ledger's bounds).
RATE_DECIMALS = 8
MAX_RATE = Decimal(10**6)


class LinkStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


def parse_rate(value: object, field: str = "rate") -> Decimal:
    """Units of network b for one unit of network a: a positive decimal string."""
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise ValidationError(field, "invalid_type", 'must be a decimal string such as "1"')
    try:
        rate = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError(
            field, "bad_format", 'must be a decimal such as "1" or "0.5"'
        ) from None
    if not rate.is_finite() or rate != rate.quantize(Decimal(1).scaleb(-RATE_DECIMALS)):
        raise ValidationError(
            field, "bad_format", f"must be a decimal with at most {RATE_DECIMALS} decimals"
        )
    if not Decimal(0) < rate <= MAX_RATE:
        raise ValidationError(field, "out_of_range", f"must be above 0 and at most {MAX_RATE}")
    return rate


def _limit(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "invalid_type", "must be an amount in cents")
    if not 0 <= value <= MAX_CENTS:
        raise ValidationError(field, "out_of_range", "must be between 0 and 100 billion")
    return value


@dataclass(frozen=True, slots=True)
class FederationLink:
    """Two networks that trade with each other (``network_a`` and ``network_b`` are slugs)."""

    id: UUID
    network_a: str
    network_b: str
    rate: Decimal
    limit_a: int
    limit_b: int
    status: LinkStatus
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        network_a: str,
        network_b: str,
        rate: object,
        limit_a: object,
        limit_b: object,
        now: datetime,
    ) -> FederationLink:
        errors = []
        if network_a == network_b:
            errors.append(
                ValidationError("network_b", "same_network", "a network is not linked to itself")
            )
        values: dict[str, Any] = {}
        for name, check in (
            ("rate", lambda: parse_rate(rate)),
            ("limit_a", lambda: _limit(limit_a, "limit_a")),
            ("limit_b", lambda: _limit(limit_b, "limit_b")),
        ):
            try:
                values[name] = check()
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationErrors(errors)
        return cls(
            id=id,
            network_a=network_a,
            network_b=network_b,
            status=LinkStatus.ACTIVE,
            created_at=now,
            updated_at=now,
            **values,
        )

    def with_changes(self, changes: dict[str, Any], now: datetime) -> FederationLink:
        """The link after a change of its limits, its rate (for future trades) or its status."""
        errors = []
        values: dict[str, Any] = {}
        for name, value in changes.items():
            try:
                if name == "rate":
                    values[name] = parse_rate(value)
                elif name in ("limit_a", "limit_b"):
                    values[name] = _limit(value, name)
                elif name == "status":
                    try:
                        values[name] = LinkStatus(value)
                    except ValueError:
                        raise ValidationError(
                            "status", "invalid_choice", "must be active or suspended"
                        ) from None
                else:
                    raise ValidationError(name, "read_only", f"{name} cannot be changed")
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationErrors(errors)
        return replace(self, updated_at=now, **values)


@dataclass(frozen=True, slots=True)
class LinkSide:
    """A link as one of its networks sees it: the partner, the rate from its own unit, and its
    own clearing account for the partner (balance in cents of its unit; None: unknown)."""

    link_id: UUID
    network: str
    partner_network: str
    partner_network_name: str
    partner_unit: str
    #: Units of the partner for one unit of ``network`` (the link's rate, or its inverse).
    rate: Decimal
    limit: int
    clearing_balance: int | None
    status: LinkStatus

    @property
    def available(self) -> int | None:
        """How far the clearing account may still go down: its balance above minus its limit."""
        return None if self.clearing_balance is None else self.clearing_balance + self.limit


def side_of(
    link: FederationLink,
    network: str,
    partner_name: str,
    balances: tuple[int | None, int | None],
    partner_unit: str = "unité",
) -> LinkSide:
    """``network``'s side of ``link``; ``balances`` are the link's (``a``, ``b``) clearing
    balances as the ledger has them."""
    if network == link.network_a:
        partner, rate, limit, balance = link.network_b, link.rate, link.limit_a, balances[0]
    elif network == link.network_b:
        partner, limit, balance = link.network_a, link.limit_b, balances[1]
        rate = (Decimal(1) / link.rate).quantize(Decimal(1).scaleb(-RATE_DECIMALS))
    else:
        raise ValueError(f"{network} is not a side of link {link.id}")
    return LinkSide(
        link_id=link.id,
        network=network,
        partner_network=partner,
        partner_network_name=partner_name,
        partner_unit=partner_unit,
        rate=rate,
        limit=limit,
        clearing_balance=balance,
        status=link.status,
    )
