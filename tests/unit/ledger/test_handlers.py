"""The ledger's bus handlers on an in-memory unit of work: no database, no broker.

The handlers get what their signature names (``ledger``: the bound store) from the chassis'
``Dispatcher``, as the worker gives it to them; here the store is a dictionary of networks and
accounts. The money commands' SQL is tested against the real stores (``tests/integration/ledger``).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from chassis.inbox import Inbox
from chassis.messages import Envelope, InvalidMessage, MessageMeta, envelope_for
from chassis.testing.uow import InMemoryUnitOfWork
from chassis.worker import Dispatcher
from contracts import gateway as gw
from contracts import ledger as cmd
from ledger import handlers
from ledger.app import HANDLERS
from ledger.domain import Account, AccountNotFound, AccountStatus, Network, NetworkNotFound

NETWORK = "troc-actif"
TENANT = "pie"


class FakeLedger:
    """The part of the ledger's store the event handlers use, in memory."""

    def __init__(self) -> None:
        self.networks: dict[str, Network] = {}
        self.accounts: dict[UUID, Account] = {}
        #: Who each account belongs to (company name, SIRET), for statements.
        self.names: dict[UUID, tuple[str, str, str]] = {}
        self.closed: set[str] = set()
        #: Accounts frozen by their tenant's closing, and that tenant.
        self.freezes: dict[UUID, str] = {}

    def upsert_network(self, network: Network) -> None:
        self.networks[network.slug] = network

    def get_network(self, slug: str) -> Network | None:
        return self.networks.get(slug)

    def get_account(self, account_id: UUID, *, for_update: bool = False) -> Account | None:
        return self.accounts.get(account_id)

    def open_account(
        self,
        account_id: UUID,
        network: str,
        tenant: str,
        credit_limit: int | None = None,
        category: str | None = None,
    ) -> tuple[Account, bool]:
        if account_id in self.accounts:
            return self.accounts[account_id], False
        net = self.networks[network]
        limit = net.default_credit_limit_for(category) if credit_limit is None else credit_limit
        account = Account(
            id=account_id,
            network=network,
            tenant=tenant,
            credit_limit=limit,
            max_balance=net.max_balance_for(category),
            category=category,
        )
        self.accounts[account_id] = account
        return account, True

    def set_category(self, account_id: UUID, category: str | None) -> None:
        if account_id in self.accounts:
            self.accounts[account_id] = replace(self.accounts[account_id], category=category)

    def name_member(self, member_id: UUID, tenant: str, name: str, siret: str) -> None:
        self.names[member_id] = (tenant, name, siret)

    def set_status(self, account_id: UUID, status: AccountStatus) -> Account:
        if account_id not in self.accounts:
            raise AccountNotFound(f"unknown account {account_id}")
        self.accounts[account_id] = replace(self.accounts[account_id], status=status)
        return self.accounts[account_id]

    def tenant_closed(self, tenant: str | None) -> bool:
        return tenant in self.closed

    def close_tenant(self, tenant: str) -> None:
        """What ``PUT /tenants/<t>/status`` does in the store (the store's own tests hold it)."""
        self.closed.add(tenant)
        for account in list(self.accounts.values()):
            if account.tenant == tenant and account.status is AccountStatus.ACTIVE:
                self.freeze_for_tenant(account.id, tenant)

    def reopen_tenant(self, tenant: str) -> None:
        self.closed.discard(tenant)
        for account_id, frozen_by in list(self.freezes.items()):
            if frozen_by == tenant:
                self.thaw_from_tenant(account_id)

    def freeze_for_tenant(self, account_id: UUID, tenant: str) -> None:
        self.set_status(account_id, AccountStatus.FROZEN)
        self.freezes[account_id] = tenant

    def thaw_from_tenant(self, account_id: UUID) -> None:
        if self.freezes.pop(account_id, None) is not None:
            self.set_status(account_id, AccountStatus.ACTIVE)

    def forget_tenant_freeze(self, account_id: UUID) -> None:
        self.freezes.pop(account_id, None)


