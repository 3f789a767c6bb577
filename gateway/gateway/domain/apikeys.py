"""API keys for integrators: generation, storage form, verification, scopes and revocation.

Standard library only. A key reads ``troc_<key id>_<secret>``: the key id (public, stored in
clear, indexed) finds the stored record; the secret is only ever stored hashed, and the whole key
is shown once, at creation.

Why SHA-256 and not argon2 for these, when passwords get argon2: a slow, salted hash exists to
make guessing a *low-entropy* secret expensive. A key's secret is 256 bits from `secrets`, so no
guess can succeed however fast the hash is, and a salt adds nothing (no two keys share a secret;
there is no dictionary to precompute). Argon2 would instead cost tens of milliseconds and 64 MiB
on *every* integrator request, which turns API traffic into a denial-of-service lever.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from gateway.domain.errors import DomainError, Forbidden, ValidationError

__all__ = [
    "API_KEY_PREFIX",
    "READ_SCOPES",
    "ApiKey",
    "ApiKeyRevoked",
    "InvalidApiKey",
    "IssuedApiKey",
    "NetworkApiKey",
    "ParsedApiKey",
    "Scope",
    "ScopeDenied",
    "ensure_scope_allows",
    "generate_api_key",
    "hash_api_key",
    "is_read_only",
    "parse_api_key",
    "parse_scopes",
    "required_scope",
    "verify_api_key",
]

API_KEY_PREFIX = "troc_"
_KEY_ID_BYTES = 8  # 16 hex characters: unique enough to index, not a secret
_SECRET_BYTES = 32  # 256 bits of entropy
_KEY_FORMAT = re.compile(
    rf"^{API_KEY_PREFIX}(?P<key_id>[0-9a-f]{{{2 * _KEY_ID_BYTES}}})_"
    rf"(?P<secret>[0-9a-f]{{{2 * _SECRET_BYTES}}})$"
)
_HASH_SCHEME = "sha256"


class Scope(enum.StrEnum):
    """What an integrator's key may do; ``<resource>:read`` reads, ``<resource>:manage`` writes."""

    LEDGER_READ = "ledger:read"
    EVENTS_READ = "events:read"
    INVOICES_READ = "invoices:read"
    LISTINGS_READ = "listings:read"
    WEBHOOKS_MANAGE = "webhooks:manage"

    @property
    def resource(self) -> str:
        """The resource the scope is about (``ledger``, ``webhooks``, …)."""
        return self.value.partition(":")[0]

    @property
    def writes(self) -> bool:
        """Whether the scope allows changing something."""
        return self.value.endswith(":manage")


#: The scopes that only read; a key holding only these can change nothing.
READ_SCOPES: frozenset[Scope] = frozenset(s for s in Scope if not s.writes)


class InvalidApiKey(DomainError):
    """The presented key is malformed or does not match any stored key."""

    code = "invalid_api_key"

    def __init__(self, message: str = "invalid API key") -> None:
        super().__init__(message)


class ApiKeyRevoked(DomainError):
    """The key was revoked; it will never work again."""

    code = "api_key_revoked"

    def __init__(self) -> None:
        super().__init__("this API key has been revoked")


class ScopeDenied(Forbidden):
    """The key is valid but none of its scopes allows this access."""

    code = "scope_denied"


