"""Trade between networks on real databases: two networks whose books live in two databases.

The saga's coordinator (``ledger.sagas``) is driven step by step as the worker's bus messages
would drive it, with faults between the steps: duplicate deliveries, a step that crashes after
its side committed and is replayed, refusals (a payer without credit, a clearing account at its
limit), deadlines passing. Every saga ends posted on both sides or on neither, each network's
balances sum to zero, and each link's clearing balances mirror each other at the frozen rates.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from chassis.db import make_engine
from chassis.testing.databases import service_test_settings
from ledger import federation_db
from ledger.bootstrap import LedgerApp
from ledger.db import outbox_table, store_for
from ledger.domain import Network, TransferStatus
from ledger.federation import (
    InvalidConversion,
    Link,
    NotLinked,
    Saga,
    SagaState,
    Step,
    clearing_account_id,
    parse_rate,
)
from ledger.sagas import FederationSagas, TransferOrder, completion_message_id
from ledger.settings import LedgerSettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "ledger" / "migrations"


@dataclasses.dataclass
class Databases:
    settings: LedgerSettings
    own: Engine
    other: Engine
    #: Every network of the second database so far: the apps of all tests know them all, as
    #: a deployment's ledger knows every network's database.
    shards: dict[str, Engine] = dataclasses.field(default_factory=dict)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    """The ledger's own database and a second one, both migrated (SQLite files or PostgreSQL)."""
    folder = tmp_path_factory.mktemp("federation")
    own = service_test_settings("ledger", folder, migrations=MIGRATIONS, backend=request.param)
    other = service_test_settings(
        "ledger", folder, migrations=MIGRATIONS, backend=request.param, database="ledger_b"
    )
    found = Databases(LedgerSettings.of(own), make_engine(own), make_engine(other))
    yield found
    found.own.dispose()
    found.other.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclasses.dataclass
class World:
    app: LedgerApp
    sagas: FederationSagas
    clock: Clock
    link: Link
    members_a: list[uuid.UUID]
    members_b: list[uuid.UUID]


def make_world(
    dbs: Databases, *, rate: str = "1", limit_a: int = 100_000, limit_b: int = 100_000
) -> World:
    """Two fresh networks: ``a`` in the ledger's own database, ``b`` in the other; linked."""
    suffix = uuid.uuid4().hex[:8]
    net_a, net_b = f"act-{suffix}", f"agri-{suffix}"
    dbs.shards[net_b] = dbs.other
    app = LedgerApp(
        settings=dbs.settings,
        engine=dbs.own,
        store=store_for(dbs.own.dialect.name),
        shards=dbs.shards,
    )
    members: dict[str, list[uuid.UUID]] = {net_a: [], net_b: []}
    for slug, unit in ((net_a, "ACT"), (net_b, "AGR")):
        with app.uow_for(slug) as uow:
            uow.ledger.upsert_network(
                Network(slug=slug, unit_code=unit, default_credit_limit=50_000, hold_expiry_days=7)
            )
            for _ in range(3):
                member = uuid.uuid4()
                uow.ledger.open_account(member, slug, f"t-{slug}", None)
                members[slug].append(member)
            uow.commit()
    clock = Clock()
    sagas = FederationSagas(app, clock=clock)
    link = Link(
        id=uuid.uuid4(),
        network_a=net_a,
        network_b=net_b,
        rate=parse_rate(rate),
        limit_a=limit_a,
        limit_b=limit_b,
    )
    sagas.apply_link(link)
    return World(app, sagas, clock, link, members[net_a], members[net_b])


def balance(world: World, network: str, account: uuid.UUID) -> int:
    engine = world.app.engine_for(network)
    with engine.connect() as conn:
        found = world.app.store_for_engine(engine).get_account(conn, account)
    assert found is not None
    return found.balance


def ledger_invariants(world: World) -> list[str]:
    problems = []
    for engine in (world.app.engine, *world.app.shards.values()):
        with engine.connect() as conn:
            problems += world.app.store_for_engine(engine).invariants(conn)
    return problems


COMPLETED = "org.trocactif.ledger.federated_transfer_completed.v1"
SIDE_EVENTS = tuple(
    f"org.trocactif.ledger.transfer_{name}.v1" for name in ("held", "posted", "voided", "refused")
)


def staged(world: World, network: str, types: tuple[str, ...], subject: str) -> list[object]:
    """The outbox rows of ``types`` about ``subject`` in the database of ``network``'s books."""
    with world.app.engine_for(network).connect() as conn:
        return list(
            conn.execute(
                select(outbox_table).where(
                    outbox_table.c.type.in_(types), outbox_table.c.subject == subject
                )
            ).all()
        )


