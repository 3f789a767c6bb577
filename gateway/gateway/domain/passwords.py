"""Password hashing (argon2id through argon2-cffi) and the password rules users must meet.

Imports the standard library and argon2-cffi only. Hashes are PHC strings (``$argon2id$v=19$…``)
that carry their own salt and parameters, so raising the cost later only needs `needs_rehash`.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gateway.domain.errors import ValidationError

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password_rules",
    "default_hasher",
    "hash_password",
    "needs_rehash",
    "verify_password",
    "waste_verification",
]

MIN_PASSWORD_LENGTH = 12
#: Long enough for any passphrase, short enough that hashing one is never a denial of service.
MAX_PASSWORD_LENGTH = 256

#: Passwords of 12+ characters that appear in public breach lists, plus local favourites.
_COMMON_PASSWORDS = frozenset(
    {
        "123456789012", "1234567890123", "12345678901234", "123456123456", "111111111111",
        "000000000000", "123123123123", "azertyuiop12", "azertyuiopqs", "qwertyuiop12",
        "qwertyuiopas", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qazwsxedcrfv", "password1234",
        "password123!", "passwordpassword", "motdepasse12", "motdepasse123", "iloveyou1234",
        "jetaime123456", "bonjour123456", "soleil123456", "trocactif123", "changeme1234",
        "welcome12345", "administrator", "abcdefghijkl", "abc123abc123",
    }
)  # fmt: skip
#: Words that make a password guessable whatever digits or symbols surround them.
_COMMON_WORDS = frozenset(
    {
        "password", "passw0rd", "motdepasse", "azerty", "azertyuiop", "qwerty", "qwertyuiop",
        "soleil", "bonjour", "jetaime", "iloveyou", "admin", "administrateur", "administrator",
        "welcome", "bienvenue", "changeme", "letmein", "trocactif", "troc", "actif",
        "franceactive", "secret", "abcdef", "abcdefgh",
    }
)  # fmt: skip
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def check_password_rules(password: object, *, email: str | None = None) -> None:
    """Raise `ValidationError` on field ``password`` unless the password is acceptable.

    The rules follow NIST SP 800-63B rather than composition rules: long enough, not a known
    common password (nor a common word padded with digits or symbols), not built from a few
    repeated characters, and not the user's own e-mail address.
    """
    field = "password"
    if not isinstance(password, str):
        raise ValidationError(field, "invalid_type", "must be given as text")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            field, "too_short", f"must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            field, "too_long", f"must have at most {MAX_PASSWORD_LENGTH} characters"
        )
    folded = password.casefold()
    if len(set(folded)) < 4:
        raise ValidationError(
            field, "too_repetitive", "uses too few different characters; try a passphrase"
        )
    core = _EDGES.sub("", folded)
    if folded in _COMMON_PASSWORDS or core in _COMMON_WORDS:
        raise ValidationError(
            field, "too_common", "is too common and would be guessed quickly; try a passphrase"
        )
    if email:
        address = email.strip().casefold()
        local = address.partition("@")[0]
        if address in folded or (len(local) >= 4 and local in folded):
            raise ValidationError(field, "contains_email", "must not contain your e-mail address")


@cache
def default_hasher() -> PasswordHasher:
    """Return the shared hasher: argon2id with argon2-cffi's defaults (RFC 9106 low-memory)."""
    return PasswordHasher()


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    """Hash a password with argon2id and a fresh random salt; return the PHC string."""
    return (hasher or default_hasher()).hash(password)


def verify_password(
    stored_hash: str, password: str, *, hasher: PasswordHasher | None = None
) -> bool:
    """Tell whether `password` matches `stored_hash`, in time independent of where they differ.

    A malformed stored hash counts as a mismatch: a login must fail closed, never raise.
    """
    try:
        return (hasher or default_hasher()).verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, *, hasher: PasswordHasher | None = None) -> bool:
    """Tell whether a hash was made with other parameters than the hasher's (rehash at login)."""
    try:
        return (hasher or default_hasher()).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def _decoy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("decoy password for unknown accounts")


def waste_verification(password: str, *, hasher: PasswordHasher | None = None) -> None:
    """Spend the time of one verification; call it when the e-mail matches no account.

    Without it a login for an unknown address answers faster than one with a wrong password,
    which tells an attacker which addresses have accounts.
    """
    actual = hasher or default_hasher()
    verify_password(_decoy_hash(actual), password, hasher=actual)