def parse_scopes(values: object, field: str = "scopes") -> frozenset[Scope]:
    """Return the scopes named in `values`, or raise if one is unknown or none is given."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(field, "invalid_type", "must be a list of scopes")
    scopes: set[Scope] = set()
    for value in values:
        try:
            scopes.add(Scope(value.strip() if isinstance(value, str) else value))
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            raise ValidationError(
                field, "unknown_scope", f"unknown scope {value!r}; known scopes: {known}"
            ) from None
    if not scopes:
        raise ValidationError(field, "required", "at least one scope is required")
    return frozenset(scopes)


def is_read_only(scopes: Iterable[Scope]) -> bool:
    """Tell whether a set of scopes only reads."""
    return all(not s.writes for s in scopes)


def required_scope(resource: str, *, write: bool) -> Scope | None:
    """Return the scope that grants reading (or writing) `resource`, or None if no scope does.

    None means integrators may never do it: e.g. nothing lets a key move Actifs or write invoices.
    """
    wanted = f"{resource}:{'manage' if write else 'read'}"
    return next((s for s in Scope if s.value == wanted), None)


def ensure_scope_allows(granted: Iterable[Scope], resource: str, *, write: bool) -> None:
    """Raise `ScopeDenied` unless one of the `granted` scopes allows this access."""
    needed = required_scope(resource, write=write)
    verb = "change" if write else "read"
    if needed is None:
        raise ScopeDenied(f"API keys may not {verb} {resource}")
    if needed not in set(granted):
        raise ScopeDenied(f"this API key lacks the {needed.value} scope to {verb} {resource}")


@dataclass(frozen=True, slots=True)
class ParsedApiKey:
    """A presented key split into its public id and its secret."""

    key_id: str
    secret: str


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """A new key: `plaintext` goes to the integrator once; the rest is what the gateway stores."""

    key_id: str
    plaintext: str
    key_hash: str

    @property
    def display_prefix(self) -> str:
        """The part of the key safe to show in lists, e.g. ``troc_1a2b3c4d5e6f7a8b``."""
        return f"{API_KEY_PREFIX}{self.key_id}"


def hash_api_key(plaintext: str) -> str:
    """Return the stored form of a whole key: ``sha256:<hex digest>``."""
    digest = hashlib.sha256(plaintext.encode("utf-8")).hexdigest()
    return f"{_HASH_SCHEME}:{digest}"


def generate_api_key() -> IssuedApiKey:
    """Generate a key with a random public id and a 256-bit secret from `secrets`."""
    key_id = secrets.token_hex(_KEY_ID_BYTES)
    plaintext = f"{API_KEY_PREFIX}{key_id}_{secrets.token_hex(_SECRET_BYTES)}"
    return IssuedApiKey(key_id=key_id, plaintext=plaintext, key_hash=hash_api_key(plaintext))


def parse_api_key(presented: str) -> ParsedApiKey:
    """Split a presented key into id and secret, or raise `InvalidApiKey` if it is malformed."""
    match = _KEY_FORMAT.match(presented.strip())
    if match is None:
        raise InvalidApiKey("malformed API key")
    return ParsedApiKey(key_id=match["key_id"], secret=match["secret"])


def verify_api_key(presented: str, stored_hash: str) -> bool:
    """Tell whether `presented` is the key whose stored form is `stored_hash`, in constant time."""
    return hmac.compare_digest(hash_api_key(presented.strip()), stored_hash)


def _key_name(name: object) -> str:
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise ValidationError("name", "required", "give the key a name saying who uses it")
    if len(cleaned) > 100:
        raise ValidationError("name", "bad_length", "must have at most 100 characters")
    return cleaned


class _StoredKey:
    """What every stored key does with its hash, its revocation and its last use."""

    key_hash: str
    scopes: frozenset[Scope]
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def is_active(self) -> bool:
        """Whether the key still works."""
        return self.revoked_at is None

    def ensure_active(self) -> None:
        """Raise `ApiKeyRevoked` if the key was revoked."""
        if not self.is_active:
            raise ApiKeyRevoked()

    def authenticate(self, presented: str, now: datetime) -> None:
        """Check a presented key against this record and record its use; raise if refused."""
        if not verify_api_key(presented, self.key_hash):
            raise InvalidApiKey()
        self.ensure_active()
        self.last_used_at = now

    def revoke(self, now: datetime) -> None:
        """Revoke the key for good; revoking twice keeps the first date."""
        if self.revoked_at is None:
            self.revoked_at = now

    def ensure_allows(self, resource: str, *, write: bool) -> None:
        """Raise unless the key is active and one of its scopes allows this access."""
        self.ensure_active()
        ensure_scope_allows(self.scopes, resource, write=write)


@dataclass(slots=True)
class ApiKey(_StoredKey):
    """An integrator's key as the gateway stores it: one tenant, some scopes, revocable."""

    id: UUID
    tenant_id: UUID
    name: str
    key_id: str
    key_hash: str
    scopes: frozenset[Scope]
    created_at: datetime
    created_by: UUID | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = field(default=None)

    def __post_init__(self) -> None:
        self.name = _key_name(self.name)
        self.scopes = parse_scopes(self.scopes)

    @classmethod
    def issue(
        cls,
        *,
        id: UUID,
        tenant_id: UUID,
        name: str,
        scopes: Iterable[str],
        now: datetime,
        created_by: UUID | None = None,
    ) -> tuple[ApiKey, str]:
        """Create a key; return the record to store and the plaintext to show once."""
        issued = generate_api_key()
        key = cls(
            id=id,
            tenant_id=tenant_id,
            name=name,
            key_id=issued.key_id,
            key_hash=issued.key_hash,
            scopes=parse_scopes(scopes),
            created_at=now,
            created_by=created_by,
        )
        return key, issued.plaintext


@dataclass(slots=True)
class NetworkApiKey(_StoredKey):
    """An integrator's key for a whole network: it reads every tenant of the network.

    Read scopes only (``READ_SCOPES``): a key spanning tenants changes nothing in any of them
    (a webhook belongs to one tenant: its animators or a tenant key manage it).
    """

    id: UUID
    network_id: UUID
    name: str
    key_id: str
    key_hash: str
    scopes: frozenset[Scope]
    created_at: datetime
    created_by: UUID | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = field(default=None)

    def __post_init__(self) -> None:
        self.name = _key_name(self.name)
        self.scopes = parse_scopes(self.scopes)
        writes = sorted(s.value for s in self.scopes if s.writes)
        if writes:
            known = ", ".join(sorted(s.value for s in READ_SCOPES))
            raise ValidationError(
                "scopes",
                "write_scope",
                f"a network key only reads: {', '.join(writes)} is not allowed; "
                f"read scopes: {known}",
            )

    @classmethod
    def issue(
        cls,
        *,
        id: UUID,
        network_id: UUID,
        name: str,
        scopes: Iterable[str],
        now: datetime,
        created_by: UUID | None = None,
    ) -> tuple[NetworkApiKey, str]:
        """Create a key; return the record to store and the plaintext to show once."""
        issued = generate_api_key()
        key = cls(
            id=id,
            network_id=network_id,
            name=name,
            key_id=issued.key_id,
            key_hash=issued.key_hash,
            scopes=parse_scopes(scopes),
            created_at=now,
            created_by=created_by,
        )
        return key, issued.plaintext