def assert_completed_once_per_side(world: World, saga: Saga) -> None:
    """One ``federated_transfer_completed`` in each side's tenant log, with the saga's ending;
    every transfer event of each side names the saga and the partner network."""
    for side, network, partner in (
        ("payer", saga.payer_network, saga.payee_network),
        ("payee", saga.payee_network, saga.payer_network),
    ):
        rows = staged(world, network, (COMPLETED,), str(saga.id))
        assert len(rows) == 1, (side, saga.state, rows)
        (row,) = rows
        assert (row.tenant, row.network) == (f"t-{network}", network)
        assert row.message_id == completion_message_id(saga.id, side)  # type: ignore[arg-type]
        assert row.data["outcome"] == saga.state.value
        assert row.data["code"] == saga.refusal_code
        assert (row.data["payer_network"], row.data["payee_network"]) == (
            saga.payer_network,
            saga.payee_network,
        )
        transfer_id = saga.payer_transfer_id if side == "payer" else saga.payee_transfer_id
        events = staged(world, network, SIDE_EVENTS, str(transfer_id))
        engine = world.app.engine_for(network)
        with engine.connect() as conn:
            made = world.app.store_for_engine(engine).get_transfer(conn, transfer_id)
        # a side has no transfer (nor its events) when the saga ended before its hold
        assert bool(events) == (made is not None)
        for event in events:
            assert event.data["saga_id"] == str(saga.id)
            assert event.data["partner_network"] == partner


def order(world: World, amount: int, *, a_to_b: bool = True, payer: int = 0) -> TransferOrder:
    link = world.link
    return TransferOrder(
        saga_id=uuid.uuid4(),
        link_id=link.id,
        payer_network=link.network_a if a_to_b else link.network_b,
        payer=(world.members_a if a_to_b else world.members_b)[payer],
        payee=(world.members_b if a_to_b else world.members_a)[payer],
        amount=amount,
        reference="federation test",
    )


class TestLinks:
    def test_each_side_opens_a_clearing_account_with_the_link_limit(
        self, databases: Databases
    ) -> None:
        world = make_world(databases, limit_a=70_000, limit_b=20_000)
        link = world.link
        for network, partner, limit, engine in (
            (link.network_a, link.network_b, 70_000, databases.own),
            (link.network_b, link.network_a, 20_000, databases.other),
        ):
            with engine.connect() as conn:
                account = store_for(engine.dialect.name).get_account(
                    conn, clearing_account_id(network, partner)
                )
            assert account is not None
            assert (account.kind, account.tenant, account.credit_limit) == ("clearing", None, limit)
            assert account.network == network
        # the link's copy changes the limits, again idempotently
        world.sagas.apply_link(dataclasses.replace(link, limit_b=30_000))
        world.sagas.apply_link(dataclasses.replace(link, limit_b=30_000))
        with databases.other.connect() as conn:
            account = store_for(databases.other.dialect.name).get_account(
                conn, clearing_account_id(link.network_b, link.network_a)
            )
        assert account is not None and account.credit_limit == 30_000
        assert world.sagas.clearing_balances(link.network_a, link.network_b) == (0, 0)

    def test_a_link_event_applied_before_changes_nothing(self, databases: Databases) -> None:
        world = make_world(databases, limit_b=20_000)
        newer = dataclasses.replace(world.link, limit_b=40_000)
        created, updated = str(uuid.uuid4()), str(uuid.uuid4())
        assert world.sagas.apply_link(world.link, message_id=created)
        assert world.sagas.apply_link(newer, message_id=updated)
        # the first event redelivered late: recorded in the inbox, so the newer limit stays
        assert not world.sagas.apply_link(world.link, message_id=created)
        with databases.other.connect() as conn:
            account = store_for(databases.other.dialect.name).get_account(
                conn, clearing_account_id(world.link.network_b, world.link.network_a)
            )
        assert account is not None and account.credit_limit == 40_000


