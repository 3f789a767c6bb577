"""Trade between networks: links, clearing accounts, conversion and the saga's state machine.

Standard library only. Each network keeps its own books in its own unit; a network trades with a
linked network through a **clearing account** it holds for that partner (an account of no member,
kind ``clearing``, whose credit limit is how far the network lets it go below zero). A
cross-network transfer is a saga of two holds, one in each network's books, then two posts, or
two voids: never one transaction over both networks' data, so it works when they live in two
databases.

Conversion: a link's ``rate`` is how many units of network *b* one unit of network *a* is worth.
An amount in cents of *a* becomes ``round(amount * rate)`` cents of *b*; an amount of *b* becomes
``round(amount / rate)`` cents of *a*. Rounding is to the nearest cent, halves away from zero
(the commercial rounding of French invoices); the rate is frozen when the saga starts, so both
sides always move the amounts recorded in the saga, and the clearing balances mirror each other
exactly at those recorded amounts (checked by :func:`mirror_problems`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from chassis.money import convert, format_rate
from ledger.domain import LedgerError

CLEARING_NAMESPACE = uuid5(NAMESPACE_URL, "https://trocactif.org/ledger/clearing")
SAGA_NAMESPACE = uuid5(NAMESPACE_URL, "https://trocactif.org/ledger/federation-saga")
#: Rates have at most this many decimals (``0.00000001``), and lie in ``(0, MAX_RATE]``.
RATE_DECIMALS = 8
MAX_RATE = Decimal(10**6)
#: A saga's holds outlive its deadline by this much: once the saga has decided to post, the post
#: of each side never meets an expired hold, unless the worker stays down longer than this.
HOLD_MARGIN = timedelta(days=30)


class LinkStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


# --- errors ------------------------------------------------------------------------------------


class FederationError(LedgerError):
    code = "federation_error"


class LinkNotFound(FederationError):
    code = "link_not_found"


class LinkSuspended(FederationError):
    code = "link_suspended"


class NotLinked(FederationError):
    """The payer and the payee are not one in each network of the link."""

    code = "not_linked"


class AmountTooSmall(FederationError):
    """The converted amount rounds to zero cents: the payee would receive nothing."""

    code = "amount_too_small"


class InvalidRate(FederationError):
    code = "invalid_rate"


class InvalidConversion(FederationError):
    """A frozen rate and converted amount that do not go together (or one without the other)."""

    code = "invalid_conversion"


class SagaNotFound(FederationError):
    code = "federated_transfer_not_found"


# --- rates and conversion ----------------------------------------------------------------------


def parse_rate(value: str | Decimal) -> Decimal:
    """A link's rate: a positive decimal with at most ``RATE_DECIMALS`` decimals."""
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidRate(f"not a decimal rate: {value!r}") from None
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
        raise InvalidRate(f"a rate is a positive decimal up to {MAX_RATE}")
    if rate != rate.quantize(Decimal(1).scaleb(-RATE_DECIMALS)):
        raise InvalidRate(f"a rate has at most {RATE_DECIMALS} decimals")
    return rate.normalize() if rate == rate.to_integral_value() else rate


def conversion_matches(amount: int, converted: int, rate: Decimal, *, a_to_b: bool) -> bool:
    """Whether ``converted`` (payee's cents) is worth ``amount`` (payer's cents) at ``rate``.

    Either way round, to the cent: the conversion of ``amount``, or ``amount`` the conversion
    back of ``converted``. A seller's invoice fixes what the payee receives, so the payer pays
    its conversion back; rounding makes the two directions differ by a cent at times, and each
    is exact for the side that fixed its amount. ``a_to_b``: the payer is the link's *a* side.
    """
    return converted == convert(amount, rate, a_to_b=a_to_b) or amount == convert(
        converted, rate, a_to_b=not a_to_b
    )


def clearing_account_id(network: str, partner: str) -> UUID:
    """The deterministic id of ``network``'s clearing account for ``partner``."""
    return uuid5(CLEARING_NAMESPACE, f"{network}|{partner}")


def saga_id_for(requester: str, key: str) -> UUID:
    """A saga's id from its requester and the Idempotency-Key it sent."""
    return uuid5(SAGA_NAMESPACE, f"{requester}|{key}")


@dataclass(frozen=True, slots=True)
class Link:
    """The ledger's copy of a link between two networks (the gateway owns the record)."""

    id: UUID
    network_a: str
    network_b: str
    rate: Decimal
    limit_a: int
    limit_b: int
    status: LinkStatus = LinkStatus.ACTIVE

    def partner_of(self, network: str) -> str:
        if network == self.network_a:
            return self.network_b
        if network == self.network_b:
            return self.network_a
        raise NotLinked(f"network {network!r} is not part of the link {self.id}")

    def limit_of(self, network: str) -> int:
        return self.limit_a if network == self.network_a else self.limit_b

    def ensure_active(self) -> None:
        if self.status is not LinkStatus.ACTIVE:
            raise LinkSuspended(f"the link {self.id} is suspended")

    def converted(self, amount: int, payer_network: str) -> int:
        """What the payee's side moves for ``amount`` cents of the payer's side, at today's rate."""
        return convert(amount, self.rate, a_to_b=payer_network == self.network_a)


