"""Token verification used by every service: gateway-issued EdDSA JWTs checked against a JWKS.

The wire contract of an access token (built by :func:`identity_claims`, read by
:meth:`Identity.from_claims`): header ``alg: EdDSA``, ``typ: at+jwt``, ``kid``; claims ``iss``,
``aud``, ``sub``, ``exp``, ``iat``, ``jti``, ``roles`` (list), ``tenant`` (slug, absent or null only
for operators), ``network`` (alone, without ``tenant``, for a network-scoped API key), ``member_id``
(required for members) and ``scope`` (space-separated, RFC 9068). Imports only the standard
library, PyJWT and ``requests``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final

import jwt
import requests

if TYPE_CHECKING:
    from chassis.config import Settings

log = logging.getLogger(__name__)

ALGORITHM: Final = "EdDSA"
TOKEN_TYPE: Final = "at+jwt"  # noqa: S105 - a JWT "typ" value (RFC 9068), not a secret

OPERATOR: Final = "operator"
ANIMATOR: Final = "animator"
MEMBER: Final = "member"
INTEGRATOR: Final = "integrator"
ROLES: Final = frozenset({OPERATOR, ANIMATOR, MEMBER, INTEGRATOR})

REQUIRED_CLAIMS: Final = ("iss", "aud", "sub", "exp", "iat", "jti", "roles")
MAX_TOKEN_LENGTH: Final = 8192


class AuthError(Exception):
    """A request cannot go on for an authentication or authorisation reason."""

    status: ClassVar[int] = 401
    default_code: ClassVar[str] = "unauthenticated"
    default_message: ClassVar[str] = "Authentication is required."

    def __init__(self, code: str | None = None, message: str | None = None) -> None:
        self.code = code or self.default_code
        self.message = message or self.default_message
        #: More members of the problem document.
        self.extra: dict[str, Any] | None = None
        super().__init__(self.message)


class Unauthenticated(AuthError):
    """No usable credentials: 401."""


class InvalidToken(Unauthenticated):
    """A bearer token was presented but is not acceptable: 401."""

    default_code = "invalid_token"
    default_message = "The bearer token is invalid."


class TokenExpired(InvalidToken):
    """The token was valid once; the client should get a new one: 401."""

    default_code = "token_expired"
    default_message = "The bearer token has expired."


class Forbidden(AuthError):
    """Authenticated, but not allowed to do this: 403."""

    status = 403
    default_code = "forbidden"
    default_message = "You are not allowed to perform this action."


class NotFound(AuthError):
    """Another tenant's resource: answered as if it did not exist, never as 403."""

    status = 404
    default_code = "not_found"
    default_message = "The requested resource was not found."


class TenantOutOfReach(NotFound):
    """A tenant a network key does not reach through this service's copy of the directory.

    Answered as not found, naming the tenant in ``unknown_tenants`` whether the copy lacks it or
    places it in another network (so the answer tells nothing apart): the gateway, which owns the
    directory, then tells a tenant just created in the key's network (lag: it sends the request
    again, then answers ``503 not_yet_known``) from one out of the key's reach (this 404).
    """

    def __init__(self, tenant: str) -> None:
        super().__init__()
        self.extra = {"unknown_tenants": [tenant]}