class TestSaga:
    def test_a_trade_settles_on_both_sides_across_two_databases(self, databases: Databases) -> None:
        world = make_world(databases, rate="0.5")
        saga, created = world.sagas.start(order(world, 10_001))
        assert created and saga.converted_amount == 5_001  # 50.005 rounds half up
        done = world.sagas.run_to_end(saga.id)
        assert done.state is SagaState.POSTED
        link = world.link
        assert balance(world, link.network_a, world.members_a[0]) == -10_001
        assert balance(world, link.network_b, world.members_b[0]) == 5_001
        assert world.sagas.clearing_balances(link.network_a, link.network_b) == (10_001, -5_001)
        assert world.sagas.invariants() == []
        assert ledger_invariants(world) == []
        assert_completed_once_per_side(world, done)
        (payee_done,) = staged(world, link.network_b, (COMPLETED,), str(saga.id))
        assert (payee_done.data["amount"], payee_done.data["payer_unit"]) == ("100.01", "ACT")
        assert (payee_done.data["converted_amount"], payee_done.data["payee_unit"]) == (
            "50.01",
            "AGR",
        )
        assert payee_done.data["rate"] == "0.5"
        # a redelivered step after the end changes nothing
        world.sagas.advance(saga.id)
        assert_completed_once_per_side(world, done)

    def test_starting_twice_starts_once_and_another_content_conflicts(
        self, databases: Databases
    ) -> None:
        world = make_world(databases)
        asked = order(world, 1_000)
        first, created = world.sagas.start(asked)
        again, created_again = world.sagas.start(asked)
        assert created and not created_again and again.id == first.id
        from ledger.domain import IdempotencyConflict

        with pytest.raises(IdempotencyConflict):
            world.sagas.start(dataclasses.replace(asked, amount=2_000))

    def test_a_payee_outside_the_partner_network_is_refused_at_once(
        self, databases: Databases
    ) -> None:
        world = make_world(databases)
        wrong = dataclasses.replace(order(world, 1_000), payee=world.members_a[1])
        with pytest.raises(NotLinked):
            world.sagas.start(wrong)

    def test_the_partner_clearing_limit_refuses_and_voids_the_payer_hold(
        self, databases: Databases
    ) -> None:
        world = make_world(databases, limit_b=5_000)
        saga, _ = world.sagas.start(order(world, 6_000))
        done = world.sagas.run_to_end(saga.id)
        assert (done.state, done.refusal_code) == (SagaState.VOIDED, "insufficient_credit")
        engine = world.app.engine_for(world.link.network_a)
        with engine.connect() as conn:
            hold = world.app.store_for_engine(engine).get_transfer(conn, done.payer_transfer_id)
            payer = world.app.store_for_engine(engine).get_account(conn, world.members_a[0])
        assert hold is not None and hold.status is TransferStatus.VOIDED
        assert payer is not None and payer.pending_debits == 0 and payer.balance == 0
        assert world.sagas.invariants() == []
        assert_completed_once_per_side(world, done)

    def test_a_payer_without_credit_is_refused_with_nothing_held(
        self, databases: Databases
    ) -> None:
        world = make_world(databases)
        saga, _ = world.sagas.start(order(world, 50_001))  # the default limit is 500.00
        done = world.sagas.run_to_end(saga.id)
        assert (done.state, done.refusal_code) == (SagaState.REFUSED, "insufficient_credit")
        assert world.sagas.invariants() == []
        assert_completed_once_per_side(world, done)

    def test_the_deadline_voids_a_saga_held_on_one_side(self, databases: Databases) -> None:
        world = make_world(databases)
        saga, _ = world.sagas.start(order(world, 1_000, a_to_b=False))
        assert world.sagas.advance(saga.id).state is SagaState.PAYER_HELD
        world.clock.now += timedelta(days=8)
        assert world.sagas.resume_due() >= 1
        done = world.sagas.run_to_end(saga.id)
        assert (done.state, done.refusal_code) == (SagaState.VOIDED, "expired")
        assert world.sagas.invariants() == []
        assert ledger_invariants(world) == []
        assert_completed_once_per_side(world, done)

    def test_a_frozen_rate_moves_the_frozen_amounts(self, databases: Databases) -> None:
        world = make_world(databases, rate="2")
        # an invoice of 1.00 AGR issued at 3 AGR per ACT: the payer pays 0.33 ACT
        asked = dataclasses.replace(
            order(world, 33), rate=Decimal(3), converted_amount=100, requested_by="invoices"
        )
        saga, _ = world.sagas.start(asked)
        assert (saga.rate, saga.converted_amount, saga.requested_by) == (
            Decimal(3),
            100,
            "invoices",
        )
        done = world.sagas.run_to_end(saga.id)
        assert done.state is SagaState.POSTED
        assert balance(world, world.link.network_b, world.members_b[0]) == 100
        assert world.sagas.invariants() == []
        assert_completed_once_per_side(world, done)
        (row,) = staged(world, world.link.network_a, (COMPLETED,), str(saga.id))
        assert (row.data["rate"], row.data["requested_by"]) == ("3", "invoices")
        # the same saga asked again at another frozen amount is a conflict
        from ledger.domain import IdempotencyConflict

        with pytest.raises(IdempotencyConflict):
            world.sagas.start(dataclasses.replace(asked, converted_amount=99))
        with pytest.raises(IdempotencyConflict):
            world.sagas.start(dataclasses.replace(asked, rate=Decimal("3.01")))
        assert world.sagas.start(asked)[0].id == saga.id

    def test_frozen_amounts_that_do_not_go_together_record_nothing(
        self, databases: Databases
    ) -> None:
        world = make_world(databases)
        asked = dataclasses.replace(order(world, 100), rate=Decimal(3), converted_amount=302)
        with pytest.raises(InvalidConversion):
            world.sagas.start(asked)
        with databases.own.connect() as conn:
            assert federation_db.get_saga(conn, asked.saga_id) is None

    def test_the_sagas_of_a_link_are_listed_in_the_coordinator(self, databases: Databases) -> None:
        world = make_world(databases)
        saga, _ = world.sagas.start(order(world, 100))
        with databases.own.connect() as conn:
            listed = federation_db.sagas_of_link(conn, world.link.id)
        assert [s.id for s in listed] == [saga.id]