# --- the saga ----------------------------------------------------------------------------------


class SagaState(StrEnum):
    STARTED = "started"  # next: hold on the payer's side
    PAYER_HELD = "payer_held"  # next: hold on the payee's side
    POSTING = "posting"  # both held: decided, next post the payer's side
    PAYER_POSTED = "payer_posted"  # next: post the payee's side
    POSTED = "posted"  # done, both posted
    VOIDING = "voiding"  # decided against: void both sides' holds
    VOIDED = "voided"  # done, nothing moved on either side
    REFUSED = "refused"  # done: the payer's side refused its hold, nothing held anywhere


TERMINAL = frozenset({SagaState.POSTED, SagaState.VOIDED, SagaState.REFUSED})
#: States in which the saga has not decided yet: its deadline may still void it.
UNDECIDED = frozenset({SagaState.STARTED, SagaState.PAYER_HELD})


class Step(StrEnum):
    HOLD_PAYER = "hold_payer"
    HOLD_PAYEE = "hold_payee"
    POST_PAYER = "post_payer"
    POST_PAYEE = "post_payee"
    VOID_BOTH = "void_both"


NEXT_STEP: dict[SagaState, Step] = {
    SagaState.STARTED: Step.HOLD_PAYER,
    SagaState.PAYER_HELD: Step.HOLD_PAYEE,
    SagaState.POSTING: Step.POST_PAYER,
    SagaState.PAYER_POSTED: Step.POST_PAYEE,
    SagaState.VOIDING: Step.VOID_BOTH,
}


@dataclass(frozen=True, slots=True)
class Saga:
    """One cross-network transfer: its frozen amounts and where it stands.

    The payer pays ``amount`` (cents of the payer's network) into its network's clearing account
    for the partner; the partner's clearing account pays ``converted_amount`` (cents of the
    payee's network, at ``rate`` frozen at the start) to the payee. Transfer ids on both sides
    are derived from the saga's id: every step is idempotent.
    """

    id: UUID
    link_id: UUID
    payer_network: str
    payee_network: str
    payer: UUID
    payee: UUID
    amount: int
    converted_amount: int
    rate: Decimal
    reference: str
    state: SagaState
    created_at: datetime
    deadline: datetime
    updated_at: datetime
    requested_by: str | None = None
    refusal_code: str | None = None
    refusal_reason: str | None = None

    @classmethod
    def start(
        cls,
        *,
        id: UUID,
        link: Link,
        payer_network: str,
        payer: UUID,
        payee: UUID,
        amount: int,
        reference: str,
        now: datetime,
        ttl: timedelta,
        requested_by: str | None = None,
        rate: Decimal | None = None,
        converted_amount: int | None = None,
    ) -> Saga:
        """A new saga; refuses what the link does not allow.

        Without ``rate`` and ``converted_amount`` it converts at the link's current rate. With
        both (a rate frozen earlier, e.g. at an invoice's issue) it moves exactly these amounts,
        provided they go together (:func:`conversion_matches`); one without the other is refused.
        """
        link.ensure_active()
        payee_network = link.partner_of(payer_network)
        if amount <= 0:
            raise AmountTooSmall("amount must be a positive number of cents")
        if (rate is None) != (converted_amount is None):
            raise InvalidConversion(
                "a frozen rate comes with its converted amount: give both, or neither"
            )
        if rate is None or converted_amount is None:
            rate = link.rate
            converted = link.converted(amount, payer_network)
            if converted <= 0:
                raise AmountTooSmall("the converted amount rounds to zero")
        else:
            rate = parse_rate(rate)
            converted = converted_amount
            if converted <= 0:
                raise AmountTooSmall("the converted amount must be a positive number of cents")
            a_to_b = payer_network == link.network_a
            if not conversion_matches(amount, converted, rate, a_to_b=a_to_b):
                raise InvalidConversion(
                    f"{converted} cents is not the conversion of {amount} cents at the rate "
                    f"{format_rate(rate)} (nor the other way round), to the cent"
                )
        return cls(
            id=id,
            link_id=link.id,
            payer_network=payer_network,
            payee_network=payee_network,
            payer=payer,
            payee=payee,
            amount=amount,
            converted_amount=converted,
            rate=rate,
            reference=reference,
            state=SagaState.STARTED,
            created_at=now,
            deadline=now + ttl,
            updated_at=now,
            requested_by=requested_by,
        )

    # -- identities of each side's transfer and accounts ---------------------------------------
    @property
    def payer_transfer_id(self) -> UUID:
        return uuid5(self.id, "payer")

    @property
    def payee_transfer_id(self) -> UUID:
        return uuid5(self.id, "payee")

    @property
    def payer_clearing(self) -> UUID:
        """The payer network's clearing account for the payee's network: it receives."""
        return clearing_account_id(self.payer_network, self.payee_network)

    @property
    def payee_clearing(self) -> UUID:
        """The payee network's clearing account for the payer's network: it pays."""
        return clearing_account_id(self.payee_network, self.payer_network)

    @property
    def hold_expiry(self) -> datetime:
        return self.deadline + HOLD_MARGIN

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL

    @property
    def next_step(self) -> Step | None:
        return NEXT_STEP.get(self.state)

    # -- transitions: each returns the saga after a step's outcome -----------------------------
    def _to(self, state: SagaState, now: datetime, **changes: object) -> Saga:
        return replace(self, state=state, updated_at=now, **changes)  # type: ignore[arg-type]

    def held(self, step: Step, now: datetime) -> Saga:
        """A hold succeeded (or was found made by an earlier run of the step)."""
        if step is Step.HOLD_PAYER and self.state is SagaState.STARTED:
            return self._to(SagaState.PAYER_HELD, now)
        if step is Step.HOLD_PAYEE and self.state is SagaState.PAYER_HELD:
            return self._to(SagaState.POSTING, now)
        raise InvalidSagaStep(f"saga {self.id}: {step} does not apply in state {self.state}")

    def refused(self, step: Step, code: str, reason: str, now: datetime) -> Saga:
        """A side refused its hold: nothing held (payer side) or the payer's hold to void."""
        changes = {"refusal_code": code, "refusal_reason": reason}
        if step is Step.HOLD_PAYER and self.state is SagaState.STARTED:
            return self._to(SagaState.REFUSED, now, **changes)
        if step is Step.HOLD_PAYEE and self.state is SagaState.PAYER_HELD:
            return self._to(SagaState.VOIDING, now, **changes)
        raise InvalidSagaStep(f"saga {self.id}: {step} does not apply in state {self.state}")

    def posted(self, step: Step, now: datetime) -> Saga:
        if step is Step.POST_PAYER and self.state is SagaState.POSTING:
            return self._to(SagaState.PAYER_POSTED, now)
        if step is Step.POST_PAYEE and self.state is SagaState.PAYER_POSTED:
            return self._to(SagaState.POSTED, now)
        raise InvalidSagaStep(f"saga {self.id}: {step} does not apply in state {self.state}")

    def voided(self, now: datetime) -> Saga:
        if self.state is not SagaState.VOIDING:
            raise InvalidSagaStep(f"saga {self.id}: void does not apply in state {self.state}")
        return self._to(SagaState.VOIDED, now)

    def expire(self, now: datetime) -> Saga:
        """Past its deadline and still undecided: void both sides."""
        if self.state not in UNDECIDED or now < self.deadline:
            return self
        return self._to(
            SagaState.VOIDING,
            now,
            refusal_code="expired",
            refusal_reason="the transfer was not settled on both sides before its deadline",
        )


