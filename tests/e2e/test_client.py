"""The generated Python client (clients/python, ``make client``) drives the whole platform alone.

The proof that the public OpenAPI document is complete: every call below goes through
``troc_client``, generated from it, against every service as a real process (gunicorn + worker
each, on the environment's PostgreSQL and RabbitMQ). The operator creates a network with buyer
acceptance and its tenant and animator; the animator admits two members and gives them users;
the seller publishes an offer, drafts and issues an invoice, the buyer accepts it, the animator
validates it; both balances move by the unit part; the tenant's event log tells it; an integrator
webhook is subscribed. Then a network-scoped API key of the demo network reads every tenant of
its network, nothing of another network, changes nothing, and stops working once revoked; its
creation and revocation are in the operator's audit log.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from troc_client import AuthenticatedClient, Client
from troc_client.api.audit import audit_get_audit
from troc_client.api.auth import auth_post_token
from troc_client.api.directory import (
    directory_get_members,
    directory_post_members,
    directory_post_users,
)
from troc_client.api.invoices import (
    invoices_get_invoice,
    invoices_get_invoices,
    invoices_post_accept,
    invoices_post_invoices,
    invoices_post_issue,
    invoices_post_validate,
)
from troc_client.api.ledger import (
    ledger_get_account,
    ledger_get_accounts,
    ledger_get_events,
    ledger_post_transfers,
)
from troc_client.api.listings import listings_get_listings, listings_post_listings
from troc_client.api.networks import (
    networks_delete_network_api_key,
    networks_get_network_api_keys,
    networks_patch_network_tenant,
    networks_post_network_api_keys,
    networks_post_network_tenants,
    networks_post_networks,
)
from troc_client.api.notifications import notifications_get_webhooks, notifications_post_webhooks
from troc_client.models import (
    Address,
    DraftIn,
    LedgerGetEventsSource,
    LineIn,
    ListingIn,
    ListingInCategory,
    ListingInKind,
    MemberIn,
    NetworkApiKeyIn,
    NetworkIn,
    NetworkInCommissionType0,
    NetworkInPaymentModesItem,
    NetworkInUnit,
    Problem,
    TenantIn,
    TenantPatch,
    TenantPatchStatus,
    TokenRequest,
    TransferIn,
    UserIn,
    UserInRole,
    WebhookIn,
)
from troc_client.types import Response

from chassis.testing.platform import Platform, running_platform
from chassis.testing.waiting import eventually
from tests.unit.gateway.builders import make_siret, vat_for

pytestmark = pytest.mark.e2e

T = TypeVar("T")
PASSWORD = "Mot de passe client 2026!"  # noqa: S105 (a test user's)
OPERATOR = "operator@demo.trocactif.org"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(tmp_path_factory.mktemp("client"), tag="client") as running:
        yield running


def ok(response: Response[Any], status: int = 200) -> Any:
    """The parsed answer of a call that must answer ``status``."""
    assert response.status_code == status, (response.status_code, response.content[:600])
    assert not isinstance(response.parsed, Problem), response.content[:600]
    return response.parsed


def refused(response: Response[Any], status: int) -> Problem:
    """The problem document of a call that must be refused with ``status``."""
    assert response.status_code == status, (response.status_code, response.content[:600])
    assert isinstance(response.parsed, Problem), response.content[:600]
    return response.parsed


def items_of(page: Any) -> list[Any]:
    """The items of a list answer: every list is ``{items, ...paging}``."""
    items = page.items
    assert isinstance(items, list), page
    return items


def once_known(call: Callable[[], Response[T]], status: int = 201) -> T:
    """A call naming a member a service learns from the directory's events: tried again until
    the service has caught up (the gateway answers 503 ``not_yet_known`` meanwhile)."""

    last: list[Response[T]] = []

    def attempt() -> T | None:
        last[:] = [call()]
        return last[0].parsed if last[0].status_code == status else None

    try:
        return eventually(attempt, what="a service catching up with the directory")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {last[0].status_code} {last[0].content[:600]!r}") from None


def login(platform: Platform, email: str, password: str | None = None) -> AuthenticatedClient:
    anonymous = Client(base_url=platform.url, raise_on_unexpected_status=True)
    token = ok(
        auth_post_token.sync_detailed(
            client=anonymous,
            body=TokenRequest(email=email, password=password or platform.password),
        )
    )
    return AuthenticatedClient(base_url=platform.url, token=token.access_token, timeout=None)


def key_client(platform: Platform, key: str) -> AuthenticatedClient:
    """An integrator presenting its API key as a bearer token."""
    return AuthenticatedClient(base_url=platform.url, token=key)


def test_the_barter_flow_with_the_generated_client_alone(platform: Platform) -> None:
    suffix = uuid.uuid4().hex[:6]
    network, tenant = f"client-{suffix}", f"client-{suffix}-paris"
    operator = login(platform, OPERATOR)

    created = ok(
        networks_post_networks.sync_detailed(
            client=operator,
            body=NetworkIn(
                slug=network,
                name="Réseau du client généré",
                unit=NetworkInUnit.from_dict({"code": "CLI", "name": "Clé", "symbol": "C"}),
                default_credit_limit="1000.00",
                payment_modes=[NetworkInPaymentModesItem.VALUE_100],
                hold_expiry_days=30,
                vat_settlement="unit",
                commission=NetworkInCommissionType0.from_dict({"rate": "0", "charged_in": "unit"}),
                buyer_acceptance_required=True,
            ),
        ),
        201,
    )
    assert created.slug == network and created.unit.code == "CLI"
    ok(
        networks_post_network_tenants.sync_detailed(
            network,
            client=operator,
            body=TenantIn(slug=tenant, name="Association du client", departments=["75"]),
        ),
        201,
    )
    animator_email = f"animation-{suffix}@example.org"
    ok(
        directory_post_users.sync_detailed(
            tenant,
            client=operator,
            body=UserIn(email=animator_email, role=UserInRole.ANIMATOR, password=PASSWORD),
        ),
        201,
    )
    animator = login(platform, animator_email, PASSWORD)

    members = {}
    for name, stem, street in (
        ("Imprimerie du Client", f"7{suffix[:3]}1234"[:8], "3 rue des Presses"),
        ("Traiteur du Client", f"8{suffix[:3]}5678"[:8], "9 rue des Saveurs"),
    ):
        digits = "".join(c if c.isdigit() else str(ord(c) % 10) for c in stem)
        siret = make_siret(digits)
        member = ok(
            directory_post_members.sync_detailed(
                tenant,
                client=animator,
                body=MemberIn(
                    name=name,
                    siret=siret,
                    vat_number=vat_for(siret[:9]),
                    department="75",
                    email=f"{digits}@example.org",
                    address=Address(street=street, postal_code="75011", city="Paris"),
                ),
            ),
            201,
        )
        email = f"contact-{digits}@example.org"
        ok(
            directory_post_users.sync_detailed(
                tenant,
                client=animator,
                body=UserIn(
                    email=email, role=UserInRole.MEMBER, member_id=member.id, password=PASSWORD
                ),
            ),
            201,
        )
        members[name] = (member, login(platform, email, PASSWORD))
    (seller_member, seller), (buyer_member, buyer) = members.values()
    directory = ok(directory_get_members.sync_detailed(tenant, client=animator))
    assert {m.id for m in items_of(directory)} == {seller_member.id, buyer_member.id}

    offer = once_known(
        lambda: listings_post_listings.sync_detailed(
            tenant,
            client=seller,
            body=ListingIn(
                kind=ListingInKind.OFFER,
                title="Impression de brochures",
                category=ListingInCategory.COMMUNICATION,
            ),
        )
    )
    assert offer.member_id == seller_member.id
    listed = ok(listings_get_listings.sync_detailed(tenant, client=buyer))
    assert offer.id in {listing.id for listing in items_of(listed)}

    draft = once_known(
        lambda: invoices_post_invoices.sync_detailed(
            tenant,
            client=seller,
            body=DraftIn(
                buyer_member_id=buyer_member.id,
                delivery_date=datetime.date(2026, 11, 20),
                payment_mode=100,
                listing_id=offer.id,
                lines=[
                    LineIn(
                        description="Brochures (lot de 500)",
                        quantity="2",
                        unit_price="150.00",
                        vat_rate="20",
                    )
                ],
            ),
        )
    )
    assert (draft.total_excl_vat, draft.total_vat, draft.total_incl_vat) == (
        "300.00",
        "60.00",
        "360.00",
    )
    issued = ok(invoices_post_issue.sync_detailed(tenant, draft.id, client=seller))
    assert issued.status == "issued" and issued.acceptance_required and issued.number
    accepted = ok(invoices_post_accept.sync_detailed(tenant, draft.id, client=buyer))
    assert accepted.status in {"accepted", "awaiting_validation"}

    def status() -> str:
        invoice = ok(invoices_get_invoice.sync_detailed(tenant, draft.id, client=animator))
        return str(invoice.status)

    assert eventually(lambda: status() == "awaiting_validation"), platform.logs()
    queue = ok(invoices_get_invoices.sync_detailed(tenant, client=animator))
    assert draft.id in {invoice.id for invoice in items_of(queue)}
    refused(invoices_post_validate.sync_detailed(tenant, draft.id, client=seller), 403)
    ok(invoices_post_validate.sync_detailed(tenant, draft.id, client=animator))
    assert eventually(lambda: status() == "settled"), platform.logs()

    def balance(member_id: uuid.UUID, reader: AuthenticatedClient) -> Decimal:
        account = ok(ledger_get_account.sync_detailed(tenant, member_id, client=reader))
        assert account.network == network and account.unit == "CLI"
        return Decimal(account.balance)

    assert eventually(lambda: balance(seller_member.id, seller) == Decimal("360.00"))
    assert balance(buyer_member.id, buyer) == Decimal("-360.00")
    assert balance(buyer_member.id, animator) == Decimal("-360.00")

    log = ok(ledger_get_events.sync_detailed(tenant, client=animator, after=0))
    types = [event.type_ for event in items_of(log)]
    assert "org.trocactif.ledger.transfer_posted.v1" in types, types
    assert log.next_after >= len(types)
    settled = ok(
        ledger_get_events.sync_detailed(
            tenant, client=animator, source=LedgerGetEventsSource.INVOICES, after=0
        )
    )
    assert "org.trocactif.invoices.invoice_settled.v1" in {e.type_ for e in items_of(settled)}

    hook = ok(
        notifications_post_webhooks.sync_detailed(
            tenant,
            client=animator,
            body=WebhookIn(
                url="https://93.184.215.14/comptabilite",
                event_types=["org.trocactif.ledger.transfer_posted.v1"],
                description="Logiciel comptable",
            ),
        ),
        201,
    )
    assert hook.secret
    hooks = ok(notifications_get_webhooks.sync_detailed(tenant, client=animator))
    assert hook.id in {h.id for h in items_of(hooks)}


def test_a_network_key_reads_every_tenant_of_its_network_and_nothing_else(
    platform: Platform,
) -> None:
    operator = login(platform, OPERATOR)
    animator = login(platform, "animation@pie.demo.trocactif.org")
    refused(
        networks_post_network_api_keys.sync_detailed(
            "troc-actif",
            client=animator,
            body=NetworkApiKeyIn(name="Tableau régional", scopes=["ledger:read"]),
        ),
        403,
    )
    refused(
        networks_post_network_api_keys.sync_detailed(
            "troc-actif",
            client=operator,
            body=NetworkApiKeyIn(name="Écrire partout", scopes=["webhooks:manage"]),
        ),
        422,
    )
    created = ok(
        networks_post_network_api_keys.sync_detailed(
            "troc-actif",
            client=operator,
            body=NetworkApiKeyIn(
                name="Tableau régional", scopes=["ledger:read", "events:read", "listings:read"]
            ),
        ),
        201,
    )
    assert created.key.startswith(created.prefix) and created.network == "troc-actif"
    listed = ok(networks_get_network_api_keys.sync_detailed("troc-actif", client=operator))
    [seen] = [k for k in items_of(listed) if k.id == created.id]
    assert not hasattr(seen, "key") and seen.revoked_at is None
    integrator = key_client(platform, created.key)

    for tenant in ("pie", "fa-mgp"):  # two tenants of the network, each read in full
        accounts = ok(ledger_get_accounts.sync_detailed(tenant, client=integrator))
        assert items_of(accounts), tenant
        member_id = items_of(accounts)[0].member_id
        ok(ledger_get_account.sync_detailed(tenant, member_id, client=integrator))
        for source in (LedgerGetEventsSource.LEDGER, LedgerGetEventsSource.LISTINGS):
            ok(ledger_get_events.sync_detailed(tenant, client=integrator, source=source))
        ok(listings_get_listings.sync_detailed(tenant, client=integrator))
    # Another network's tenant does not exist for it, in the ledger as in the listings.
    for call in (
        lambda: ledger_get_accounts.sync_detailed("agri-beauce", client=integrator),
        lambda: ledger_get_events.sync_detailed("agri-beauce", client=integrator),
        lambda: ledger_get_events.sync_detailed(
            "agri-beauce", client=integrator, source=LedgerGetEventsSource.LISTINGS
        ),
        lambda: listings_get_listings.sync_detailed("agri-beauce", client=integrator),
    ):
        refused(call(), 404)
    # A closed tenant of the network is out of its reach, until it reopens.
    closing = TenantPatch(status=TenantPatchStatus.CLOSED)
    ok(
        networks_patch_network_tenant.sync_detailed(
            "troc-actif", "fa-77-91", client=operator, body=closing
        )
    )
    refused(ledger_get_accounts.sync_detailed("fa-77-91", client=integrator), 404)
    reopening = TenantPatch(status=TenantPatchStatus.ACTIVE)
    ok(
        networks_patch_network_tenant.sync_detailed(
            "troc-actif", "fa-77-91", client=operator, body=reopening
        )
    )
    ok(ledger_get_accounts.sync_detailed("fa-77-91", client=integrator))
    # It reads; it never writes, nor manages a tenant's webhooks or keys.
    pie_accounts = items_of(ok(ledger_get_accounts.sync_detailed("pie", client=integrator)))
    payer, payee = (a.member_id for a in pie_accounts[:2])
    refused(
        ledger_post_transfers.sync_detailed(
            "pie",
            client=integrator,
            body=TransferIn(payer=payer, payee=payee, amount="1.00"),
            idempotency_key=uuid.uuid4().hex,
        ),
        403,
    )
    refused(notifications_get_webhooks.sync_detailed("pie", client=integrator), 403)
    refused(networks_get_network_api_keys.sync_detailed("troc-actif", client=integrator), 403)

    ok(
        networks_delete_network_api_key.sync_detailed("troc-actif", created.id, client=operator),
        204,
    )
    refused(ledger_get_accounts.sync_detailed("pie", client=integrator), 401)
    refused(
        auth_post_token.sync_detailed(
            client=Client(base_url=platform.url), body=TokenRequest(api_key=created.key)
        ),
        401,
    )
    listed = ok(networks_get_network_api_keys.sync_detailed("troc-actif", client=operator))
    [seen] = [k for k in items_of(listed) if k.id == created.id]
    assert seen.revoked_at is not None
    audit = ok(audit_get_audit.sync_detailed(client=operator, per_page=100))
    actions = {
        (entry.action, entry.target.id)
        for entry in items_of(audit)
        if entry.network == "troc-actif"
    }
    assert {
        ("network_api_key_created", str(created.id)),
        ("network_api_key_revoked", str(created.id)),
    } <= actions