class Crash(Exception):
    """A worker dying between a step's effect on one side and the saga's record of it."""


class CrashingSagas(FederationSagas):
    """Crashes after a chosen step has run on its side's books, before the saga records it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.crash_on: set[tuple[uuid.UUID, Step]] = set()

    def _run(self, coordinator, saga, step):  # type: ignore[no-untyped-def]
        after = super()._run(coordinator, saga, step)
        if (saga.id, step) in self.crash_on:
            self.crash_on.discard((saga.id, step))
            raise Crash(f"{saga.id} {step}")
        return after


SAGA_PLANS = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=40_000),  # amount, in cents of the payer's unit
        st.booleans(),  # from a to b, or b to a
        st.integers(min_value=0, max_value=2),  # which member pays
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=SAGA_PLANS,
    rate=st.sampled_from(["1", "0.5", "3", "1.23456789"]),
    limit_b=st.sampled_from([5_000, 30_000, 100_000]),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_random_sagas_with_faults_end_posted_or_voided_on_both_sides(
    databases: Databases, plans: list[tuple[int, bool, int]], rate: str, limit_b: int, seed: int
) -> None:
    chance = random.Random(seed)
    world = make_world(databases, rate=rate, limit_a=60_000, limit_b=limit_b)
    sagas = CrashingSagas(world.app, clock=world.clock)
    started = []
    for amount, a_to_b, payer in plans:
        try:
            saga, _ = sagas.start(order(world, amount, a_to_b=a_to_b, payer=payer))
        except Exception as exc:  # the converted amount rounds to zero: refused at once
            assert type(exc).__name__ == "AmountTooSmall"
            continue
        if chance.random() < 0.3:
            sagas.start(order(world, amount, a_to_b=a_to_b, payer=payer))  # another id: new
        started.append(saga.id)
        for step in Step:
            if chance.random() < 0.25:
                sagas.crash_on.add((saga.id, step))
    # Interleave the steps of every saga, with duplicate deliveries, crashes and replays, and
    # now and then the deadlines passing.
    for _ in range(200):
        open_ones = [s for s in started if not sagas.get(s).terminal]
        if not open_ones:
            break
        saga_id = chance.choice(open_ones)
        with suppress(Crash):  # redelivered: the next advance replays the step
            sagas.advance(saga_id)
        if chance.random() < 0.2:
            with suppress(Crash):
                sagas.advance(saga_id)  # a duplicate delivery
        if chance.random() < 0.05:
            world.clock.now += timedelta(days=8)
            sagas.resume_due()
    sagas.crash_on.clear()
    ended = [sagas.run_to_end(s) for s in started]
    assert all(s.terminal for s in ended)
    for saga in ended:
        assert_completed_once_per_side(world, saga)
    assert sagas.invariants() == []
    assert ledger_invariants(world) == []
    expected_a = sum(
        s.amount if s.payer_network == world.link.network_a else -s.converted_amount
        for s in ended
        if s.state is SagaState.POSTED
    )
    assert world.sagas.clearing_balances(world.link.network_a, world.link.network_b)[0] == (
        expected_a
    )
