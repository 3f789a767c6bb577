"""The notifications' rules: who is told what, webhook targets, secrets and retry delays.

A feed entry belongs to one audience of one tenant: a member company (``member`` + its id) or the
tenant's animators (``animators``). Users are the gateway's: every user of a member company reads
its company's feed, every animator of the tenant reads the animators' feed.
"""

from __future__ import annotations

import base64
import enum
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo

#: Below this share of its credit limit, a member's available credit is "low".
LOW_CREDIT_RATIO = 0.10


class NotificationsError(Exception):
    code = "notifications_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class UnsafeTarget(NotificationsError):
    """A webhook URL the platform refuses to call (SSRF)."""

    code = "unsafe_target"


class UnknownMember(NotificationsError):
    """A member this service does not hold (``unknown_id``: missing from its copy of the
    directory, which the gateway tells apart from absence), or holds in another tenant."""

    code = "unknown_member"

    def __init__(
        self, message: str = "", unknown_id: UUID | None = None, status: int = 422
    ) -> None:
        super().__init__(message)
        self.unknown_id = unknown_id
        self.status = status  # 404 when reading: nothing to read; 422 when naming it to change


class WebhookNotFound(NotificationsError):
    code = "not_found"


class NotificationNotFound(NotificationsError):
    code = "not_found"


class Audience(enum.StrEnum):
    MEMBER = "member"
    ANIMATORS = "animators"


class Kind(enum.StrEnum):
    INVOICE_TO_ACCEPT = "invoice_to_accept"
    INVOICE_TO_VALIDATE = "invoice_to_validate"
    INVOICE_SETTLED = "invoice_settled"
    INVOICE_REJECTED = "invoice_rejected"
    INVOICE_DISPUTED = "invoice_disputed"
    CONTACT_RECEIVED = "contact_received"
    CONTACT_REPLIED = "contact_replied"
    MATCH_FOUND = "match_found"
    CREDIT_LIMIT_CHANGED = "credit_limit_changed"
    CREDIT_LIMIT_EXPIRED = "credit_limit_expired"
    CREDIT_LINE_DUE = "credit_line_due"
    LOW_AVAILABLE_CREDIT = "low_available_credit"
    WEBHOOK_DISABLED = "webhook_disabled"
    PAYMENT_REQUESTED = "payment_requested"
    PAYMENT_TO_VALIDATE = "payment_to_validate"
    PAYMENT_SETTLED = "payment_settled"
    PAYMENT_NOT_MADE = "payment_not_made"
    MEMBERSHIP_FEE = "membership_fee"
    MEMBERSHIP_FEE_OVERDUE = "membership_fee_overdue"


#: Kinds only the animators receive.
ANIMATOR_KINDS = frozenset(
    {
        Kind.INVOICE_TO_VALIDATE,
        Kind.WEBHOOK_DISABLED,
        Kind.CREDIT_LIMIT_EXPIRED,
        Kind.CREDIT_LINE_DUE,
        Kind.PAYMENT_TO_VALIDATE,
        Kind.MEMBERSHIP_FEE_OVERDUE,
    }
)

#: The kinds a member company receives, each of which it may choose to get by e-mail or not.
MEMBER_KINDS: tuple[Kind, ...] = tuple(k for k in Kind if k not in ANIMATOR_KINDS)


@dataclass(frozen=True, slots=True)
class Recipient:
    tenant: str
    audience: Audience
    member_id: UUID | None = None

    @classmethod
    def member(cls, tenant: str, member_id: UUID) -> Recipient:
        return cls(tenant, Audience.MEMBER, member_id)

    @classmethod
    def animators(cls, tenant: str) -> Recipient:
        return cls(tenant, Audience.ANIMATORS)


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry to write (once: ``key`` is unique per recipient)."""

    recipient: Recipient
    kind: Kind
    title: str
    body: str
    subject_id: str  # what the entry is about: an invoice, a thread, a match, a transfer...
    network: str | None
    created_at: datetime
    data: dict[str, str]

    @property
    def key(self) -> str:
        r = self.recipient
        member = r.member_id or "-"
        return f"{r.tenant}:{r.audience.value}:{member}:{self.kind.value}:{self.subject_id}"


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who reads a feed: a member company or the tenant's animators."""

    tenant: str
    audience: Audience
    member_id: UUID | None = None


def low_available_credit(balance_cents: int, credit_limit_cents: int) -> bool:
    """True when ``balance + limit`` is below 10 % of a positive credit limit."""
    if credit_limit_cents <= 0:
        return False
    available = balance_cents + credit_limit_cents
    return available * 10 < credit_limit_cents  # available < LOW_CREDIT_RATIO * limit


# --- the animators' e-mails about the validation queue --------------------------------------

#: The animators' calendar and clock: digests and expiry dates are French.
PARIS: Final = ZoneInfo("Europe/Paris")
#: How long before its hold expires an invoice still waiting for validation is recalled.
REMINDER_LEAD: Final = timedelta(days=2)