class KeysUnavailable(AuthError):
    """The verification keys could never be loaded: the service cannot judge tokens: 503."""

    status = 503
    default_code = "auth_unavailable"
    default_message = "Token verification is temporarily unavailable."


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is acting: a user (roles operator, animator, member) or an API key (integrator)."""

    subject: str
    roles: frozenset[str]
    tenant: str | None = None
    network: str | None = None
    member_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    token_id: str | None = None

    @property
    def is_operator(self) -> bool:
        return OPERATOR in self.roles

    def has_role(self, *roles: str) -> bool:
        """True if the identity holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def is_network_key(self) -> bool:
        """A network-scoped API key: an integrator of a whole network, of no one tenant."""
        return INTEGRATOR in self.roles and self.tenant is None and self.network is not None

    def can_access_tenant(
        self, tenant: str, network_of: Callable[[str], str | None] | None = None
    ) -> bool:
        """Operators reach every tenant; everyone else only their own.

        A network key reaches every tenant of its network: ``network_of`` (the service's own
        knowledge of tenants, learnt from the directory's events) must name that network for
        ``tenant``; without it, or for a tenant it does not know, nothing is reached.
        """
        if self.is_operator:
            return True
        if self.tenant is not None:
            return self.tenant == tenant
        if self.is_network_key and network_of is not None:
            return network_of(tenant) == self.network
        return False

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Identity:
        """Build the identity of verified claims, refusing inconsistent ones."""
        roles_claim = claims.get("roles")
        if (
            not isinstance(roles_claim, list)
            or not roles_claim
            or not all(isinstance(r, str) for r in roles_claim)
        ):
            raise InvalidToken(message="The token has no valid 'roles' claim.")
        roles = frozenset(roles_claim)
        if not roles <= ROLES:
            raise InvalidToken(message="The token carries an unknown role.")
        tenant = _optional_str(claims, "tenant")
        network = _optional_str(claims, "network")
        network_key = roles == {INTEGRATOR} and network is not None
        if tenant is None and OPERATOR not in roles and not network_key:
            raise InvalidToken(message="The token has no 'tenant' claim.")
        raw_member = claims.get("member_id")
        member_id: uuid.UUID | None = None
        if raw_member is not None:
            try:
                member_id = uuid.UUID(str(raw_member))
            except ValueError:
                raise InvalidToken(message="The 'member_id' claim is not a UUID.") from None
        if MEMBER in roles and member_id is None:
            raise InvalidToken(message="A member token needs a 'member_id' claim.")
        scope = claims.get("scope", "")
        if isinstance(scope, list):
            scopes = frozenset(s for s in scope if isinstance(s, str))
        elif isinstance(scope, str):
            scopes = frozenset(scope.split())
        else:
            raise InvalidToken(message="The 'scope' claim must be a string.")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise InvalidToken(message="The token has no 'sub' claim.")
        jti = claims.get("jti")
        return cls(
            subject=subject,
            roles=roles,
            tenant=tenant,
            network=network,
            member_id=member_id,
            scopes=scopes,
            token_id=jti if isinstance(jti, str) else None,
        )


