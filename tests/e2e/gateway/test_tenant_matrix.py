"""Tenancy matrix: a token of tenant B never reaches a resource of tenant A, on every tenant-scoped
route of the gateway's routing table, through the gateway and calling the owning service directly.

Each service runs as a real process on the environment's database. Per route and method:
- B's tokens (animator, member, integrator) on ``/t/<A>/...`` get 404;
- B's animator on ``/t/<B>/...`` with A's ids gets 404 (a collection write naming A's resource in
  its body gets 404 or the service's "unknown" refusal; a collection read lists none of A's ids);
- A's animator reads every GET route (the control: the ids are real, so a 404 means something);
- and nothing of A changes. A service of the table gets its rows here as soon as it is installed
  and has a resource factory in ``FACTORIES``; until it is installed, its rows skip and say so.
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER
from chassis.config import Settings
from chassis.testing.databases import service_test_settings
from chassis.testing.processes import ServiceProcess, free_port, wait_ready, web_process
from chassis.testing.tokens import TokenFactory
from gateway.routing import ROUTES, ServiceRoute
from tests.integration.gateway.test_routing import build_gateway, serve

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
ALL_SCOPES = ("ledger:read", "events:read", "invoices:read", "webhooks:manage")


@dataclass
class Resources:
    """What a service factory made in tenant A, and how to drive each route with it."""

    network: str
    #: Values of the path variables (other than ``tenant``): ids of A's resources.
    values: Mapping[str, str]
    #: A valid body per (method, rule), so a 404 is not a 422 in disguise.
    bodies: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    headers: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    #: The query a route requires (a report's period), so a 404 is not a 422 in disguise.
    query: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    #: Reports answered as CSV: (method, rule) -> whether A's own report must hold a data row.
    csv_reports: Mapping[tuple[str, str], bool] = field(default_factory=dict)
    #: Codes a collection write may answer besides 404 when its body names A's resource.
    refusals: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    #: Batch writes answering 200 with one result per item: each result must carry this code
    #: (``not_found`` for A's ids under B's path).
    per_item: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: Reads of what the network shares on purpose (DESIGN.md §3: the member directory and the
    #: network-wide listings): B may name A's member and get 200, but none of the markers.
    shared: frozenset[tuple[str, str]] = frozenset()
    #: Strings (A's ids) that must never appear in an answer to B.
    markers: tuple[str, ...] = ()
    #: A snapshot of A's state, read with A's token: equal before and after every request.
    state: Callable[[], Any] = lambda: None


@dataclass
class Stack:
    service: str
    settings: Settings
    direct_url: str
    gateway_url: str
    tokens: TokenFactory
    tenant_a: str
    tenant_b: str
    resources: Resources | None = None

    def headers(self, tenant: str, role: str = ANIMATOR, **options: Any) -> dict[str, str]:
        assert self.resources is not None
        if role == INTEGRATOR:
            options.setdefault("scopes", ALL_SCOPES)
        return self.tokens.headers(role, tenant=tenant, network=self.resources.network, **options)

    def base(self, via: str) -> str:
        return self.gateway_url if via == "gateway" else self.direct_url


# --- one resource factory per service ----------------------------------------------------------


def ledger_resources(stack: Stack) -> Resources:
    """Two accounts of A, a posted transfer between them, a pending hold and a transfer waiting
    for a second animator; B has the same of its own in the same network, so that B's lists and
    event log are not empty by chance."""
    from chassis.outbox import OutboxRelay
    from ledger.bootstrap import bootstrap
    from ledger.db import outbox_sequence_table, outbox_table
    from ledger.domain import Network

    app = bootstrap(stack.settings)
    network = f"net-{uuid.uuid4().hex[:10]}"
    buyer, seller, b_buyer, b_seller = (uuid.uuid4() for _ in range(4))
    with app.uow() as uow:
        uow.ledger.upsert_network(
            Network(
                slug=network,
                unit_code="ACT",
                name="Matrix",
                default_credit_limit=100_000,
                hold_expiry_days=30,
                manual_transfer_approval_threshold=2_000,
            )
        )
        for account, tenant in [
            (buyer, stack.tenant_a),
            (seller, stack.tenant_a),
            (b_buyer, stack.tenant_b),
            (b_seller, stack.tenant_b),
        ]:
            uow.ledger.open_account(account, network, tenant, None)
        uow.commit()
    a_headers = stack.tokens.headers(ANIMATOR, tenant=stack.tenant_a, network=network)
    base = f"{stack.direct_url}/t/{stack.tenant_a}"

    def move(tenant: str, payer: uuid.UUID, payee: uuid.UUID, amount: str, hold: bool) -> str:
        headers = stack.tokens.headers(ANIMATOR, tenant=tenant, network=network)
        response = requests.post(
            f"{stack.direct_url}/t/{tenant}/transfers",
            timeout=10,
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            json={"payer": str(payer), "payee": str(payee), "amount": amount, "hold": hold},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    posted = move(stack.tenant_a, buyer, seller, "10.00", False)
    held = move(stack.tenant_a, buyer, seller, "5.00", True)
    # above the network's threshold: waits for a second animator (four eyes)
    waiting = move(stack.tenant_a, buyer, seller, "30.00", False)
    move(stack.tenant_b, b_buyer, b_seller, "3.00", False)
    move(stack.tenant_b, b_buyer, b_seller, "40.00", False)
    # A credit line due for review in each tenant, so that B's list of reviews is not empty.
    review_on = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    for tenant, account in [(stack.tenant_a, buyer), (stack.tenant_b, b_buyer)]:
        response = requests.put(
            f"{stack.direct_url}/t/{tenant}/accounts/{account}/credit-limit",
            timeout=10,
            headers=stack.tokens.headers(ANIMATOR, tenant=tenant, network=network),
            json={"credit_limit": "1000.00", "review_on": review_on},
        )
        assert response.status_code == 200, response.text
    # The event log shows sequenced events only: sequence them as the worker's relay would.
    relay = OutboxRelay(app.engine, outbox_table, outbox_sequence_table, lambda _batch: None)
    while relay.assign_sequences():
        pass
    app.engine.dispose()

    def state() -> Any:
        def read(path: str) -> Any:
            response = requests.get(f"{base}{path}", headers=a_headers, timeout=10)
            assert response.status_code == 200, response.text
            return response.json()

        return (
            read(f"/accounts/{buyer}"),
            read(f"/accounts/{seller}"),
            read(f"/transfers/{held}"),
            read(f"/transfers/{posted}"),
            read(f"/accounts/{buyer}/credit-limit/history"),
            read("/activity"),
        )

    transfer_body = {"payer": str(buyer), "payee": str(seller), "amount": "1.00"}
    return Resources(
        network=network,
        values={"member_id": str(buyer), "transfer_id": held},
        bodies={
            ("PUT", "/t/<tenant>/accounts/<member_id>/credit-limit"): {"credit_limit": "9000.00"},
            ("PUT", "/t/<tenant>/accounts/<member_id>/max-balance"): {"max_balance": "90000.00"},
            ("POST", "/t/<tenant>/transfers"): transfer_body,
            ("POST", "/t/<tenant>/transfers/<transfer_id>/void"): {"reason": "matrix"},
            ("POST", "/t/<tenant>/transfers/<transfer_id>/reject"): {"reason": "matrix"},
        },
        headers={("POST", "/t/<tenant>/transfers"): {"Idempotency-Key": "matrix-key"}},
        refusals={("POST", "/t/<tenant>/transfers"): frozenset({"unknown_account"})},
        markers=(str(buyer), str(seller), posted, held, waiting),
        state=state,
    )


def listings_resources(stack: Stack) -> Resources:
    """A tenant-only offer of a member of A (so B must not even see it), and a listing of B's
    own so that B's searches are not empty by chance."""
    from listings.bootstrap import bootstrap
    from listings.domain import Member, Network

    app = bootstrap(stack.settings)
    network = f"net-{uuid.uuid4().hex[:10]}"
    a_member, a_buyer, b_member, b_buyer = (uuid.uuid4() for _ in range(4))
    with app.uow() as uow:
        uow.store.upsert_network(Network(slug=network, name="Matrix", unit_code="ACT"))
        for member, tenant in [
            (a_member, stack.tenant_a),
            (a_buyer, stack.tenant_a),
            (b_member, stack.tenant_b),
            (b_buyer, stack.tenant_b),
        ]:
            uow.store.upsert_member(
                Member(id=member, network=network, tenant=tenant, name="Matrix", department="75")
            )
        uow.commit()
    app.engine.dispose()

    def publish(tenant: str, member: uuid.UUID, visibility: str) -> str:
        headers = stack.tokens.headers(MEMBER, tenant=tenant, network=network, member_id=member)
        response = requests.post(
            f"{stack.direct_url}/t/{tenant}/listings",
            timeout=10,
            headers=headers,
            json={
                "kind": "offer",
                "title": "Tenue de comptabilité",
                "category": "comptabilite",
                "visibility": visibility,
            },
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def contact(tenant: str, listing_id: str, member: uuid.UUID) -> str:
        response = requests.post(
            f"{stack.direct_url}/t/{tenant}/listings/{listing_id}/contact",
            timeout=10,
            headers=stack.tokens.headers(MEMBER, tenant=tenant, network=network, member_id=member),
            json={"message": "Bonjour, votre offre m'intéresse"},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    listing = publish(stack.tenant_a, a_member, "tenant")
    thread = contact(stack.tenant_a, listing, a_buyer)
    contact(stack.tenant_b, publish(stack.tenant_b, b_member, "network"), b_buyer)
    a_headers = stack.tokens.headers(ANIMATOR, tenant=stack.tenant_a, network=network)
    base = f"{stack.direct_url}/t/{stack.tenant_a}"

    def state() -> Any:
        def read(path: str) -> Any:
            response = requests.get(f"{base}{path}", headers=a_headers, timeout=10)
            assert response.status_code == 200, response.text
            return response.json()

        return read(f"/listings/{listing}"), read("/listings?status=all")

    return Resources(
        network=network,
        values={"listing_id": listing, "thread_id": thread, "member_id": str(a_member)},
        bodies={
            ("POST", "/t/<tenant>/listings"): {
                "kind": "need",
                "title": "Besoin de la matrice",
                "category": "autre",
                "member_id": str(a_member),
            },
            ("PATCH", "/t/<tenant>/listings/<listing_id>"): {"title": "Titre de la matrice"},
            ("POST", "/t/<tenant>/listings/<listing_id>/contact"): {"message": "Bonjour"},
            ("POST", "/t/<tenant>/threads/<thread_id>/messages"): {"message": "Bonjour"},
        },
        refusals={("POST", "/t/<tenant>/listings"): frozenset({"unknown_member"})},
        shared=frozenset({("GET", "/t/<tenant>/members/<member_id>/listings")}),
        markers=(listing, thread),
        state=state,
    )


def invoices_resources(stack: Stack) -> Resources:
    """An issued invoice between two members of A (its PDF readable), and one of B's own; the
    network and members reach the service as the gateway's events, through its worker's path."""
    from decimal import Decimal

    from chassis.messages import envelope_for
    from contracts import gateway as gw
    from invoices.bootstrap import bootstrap
    from invoices.consumer import InvoicesConsumer
    from invoices.payflows import charge_due_fees

    app = bootstrap(stack.settings)
    network = f"net-{uuid.uuid4().hex[:10]}"
    members = {name: uuid.uuid4() for name in ("seller", "buyer", "b_seller", "b_buyer")}
    batch = [
        envelope_for(
            gw.NetworkCreated(
                slug=network,
                name="Matrix",
                unit=gw.Unit(code="ACT", name="Actif", symbol="A"),
                default_credit_limit=Decimal("1000.00"),
                payment_modes=[100, 50],
                hold_expiry_days=30,
                vat_settlement="unit",
                commission=gw.Commission(rate=Decimal("5"), charged_in="unit"),
                direct_payments="both",
                membership_fee=gw.MembershipFee(amount=Decimal("50.00"), charged_in="euro"),
            ),
            source="tests",
            network=network,
        )
    ]
    for name, member_id in members.items():
        tenant = stack.tenant_b if name.startswith("b_") else stack.tenant_a
        batch.append(
            envelope_for(
                gw.MemberAdmitted(
                    member_id=member_id,
                    name=f"Matrix {name}",
                    siret="81234567100015",
                    department="75",
                    email=f"{name}@example.org",
                    vat_number="FR12812345671",
                ),
                source="tests",
                network=network,
                tenant=tenant,
            )
        )
    InvoicesConsumer(app).handle_batch(batch)
    charge_due_fees(app.uow, app.now)  # a fee in euros due in each tenant
    app.dispose()
    address = {"street": "1 rue de la Paix", "postal_code": "75002", "city": "Paris"}

    def invoice(tenant: str, seller: uuid.UUID, buyer: uuid.UUID) -> str:
        headers = stack.tokens.headers(MEMBER, tenant=tenant, network=network, member_id=seller)
        body = {
            "buyer_member_id": str(buyer),
            "payment_mode": 100,
            "delivery_date": "2026-11-20",
            "seller_address": address,
            "buyer_address": address,
            "lines": [
                {"description": "Matrix", "quantity": "1", "unit_price": "100.00", "vat_rate": "20"}
            ],
        }
        base = f"{stack.direct_url}/t/{tenant}/invoices"
        response = requests.post(base, json=body, headers=headers, timeout=10)
        assert response.status_code == 201, response.text
        invoice_id = str(response.json()["id"])
        response = requests.post(f"{base}/{invoice_id}/issue", headers=headers, timeout=10)
        assert response.status_code == 200, response.text
        return invoice_id

    def payment(tenant: str, kind: str, caller: uuid.UUID, other: uuid.UUID) -> str:
        """A payment request (the caller asks ``other``) or a direct payment (it pays it)."""
        headers = stack.tokens.headers(MEMBER, tenant=tenant, network=network, member_id=caller)
        counterpart = "payer_member_id" if kind == "payment-requests" else "payee_member_id"
        response = requests.post(
            f"{stack.direct_url}/t/{tenant}/{kind}",
            json={counterpart: str(other), "amount": "10.00", "description": "Matrix"},
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    a_invoice = invoice(stack.tenant_a, members["seller"], members["buyer"])
    invoice(stack.tenant_b, members["b_seller"], members["b_buyer"])
    a_request = payment(stack.tenant_a, "payment-requests", members["seller"], members["buyer"])
    a_payment = payment(stack.tenant_a, "payments", members["buyer"], members["seller"])
    payment(stack.tenant_b, "payment-requests", members["b_seller"], members["b_buyer"])
    payment(stack.tenant_b, "payments", members["b_buyer"], members["b_seller"])
    a_headers = stack.tokens.headers(ANIMATOR, tenant=stack.tenant_a, network=network)
    fees = requests.get(
        f"{stack.direct_url}/t/{stack.tenant_a}/fees", headers=a_headers, timeout=10
    ).json()["items"]
    a_fee = str(fees[0]["id"])

    def state() -> Any:
        found = []
        for path in (
            f"invoices/{a_invoice}",
            f"payment-requests/{a_request}",
            f"payments/{a_payment}",
            "fees",
        ):
            response = requests.get(
                f"{stack.direct_url}/t/{stack.tenant_a}/{path}", headers=a_headers, timeout=10
            )
            assert response.status_code == 200, response.text
            found.append(response.json())
        return found

    reason = {"reason": "matrix"}
    actions = "/t/<tenant>/invoices/<invoice_id>/"
    today = datetime.now(UTC).date()
    period = {
        "since": (today - timedelta(days=31)).isoformat(),
        "until": (today + timedelta(days=2)).isoformat(),
    }
    statement = ("GET", "/t/<tenant>/invoices/statement")
    export = ("GET", "/t/<tenant>/invoices/accounting-export")
    commissions = ("GET", "/t/<tenant>/invoices/commissions")
    requests_path, payments_path = "/t/<tenant>/payment-requests", "/t/<tenant>/payments"
    return Resources(
        network=network,
        values={
            "invoice_id": a_invoice,
            "request_id": a_request,
            "payment_id": a_payment,
            "fee_id": a_fee,
        },
        bodies={
            ("POST", "/t/<tenant>/invoices"): {
                "seller_member_id": str(members["seller"]),
                "buyer_member_id": str(members["buyer"]),
                "payment_mode": 100,
                "delivery_date": "2026-11-20",
                "lines": [
                    {"description": "x", "quantity": "1", "unit_price": "1.00", "vat_rate": "20"}
                ],
            },
            ("POST", actions + "dispute"): reason,
            ("POST", actions + "reject"): reason,
            ("POST", actions + "cancel"): reason,
            ("POST", actions + "euro-payment"): {"paid": True},
            ("POST", "/t/<tenant>/invoices/bulk/validate"): {"invoice_ids": [a_invoice]},
            ("POST", requests_path): {
                "payee_member_id": str(members["seller"]),
                "payer_member_id": str(members["buyer"]),
                "amount": "5.00",
                "description": "x",
            },
            ("POST", f"{requests_path}/<request_id>/reject"): reason,
            ("POST", f"{requests_path}/<request_id>/decline"): reason,
            ("POST", payments_path): {
                "payer_member_id": str(members["buyer"]),
                "payee_member_id": str(members["seller"]),
                "amount": "5.00",
                "description": "x",
            },
            ("POST", f"{payments_path}/<payment_id>/reject"): reason,
            ("POST", "/t/<tenant>/fees/<fee_id>/paid"): {},
        },
        headers={("POST", payments_path): {"Idempotency-Key": uuid.uuid4().hex}},
        query={
            statement: {**period, "member_id": str(members["seller"])},
            export: period,
            commissions: {"month": today.strftime("%Y-%m")},
        },
        # A's issued invoice is in its seller's statement; nothing is settled in this stack, so
        # the accounting export and the commissions hold their header only.
        csv_reports={statement: True, export: False, commissions: False},
        refusals={
            ("POST", "/t/<tenant>/invoices"): frozenset({"unknown_member"}),
            ("POST", requests_path): frozenset({"unknown_member"}),
            ("POST", payments_path): frozenset({"unknown_member"}),
        },
        per_item={("POST", "/t/<tenant>/invoices/bulk/validate"): "not_found"},
        markers=(
            a_invoice,
            a_request,
            a_payment,
            a_fee,
            str(members["seller"]),
            str(members["buyer"]),
        ),
        state=state,
    )


def notifications_resources(stack: Stack) -> Resources:
    """A's animators have a feed entry; A has a webhook with a pending delivery of one of its
    events; B has the same of its own, so that B's lists are not empty by chance."""
    from datetime import date
    from decimal import Decimal

    from chassis.messages import envelope_for
    from contracts import gateway as gw
    from contracts import invoices as inv
    from notifications.bootstrap import bootstrap
    from notifications.consumer import NotificationsConsumer

    app = bootstrap(stack.settings)
    network = f"net-{uuid.uuid4().hex[:10]}"
    event_type = "org.trocactif.invoices.invoice_issued.v1"

    def hook(tenant: str) -> str:
        headers = stack.tokens.headers(ANIMATOR, tenant=tenant, network=network)
        response = requests.post(
            f"{stack.direct_url}/t/{tenant}/webhooks",
            headers=headers,
            timeout=10,
            json={"url": "https://93.184.215.14/hook", "event_types": [event_type]},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    a_hook, _ = hook(stack.tenant_a), hook(stack.tenant_b)

    def issued(tenant: str) -> Any:
        return envelope_for(
            inv.InvoiceIssued(
                invoice_id=uuid.uuid4(),
                number="F-1",
                seller_member_id=uuid.uuid4(),
                buyer_member_id=uuid.uuid4(),
                issue_date=date(2026, 11, 20),
                payment_mode=100,
                total_excl_vat=Decimal("1.00"),
                total_vat=Decimal("0.20"),
                total_incl_vat=Decimal("1.20"),
                unit_part=Decimal("1.20"),
                euro_part=Decimal("0"),
                unit="ACT",
                acceptance_required=False,
            ),
            source="invoices",
            network=network,
            tenant=tenant,
        )

    a_event, a_member = issued(stack.tenant_a), uuid.uuid4()
    admitted = envelope_for(
        gw.MemberAdmitted(
            member_id=a_member,
            name="Matrix",
            siret="81234567100015",
            department="75",
            email="matrix@example.org",
        ),
        source="gateway",
        network=network,
        tenant=stack.tenant_a,
    )
    NotificationsConsumer(app).handle_batch([admitted, a_event, issued(stack.tenant_b)])
    app.dispose()
    a_headers = stack.tokens.headers(ANIMATOR, tenant=stack.tenant_a, network=network)
    base = f"{stack.direct_url}/t/{stack.tenant_a}"

    def read(path: str) -> Any:
        response = requests.get(f"{base}{path}", headers=a_headers, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    entry = str(read("/notifications")["items"][0]["id"])
    delivery = str(read(f"/webhooks/{a_hook}/deliveries")["items"][0]["id"])

    def state() -> Any:
        return (
            read("/notifications"),
            read(f"/webhooks/{a_hook}"),
            read(f"/webhooks/{a_hook}/deliveries"),
            read(f"/notifications/preferences?member_id={a_member}"),
        )

    return Resources(
        network=network,
        values={"notification_id": entry, "webhook_id": a_hook, "delivery_id": delivery},
        bodies={
            ("POST", "/t/<tenant>/webhooks"): {
                "url": "http://127.0.0.1:9/hook",
                "event_types": [event_type],
            },
            ("PUT", "/t/<tenant>/notifications/preferences"): {
                "member_id": str(a_member),
                "email": {"invoice_settled": False},
            },
            ("PATCH", "/t/<tenant>/webhooks/<webhook_id>"): {"description": "matrix"},
            ("POST", "/t/<tenant>/webhooks/<webhook_id>/rotate-secret"): {"overlap_hours": 1},
            ("POST", "/t/<tenant>/webhooks/<webhook_id>/redeliver"): {"after": 0},
        },
        refusals={
            ("POST", "/t/<tenant>/webhooks"): frozenset({"unsafe_target"}),
            ("PUT", "/t/<tenant>/notifications/preferences"): frozenset({"unknown_member"}),
        },
        markers=(entry, a_hook, delivery, a_event.id, str(a_member)),
        state=state,
    )


FACTORIES: dict[str, Callable[[Stack], Resources]] = {
    "ledger": ledger_resources,
    "listings": listings_resources,
    "invoices": invoices_resources,
    "notifications": notifications_resources,
}


# --- the services as processes, each behind its own gateway -------------------------------------


def installed(service: str) -> bool:
    spec = importlib.util.find_spec(service)
    return (
        spec is not None
        and spec.origin is not None
        and (Path(spec.origin).resolve().is_relative_to(ROOT / "services" / service))
    )


class Stacks:
    """Start each service (and a gateway in front of it) on first use; stop all at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.stacks: dict[str, Stack] = {}
        self._stops: list[Callable[[], None]] = []

    def get(self, service: str) -> Stack:
        if service not in self.stacks:
            self.stacks[service] = self._start(service)
        return self.stacks[service]

    def _start(self, service: str) -> Stack:
        factory = FACTORIES.get(service)
        if factory is None:
            pytest.fail(
                f"{service} is installed but tests/integration/gateway/"
                f"test_tenant_matrix.py has no resource factory for it: add one to "
                f"FACTORIES so its routes are checked"
            )
        tmp = self.tmp / service
        tmp.mkdir()
        migrations = ROOT / "services" / service / "migrations"
        settings = service_test_settings(
            service,
            tmp,
            database=f"{service}matrix",
            migrations=migrations if migrations.is_dir() else None,
        )
        tokens = TokenFactory(tmp / "keys")
        env = {
            "TROC_DATABASE_URL": settings.database_url,
            "TROC_BROKER_URL": "memory://",
            "TROC_VAR_DIR": str(tmp),
            "TROC_JWKS": str(tokens.jwks_path),
            "TROC_LOG_JSON": "false",
        }
        port = free_port()
        web: ServiceProcess = web_process(
            f"{service}-web", f"{service}.api:create_app", port, env, tmp
        )
        web.start()
        self._stops.append(web.stop)
        try:
            wait_ready(f"http://127.0.0.1:{port}", web)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        direct = f"http://127.0.0.1:{port}"
        app, forwarder = build_gateway(tokens, tmp, {service: direct})
        server = serve(app)
        gateway_url = server.__enter__()
        self._stops += [lambda: server.__exit__(None, None, None), forwarder.close]
        stack = Stack(
            service,
            settings,
            direct,
            gateway_url,
            tokens,
            tenant_a=f"a-{uuid.uuid4().hex[:8]}",
            tenant_b=f"b-{uuid.uuid4().hex[:8]}",
        )
        stack.resources = factory(stack)
        return stack

    def close(self) -> None:
        for stop in reversed(self._stops):
            stop()


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stacks]:
    running = Stacks(tmp_path_factory.mktemp("tenant-matrix"))
    yield running
    running.close()


#: Rows exist for the services of this checkout; a service joins the matrix once installed. The
#: network-scoped routes (``/networks/<network>/...``, the operator's) have no tenant to cross:
#: the security suite's role matrix covers them.
MATRIX_ROUTES = [
    route for route in ROUTES if installed(route.service) and route.rule.startswith("/t/<tenant>/")
]

CASES = [
    pytest.param(route, method, id=f"{route.service} {method} {route.rule}")
    for route in MATRIX_ROUTES
    for method in sorted(route.methods)
]
VIA = ["gateway", "direct"]


def _path(route: ServiceRoute, tenant: str, values: Mapping[str, str]) -> str:
    path = route.rule.replace("<tenant>", tenant)
    for name in route.variables[1:]:
        if name not in values:
            pytest.fail(f"the {route.service} factory gives no value for <{name}> of {route.rule}")
        path = path.replace(f"<{name}>", values[name])
    return path


def _call(
    stack: Stack,
    via: str,
    route: ServiceRoute,
    method: str,
    tenant: str,
    headers: Mapping[str, str],
) -> requests.Response:
    resources = stack.resources
    assert resources is not None
    key = (method, route.rule)
    body = resources.bodies.get(key)
    return requests.request(
        method,
        stack.base(via) + _path(route, tenant, resources.values),
        headers={**headers, **resources.headers.get(key, {})},
        params=resources.query.get(key),
        json=body,
        timeout=10,
    )


def _assert_no_leak(stack: Stack, response: requests.Response) -> None:
    """No id of A in the answer, except those B sent itself (echoed by ``instance``, say)."""
    assert stack.resources is not None
    sent = f"{response.request.url} {response.request.body!r}"
    leaked = [
        marker
        for marker in stack.resources.markers
        if marker in response.text and marker not in sent
    ]
    assert not leaked, f"tenant A's ids in an answer to tenant B: {leaked}"


def _has_items(document: Any) -> bool:
    """A non-empty list, or an object holding one (``{"items": [...]}``)."""
    if isinstance(document, dict):
        return any(isinstance(value, list) and value for value in document.values())
    return isinstance(document, list) and bool(document)


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("route, method", CASES)
def test_tenant_b_gets_404_on_the_paths_of_tenant_a(
    stacks: Stacks, route: ServiceRoute, method: str, via: str
) -> None:
    stack = stacks.get(route.service)
    assert stack.resources is not None
    before = stack.resources.state()
    for role in (ANIMATOR, MEMBER, INTEGRATOR):
        response = _call(
            stack, via, route, method, stack.tenant_a, stack.headers(stack.tenant_b, role)
        )
        assert response.status_code == 404, (role, response.status_code, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
        _assert_no_leak(stack, response)
    assert stack.resources.state() == before


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("route, method", CASES)
def test_tenant_b_gets_404_on_the_ids_of_tenant_a_under_its_own_path(
    stacks: Stacks, route: ServiceRoute, method: str, via: str
) -> None:
    stack = stacks.get(route.service)
    resources = stack.resources
    assert resources is not None
    before = resources.state()
    response = _call(stack, via, route, method, stack.tenant_b, stack.headers(stack.tenant_b))
    collection = len(route.variables) == 1
    if (method, route.rule) in resources.csv_reports:
        # B's report names A's member under B's path: an empty report, never A's rows.
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("text/csv"), response.headers
        assert len(response.text.strip().splitlines()) == 1, response.text
    elif (method, route.rule) in resources.shared:
        assert response.status_code == 200, response.text
    elif (method, route.rule) in resources.per_item:
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert results, response.text
        assert {r["code"] for r in results} == {resources.per_item[method, route.rule]}
    elif collection and method == "GET":
        assert response.status_code == 200, response.text
        assert _has_items(response.json()), "B's own list is empty: it would prove nothing"
    elif collection and response.status_code != 404:
        allowed = resources.refusals.get((method, route.rule), frozenset())
        assert response.status_code in {404, 409, 422}, response.text
        assert response.json().get("code") in allowed, response.text
    else:
        assert response.status_code == 404, response.text
    _assert_no_leak(stack, response)
    assert resources.state() == before


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize(
    "route",
    [
        pytest.param(route, id=f"{route.service} GET {route.rule}")
        for route in MATRIX_ROUTES
        if "GET" in route.methods
    ],
)
def test_tenant_a_reads_its_own_resources_on_every_read_route(
    stacks: Stacks, route: ServiceRoute, via: str
) -> None:
    stack = stacks.get(route.service)
    response = _call(stack, via, route, "GET", stack.tenant_a, stack.headers(stack.tenant_a))
    assert response.status_code == 200, response.text
    assert stack.resources is not None
    report = stack.resources.csv_reports.get(("GET", route.rule))
    if report is not None:
        assert response.headers["Content-Type"].startswith("text/csv"), response.headers
        rows = response.text.strip().splitlines()
        assert len(rows) >= (2 if report else 1), response.text
    elif len(route.variables) == 1:
        assert _has_items(response.json()), response.text
