"""The ledger's rules, without any database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ledger import domain
from ledger.domain import (
    Account,
    AccountStatus,
    TransferKind,
    TransferRecord,
    TransferRequest,
    TransferStatus,
)

NET = "troc-actif"


def account(**kw: object) -> Account:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "network": NET,
        "tenant": "pie",
        "credit_limit": 1_000,
    }
    values.update(kw)
    return Account(**values)  # type: ignore[arg-type]


def request(payer: Account, payee: Account, amount: int = 100, **kw: object) -> TransferRequest:
    return TransferRequest(
        id=uuid.uuid4(), network=NET, payer=payer.id, payee=payee.id, amount=amount, **kw
    )  # type: ignore[arg-type]


class TestAvailableCredit:
    def test_is_balance_minus_pending_debits_plus_credit_limit(self) -> None:
        assert account(balance=-300, pending_debits=200, credit_limit=1_000).available == 500

    def test_a_debit_up_to_the_limit_is_allowed_and_one_cent_more_is_not(self) -> None:
        payer, payee = account(credit_limit=1_000), account()
        domain.check_transfer(request(payer, payee, 1_000), payer, payee)
        with pytest.raises(domain.InsufficientCredit, match="10.00"):
            domain.check_transfer(request(payer, payee, 1_001), payer, payee)


class TestRefusals:
    def test_each_rule_has_its_own_error(self) -> None:
        payer, payee = account(), account()
        cases: list[
            tuple[TransferRequest, Account | None, Account | None, type[domain.TransferRefused]]
        ] = [
            (request(payer, payer), payer, payer, domain.SameAccount),
            (request(payer, payee), None, payee, domain.UnknownAccount),
            (request(payer, payee), payer, None, domain.UnknownAccount),
            (request(payer, payee), payer, replace(payee, network="agri"), domain.CrossNetwork),
            (
                request(payer, payee),
                replace(payer, status=AccountStatus.FROZEN),
                payee,
                domain.AccountFrozen,
            ),
            (
                request(payer, payee),
                payer,
                replace(payee, status=AccountStatus.CLOSED),
                domain.AccountClosed,
            ),
            (
                request(payer, payee),
                payer,
                replace(payee, max_balance=50),
                domain.MaxBalanceExceeded,
            ),
        ]
        for req, a, b, error in cases:
            with pytest.raises(error):
                domain.check_transfer(req, a, b)

    def test_amounts_must_be_positive(self) -> None:
        with pytest.raises(domain.NonPositiveAmount):
            request(account(), account(), 0)
        with pytest.raises(domain.NonPositiveAmount):
            request(account(), account(), -5)

    def test_refusal_codes_are_stable(self) -> None:
        assert set(domain.REFUSALS) == {
            "insufficient_credit",
            "account_frozen",
            "account_closed",
            "unknown_account",
            "cross_network",
            "same_account",
            "max_balance_exceeded",
            "invalid_reversal",
        }


class TestIdempotencyFingerprint:
    def test_the_same_content_gives_the_same_fingerprint(self) -> None:
        payer, payee = account(), account()
        first = request(payer, payee, 100, reference="F1")
        assert replace(first, id=uuid.uuid4()).fingerprint == first.fingerprint

    @pytest.mark.parametrize(
        "change",
        [
            {"amount": 101},
            {"reference": "F2"},
            {"hold": True},
            {"kind": TransferKind.CORRECTION},
        ],
    )
    def test_any_change_of_content_changes_it(self, change: dict[str, object]) -> None:
        first = request(account(), account(), 100, reference="F1")
        assert replace(first, **change).fingerprint != first.fingerprint  # type: ignore[arg-type]


class TestTwoPhase:
    def record(self, **kw: object) -> TransferRecord:
        values: dict[str, object] = {
            "id": uuid.uuid4(),
            "network": NET,
            "payer": uuid.uuid4(),
            "payee": uuid.uuid4(),
            "amount": 100,
            "kind": TransferKind.HOLD,
            "status": TransferStatus.PENDING,
            "reference": "",
            "created_at": datetime.now(UTC),
            "expires_at": datetime.now(UTC) + timedelta(days=1),
        }
        values.update(kw)
        return TransferRecord(**values)  # type: ignore[arg-type]

    def test_only_a_pending_unexpired_hold_can_be_posted(self) -> None:
        now = datetime.now(UTC)
        domain.ensure_postable(self.record(), now)
        with pytest.raises(domain.HoldExpired):
            domain.ensure_postable(self.record(expires_at=now), now)
        with pytest.raises(domain.InvalidTransferState):
            domain.ensure_postable(self.record(status=TransferStatus.VOIDED), now)

    def test_a_posted_transfer_cannot_be_voided(self) -> None:
        with pytest.raises(domain.InvalidTransferState):
            domain.ensure_voidable(self.record(status=TransferStatus.POSTED))


class TestReversal:
    def test_mirrors_a_posted_transfer_exactly(self) -> None:
        payer, payee = account(), account()
        original = TransferRecord(
            id=uuid.uuid4(),
            network=NET,
            payer=payer.id,
            payee=payee.id,
            amount=700,
            kind=TransferKind.DIRECT,
            status=TransferStatus.POSTED,
            reference="",
            created_at=datetime.now(UTC),
        )
        good = request(payee, payer, 700, kind=TransferKind.REVERSAL, reverses=original.id)
        domain.check_reversal(good, original)
        for bad in (replace(good, amount=699), replace(good, payer=payer.id, payee=payee.id)):
            with pytest.raises(domain.InvalidReversal):
                domain.check_reversal(bad, original)
        with pytest.raises(domain.InvalidReversal):
            domain.check_reversal(good, None)
        with pytest.raises(domain.InvalidReversal):
            domain.check_reversal(good, replace(original, status=TransferStatus.PENDING))


def test_credit_limit_cannot_go_below_what_is_used() -> None:
    used = account(balance=-600, pending_debits=100)
    used.ensure_limit_allows(700)
    with pytest.raises(domain.CreditLimitTooLow, match="7.00"):
        used.ensure_limit_allows(699)
    with pytest.raises(domain.CreditLimitTooLow):
        account().ensure_limit_allows(-1)


def test_fee_accounts_have_a_stable_id_per_network() -> None:
    assert domain.fees_account_id(NET) == domain.fees_account_id(NET)
    assert domain.fees_account_id(NET) != domain.fees_account_id("agri-echange")


def test_amounts_are_formatted_like_the_api() -> None:
    assert domain.format_amount(125_050) == "1250.50"
    assert domain.format_amount(-5) == "-0.05"


def held_for_approval(**kw: object) -> TransferRecord:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "network": NET,
        "payer": uuid.uuid4(),
        "payee": uuid.uuid4(),
        "amount": 50_000,
        "kind": TransferKind.DIRECT,
        "status": TransferStatus.PENDING,
        "reference": "",
        "created_at": datetime.now(UTC),
        "initiated_by": "alice",
        "approval_required": True,
    }
    values.update(kw)
    return TransferRecord(**values)  # type: ignore[arg-type]


class TestFourEyes:
    def test_only_an_amount_above_the_networks_threshold_waits(self) -> None:
        network = domain.Network(
            slug=NET, unit_code="ACT", default_credit_limit=0, hold_expiry_days=30
        )
        assert not network.needs_approval(10**12)  # no threshold: never
        network = replace(network, manual_transfer_approval_threshold=10_000)
        assert not network.needs_approval(10_000)
        assert network.needs_approval(10_001)
        assert replace(network, manual_transfer_approval_threshold=0).needs_approval(1)

    def test_another_animator_decides_once(self) -> None:
        pending = held_for_approval()
        assert domain.check_decision(pending, "bob", approve=True)
        assert domain.check_decision(pending, "bob", approve=False)

    def test_the_initiator_can_neither_approve_nor_reject(self) -> None:
        pending = held_for_approval()
        for approve in (True, False):
            with pytest.raises(domain.SameApprover):
                domain.check_decision(pending, "alice", approve=approve)
        # even once decided: the answer to the initiator does not depend on the state
        with pytest.raises(domain.SameApprover):
            domain.check_decision(
                held_for_approval(status=TransferStatus.POSTED), "alice", approve=True
            )

    def test_the_same_decision_again_is_a_replay_and_the_opposite_is_refused(self) -> None:
        posted = held_for_approval(status=TransferStatus.POSTED, approved_by="bob")
        assert domain.check_decision(posted, "carol", approve=True) is False
        with pytest.raises(domain.InvalidTransferState):
            domain.check_decision(posted, "carol", approve=False)
        voided = held_for_approval(status=TransferStatus.VOIDED, rejected_by="bob")
        assert domain.check_decision(voided, "bob", approve=False) is False
        with pytest.raises(domain.InvalidTransferState):
            domain.check_decision(voided, "bob", approve=True)

    def test_a_transfer_not_held_for_approval_has_nothing_to_decide(self) -> None:
        with pytest.raises(domain.ApprovalNotRequired):
            domain.check_decision(held_for_approval(approval_required=False), "bob", approve=True)


class TestMoves:
    def test_an_account_with_a_pending_hold_does_not_move(self) -> None:
        domain.ensure_movable(account(balance=-500))
        for busy in (account(pending_debits=100), account(pending_credits=100)):
            with pytest.raises(domain.MemberBusy):
                domain.ensure_movable(busy)
