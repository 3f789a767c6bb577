"""API keys for integrators: format, hashing, verification, scopes, revocation."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from gateway.domain.apikeys import (
    API_KEY_PREFIX,
    READ_SCOPES,
    ApiKey,
    ApiKeyRevoked,
    InvalidApiKey,
    NetworkApiKey,
    Scope,
    ScopeDenied,
    ensure_scope_allows,
    generate_api_key,
    hash_api_key,
    is_read_only,
    parse_api_key,
    parse_scopes,
    required_scope,
    verify_api_key,
)
from gateway.domain.errors import Forbidden, ValidationError

from .builders import NOW


class TestGeneration:
    def test_key_format_and_entropy(self) -> None:
        issued = generate_api_key()
        assert re.fullmatch(r"troc_[0-9a-f]{16}_[0-9a-f]{64}", issued.plaintext)
        assert issued.plaintext.startswith(API_KEY_PREFIX + issued.key_id + "_")
        assert issued.display_prefix == f"troc_{issued.key_id}"

    def test_keys_are_unique(self) -> None:
        keys = {generate_api_key().plaintext for _ in range(200)}
        assert len(keys) == 200

    def test_only_a_hash_is_stored(self) -> None:
        issued = generate_api_key()
        secret = parse_api_key(issued.plaintext).secret
        assert secret not in issued.key_hash
        assert issued.key_hash.startswith("sha256:") and len(issued.key_hash) == 7 + 64
        assert issued.key_hash == hash_api_key(issued.plaintext)


class TestParseAndVerify:
    def test_parse_splits_id_and_secret(self) -> None:
        issued = generate_api_key()
        parsed = parse_api_key(f"  {issued.plaintext}\n")
        assert parsed.key_id == issued.key_id
        assert issued.plaintext.endswith(parsed.secret)

    @pytest.mark.parametrize(
        "presented",
        ["", "troc_", "Bearer troc_abc", "troc_0123456789abcdef_short", "xyz_" + "a" * 81,
         "troc_0123456789ABCDEF_" + "a" * 64, "troc_0123456789abcdef_" + "g" * 64],
    )  # fmt: skip
    def test_parse_refuses_malformed_keys(self, presented: str) -> None:
        with pytest.raises(InvalidApiKey) as excinfo:
            parse_api_key(presented)
        assert excinfo.value.code == "invalid_api_key"

    def test_verify(self) -> None:
        issued = generate_api_key()
        assert verify_api_key(issued.plaintext, issued.key_hash)
        tampered = issued.plaintext[:-1] + ("0" if issued.plaintext[-1] != "0" else "1")
        assert not verify_api_key(tampered, issued.key_hash)
        assert not verify_api_key(generate_api_key().plaintext, issued.key_hash)


class TestScopes:
    def test_vocabulary(self) -> None:
        assert {s.value for s in Scope} == {
            "ledger:read", "events:read", "invoices:read", "listings:read", "webhooks:manage",
        }  # fmt: skip
        assert Scope.WEBHOOKS_MANAGE.writes and not Scope.LEDGER_READ.writes
        assert Scope.LEDGER_READ.resource == "ledger"
        assert Scope.WEBHOOKS_MANAGE not in READ_SCOPES

    def test_parse_scopes(self) -> None:
        assert parse_scopes(["ledger:read", " events:read ", "ledger:read"]) == {
            Scope.LEDGER_READ, Scope.EVENTS_READ,
        }  # fmt: skip

    @pytest.mark.parametrize(
        ("values", "code"),
        [(["ledger:write"], "unknown_scope"), (["LEDGER:READ"], "unknown_scope"),
         ([], "required"), ("ledger:read", "invalid_type"), ([42], "unknown_scope")],
    )  # fmt: skip
    def test_parse_scopes_refuses(self, values: object, code: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            parse_scopes(values)
        assert (excinfo.value.field, excinfo.value.code) == ("scopes", code)

    def test_read_only_sets(self) -> None:
        assert is_read_only(READ_SCOPES)
        assert is_read_only([Scope.LEDGER_READ])
        assert not is_read_only([Scope.LEDGER_READ, Scope.WEBHOOKS_MANAGE])

    def test_required_scope(self) -> None:
        assert required_scope("ledger", write=False) is Scope.LEDGER_READ
        assert required_scope("webhooks", write=True) is Scope.WEBHOOKS_MANAGE
        assert required_scope("ledger", write=True) is None
        assert required_scope("users", write=False) is None

    def test_a_read_only_key_cannot_write_anything(self) -> None:
        for resource in ("ledger", "events", "invoices", "listings", "webhooks", "transfers"):
            with pytest.raises(ScopeDenied):
                ensure_scope_allows(READ_SCOPES, resource, write=True)

    def test_reading_needs_the_matching_scope(self) -> None:
        ensure_scope_allows([Scope.LEDGER_READ], "ledger", write=False)
        with pytest.raises(ScopeDenied) as excinfo:
            ensure_scope_allows([Scope.LEDGER_READ], "invoices", write=False)
        assert "invoices:read" in excinfo.value.message
        assert isinstance(excinfo.value, Forbidden)

    def test_no_scope_moves_actifs(self) -> None:
        with pytest.raises(ScopeDenied):
            ensure_scope_allows(set(Scope), "ledger", write=True)


class TestApiKeyRecord:
    def issue(self, scopes: list[str] | None = None) -> tuple[ApiKey, str]:
        return ApiKey.issue(
            id=uuid.uuid4(),
            tenant_id=uuid.uuid4(),
            name="  Comptabilité Sage  ",
            scopes=scopes or ["ledger:read", "events:read"],
            now=NOW,
        )

    def test_issue_returns_the_record_and_the_plaintext_once(self) -> None:
        key, plaintext = self.issue()
        assert key.name == "Comptabilité Sage"
        assert key.scopes == {Scope.LEDGER_READ, Scope.EVENTS_READ}
        assert key.key_id == parse_api_key(plaintext).key_id
        assert plaintext not in repr(key)
        assert key.is_active and key.last_used_at is None

    def test_authenticate_records_last_use(self) -> None:
        key, plaintext = self.issue()
        key.authenticate(plaintext, NOW + timedelta(hours=1))
        assert key.last_used_at == NOW + timedelta(hours=1)

    def test_authenticate_refuses_a_wrong_key(self) -> None:
        key, _ = self.issue()
        with pytest.raises(InvalidApiKey):
            key.authenticate(generate_api_key().plaintext, NOW)
        assert key.last_used_at is None

    def test_revoked_key_is_refused_and_revocation_keeps_its_first_date(self) -> None:
        key, plaintext = self.issue()
        key.revoke(NOW)
        key.revoke(NOW + timedelta(days=1))
        assert key.revoked_at == NOW and not key.is_active
        with pytest.raises(ApiKeyRevoked):
            key.authenticate(plaintext, NOW)
        with pytest.raises(ApiKeyRevoked):
            key.ensure_allows("ledger", write=False)

    def test_ensure_allows_checks_scopes(self) -> None:
        key, _ = self.issue(["webhooks:manage"])
        key.ensure_allows("webhooks", write=True)
        with pytest.raises(ScopeDenied):
            key.ensure_allows("ledger", write=False)

    def test_name_is_required(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            ApiKey.issue(
                id=uuid.uuid4(), tenant_id=uuid.uuid4(), name=" ", scopes=["ledger:read"], now=NOW
            )
        assert (excinfo.value.field, excinfo.value.code) == ("name", "required")

    def test_unknown_scope_is_refused_at_issue(self) -> None:
        with pytest.raises(ValidationError):
            self.issue(["ledger:write"])


class TestNetworkKeys:
    def issue(self, scopes: list[str]) -> tuple[NetworkApiKey, str]:
        return NetworkApiKey.issue(
            id=uuid.uuid4(),
            network_id=uuid.uuid4(),
            name=" Tableau régional ",
            scopes=scopes,
            now=NOW,
        )

    def test_issued_once_then_verified_used_and_revoked(self) -> None:
        key, plaintext = self.issue(["ledger:read", "events:read"])
        assert key.name == "Tableau régional" and key.key_hash != plaintext
        assert key.scopes == {Scope.LEDGER_READ, Scope.EVENTS_READ}
        key.authenticate(plaintext, NOW + timedelta(minutes=1))
        assert key.last_used_at == NOW + timedelta(minutes=1)
        with pytest.raises(InvalidApiKey):
            key.authenticate(generate_api_key().plaintext, NOW)
        key.revoke(NOW + timedelta(hours=1))
        key.revoke(NOW + timedelta(hours=2))
        assert key.revoked_at == NOW + timedelta(hours=1)
        with pytest.raises(ApiKeyRevoked):
            key.authenticate(plaintext, NOW + timedelta(hours=3))

    def test_only_read_scopes(self) -> None:
        with pytest.raises(ValidationError) as caught:
            self.issue(["ledger:read", "webhooks:manage"])
        assert (caught.value.field, caught.value.code) == ("scopes", "write_scope")
        key, _ = self.issue([s.value for s in READ_SCOPES])
        assert key.scopes == READ_SCOPES

    @pytest.mark.parametrize("scopes", [[], ["ledger:write"]])
    def test_unknown_or_no_scope(self, scopes: list[str]) -> None:
        with pytest.raises(ValidationError) as caught:
            self.issue(scopes)
        assert caught.value.field == "scopes"
