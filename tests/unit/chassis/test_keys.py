"""Signing keys: store files and permissions, JWKS shape, rotation without downtime, retirement."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import jwt
import pytest

from chassis.auth import ALGORITHM, TOKEN_TYPE, InvalidToken, TokenVerifier
from chassis.keys import KeyStore, KeyStoreError, SigningKey, main, thumbprint

AUDIENCE = "troc-actif"
ISSUER = "troc-actif-gateway"


def claims(subject: str = "user-1") -> dict[str, object]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": subject,
        "iat": now,
        "exp": now + 300,
        "jti": f"jti-{subject}",
        "roles": ["animator"],
        "tenant": "acme",
    }


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys")


def verifier_for(store: KeyStore) -> TokenVerifier:
    return TokenVerifier(store.jwks_path, AUDIENCE, ISSUER, min_refresh_interval=0.0)


class TestSigningKey:
    def test_kid_is_the_rfc7638_thumbprint(self) -> None:
        # RFC 8037, appendix A.3: the thumbprint of the example Ed25519 public key.
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
        assert thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        key = SigningKey.generate()
        assert key.kid == thumbprint(key.public_jwk())

    def test_pem_round_trip_keeps_the_kid(self) -> None:
        key = SigningKey.generate()
        assert SigningKey.from_pem(key.to_pem()).kid == key.kid

    def test_public_jwk_has_no_private_part(self) -> None:
        jwk = SigningKey.generate().public_jwk()
        assert set(jwk) == {"kty", "crv", "x", "kid", "alg", "use"}
        assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
        assert (jwk["alg"], jwk["use"]) == ("EdDSA", "sig")


class TestKeyStore:
    def test_ensure_creates_one_private_key_readable_by_owner_only(self, store: KeyStore) -> None:
        key = store.ensure()
        pem = store.folder / f"{key.kid}.pem"
        assert stat.S_IMODE(pem.stat().st_mode) == 0o600
        assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
        assert store.ensure().kid == key.kid
        assert len(list(store.folder.glob("*.pem"))) == 1

    def test_jwks_file_publishes_public_keys_only(self, store: KeyStore) -> None:
        key = store.ensure()
        document = json.loads(store.jwks_path.read_text())
        assert document == store.jwks()
        assert [entry["kid"] for entry in document["keys"]] == [key.kid]
        assert all("d" not in entry for entry in document["keys"])

    def test_signed_token_names_its_key_and_type(self, store: KeyStore) -> None:
        key = store.ensure()
        header = jwt.get_unverified_header(store.sign(claims()))
        assert header == {"alg": ALGORITHM, "kid": key.kid, "typ": TOKEN_TYPE}

    def test_signing_an_empty_store_is_refused(self, store: KeyStore) -> None:
        with pytest.raises(KeyStoreError):
            store.sign(claims())

    def test_rotation_keeps_tokens_of_the_previous_key_valid(self, store: KeyStore) -> None:
        old = store.ensure()
        verifier = verifier_for(store)
        old_token = store.sign(claims("before"))
        assert verifier.verify(old_token).subject == "before"

        new = store.rotate()

        assert new.kid != old.kid
        assert store.active().kid == new.kid
        assert {entry["kid"] for entry in store.jwks()["keys"]} == {old.kid, new.kid}
        new_token = store.sign(claims("after"))
        assert jwt.get_unverified_header(new_token)["kid"] == new.kid
        verifier.clear_cache()
        assert verifier.verify(old_token).subject == "before"
        assert verifier.verify(new_token).subject == "after"

    def test_rotation_retires_keys_older_than_the_kept_ones(self, store: KeyStore) -> None:
        first = store.ensure()
        second = store.rotate()
        third = store.rotate(keep=1)
        assert [key.kid for key in store.published()] == [third.kid, second.kid]
        assert not (store.folder / f"{first.kid}.pem").exists()
        assert store.rotate(keep=2).kid not in {second.kid, third.kid}
        assert len(store.published()) == 3

    def test_retired_key_is_refused_even_for_a_cached_token(self, store: KeyStore) -> None:
        old = store.ensure()
        verifier = verifier_for(store)
        old_token = store.sign(claims("before"))
        verifier.verify(old_token)
        store.rotate()

        store.retire(old.kid)

        assert old.kid not in {entry["kid"] for entry in store.jwks()["keys"]}
        assert not (store.folder / f"{old.kid}.pem").exists()
        verifier.refresh()
        with pytest.raises(InvalidToken):
            verifier.verify(old_token)

    def test_active_key_cannot_be_retired(self, store: KeyStore) -> None:
        key = store.ensure()
        with pytest.raises(KeyStoreError, match="active"):
            store.retire(key.kid)
        with pytest.raises(KeyStoreError, match="unknown"):
            store.retire("no-such-kid")

    def test_another_process_sees_a_rotation(self, store: KeyStore) -> None:
        store.ensure()
        other = KeyStore(store.folder)
        assert other.active().kid == store.active().kid
        new = store.rotate()
        assert jwt.get_unverified_header(other.sign(claims()))["kid"] == new.kid


class TestCommandLine:
    def test_ensure_rotate_retire_and_print(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = str(tmp_path / "keys")
        assert main(["--dir", folder, "ensure"]) == 0
        first = capsys.readouterr().out.strip()
        assert main(["--dir", folder, "rotate"]) == 0
        second = capsys.readouterr().out.strip()
        assert main(["--dir", folder, "retire", first]) == 0
        assert main(["--dir", folder, "jwks"]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert [entry["kid"] for entry in printed["keys"]] == [second]
        assert main(["--dir", folder, "retire", second]) == 1
