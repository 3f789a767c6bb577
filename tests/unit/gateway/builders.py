"""Test data for the gateway domain: valid identifiers computed independently, sample tenants."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from argon2 import PasswordHasher

from gateway.domain.model import Tenant

#: A real, published SIRET (its SIREN is 732 829 320; its VAT number FR44732829320).
REAL_SIRET = "73282932000074"
REAL_VAT = "FR44732829320"

#: Cheap argon2id parameters: the same code path as production, in a millisecond.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def _luhn_digit(partial: str) -> str:
    """Compute a Luhn check digit without the code under test."""
    digits = [int(c) for c in partial]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def make_siren(stem: str) -> str:
    """A valid SIREN from 8 digits."""
    assert len(stem) == 8 and stem.isdigit()
    return stem + _luhn_digit(stem)


def make_siret(stem: str, establishment: str = "0001") -> str:
    """A valid SIRET: a valid SIREN from 8 digits, an establishment number, its key."""
    assert len(establishment) == 4 and establishment.isdigit()
    body = make_siren(stem) + establishment
    return body + _luhn_digit(body)


def vat_for(siren: str) -> str:
    """The numeric-key VAT number of a SIREN, computed independently."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def tenant(departments: tuple[str, ...] = ("92", "93", "94"), slug: str = "fa-mgp") -> Tenant:
    """France Active Métropole–Grand Paris, or another tenant with the given departments."""
    return Tenant(
        id=uuid.uuid4(),
        network_id=uuid.uuid4(),
        slug=slug,
        name="France Active Métropole–Grand Paris",
        departments=departments,
    )
