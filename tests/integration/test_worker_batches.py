"""Every service's worker applies a message once, even when a batch holds it twice.

A relay that dies after publishing and before marking its rows publishes them again: the copies
arrive next to each other, often in one batch. The inbox must let only the first one through, for
every service that consumes (the gateway consumes nothing). Each case runs the service's real
batch handler on its migrated database (SQLite, and PostgreSQL when configured); the handler of the
message is wrapped to count how often it runs, and still does its work.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chassis.messages import Envelope, MessageMeta, envelope_for
from chassis.testing.databases import service_test_settings
from contracts import gateway as gw

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Service:
    """A consuming service: its handlers table and how to build its batch handler."""

    name: str
    handlers: dict[type, Any]
    build: Callable[[Any], tuple[Callable[[list[Envelope]], None], Callable[[], None]]]
    message: Callable[[str], object]


def _listings(settings: Any) -> tuple[Callable[[list[Envelope]], None], Callable[[], None]]:
    from listings.bootstrap import bootstrap
    from listings.consumer import ListingsConsumer

    app = bootstrap(settings)
    return ListingsConsumer(app).handle_batch, app.dispose


def _ledger(settings: Any) -> tuple[Callable[[list[Envelope]], None], Callable[[], None]]:
    from ledger.bootstrap import bootstrap
    from ledger.consumer import LedgerConsumer

    app = bootstrap(settings)
    return LedgerConsumer(app).handle_batch, app.dispose


def _invoices(settings: Any) -> tuple[Callable[[list[Envelope]], None], Callable[[], None]]:
    from invoices.bootstrap import bootstrap
    from invoices.consumer import InvoicesConsumer

    app = bootstrap(settings)
    return InvoicesConsumer(app).handle_batch, app.dispose


def _notifications(settings: Any) -> tuple[Callable[[list[Envelope]], None], Callable[[], None]]:
    from notifications.bootstrap import bootstrap
    from notifications.consumer import NotificationsConsumer

    app = bootstrap(settings)
    return NotificationsConsumer(app).handle_batch, app.dispose


def network_created(slug: str) -> gw.NetworkCreated:
    return gw.NetworkCreated(
        slug=slug,
        name="Troc Actif",
        unit=gw.Unit(code="ACT", name="Actif", symbol="A"),
        default_credit_limit=Decimal("1000.00"),
        payment_modes=[100, 50],
        hold_expiry_days=30,
        vat_settlement="unit",
        commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
    )


def member_admitted(_slug: str) -> gw.MemberAdmitted:
    return gw.MemberAdmitted(
        member_id=uuid.uuid4(),
        name="Atelier Test",
        siret="73282932000074",
        department="75",
        email="atelier@example.org",
    )


def services() -> list[Service]:
    from invoices.app import EVENT_HANDLERS as invoices_handlers
    from ledger.app import HANDLERS as ledger_handlers
    from listings.app import HANDLERS as listings_handlers
    from notifications.app import HANDLERS as notifications_handlers

    return [
        Service("listings", listings_handlers, _listings, network_created),
        Service("ledger", ledger_handlers, _ledger, network_created),
        Service("invoices", invoices_handlers, _invoices, network_created),
        Service("notifications", notifications_handlers, _notifications, member_admitted),
    ]


@pytest.fixture(params=services(), ids=lambda s: s.name)
def service(request: pytest.FixtureRequest) -> Service:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def handle_batch(service: Service, tmp_path: Path) -> Iterator[Callable[[list[Envelope]], None]]:
    migrations = ROOT / "services" / service.name / "migrations"
    settings = service_test_settings(
        service.name, tmp_path, migrations=migrations, database=f"{service.name}dup"
    )
    handle, dispose = service.build(settings)
    yield handle
    dispose()


def count_calls(service: Service, message_type: type, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Wrap the service's handler of ``message_type``; the ids of the messages it applied."""
    real = service.handlers[message_type]
    applied: list[str] = []

    @functools.wraps(real)  # keeps the signature its dependencies are injected by
    def counted(message: object, meta: MessageMeta, *args: Any, **kwargs: Any) -> object:
        applied.append(meta.message_id)
        return real(message, meta, *args, **kwargs)

    monkeypatch.setitem(service.handlers, message_type, counted)
    return applied


def test_a_message_twice_in_one_batch_is_applied_once(
    service: Service,
    handle_batch: Callable[[list[Envelope]], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slug = f"net-{uuid.uuid4().hex[:10]}"
    message = service.message(slug)
    applied = count_calls(service, type(message), monkeypatch)
    envelope = envelope_for(
        message, source="gateway", network=slug, tenant=f"t-{uuid.uuid4().hex[:8]}"
    )
    other = envelope_for(
        service.message(slug), source="gateway", network=slug, tenant=envelope.tenant
    )

    handle_batch([envelope, envelope, other, envelope])
    assert applied == [envelope.id, other.id]

    handle_batch([envelope, other])  # redelivered later: nothing new
    assert applied == [envelope.id, other.id]
