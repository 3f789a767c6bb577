"""Password rules and argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from gateway.domain.errors import ValidationError
from gateway.domain.passwords import (
    MAX_PASSWORD_LENGTH,
    check_password_rules,
    default_hasher,
    hash_password,
    needs_rehash,
    verify_password,
    waste_verification,
)

from .builders import FAST_HASHER


class TestPasswordRules:
    @pytest.mark.parametrize(
        "password",
        [
            "correct horse battery staple",
            "Troc-Actif au 92, c'est bien",
            "k8#Tq!r2Lp@z",
            "é" * 3 + "àçù" * 3,
        ],
    )
    def test_accepts_reasonable_passwords(self, password: str) -> None:
        check_password_rules(password, email="jean.dupont@example.fr")

    @pytest.mark.parametrize(
        ("password", "code"),
        [
            ("short", "too_short"),
            ("elevenchars", "too_short"),
            ("x" * (MAX_PASSWORD_LENGTH + 1), "too_long"),
            ("aaaaaaaaaaaa", "too_repetitive"),
            ("abababababab", "too_repetitive"),
            ("123123123123", "too_repetitive"),
            ("123456789012", "too_common"),
            ("AZERTYUIOP12", "too_common"),
            ("Password2024!", "too_common"),
            ("!!Motdepasse2025", "too_common"),
            ("trocactif123456", "too_common"),
            ("qwertyuiop!!", "too_common"),
        ],
    )
    def test_refuses_weak_passwords(self, password: str, code: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            check_password_rules(password)
        assert (excinfo.value.field, excinfo.value.code) == ("password", code)

    def test_refuses_the_email_address(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            check_password_rules("Jean.Dupont@Example.fr", email="jean.dupont@example.fr")
        assert excinfo.value.code == "contains_email"

    def test_refuses_the_local_part_of_the_email(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            check_password_rules("jean.dupont-2025", email="jean.dupont@example.fr")
        assert excinfo.value.code == "contains_email"

    def test_a_very_short_local_part_is_not_a_reason_to_refuse(self) -> None:
        check_password_rules("kiwi banana jam", email="jo@example.fr")

    def test_refuses_non_text(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            check_password_rules(None)
        assert excinfo.value.code == "invalid_type"


class TestHashing:
    def test_hash_is_argon2id_and_salted(self) -> None:
        first = hash_password("correct horse battery staple", hasher=FAST_HASHER)
        second = hash_password("correct horse battery staple", hasher=FAST_HASHER)
        assert first.startswith("$argon2id$")
        assert first != second

    def test_verify_accepts_the_password_and_refuses_others(self) -> None:
        stored = hash_password("correct horse battery staple", hasher=FAST_HASHER)
        assert verify_password(stored, "correct horse battery staple", hasher=FAST_HASHER)
        assert not verify_password(stored, "correct horse battery stapler", hasher=FAST_HASHER)

    def test_a_corrupt_stored_hash_fails_closed(self) -> None:
        assert not verify_password("not a hash", "whatever", hasher=FAST_HASHER)
        assert not verify_password("$argon2id$v=19$m=8,t=1,p=1$broken", "x", hasher=FAST_HASHER)

    def test_needs_rehash_when_parameters_grow(self) -> None:
        stored = hash_password("correct horse battery staple", hasher=FAST_HASHER)
        assert not needs_rehash(stored, hasher=FAST_HASHER)
        stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
        assert needs_rehash(stored, hasher=stronger)
        # a hash made with other parameters still verifies: parameters travel in the hash
        assert verify_password(stored, "correct horse battery staple", hasher=stronger)

    def test_needs_rehash_of_garbage(self) -> None:
        assert needs_rehash("garbage", hasher=FAST_HASHER)

    def test_default_hasher_is_argon2id_with_rfc_9106_costs(self) -> None:
        hasher = default_hasher()
        assert hasher is default_hasher()
        assert hasher.type.name == "ID"
        assert hasher.memory_cost >= 64 * 1024 and hasher.time_cost >= 2

    def test_waste_verification_runs_a_real_verification(self) -> None:
        waste_verification("anything", hasher=FAST_HASHER)