def _optional_str(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidToken(message=f"The '{name}' claim must be a non-empty string.")
    return value


def identity_claims(
    identity: Identity,
    *,
    issuer: str,
    audience: str,
    expires_in: int,
    now: float | None = None,
) -> dict[str, Any]:
    """Claims of an access token for ``identity``; the gateway signs them with ``KeyStore.sign``."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": identity.subject,
        "iat": issued,
        "exp": issued + expires_in,
        "jti": identity.token_id or uuid.uuid4().hex,
        "roles": sorted(identity.roles),
        "tenant": identity.tenant,
        "network": identity.network,
        "member_id": str(identity.member_id) if identity.member_id else None,
    }
    if identity.scopes:
        claims["scope"] = " ".join(sorted(identity.scopes))
    return claims


JwksSource = str | Path | Mapping[str, Any]


class TokenVerifier:
    """Verify bearer tokens against a JWKS file or URL, caching keys and verified tokens.

    A token seen before costs a dict lookup until its ``exp``. Keys are reloaded when a token
    names an unknown ``kid`` (at most once per ``min_refresh_interval``) and every
    ``max_key_age`` seconds, so a retired key stops being accepted even for cached tokens.
    """

    def __init__(
        self,
        jwks_source: JwksSource,
        audience: str,
        issuer: str,
        *,
        leeway: float = 10.0,
        cache_size: int = 4096,
        min_refresh_interval: float = 1.0,
        max_key_age: float = 300.0,
        http_timeout: float = 3.0,
        expected_type: str | None = TOKEN_TYPE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._source = jwks_source
        self._audience = audience
        self._issuer = issuer
        self._leeway = leeway
        self._cache_size = max(cache_size, 0)
        self._min_refresh_interval = min_refresh_interval
        self._max_key_age = max_key_age
        self._http_timeout = http_timeout
        self._expected_type = expected_type
        self._clock = clock
        self._keys: dict[str, Any] | None = None
        self._loaded_at = 0.0
        self._attempted_at = float("-inf")
        self._file_stamp: tuple[int, int] | None = None
        self._refresh_lock = threading.Lock()
        # token -> (identity, exp, kid); OrderedDict operations are single C calls, so
        # concurrent threads cannot corrupt it; a racing eviction only costs a KeyError.
        self._cache: OrderedDict[str, tuple[Identity, float, str]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> TokenVerifier:
        return cls(settings.jwks, settings.jwt_audience, settings.jwt_issuer, **options)

    @property
    def kids(self) -> frozenset[str]:
        """Key ids currently trusted (loads the JWKS if needed)."""
        return frozenset(self._current_keys())

    def verify(self, token: str) -> Identity:
        """Return the identity of a valid token, or raise an :class:`AuthError`."""
        now = self._clock()
        if now - self._loaded_at > self._max_key_age:
            self._reload(now)
        entry = self._cache.get(token)
        if entry is not None:
            if now < entry[1]:
                with contextlib.suppress(KeyError):
                    self._cache.move_to_end(token)
                return entry[0]
            self._cache.pop(token, None)
        return self._verify_cold(token, now)

    def refresh(self) -> None:
        """Reload the keys now, ignoring the rate limit (e.g. right after a rotation)."""
        self._reload(self._clock(), force=True)

    def clear_cache(self) -> None:
        self._cache.clear()

    def _verify_cold(self, token: str, now: float) -> Identity:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken(message="The bearer token is malformed.")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken(message="The bearer token is malformed.") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(message="The token's signing algorithm is not accepted.")
        if self._expected_type is not None and header.get("typ") != self._expected_type:
            raise InvalidToken(message="The token is not an access token.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken(message="The token names no signing key.")
        key = self._key_for(kid, now)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError:
            raise TokenExpired() from None
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(message=f"The token has no '{exc.claim}' claim.") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken(message="The token is not meant for this service.") from None
        except jwt.InvalidIssuerError:
            raise InvalidToken(message="The token was not issued by a trusted issuer.") from None
        except jwt.InvalidSignatureError:
            raise InvalidToken(message="The token signature is invalid.") from None
        except jwt.PyJWTError:
            raise InvalidToken() from None
        identity = Identity.from_claims(claims)
        if self._cache_size:
            self._cache[token] = (identity, float(claims["exp"]), kid)
            while len(self._cache) > self._cache_size:
                try:
                    self._cache.popitem(last=False)
                except KeyError:
                    break
        return identity

    def _key_for(self, kid: str, now: float) -> Any:
        key = self._current_keys().get(kid)
        if key is None:
            self._reload(now, unknown_kid=True)
            key = self._current_keys().get(kid)
        if key is None:
            raise InvalidToken(message="The token was signed with an unknown key.")
        return key

    def _current_keys(self) -> dict[str, Any]:
        keys = self._keys
        if keys is None:
            self._reload(self._clock(), unknown_kid=True)
            keys = self._keys
            if keys is None:
                raise KeysUnavailable()
        return keys

    def _reload(self, now: float, *, force: bool = False, unknown_kid: bool = False) -> None:
        """Fetch the JWKS again: at most once per ``min_refresh_interval`` unless forced."""
        with self._refresh_lock:
            if not force:
                if now - self._attempted_at < self._min_refresh_interval:
                    return  # rate limit: a flood of made-up kids costs one fetch per interval
                if not unknown_kid and now - self._loaded_at <= self._max_key_age:
                    return  # another thread reloaded while this one waited
            self._attempted_at = now
            try:
                document = self._fetch()
            except Exception as exc:
                # Keep the keys already trusted: a flaky JWKS endpoint must not log everyone out.
                log.warning("jwks_reload_failed", extra={"error": type(exc).__name__})
                self._loaded_at = now if self._keys is not None else self._loaded_at
                return
            if document is not None:
                keys = parse_jwks(document)
                if self._keys is not None:
                    retired = set(self._keys) - set(keys)
                    if retired:
                        self._forget_tokens_of(retired)
                self._keys = keys
            self._loaded_at = now

    def _forget_tokens_of(self, kids: set[str]) -> None:
        for token, entry in list(self._cache.items()):
            if entry[2] in kids:
                self._cache.pop(token, None)

    def _fetch(self) -> Mapping[str, Any] | None:
        """The JWKS document, or None when a file source has not changed since the last load."""
        source = self._source
        if isinstance(source, Mapping):
            return source
        text = str(source)
        if text.startswith(("http://", "https://")):
            response = requests.get(text, timeout=self._http_timeout)
            response.raise_for_status()
            document = response.json()
        else:
            path = Path(text)
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp == self._file_stamp and self._keys is not None:
                return None
            document = json.loads(path.read_text(encoding="utf-8"))
            self._file_stamp = stamp
        if not isinstance(document, Mapping):
            raise ValueError("a JWKS document is a JSON object")
        return document


def parse_jwks(document: Mapping[str, Any]) -> dict[str, Any]:
    """Public keys of a JWKS by ``kid``; keys that are not Ed25519 signing keys are ignored."""
    keys: dict[str, Any] = {}
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise ValueError("a JWKS document has a 'keys' list")
    for entry in _signing_entries(entries):
        try:
            jwk = jwt.PyJWK(dict(entry), algorithm=ALGORITHM)
        except jwt.PyJWTError:
            log.warning("jwks_key_ignored", extra={"kid": entry.get("kid")})
            continue
        keys[entry["kid"]] = jwk.key
    return keys


def _signing_entries(entries: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519" or "d" in entry:
            continue
        yield entry
