"""The notifications' pure rules: low credit, SSRF checks, retry delays, secrets, settings."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from chassis.config import ConfigError
from notifications.delivery import pass_size
from notifications.domain import (
    UnsafeTarget,
    _literal_address,
    check_url,
    low_available_credit,
    new_secret,
    retry_delay,
)
from notifications.egress import check_resolved
from notifications.settings import DEFAULT_RETRY_SCHEDULE, NotificationsSettings


@pytest.mark.parametrize(
    ("balance", "limit", "low"),
    [
        (0, 100_000, False),
        (-90_000, 100_000, False),
        (-90_001, 100_000, True),
        (-100_000, 100_000, True),
        (-5, 0, False),
        (50_000, 100_000, False),
    ],
)
def test_low_available_credit_is_under_a_tenth_of_the_limit(
    balance: int, limit: int, low: bool
) -> None:
    assert low_available_credit(balance, limit) is low


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "file:///etc/passwd",
        "javascript:x",
        "http:///nohost",
        "https://user:pw@example.org/x",
    ],
)
def test_non_http_or_odd_urls_are_refused_always(url: str) -> None:
    with pytest.raises(UnsafeTarget):
        check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/",
        "http://localhost:5000/",
        "http://0.0.0.0/",
        "https://172.16.0.1/",
        # Shared address space (RFC 6598): Alibaba Cloud's metadata service answers there.
        "http://100.100.100.200/latest/meta-data/",
        "http://100.64.0.1/",
        "http://198.18.0.1/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        # IPv6 forms of IPv4 loopback and metadata: 6to4, NAT64, Teredo.
        "http://[2002:7f00:1::1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        # The resolver's other spellings of 127.0.0.1.
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        "http://0177.0.0.1/",
    ],
)
def test_private_targets_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(UnsafeTarget):
        check_url(url, allow_private=False)
    assert check_url(url, allow_private=True) == url


def test_public_targets_pass_and_names_are_checked_when_resolved() -> None:
    assert check_url("https://93.184.215.14/hook", allow_private=False)
    assert check_url("https://hooks.example.org/x", allow_private=False)
    with pytest.raises(UnsafeTarget):
        check_resolved("http://localhost./x", allow_private=False)


def test_retries_follow_the_schedule_then_give_up() -> None:
    schedule = (5, 300)
    assert retry_delay(1, schedule) == timedelta(seconds=5)
    assert retry_delay(2, schedule) == timedelta(seconds=300)
    assert retry_delay(3, schedule) is None
    assert 20 * 3600 < sum(DEFAULT_RETRY_SCHEDULE) < 30 * 3600  # about a day


def test_secrets_are_standard_webhooks_secrets() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret


def test_settings_read_the_webhook_variables() -> None:
    settings = NotificationsSettings.from_env(
        environ={
            "TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "1",
            "TROC_WEBHOOKS_RETRY_SCHEDULE": "0,1,2",
        }
    )
    assert settings.webhooks_allow_private_targets is True
    assert settings.webhooks_retry_schedule == (0, 1, 2)
    assert NotificationsSettings.from_env(environ={}).webhooks_allow_private_targets is False
    with pytest.raises(ConfigError):
        NotificationsSettings.from_env(environ={"TROC_WEBHOOKS_RETRY_SCHEDULE": "soon"})


def test_a_delivery_pass_claims_no_more_than_it_can_send_within_its_lease() -> None:
    defaults = NotificationsSettings.from_env(environ={})
    assert defaults.webhooks_lease == 120.0
    # 5 s to connect and 5 s to read per delivery: ten of them fit in two minutes.
    assert pass_size(defaults) == 10
    short = NotificationsSettings.from_env(
        environ={"TROC_WEBHOOKS_LEASE_SECONDS": "10", "TROC_WEBHOOKS_TIMEOUT": "5"}
    )
    assert (short.webhooks_lease, pass_size(short)) == (10.0, 1)
    roomy = NotificationsSettings.from_env(environ={"TROC_WEBHOOKS_LEASE_SECONDS": "3600"})
    assert pass_size(roomy) == 50
    with pytest.raises(ConfigError):
        NotificationsSettings.from_env(environ={"TROC_WEBHOOKS_LEASE_SECONDS": "1"})


@pytest.mark.parametrize(
    "host",
    [
        "127.1",
        "2130706433",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "0x7f000001",
        "10.0x10.1",
        "0",
        "0x",
        "1.2.3.4",
        "255.255.255.255",
        "256.1.1.1",
        "1.2.3.256",
        "1.2.65535",
        "1.2.65536",
        "08.1.1.1",
        "1..2",
        "1.2.3.4.5",
        "example.org",
        "1.2.3.4a",
        "0xg",
        "4294967295",
        "4294967296",
        "1.2.3.4 ",
        "127.1 x",
        " 1",
        "00",
        "0x0",
        "0x.1",
        "",
    ],
)
def test_literal_addresses_are_read_as_the_system_resolver_reads_them(host: str) -> None:
    """Without a socket in the domain, the same answer as ``inet_aton(3)``."""
    import ipaddress
    import socket

    try:
        expected: str | None = str(ipaddress.IPv4Address(socket.inet_aton(host)))
    except OSError:
        expected = None
    assert _literal_address(host) == expected
