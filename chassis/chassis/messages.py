"""Message contracts and their envelope.

A contract is a frozen, keyword-only dataclass registered with ``@event`` or ``@command``; the
registry gives its CloudEvents ``type``, exchange and routing key. On the wire every message is a
CloudEvents 1.0 JSON document (structured mode) with the extensions ``tenant``, ``network``,
``correlationid``, ``causationid`` and, for the events of a per-tenant log (the ledger's, the
invoices' and the listings'), ``sequence``.

``sequence`` follows the CloudEvents Sequence extension: a string, lexicographically ordered
within one ``source``. A sequenced event's ``source`` is therefore per tenant
(``/t/<tenant>/<service>``, :func:`sequence_source`) and its ``sequence`` the zero-padded decimal
of the log's position (:func:`format_sequence`). For one version the integer position also stays
in ``data.sequence`` (deprecated: read the envelope's ``sequence``). Inside the services the
position is an ``int`` (``Envelope.sequence``); only the wire form is a string.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

TYPE_PREFIX = "org.trocactif"
_FORMAT = JSONFormat()

#: Digits of a sequence on the wire: enough for any PostgreSQL ``bigint`` (19 digits) and more.
SEQUENCE_DIGITS = 20
#: Key of the deprecated integer copy of the sequence in ``data`` (kept for one version).
LEGACY_SEQUENCE_KEY = "sequence"

T = TypeVar("T")


class InvalidMessage(ValueError):
    """A message cannot be decoded: it would fail again on every retry (poison)."""


@dataclass(frozen=True)
class MessageType:
    """Where a contract travels: its kind, owner, name and version."""

    kind: Literal["event", "command"]
    owner: str
    name: str
    version: int
    cls: type

    @property
    def type(self) -> str:
        """CloudEvents ``type``, e.g. ``org.trocactif.ledger.transfer_posted.v1``."""
        return f"{TYPE_PREFIX}.{self.owner}.{self.name}.v{self.version}"

    @property
    def exchange(self) -> str:
        return f"{self.owner}.{'events' if self.kind == 'event' else 'commands'}"

    @property
    def binding_key(self) -> str:
        """Key that matches every tenant's copy (events) or the command itself."""
        if self.kind == "event":
            return f"*.*.{self.name}.v{self.version}"
        return f"{self.name}.v{self.version}"

    def routing_key(self, network: str | None, tenant: str | None) -> str:
        if self.kind == "command":
            return f"{self.name}.v{self.version}"
        return f"{network or '_'}.{tenant or '_'}.{self.name}.v{self.version}"


REGISTRY: dict[str, MessageType] = {}
_BY_CLASS: dict[type, MessageType] = {}


def _register(
    kind: Literal["event", "command"], owner: str, name: str, version: int
) -> Callable[[type[T]], type[T]]:
    def decorate(cls: type[T]) -> type[T]:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} must be a dataclass")
        mtype = MessageType(kind, owner, name, version, cls)
        if mtype.type in REGISTRY and REGISTRY[mtype.type].cls is not cls:
            raise TypeError(f"{mtype.type} registered twice")
        REGISTRY[mtype.type] = mtype
        _BY_CLASS[cls] = mtype
        return cls

    return decorate


def event(producer: str, name: str, *, version: int = 1) -> Callable[[type[T]], type[T]]:
    """Register an event (a past-tense fact) published on ``<producer>.events``."""
    return _register("event", producer, name, version)


def command(owner: str, name: str, *, version: int = 1) -> Callable[[type[T]], type[T]]:
    """Register a command (an imperative request) sent to ``<owner>.commands``."""
    return _register("command", owner, name, version)


