"""Credit lines with a life on both stores (Python rules on SQLite, PL/pgSQL on PostgreSQL): the
expiry pass at the start of the Paris day, once; an account left below its new limit keeps the
database's credit check (its shortfall), may receive and not spend, and its tolerated shortfall
shrinks as it recovers; the fee account pays out only what it holds."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ledger.bootstrap import LedgerApp
from ledger.consumer import expire_credit_limits
from ledger.db import outbox_table
from ledger.domain import Network, TransferKind, TransferRequest, fees_account_id

OpenAccount = Callable[..., uuid.UUID]
PARIS = ZoneInfo("Europe/Paris")
#: Far enough ahead that no other test's line is due on it.
END = date(2031, 3, 1)


def move(app: LedgerApp, network: Network, payer: uuid.UUID, payee: uuid.UUID, cents: int) -> str:
    with app.uow() as uow:
        outcome = uow.ledger.transfer(
            TransferRequest(
                id=uuid.uuid4(),
                network=network.slug,
                payer=payer,
                payee=payee,
                amount=cents,
                kind=TransferKind.DIRECT,
            )
        )
        uow.commit()
    return outcome.transfer.refusal_code or outcome.transfer.status.value


def account(app: LedgerApp, account_id: uuid.UUID):  # type: ignore[no-untyped-def]
    with app.engine.connect() as conn:
        return app.store.get_account(conn, account_id)


def test_an_expiry_gives_the_default_back_once_and_leaves_the_account_short(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    spender, other = open_account(), open_account()
    with ledger_app.uow() as uow:
        uow.ledger.set_credit_limit(spender, 500_000, expires_on=END, review_on=END)
        uow.commit()
    assert move(ledger_app, network, spender, other, 200_000) == "posted"

    midnight = datetime(END.year, END.month, END.day, tzinfo=PARIS)
    assert not [e for e in expire_credit_limits(ledger_app, midnight - timedelta(seconds=1))]
    [expiry] = expire_credit_limits(ledger_app, midnight)
    assert (expiry.old_credit_limit, expiry.credit_limit, expiry.shortfall) == (
        500_000,
        100_000,
        100_000,
    )
    assert expire_credit_limits(ledger_app, midnight + timedelta(days=1)) == []

    short = account(ledger_app, spender)
    assert (short.credit_limit, short.credit_limit_expires_on, short.credit_shortfall) == (
        100_000,
        None,
        100_000,
    )
    assert short.credit_limit_review_on == END  # the review stays for the animators
    assert move(ledger_app, network, spender, other, 1) == "insufficient_credit"
    assert move(ledger_app, network, other, spender, 40_000) == "posted"
    expire_credit_limits(ledger_app, midnight + timedelta(days=2))  # shrinks the shortfall
    assert account(ledger_app, spender).credit_shortfall == 60_000
    assert move(ledger_app, network, other, spender, 70_000) == "posted"
    expire_credit_limits(ledger_app, midnight + timedelta(days=3))
    assert account(ledger_app, spender).credit_shortfall == 0

    with ledger_app.engine.connect() as conn:
        assert ledger_app.store.invariants(conn) == []
        rows = conn.execute(
            select(outbox_table.c.data).where(
                outbox_table.c.subject == str(spender),
                outbox_table.c.type == "org.trocactif.ledger.credit_limit_changed.v1",
            )
        ).all()
        history, _ = ledger_app.store.credit_limit_history(conn, spender, limit=10)
    data = [r.data if isinstance(r.data, dict) else json.loads(r.data) for r in rows]
    expired = [d for d in data if d["reason"] == "expired"]
    assert len(expired) == 1 and expired[0]["over_limit"] is True
    assert expired[0]["credit_limit"] == "1000.00"
    assert history[0].reason == "expired" and history[0].changed_by is None


def test_the_fee_account_pays_out_only_what_it_holds(
    ledger_app: LedgerApp, network: Network, open_account: OpenAccount
) -> None:
    member = open_account()
    fees = fees_account_id(network.slug)
    with ledger_app.uow() as uow:
        for amount, reference in (
            (500, "Commission 5 % sur la facture F1"),
            (100, "Cotisation 2026"),
        ):
            uow.ledger.transfer(
                TransferRequest(
                    id=uuid.uuid4(),
                    network=network.slug,
                    payer=member,
                    payee=fees,
                    amount=amount,
                    kind=TransferKind.FEE,
                    reference=reference,
                )
            )
        uow.commit()
    assert move(ledger_app, network, fees, member, 601) == "insufficient_credit"
    assert move(ledger_app, network, fees, member, 600) == "posted"
    with ledger_app.engine.connect() as conn:
        assert ledger_app.store.commissions(conn, network.slug)[0][2:] == (500, 1)
        assert ledger_app.store.invariants(conn) == []
    assert account(ledger_app, fees).balance == 0