class ValidationMail(enum.StrEnum):
    """How an animator hears of the invoices awaiting validation by e-mail (the feed has them
    all anyway): one e-mail each time, one daily digest of what is waiting, or none. The
    reminder before a hold expires goes to ``each`` and ``digest`` alike."""

    EACH = "each"
    DIGEST = "digest"
    NONE = "none"


DEFAULT_VALIDATION_MAIL: Final = ValidationMail.EACH


def digest_moment(day: date, at: time) -> datetime:
    """The UTC instant of the digest of ``day``: ``at`` on Paris's clock that day.

    On the night clocks go forward, a time that does not exist (02:30) is read with the offset
    before the change, so it falls at 03:30 summer time; on the night they go back, a time
    that occurs twice is its first occurrence. Either way, one instant a day.
    """
    local = datetime.combine(day, at.replace(tzinfo=None)).replace(tzinfo=PARIS, fold=0)
    return local.astimezone(UTC)


def digest_day(now: datetime, at: time) -> date | None:
    """The Paris day whose digest is due at ``now``: today's once its moment has passed,
    else none (a day whose moment was missed, the worker being down, is not sent late)."""
    today = now.astimezone(PARIS).date()
    return today if now >= digest_moment(today, at) else None


def reminder_due(expires_at: datetime, now: datetime, lead: timedelta = REMINDER_LEAD) -> bool:
    """Whether a hold expiring at ``expires_at`` is recalled at ``now``: from ``lead`` before
    its expiry until it expires."""
    return expires_at - lead <= now < expires_at


def validation_key(invoice_id: UUID | str, user_id: str) -> str:
    """The e-mail telling ``user_id`` an invoice awaits validation: once per invoice."""
    return f"validation:{invoice_id}:{user_id}"


def reminder_key(invoice_id: UUID | str, user_id: str) -> str:
    """The reminder before an invoice's hold expires: once per invoice and animator."""
    return f"reminder:{invoice_id}:{user_id}"


def digest_key(user_id: str, day: date) -> str:
    """An animator's digest of a Paris day: once a day."""
    return f"digest:{user_id}:{day.isoformat()}"


def parse_digest_time(text: str) -> time:
    """``"8"``, ``"08"`` or ``"08:30"``: the time of day of the digests (Paris)."""
    hour, _, minute = text.strip().partition(":")
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        raise ValueError(f"expected an hour (0-23) or HH:MM, got {text!r}") from None


# --- webhooks ----------------------------------------------------------------------------------


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


#: NAT64's well-known prefix (RFC 6052): the last 32 bits of its addresses are an IPv4 address.
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None


def is_unsafe_address(address: str) -> bool:
    """Anything but a globally routable unicast address: private, loopback, link-local (cloud
    metadata), shared (RFC 6598, e.g. 100.100.100.200), reserved, multicast, unspecified."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded_ipv4(ip) or ip
    return not ip.is_global or ip.is_multicast or ip.is_reserved


def _literal_address(host: str) -> str | None:
    """The address ``host`` spells, in any form the resolver takes (``127.1``, ``2130706433``,
    ``0x7f.0.0.1``, ``0177.0.0.1``), or None for a name."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    # inet_aton(3) stops reading at the first white space after the numbers.
    numbers = _IPV4_PARTS.fullmatch(re.split(r"\s", host, maxsplit=1)[0])
    if numbers is None:
        return None
    parts = [_c_number(part) for part in numbers.group().split(".")]
    # inet_aton(3): every part but the last is one byte; the last fills the bytes left.
    *leading, last = parts
    if any(part > 0xFF for part in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    value = last
    for index, part in enumerate(leading):
        value |= part << (8 * (3 - index))
    return str(ipaddress.IPv4Address(value))


#: One to four numbers in C's notations (hexadecimal ``0x..``, octal ``0..``, decimal), as the
#: system resolver's ``inet_aton`` reads a host: a literal address, not a name.
_IPV4_PARTS: Final = re.compile(
    r"(?:(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\.){0,3}"
    r"(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)"
)


def _c_number(text: str) -> int:
    if text[:2].lower() == "0x":
        return int(text[2:], 16)
    if text.startswith("0"):
        return int(text, 8)
    return int(text)


def check_url(url: str, *, allow_private: bool) -> str:
    """Refuse non-HTTP(S) URLs always, and literal private targets unless allowed.

    Host names are resolved when delivering (``egress.check_resolved``): a name may change
    address.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeTarget("The URL is malformed.") from None
    if parts.scheme not in {"http", "https"}:
        raise UnsafeTarget("Only http:// and https:// URLs receive webhooks.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeTarget("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeTarget("The URL may not carry credentials.")
    del port
    if allow_private:
        return url
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".internal"):
        raise UnsafeTarget("Webhooks are not sent to local host names.")
    literal = _literal_address(host)
    if literal is None:
        return url
    if is_unsafe_address(literal):
        raise UnsafeTarget("Webhooks are not sent to private, loopback or reserved addresses.")
    return url


def retry_delay(attempts: int, schedule: tuple[int, ...]) -> timedelta | None:
    """Delay before the next attempt after ``attempts`` failed ones; None: give up."""
    if attempts < 1 or attempts > len(schedule):
        return None
    return timedelta(seconds=schedule[attempts - 1])