def message_type(message: object | type) -> MessageType:
    cls = message if isinstance(message, type) else type(message)
    try:
        return _BY_CLASS[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a registered contract") from None


# --- data <-> JSON ---------------------------------------------------------------------------


def to_data(message: object) -> dict[str, Any]:
    """Contract instance to a JSON-ready dict (UUID, Decimal, dates as strings; never floats)."""
    return {f.name: _dump(getattr(message, f.name)) for f in dataclasses.fields(message)}  # type: ignore[arg-type]


def _dump(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [_dump(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _dump(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_data(value)
    if isinstance(value, float):
        raise TypeError("floats are not allowed in messages: use Decimal or integer cents")
    raise TypeError(f"cannot serialise {type(value).__name__}")


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, type, required) of a contract's fields; resolving hints is slow, so once."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (
            f.name,
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    )


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build a contract from JSON data; unknown fields are ignored (additive evolution)."""
    if not isinstance(data, Mapping):
        raise InvalidMessage(f"{cls.__name__}: data must be an object")
    kwargs: dict[str, Any] = {}
    contract: type = cls  # a class, so hashable: _fields_of caches by class
    for name, hint, required in _fields_of(contract):
        if name not in data:
            if required:
                raise InvalidMessage(f"{cls.__name__}: missing field {name!r}")
            continue
        try:
            kwargs[name] = _load(hint, data[name])
        except (ValueError, TypeError, InvalidOperation) as exc:
            raise InvalidMessage(f"{cls.__name__}.{name}: {exc}") from None
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        raise InvalidMessage(f"{cls.__name__}: {exc}") from None


def _load(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            if len(args) < len(typing.get_args(hint)):
                return None
            raise ValueError("must not be null")
        return _load(args[0], value)
    if value is None:
        raise ValueError("must not be null")
    if origin is Literal:
        if value not in typing.get_args(hint):
            raise ValueError(f"must be one of {typing.get_args(hint)}")
        return value
    if origin in (list, tuple, frozenset):
        if not isinstance(value, list):
            raise ValueError("must be a list")
        (item,) = typing.get_args(hint)[:1] or (Any,)
        items = [_load(item, v) for v in value]
        return origin(items)
    if origin is dict:
        if not isinstance(value, dict):
            raise ValueError("must be an object")
        return dict(value)
    if hint is Any:
        return value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_data(hint, value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ValueError("must be a boolean")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return value
    if hint is uuid.UUID:
        return uuid.UUID(str(value))
    if hint is Decimal:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueError("must be a decimal string")
        result = Decimal(value)
        if not result.is_finite():
            raise ValueError("must be finite")
        return result
    if hint is datetime:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError("must carry a UTC offset")
        return parsed
    if hint is date:
        return date.fromisoformat(str(value))
    raise TypeError(f"unsupported field type {hint!r}")


# --- the sequence of a per-tenant log ---------------------------------------------------------


def format_sequence(position: int) -> str:
    """A log position as the CloudEvents ``sequence``: ``42`` -> ``"00000000000000000042"``.

    Zero-padded, so comparing the strings orders them as the numbers are ordered.
    """
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ValueError(f"a sequence is a non-negative integer, not {position!r}")
    text = str(position)
    if len(text) > SEQUENCE_DIGITS:
        raise ValueError(f"a sequence has at most {SEQUENCE_DIGITS} digits")
    return text.zfill(SEQUENCE_DIGITS)


def parse_sequence(value: object) -> int:
    """The position of a ``sequence`` read from the wire: the padded string, or (older
    messages) an integer."""
    if isinstance(value, bool):
        raise InvalidMessage("sequence must be a decimal string")
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise InvalidMessage(f"sequence must be a decimal string, not {value!r}")


def sequence_source(source: str, tenant: str) -> str:
    """The per-tenant ``source`` of a sequenced event: ``/ledger`` + ``pie`` -> ``/t/pie/ledger``.

    A source already per tenant is kept as it is.
    """
    if source.startswith("/t/"):
        return source
    return f"/t/{tenant}/{source.lstrip('/')}"


# --- the envelope ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Envelope:
    """A CloudEvents 1.0 envelope around one contract's data."""

    id: str
    source: str
    type: str
    time: datetime
    data: dict[str, Any]
    subject: str | None = None
    tenant: str | None = None
    network: str | None = None
    correlationid: str | None = None
    causationid: str | None = None
    sequence: int | None = None

    @property
    def message_type(self) -> MessageType:
        try:
            return REGISTRY[self.type]
        except KeyError:
            raise InvalidMessage(f"unknown message type {self.type!r}") from None

    @property
    def routing_key(self) -> str:
        return self.message_type.routing_key(self.network, self.tenant)

    def message(self) -> Any:
        """The contract instance carried by this envelope."""
        return from_data(self.message_type.cls, self.data)

    @property
    def wire_source(self) -> str:
        """``source`` as sent: per tenant for a sequenced event (see the module)."""
        if self.sequence is not None and self.tenant:
            return sequence_source(self.source, self.tenant)
        return self.source

    def to_cloudevent(self) -> CloudEvent:
        attributes: dict[str, Any] = {
            "id": self.id,
            "source": self.wire_source,
            "type": self.type,
            "specversion": "1.0",
            "time": self.time,
            "datacontenttype": "application/json",
        }
        for name in ("subject", "tenant", "network", "correlationid", "causationid"):
            value = getattr(self, name)
            if value is not None:
                attributes[name] = value
        data = self.data
        if self.sequence is not None:
            attributes["sequence"] = format_sequence(self.sequence)
            data = {**data}
            data.setdefault(LEGACY_SEQUENCE_KEY, self.sequence)
        return CloudEvent(attributes, data)

    def to_dict(self) -> dict[str, Any]:
        """The structured-mode JSON document as a dict (an event log's item)."""
        document: dict[str, Any] = json.loads(self.to_json())
        return document

    def to_json(self) -> bytes:
        """Structured-mode JSON (``application/cloudevents+json``)."""
        return _FORMAT.write(self.to_cloudevent())

    @classmethod
    def from_json(cls, body: bytes | str) -> Envelope:
        try:
            ce = _FORMAT.read(None, body)
        except Exception as exc:  # the SDK raises several types for malformed input
            raise InvalidMessage(f"not a CloudEvents JSON document: {exc}") from None
        attrs = ce.get_attributes()
        data = ce.get_data()
        if not isinstance(data, dict):
            raise InvalidMessage("data must be a JSON object")
        time = attrs.get("time")
        if not isinstance(time, datetime):
            raise InvalidMessage("time is required")
        sequence = attrs.get("sequence")
        return cls(
            id=str(attrs["id"]),
            source=str(attrs["source"]),
            type=str(attrs["type"]),
            time=time.astimezone(UTC),
            data=data,
            subject=attrs.get("subject"),
            tenant=attrs.get("tenant"),
            network=attrs.get("network"),
            correlationid=attrs.get("correlationid"),
            causationid=attrs.get("causationid"),
            sequence=parse_sequence(sequence) if sequence is not None else None,
        )


@dataclass(frozen=True, slots=True)
class MessageMeta:
    """What a handler may know of the envelope around its message (never kombu's message)."""

    message_id: str
    network: str | None
    tenant: str | None
    time: datetime
    sequence: int | None = None
    data: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, envelope: Envelope) -> MessageMeta:
        return cls(
            message_id=envelope.id,
            network=envelope.network,
            tenant=envelope.tenant,
            time=envelope.time,
            sequence=envelope.sequence,
            data=envelope.data,
        )

    def home(self) -> tuple[str, str]:
        """Network and tenant of a message about one member, which its envelope must name."""
        if not self.network or not self.tenant:
            raise InvalidMessage("the envelope must name the network and the tenant")
        return self.network, self.tenant


def envelope_for(
    message: object,
    *,
    source: str,
    tenant: str | None = None,
    network: str | None = None,
    subject: str | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    message_id: str | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Wrap a contract instance in its envelope."""
    mtype = message_type(message)
    return Envelope(
        id=message_id or str(uuid.uuid4()),
        source=source if source.startswith("/") else f"/{source}",
        type=mtype.type,
        time=time or datetime.now(UTC),
        data=to_data(message),
        subject=subject,
        tenant=tenant,
        network=network,
        correlationid=correlation_id,
        causationid=causation_id,
    )