class InvalidSagaStep(FederationError):
    code = "invalid_saga_step"


# --- the mirror invariant ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClearingPosition:
    """What the posted sagas of a link say each side's clearing balance must be."""

    balance_a: int = 0
    balance_b: int = 0


def expected_clearing(link: Link, sagas: Iterable[Saga]) -> ClearingPosition:
    """Each side's clearing balance as the posted sagas of the link make it.

    A saga from *a* to *b* credits *a*'s clearing account with the amount paid and debits *b*'s
    with the converted amount; the other way round for a saga from *b* to *a*.
    """
    a = b = 0
    for saga in sagas:
        if saga.link_id != link.id or saga.state is not SagaState.POSTED:
            continue
        if saga.payer_network == link.network_a:
            a += saga.amount
            b -= saga.converted_amount
        else:
            b += saga.amount
            a -= saga.converted_amount
    return ClearingPosition(a, b)


def mirror_problems(
    link: Link, sagas: Iterable[Saga], balance_a: int | None, balance_b: int | None
) -> list[str]:
    """The breaches of the mirror invariant of one link (empty: all is well).

    Every posted saga moved amounts that go together at its frozen rate
    (:func:`conversion_matches`); each clearing balance is the sum its side's postings of those
    sagas make.
    """
    sagas = [s for s in sagas if s.link_id == link.id]
    problems = []
    for saga in sagas:
        if saga.state is not SagaState.POSTED:
            continue
        a_to_b = saga.payer_network == link.network_a
        if not conversion_matches(saga.amount, saga.converted_amount, saga.rate, a_to_b=a_to_b):
            expected = convert(saga.amount, saga.rate, a_to_b=a_to_b)
            problems.append(
                f"saga {saga.id}: converted {saga.converted_amount} != {expected} at its rate"
            )
    position = expected_clearing(link, sagas)
    if (balance_a or 0) != position.balance_a:
        problems.append(
            f"link {link.id}: clearing balance of {link.network_a} is {balance_a or 0}, "
            f"the posted transfers make it {position.balance_a}"
        )
    if (balance_b or 0) != position.balance_b:
        problems.append(
            f"link {link.id}: clearing balance of {link.network_b} is {balance_b or 0}, "
            f"the posted transfers make it {position.balance_b}"
        )
    return problems