class FakeUnitOfWork(InMemoryUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = FakeLedger()


class NoInbox(Inbox):
    """Every message is new: the inbox itself is tested on a database."""

    def __init__(self) -> None:
        super().__init__(table=None, consumer_name="ledger")  # type: ignore[arg-type]

    def filter_new(self, session: Any, ids: Any) -> set[str]:
        return set(ids)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def deliver(
    uow: FakeUnitOfWork,
    *messages: object,
    network: str | None = NETWORK,
    tenant: str | None = TENANT,
) -> list[Envelope]:
    """Apply messages as the worker does: one unit of work, each handler through the dispatcher."""
    dispatcher = Dispatcher("ledger", NoInbox(), HANDLERS)
    batch = [envelope_for(m, source="gateway", network=network, tenant=tenant) for m in messages]
    with uow:
        for envelope in dispatcher.fresh(None, batch):  # type: ignore[arg-type]
            dispatcher.apply(envelope, {"ledger": uow.ledger})
        uow.commit()
    return batch


def network_created(**overrides: Any) -> gw.NetworkCreated:
    values: dict[str, Any] = {
        "slug": NETWORK,
        "name": "Troc Actif",
        "unit": gw.Unit(code="ACT", name="Actif", symbol="A"),
        "default_credit_limit": Decimal("1000.00"),
        "payment_modes": [100, 50],
        "hold_expiry_days": 30,
        "vat_settlement": "unit",
        "commission": gw.Commission(rate=Decimal("5"), charged_in="unit"),
    }
    return gw.NetworkCreated(**{**values, **overrides})


def admitted(
    member_id: UUID, credit_limit: Decimal | None = None, category: str | None = None
) -> gw.MemberAdmitted:
    return gw.MemberAdmitted(
        member_id=member_id,
        name="Atelier",
        siret="73282932000074",
        department="75",
        email="a@example.org",
        credit_limit=credit_limit,
        category=category,
    )


CATEGORIES = [
    gw.MemberCategory(
        slug="association",
        name="Associations",
        default_credit_limit=Decimal("300.00"),
        max_balance=Decimal("5000.00"),
    ),
    gw.MemberCategory(slug="startup", name="Jeunes pousses", default_credit_limit=Decimal("0")),
]


class TestMemberCategories:
    def test_the_network_s_categories_are_kept_in_cents(self, uow: FakeUnitOfWork) -> None:
        deliver(uow, network_created(member_categories=CATEGORIES))
        network = uow.ledger.networks[NETWORK]
        association = network.category("association")
        assert association is not None
        assert (association.default_credit_limit, association.max_balance) == (30_000, 500_000)
        assert network.default_credit_limit_for("startup") == 0
        assert network.default_credit_limit_for(None) == 100_000

    def test_an_admission_in_a_category_opens_with_its_limit_and_maximum(
        self, uow: FakeUnitOfWork
    ) -> None:
        member = uuid.uuid4()
        deliver(
            uow,
            network_created(member_categories=CATEGORIES),
            admitted(member, category="association"),
        )
        account = uow.ledger.accounts[member]
        assert (account.category, account.credit_limit, account.max_balance) == (
            "association",
            30_000,
            500_000,
        )

    def test_an_explicit_limit_wins_over_the_category(self, uow: FakeUnitOfWork) -> None:
        member = uuid.uuid4()
        deliver(
            uow,
            network_created(member_categories=CATEGORIES),
            admitted(member, credit_limit=Decimal("50.00"), category="association"),
        )
        assert uow.ledger.accounts[member].credit_limit == 5_000

    def test_an_amendment_changes_the_category_not_the_limit(self, uow: FakeUnitOfWork) -> None:
        member = uuid.uuid4()
        deliver(uow, network_created(member_categories=CATEGORIES), admitted(member))
        deliver(
            uow,
            gw.MemberUpdated(
                member_id=member,
                name="Atelier",
                siret="73282932000074",
                department="75",
                email="a@example.org",
                category="startup",
            ),
        )
        account = uow.ledger.accounts[member]
        assert (account.category, account.credit_limit) == ("startup", 100_000)


class TestNetworks:
    def test_a_created_network_is_kept_in_cents(self, uow: FakeUnitOfWork) -> None:
        deliver(uow, network_created())
        network = uow.ledger.networks[NETWORK]
        assert (network.unit_code, network.default_credit_limit) == ("ACT", 100_000)
        assert network.hold_expiry_days == 30
        assert uow.commits == 1

    def test_the_four_eyes_threshold_is_kept_in_cents_or_off(self, uow: FakeUnitOfWork) -> None:
        deliver(uow, network_created())
        assert uow.ledger.networks[NETWORK].manual_transfer_approval_threshold is None
        deliver(uow, network_created(manual_transfer_approval_threshold=Decimal("500.00")))
        network = uow.ledger.networks[NETWORK]
        assert network.manual_transfer_approval_threshold == 50_000
        assert network.needs_approval(50_001) and not network.needs_approval(50_000)

    def test_an_update_replaces_the_settings(self, uow: FakeUnitOfWork) -> None:
        deliver(
            uow,
            network_created(),
            gw.NetworkUpdated(
                **{
                    **{
                        f: getattr(network_created(), f)
                        for f in (
                            "slug",
                            "name",
                            "unit",
                            "payment_modes",
                            "vat_settlement",
                            "commission",
                        )
                    },
                    "default_credit_limit": Decimal("250.50"),
                    "hold_expiry_days": 7,
                }
            ),
        )
        assert uow.ledger.networks[NETWORK].default_credit_limit == 25_050
        assert uow.ledger.networks[NETWORK].hold_expiry_days == 7


class TestMembers:
    def test_an_admitted_member_gets_an_account_in_its_tenant(self, uow: FakeUnitOfWork) -> None:
        member = uuid.uuid4()
        deliver(uow, network_created(), admitted(member))
        account = uow.ledger.accounts[member]
        assert (account.network, account.tenant) == (NETWORK, TENANT)
        assert account.credit_limit == 100_000  # the network's default
        tenant, _name, _siret = uow.ledger.names[member]  # statements name the counterparty
        assert tenant == TENANT

    def test_the_admission_may_name_its_own_credit_limit(self, uow: FakeUnitOfWork) -> None:
        member = uuid.uuid4()
        deliver(uow, network_created(), admitted(member, credit_limit=Decimal("0")))
        assert uow.ledger.accounts[member].credit_limit == 0

    def test_an_admission_needs_the_envelope_to_name_its_home(self, uow: FakeUnitOfWork) -> None:
        deliver(uow, network_created())
        with pytest.raises(InvalidMessage, match="network and the tenant"):
            deliver(uow, admitted(uuid.uuid4()), tenant=None)
        assert uow.rollbacks == 1

    @pytest.mark.parametrize(
        ("event", "status"),
        [
            (gw.MemberSuspended, AccountStatus.FROZEN),
            (gw.MemberLeft, AccountStatus.CLOSED),
        ],
    )
    def test_suspension_and_leaving_freeze_or_close_the_account(
        self, uow: FakeUnitOfWork, event: Any, status: AccountStatus
    ) -> None:
        member = uuid.uuid4()
        deliver(uow, network_created(), admitted(member), event(member_id=member))
        assert uow.ledger.accounts[member].status is status

    def test_a_reinstated_member_moves_again(self, uow: FakeUnitOfWork) -> None:
        member = uuid.uuid4()
        deliver(
            uow,
            network_created(),
            admitted(member),
            gw.MemberSuspended(member_id=member),
            gw.MemberReinstated(member_id=member),
        )
        assert uow.ledger.accounts[member].status is AccountStatus.ACTIVE


class TestClosedTenants:
    """A closed tenant's accounts stay frozen whatever member events arrive meanwhile, and
    reopening it thaws only those its closing froze."""

    def test_a_member_admitted_into_a_closed_tenant_opens_frozen(self, uow: FakeUnitOfWork) -> None:
        deliver(uow, network_created())
        uow.ledger.close_tenant(TENANT)
        member = uuid.uuid4()
        deliver(uow, admitted(member))
        assert uow.ledger.accounts[member].status is AccountStatus.FROZEN
        uow.ledger.reopen_tenant(TENANT)
        assert uow.ledger.accounts[member].status is AccountStatus.ACTIVE

    def test_a_reinstatement_during_the_closing_keeps_the_account_frozen(
        self, uow: FakeUnitOfWork
    ) -> None:
        member = uuid.uuid4()
        deliver(uow, network_created(), admitted(member), gw.MemberSuspended(member_id=member))
        uow.ledger.close_tenant(TENANT)
        deliver(uow, gw.MemberReinstated(member_id=member))
        assert uow.ledger.accounts[member].status is AccountStatus.FROZEN
        uow.ledger.reopen_tenant(TENANT)
        assert uow.ledger.accounts[member].status is AccountStatus.ACTIVE

    def test_a_suspension_during_the_closing_outlives_the_reopening(
        self, uow: FakeUnitOfWork
    ) -> None:
        member, other = uuid.uuid4(), uuid.uuid4()
        deliver(uow, network_created(), admitted(member), admitted(other))
        uow.ledger.close_tenant(TENANT)
        deliver(uow, gw.MemberSuspended(member_id=member))
        uow.ledger.reopen_tenant(TENANT)
        assert uow.ledger.accounts[member].status is AccountStatus.FROZEN
        assert uow.ledger.accounts[other].status is AccountStatus.ACTIVE

    def test_a_member_who_leaves_a_closed_tenant_stays_closed(self, uow: FakeUnitOfWork) -> None:
        member = uuid.uuid4()
        deliver(uow, network_created(), admitted(member))
        uow.ledger.close_tenant(TENANT)
        deliver(uow, gw.MemberLeft(member_id=member))
        uow.ledger.reopen_tenant(TENANT)
        assert uow.ledger.accounts[member].status is AccountStatus.CLOSED


class TestTransferRequests:
    """What a ``transfer`` or ``hold_transfer`` command asks of the store."""

    def meta(self, network: str | None = NETWORK) -> MessageMeta:
        return MessageMeta(
            message_id=str(uuid.uuid4()),
            network=network,
            tenant=TENANT,
            time=datetime(2026, 12, 1, tzinfo=UTC),
        )

    def test_the_amount_is_in_cents_and_the_network_the_envelopes(self) -> None:
        ledger = FakeLedger()
        message = cmd.Transfer(
            transfer_id=uuid.uuid4(),
            payer=uuid.uuid4(),
            payee=uuid.uuid4(),
            amount=Decimal("12.34"),
            reference="F-1",
        )
        request = handlers.transfer_request(message, self.meta(), ledger)  # type: ignore[arg-type]
        assert (request.amount, request.network, request.hold) == (1234, NETWORK, False)
        assert request.id == message.transfer_id

    def test_without_a_network_the_payers_account_names_it(self) -> None:
        ledger = FakeLedger()
        ledger.upsert_network(
            Network(slug="agri", unit_code="AGR", default_credit_limit=0, hold_expiry_days=10)
        )
        payer = uuid.uuid4()
        ledger.open_account(payer, "agri", TENANT)
        message = cmd.Transfer(
            transfer_id=uuid.uuid4(), payer=payer, payee=uuid.uuid4(), amount=Decimal("1")
        )
        request = handlers.transfer_request(message, self.meta(None), ledger)  # type: ignore[arg-type]
        assert request.network == "agri"

    def test_an_unknown_payer_without_a_network_is_refused(self) -> None:
        message = cmd.Transfer(
            transfer_id=uuid.uuid4(), payer=uuid.uuid4(), payee=uuid.uuid4(), amount=Decimal("1")
        )
        with pytest.raises(NetworkNotFound):
            handlers.transfer_request(message, self.meta(None), FakeLedger())  # type: ignore[arg-type]

    def test_a_hold_expires_after_the_networks_delay_unless_it_says(self) -> None:
        ledger = FakeLedger()
        ledger.upsert_network(
            Network(slug=NETWORK, unit_code="ACT", default_credit_limit=0, hold_expiry_days=30)
        )
        meta = self.meta()
        hold = cmd.HoldTransfer(
            transfer_id=uuid.uuid4(), payer=uuid.uuid4(), payee=uuid.uuid4(), amount=Decimal("5")
        )
        request = handlers.transfer_request(hold, meta, ledger)  # type: ignore[arg-type]
        assert request.hold and request.expires_at == meta.time + timedelta(days=30)
        chosen = meta.time + timedelta(hours=2)
        own = replace(hold, expires_at=chosen)
        assert handlers.transfer_request(own, meta, ledger).expires_at == chosen  # type: ignore[arg-type]
