"""Ed25519 signing keys of the token issuer (the gateway) and of dev tooling, with rotation.

A :class:`KeyStore` keeps PEM private keys (mode 0600) in a folder, a ``keyring.json`` manifest and
a public ``jwks.json`` that services read as a file or through the gateway's
``/.well-known/jwks.json``. ``python -m chassis.keys {ensure,rotate,retire,jwks}`` drives it.
Imports only the standard library, ``cryptography``, PyJWT and ``chassis.config``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from chassis.auth import ALGORITHM, TOKEN_TYPE
from chassis.config import Settings

MANIFEST = "keyring.json"
JWKS_FILE = "jwks.json"
LOCK_FILE = ".lock"


class KeyStoreError(RuntimeError):
    """The key store is empty, inconsistent, or asked to do something unsafe."""


def thumbprint(public_jwk: Mapping[str, str]) -> str:
    """RFC 7638 thumbprint of an OKP public key: the key's ``kid``."""
    canonical = json.dumps(
        {"crv": public_jwk["crv"], "kty": public_jwk["kty"], "x": public_jwk["x"]},
        separators=(",", ":"),
        sort_keys=True,
    )
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One Ed25519 key pair and its ``kid``."""

    kid: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls.from_private_key(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_key(cls, private_key: Ed25519PrivateKey) -> SigningKey:
        public = _public_jwk_of(private_key)
        return cls(kid=thumbprint(public), private_key=private_key)

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyStoreError("not an Ed25519 private key")
        return cls.from_private_key(key)

    def to_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_jwk(self) -> dict[str, str]:
        """The public half as an RFC 7517/8037 JWK (never contains ``d``)."""
        return {**_public_jwk_of(self.private_key), "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def sign(self, claims: Mapping[str, Any], *, token_type: str = TOKEN_TYPE) -> str:
        """A compact JWS of ``claims`` whose header names this key."""
        return jwt.encode(
            dict(claims),
            self.private_key,
            algorithm=ALGORITHM,
            headers={"kid": self.kid, "typ": token_type},
        )


def _public_jwk_of(private_key: Ed25519PrivateKey) -> dict[str, str]:
    jwk = OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"]}


def jwks_document(keys: Iterable[SigningKey]) -> dict[str, list[dict[str, str]]]:
    """A JWKS (RFC 7517) of the public halves of ``keys``."""
    return {"keys": [key.public_jwk() for key in keys]}


def write_jwks(path: Path, keys: Iterable[SigningKey]) -> None:
    """Atomically write the public JWKS of ``keys`` to ``path`` (world-readable)."""
    _atomic_write(path, json.dumps(jwks_document(keys), indent=2).encode(), mode=0o644)


def _atomic_write(path: Path, data: bytes, *, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class KeyStore:
    """Signing keys in a folder: one active key, older ones still published until retired.

    Safe across processes (an ``flock`` guards every change) and cheap to sign with: loaded keys
    are cached and reloaded only when the manifest changes on disk.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._stamp: tuple[int, int, int] | None = None
        self._active: SigningKey | None = None
        self._published: tuple[SigningKey, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyStore:
        return cls(settings.var_dir / "keys")

    @property
    def jwks_path(self) -> Path:
        return self.folder / JWKS_FILE

    def ensure(self) -> SigningKey:
        """Return the active key, creating a first one if the store is empty."""
        with self._locked():
            manifest = self._read_manifest()
            if manifest is None:
                key = SigningKey.generate()
                self._write_private(key)
                self._commit([key], active=key.kid)
        return self.active()

    def rotate(self, *, keep: int = 1) -> SigningKey:
        """Make a new key active; keep the ``keep`` newest previous keys published."""
        if keep < 0:
            raise ValueError("keep must be >= 0")
        with self._locked():
            current = self._load_published() if self._read_manifest() is not None else ()
            key = SigningKey.generate()
            self._write_private(key)
            kept, dropped = current[:keep], current[keep:]
            self._commit([key, *kept], active=key.kid)
            for old in dropped:
                self._delete_private(old.kid)
        return key

    def retire(self, kid: str) -> None:
        """Stop publishing ``kid`` and destroy its private key; tokens it signed become invalid."""
        with self._locked():
            manifest = self._require_manifest()
            if manifest["active"] == kid:
                raise KeyStoreError("cannot retire the active key: rotate first")
            current = self._load_published()
            if kid not in {key.kid for key in current}:
                raise KeyStoreError(f"unknown key id {kid!r}")
            self._commit([key for key in current if key.kid != kid], active=manifest["active"])
            self._delete_private(kid)

    def active(self) -> SigningKey:
        """The key new tokens are signed with."""
        self._refresh()
        if self._active is None:
            raise KeyStoreError(f"no signing key in {self.folder}: run ensure() first")
        return self._active

    def published(self) -> tuple[SigningKey, ...]:
        """Published keys, newest first (the first is the active one)."""
        self._refresh()
        return self._published

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public JWKS of every published key."""
        return jwks_document(self.published())

    def sign(self, claims: Mapping[str, Any], *, token_type: str = TOKEN_TYPE) -> str:
        """Sign ``claims`` with the active key; the header carries its ``kid``."""
        return self.active().sign(claims, token_type=token_type)

    def _refresh(self) -> None:
        try:
            stat = (self.folder / MANIFEST).stat()
        except FileNotFoundError:
            self._stamp, self._active, self._published = None, None, ()
            return
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        with self._locked(shared=True):
            manifest = self._require_manifest()
            published = self._load_published(manifest)
        by_kid = {key.kid: key for key in published}
        if manifest["active"] not in by_kid:
            raise KeyStoreError("the keyring's active key is not among its keys")
        self._active = by_kid[manifest["active"]]
        self._published = published
        self._stamp = stamp

    @contextlib.contextmanager
    def _locked(self, *, shared: bool = False) -> Iterator[None]:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with (self.folder / LOCK_FILE).open("a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _read_manifest(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        if not isinstance(data, dict) or "active" not in data or "keys" not in data:
            raise KeyStoreError(f"{self.folder / MANIFEST} is not a keyring manifest")
        return data

    def _require_manifest(self) -> dict[str, Any]:
        manifest = self._read_manifest()
        if manifest is None:
            raise KeyStoreError(f"no signing key in {self.folder}: run ensure() first")
        return manifest

    def _load_published(self, manifest: Mapping[str, Any] | None = None) -> tuple[SigningKey, ...]:
        manifest = manifest if manifest is not None else self._require_manifest()
        keys = []
        for entry in manifest["keys"]:
            key = SigningKey.from_pem((self.folder / f"{entry['kid']}.pem").read_bytes())
            if key.kid != entry["kid"]:
                raise KeyStoreError(f"key file of {entry['kid']!r} holds another key")
            keys.append(key)
        return tuple(keys)

    def _write_private(self, key: SigningKey) -> None:
        path = self.folder / f"{key.kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.to_pem())
            handle.flush()
            os.fsync(handle.fileno())

    def _delete_private(self, kid: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.folder / f"{kid}.pem").unlink()

    def _commit(self, keys: Sequence[SigningKey], *, active: str) -> None:
        # The JWKS goes out before the manifest names the new active key, so a service can
        # know a key before the first token signed with it exists.
        write_jwks(self.jwks_path, keys)
        created = datetime.now(UTC).isoformat()
        previous = {e["kid"]: e for e in (self._read_manifest() or {"keys": []})["keys"]}
        manifest = {
            "active": active,
            "keys": [previous.get(k.kid, {"kid": k.kid, "created_at": created}) for k in keys],
        }
        _atomic_write(self.folder / MANIFEST, json.dumps(manifest, indent=2).encode(), mode=0o600)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: manage the key store of ``TROC_VAR_DIR/keys`` (or ``--dir``)."""
    parser = argparse.ArgumentParser(prog="python -m chassis.keys", description=main.__doc__)
    parser.add_argument("--dir", type=Path, help="key folder (default: <var_dir>/keys)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ensure", help="create a first key if there is none")
    rotate = commands.add_parser("rotate", help="add a new active key")
    rotate.add_argument("--keep", type=int, default=1, help="previous keys kept published")
    retire = commands.add_parser("retire", help="stop publishing a key")
    retire.add_argument("kid")
    commands.add_parser("jwks", help="print the public JWKS")
    arguments = list(sys.argv[1:] if argv is None else argv)
    if "retire" in arguments and "--" not in arguments:
        # A key id is base64url and may begin with "-": after "retire" it is never an option.
        arguments.insert(arguments.index("retire") + 1, "--")
    args = parser.parse_args(arguments)
    store = KeyStore(args.dir) if args.dir else KeyStore.from_settings(Settings.from_env("gateway"))
    try:
        if args.command == "ensure":
            print(store.ensure().kid)
        elif args.command == "rotate":
            print(store.rotate(keep=args.keep).kid)
        elif args.command == "retire":
            store.retire(args.kid)
        else:
            print(json.dumps(store.jwks(), indent=2))
    except KeyStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
