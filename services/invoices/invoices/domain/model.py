"""The invoice and its life: draft, issue, the settlement saga's states, credit notes.

Standard library only. ``Invoice`` methods check who may do what *in which status* and change the
invoice; they return a :class:`Change` naming the facts to publish and the ledger commands to
send, which the handlers stage in the outbox in the same transaction. Who the actor is (seller,
buyer, animator) is checked by the HTTP edge; the status rules are here.

States (DESIGN.md §4): ``draft -> issued -> accepted -> awaiting_validation -> validated ->
settled``, with the side exits ``disputed``, ``rejected``, ``expired`` and ``cancelled``.
``accepted`` means the hold of the buyer's unit part is asked of the ledger; ``validated`` means
the animator validated and the ledger is posting it (so the queue empties at once and the buyer
can no longer dispute). A refused hold (not enough credit) sends the invoice back to ``issued``
with the reason: the buyer may accept again later (a new attempt, a new hold id), or the seller
cancels it with a credit note.

An invoice to a member of a linked network (``federation``, see ``domain.federation``) holds
nothing before validation: accepted, it awaits validation at once; validated, it asks the
ledger's saga to hold and post both networks' sides (``StartSaga``); the saga's end settles it,
or sends it back to ``issued`` with the reason, as a refused hold does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from chassis.money import format_rate
from invoices.domain import ids
from invoices.domain.errors import (
    InvalidInvoice,
    InvalidTransition,
    MemberNotActive,
    MissingMention,
    NotIssued,
    SameParty,
)
from invoices.domain.federation import CrossNetwork
from invoices.domain.fees import FeeTerms
from invoices.domain.money import (
    Line,
    Parts,
    Totals,
    commission_of,
    ensure_payment_mode,
    format_cents,
    parts_of,
    totals_of,
)


class Status(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    ACCEPTED = "accepted"
    AWAITING_VALIDATION = "awaiting_validation"
    VALIDATED = "validated"
    SETTLED = "settled"
    DISPUTED = "disputed"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Kind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


#: Statuses in which a hold may be pending at the ledger (asked for, or confirmed).
HOLD_STATES = frozenset({Status.ACCEPTED, Status.AWAITING_VALIDATION, Status.VALIDATED})
#: Statuses in which the invoice no longer wants its hold: a confirmation is answered by a void.
UNWANTED_HOLD_STATES = frozenset(
    {Status.DISPUTED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED, Status.ISSUED}
)


# --- the parties and the network's terms ---------------------------------------------------------

_POSTCODE = re.compile(r"^\d{5}$")


@dataclass(frozen=True, slots=True)
class Address:
    """A French postal address (the country is FR: every network so far is French)."""

    street: str
    postal_code: str
    city: str
    country: str = "FR"

    @classmethod
    def parse(cls, raw: object, field: str) -> Address:
        if not isinstance(raw, dict):
            raise InvalidInvoice("give the address as {street, postal_code, city}", field=field)
        street = str(raw.get("street") or "").strip()
        postal = str(raw.get("postal_code") or "").replace(" ", "")
        city = str(raw.get("city") or "").strip()
        if not street or len(street) > 200:
            raise InvalidInvoice(
                "the street is required (200 characters at most)", field=f"{field}.street"
            )
        if not _POSTCODE.match(postal):
            raise InvalidInvoice("a French postal code has 5 digits", field=f"{field}.postal_code")
        if not city or len(city) > 100:
            raise InvalidInvoice(
                "the city is required (100 characters at most)", field=f"{field}.city"
            )
        return cls(street, postal, city)

    def as_dict(self) -> dict[str, str]:
        return {
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, str] | None) -> Address | None:
        if not raw:
            return None
        return cls(raw["street"], raw["postal_code"], raw["city"], raw.get("country", "FR"))

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True, slots=True)
class Party:
    """A member as the invoice shows it: a snapshot, frozen at issue (a later rename of the
    company does not rewrite its past invoices)."""

    member_id: UUID
    tenant: str
    name: str
    siret: str
    vat_number: str | None = None
    address: Address | None = None
    status: str = "active"

    @property
    def siren(self) -> str:
        return self.siret[:9]

    def ensure_active(self, role: str) -> None:
        if self.status != "active":
            raise MemberNotActive(
                f"the {role} is {self.status}, not active", field=f"{role}_member_id"
            )

    def as_dict(self) -> dict[str, object]:
        return {
            "member_id": str(self.member_id),
            "tenant": self.tenant,
            "name": self.name,
            "siret": self.siret,
            "vat_number": self.vat_number,
            "address": self.address.as_dict() if self.address else None,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> Party:
        return cls(
            member_id=UUID(str(raw["member_id"])),
            tenant=str(raw["tenant"]),
            name=str(raw["name"]),
            siret=str(raw["siret"]),
            vat_number=raw.get("vat_number") or None,  # type: ignore[arg-type]
            address=Address.from_dict(raw.get("address")),  # type: ignore[arg-type]
            status=str(raw.get("status") or "active"),
        )


@dataclass(frozen=True, slots=True)
class NetworkTerms:
    """The invoices' copy of a network's settings (from the gateway's events)."""

    slug: str
    name: str
    unit_code: str
    unit_name: str
    unit_symbol: str
    payment_modes: tuple[int, ...]
    vat_settlement: str
    commission_rate: Decimal
    commission_charged_in: str
    hold_expiry_days: int
    buyer_acceptance_required: bool = True
    membership_fee: FeeTerms | None = None
    #: Payments without an invoice: "off", "request" or "both" (requests and direct payments).
    direct_payments: str = "off"
    #: Payments without an invoice below this amount (cents) skip validation; 0: never.
    direct_payments_threshold: int = 0


# --- what a transition asks for ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceHold:
    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: int
    reference: str


@dataclass(frozen=True, slots=True)
class PostHold:
    transfer_id: UUID


@dataclass(frozen=True, slots=True)
class VoidHold:
    transfer_id: UUID
    reason: str


@dataclass(frozen=True, slots=True)
class MoveUnits:
    """A posted transfer at once: a reversal (credit note) or a commission."""

    transfer_id: UUID
    payer: UUID
    payee: UUID
    amount: int
    kind: str  # "reversal" | "fee"
    reference: str
    reverses: UUID | None = None  # for a reversal: the posted transfer paid back
    #: The network whose books it moves, when not the invoice's (the buyer network's commission).
    network: str | None = None


@dataclass(frozen=True, slots=True)
class StartSaga:
    """A cross-network invoice's settlement: the ledger's saga holds and posts both sides.

    ``amount`` is the buyer's (payer's) cents, ``converted_amount`` the seller's, both frozen
    at issue with the link's ``rate``."""

    saga_id: UUID
    link_id: UUID
    payer_network: str
    payer: UUID
    payee: UUID
    amount: int
    rate: Decimal
    converted_amount: int
    reference: str


LedgerCommand = PlaceHold | PostHold | VoidHold | MoveUnits | StartSaga


@dataclass
class Change:
    """The outcome of a transition: facts to publish (by name) and ledger commands to send."""

    events: list[str] = field(default_factory=list)
    commands: list[LedgerCommand] = field(default_factory=list)
    #: True when the action found its work already done (an idempotent replay).
    replayed: bool = False

    def extend(self, other: Change) -> Change:
        self.events += other.events
        self.commands += other.commands
        return self


def require_status(
    status: StrEnum, allowed: tuple[StrEnum, ...], *, action: str, what: str
) -> None:
    """Refuse ``action`` on ``what`` (an invoice, a payment) unless it is in an allowed status."""
    if status not in allowed:
        statuses = ", ".join(s.value for s in allowed)
        raise InvalidTransition(
            f"cannot {action} {what} that is {status.value} (only when {statuses})"
        )


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Commission:
    rate: Decimal
    base: int
    amount: int
    charged_in: str


# --- the invoice ---------------------------------------------------------------------------------


@dataclass
class Invoice:
    """An invoice (or a credit note, ``kind``) and where it stands in the settlement saga."""

    id: UUID
    network: str
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    payment_mode: int
    delivery_date: date
    totals: Totals
    parts: Parts
    vat_settlement: str
    unit_code: str
    unit_name: str
    unit_symbol: str
    network_name: str
    created_at: datetime
    kind: Kind = Kind.INVOICE
    status: Status = Status.DRAFT
    number: str | None = None
    issue_date: date | None = None
    listing_id: UUID | None = None
    buyer_reference: str = ""
    note: str = ""
    vat_exemption_reason: str = ""
    acceptance_required: bool = True
    euro_status: str = "none"  # "none" (no euro part) | "unpaid" | "paid"
    euro_paid_on: date | None = None
    attempt: int = 0
    transfer_id: UUID | None = None
    hold_expires_at: datetime | None = None
    refusal: Refusal | None = None
    dispute_reason: str = ""
    rejection_reason: str = ""
    cancel_reason: str = ""
    credited_invoice_id: UUID | None = None
    credited_invoice_number: str | None = None
    credited_invoice_date: date | None = None
    credit_note_id: UUID | None = None
    reversal_transfer_id: UUID | None = None
    reversal_status: str | None = None  # "pending" | "posted" | "refused"
    reversal_reason: str = ""
    commission_rate: Decimal = Decimal(0)
    commission_charged_in: str = "unit"
    #: The buyer's side when the buyer is a member of another (linked) network, else None.
    federation: CrossNetwork | None = None
    issued_at: datetime | None = None
    accepted_at: datetime | None = None
    awaiting_since: datetime | None = None
    validated_at: datetime | None = None
    validated_by: str | None = None
    settled_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = 0

    # -- drafting --------------------------------------------------------------------------------
    @classmethod
    def draft(
        cls,
        *,
        id: UUID,
        terms: NetworkTerms,
        seller: Party,
        buyer: Party,
        lines: Sequence[Line],
        payment_mode: int,
        delivery_date: date,
        now: datetime,
        listing_id: UUID | None = None,
        buyer_reference: str = "",
        note: str = "",
        vat_exemption_reason: str = "",
        cross_network: Callable[[int], CrossNetwork] | None = None,
    ) -> Invoice:
        """A new draft; refused if the parties, lines or payment mode break a rule.

        ``cross_network`` gives the buyer's side of a unit part when the buyer is of another
        network (at the link's current rate)."""
        if seller.member_id == buyer.member_id:
            raise SameParty("the seller cannot invoice itself", field="buyer_member_id")
        seller.ensure_active("seller")
        buyer.ensure_active("buyer")
        ensure_payment_mode(payment_mode, terms.payment_modes)
        totals = totals_of(lines)
        invoice = cls(
            id=id,
            network=terms.slug,
            seller=seller,
            buyer=buyer,
            lines=tuple(lines),
            payment_mode=payment_mode,
            delivery_date=delivery_date,
            totals=totals,
            parts=parts_of(totals, payment_mode, terms.vat_settlement),
            vat_settlement=terms.vat_settlement,
            unit_code=terms.unit_code,
            unit_name=terms.unit_name,
            unit_symbol=terms.unit_symbol,
            network_name=terms.name,
            created_at=now,
            listing_id=listing_id,
            buyer_reference=buyer_reference,
            note=note,
            vat_exemption_reason=vat_exemption_reason,
            acceptance_required=terms.buyer_acceptance_required,
            commission_rate=terms.commission_rate,
            commission_charged_in=terms.commission_charged_in,
        )
        invoice.ensure_vat_rules()
        if cross_network is not None:
            invoice.federation = cross_network(invoice.parts.unit_part)
        return invoice

    @property
    def cross_network(self) -> bool:
        return self.federation is not None

    def follow_rate(self, cross_network: Callable[[int], CrossNetwork]) -> bool:
        """A draft follows the link's current rate; an issued invoice keeps its frozen one."""
        if not self.is_draft or self.federation is None:
            return False
        self.federation = cross_network(self.parts.unit_part)
        return True

    def ensure_vat_rules(self) -> None:
        """A seller without a VAT number cannot charge VAT (franchise: 0 % lines only)."""
        if self.seller.vat_number is None and any(line.vat_rate > 0 for line in self.lines):
            raise MissingMention(
                "the seller has no VAT number: it can only invoice at 0 % VAT "
                "(TVA non applicable, art. 293 B du CGI)",
                field="lines",
            )

    def ensure_mentions(self) -> None:
        """Every mandatory mention of a French invoice is known (checked at issue)."""
        for role, party in (("seller", self.seller), ("buyer", self.buyer)):
            if party.address is None:
                raise MissingMention(
                    f"the {role}'s address is unknown: give {role}_address in the draft",
                    field=f"{role}_address",
                )
        self.ensure_vat_rules()

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT

    @property
    def exemption_text(self) -> str:
        """The reason printed (and put in the XML) for 0 % lines."""
        if self.vat_exemption_reason:
            return self.vat_exemption_reason
        if self.seller.vat_number is None:
            return "TVA non applicable, art. 293 B du CGI"
        return "Exonération de TVA"

    @property
    def reference(self) -> str:
        """How the ledger's statement names this invoice's transfers."""
        label = "Avoir" if self.kind is Kind.CREDIT_NOTE else "Facture"
        return f"{label} {self.number or self.id}"

    def compensation_mention(self) -> str:
        """The mention of DESIGN.md: "Paiement par compensation — 100 % Actif via Troc Actif"."""
        return (
            f"Paiement par compensation \u2014 {self.payment_mode} % {self.unit_name} "
            f"via {self.network_name}"
        )

    def cross_network_mention(self) -> str:
        """The buyer's side of a cross-network invoice, in words ("" for any other invoice)."""
        cross = self.federation
        if cross is None:
            return ""
        frozen = "figé à l'émission" if not self.is_draft else "indicatif jusqu'à l'émission"
        return (
            f"Acheteur du réseau {cross.buyer_network} : part réglée par compensation de "
            f"{format_cents(cross.buyer_unit_part)} {cross.buyer_unit} ({cross.buyer_unit_name}),"
            f" au taux de 1 {self.unit_code} = {format_rate(cross.exchange_rate)} "
            f"{cross.buyer_unit} ({frozen})."
        )

    # -- issue -----------------------------------------------------------------------------------
    def issue(
        self,
        *,
        number: str,
        issue_date: date,
        now: datetime,
        seller: Party,
        buyer: Party,
        terms: NetworkTerms,
        cross_network: Callable[[int], CrossNetwork] | None = None,
    ) -> Change:
        """Number the draft and freeze it; without buyer acceptance, hold at once.

        A cross-network invoice (``cross_network`` given) freezes the link's rate of now."""
        if not self.is_draft:
            if (
                self.status is Status.ISSUED
                and self.refusal is not None
                and not self.acceptance_required
            ):
                return self._hold(now, resubmitted=True)  # the seller resubmits after a refusal
            return Change(replayed=True)
        # Refresh what the draft copied: the parties and the network's terms as of today.
        self.seller = _with_address(seller, self.seller.address)
        self.buyer = _with_address(buyer, self.buyer.address)
        self.seller.ensure_active("seller")
        self.buyer.ensure_active("buyer")
        ensure_payment_mode(self.payment_mode, terms.payment_modes)
        self.parts = parts_of(self.totals, self.payment_mode, terms.vat_settlement)
        self.vat_settlement = terms.vat_settlement
        self.unit_code, self.unit_name, self.unit_symbol = (
            terms.unit_code,
            terms.unit_name,
            terms.unit_symbol,
        )
        self.network_name = terms.name
        self.acceptance_required = terms.buyer_acceptance_required
        self.commission_rate = terms.commission_rate
        self.commission_charged_in = terms.commission_charged_in
        self.ensure_mentions()
        if self.federation is not None:
            if cross_network is None:
                raise InvalidTransition("the buyer's network is no longer linked to the seller's")
            self.federation = cross_network(self.parts.unit_part)
        self.number = number
        self.issue_date = issue_date
        self.issued_at = now
        self.status = Status.ISSUED
        self.euro_status = "unpaid" if self.parts.euro_part > 0 else "none"
        change = Change(events=["issued"])
        if not self.acceptance_required:
            change.extend(self._hold(now))
        return change

    # -- the buyer -------------------------------------------------------------------------------
    def accept(self, now: datetime) -> Change:
        """The buyer agrees: the ledger is asked to hold its unit part."""
        if self.status in (
            Status.ACCEPTED,
            Status.AWAITING_VALIDATION,
            Status.VALIDATED,
            Status.SETTLED,
        ):
            return Change(replayed=True)
        self._require(Status.ISSUED, action="accept")
        return self._hold(now)

    def _hold(self, now: datetime, *, resubmitted: bool = False) -> Change:
        if self.federation is not None:
            return self._await_saga(now)
        self.attempt += 1
        self.transfer_id = ids.hold_transfer_id(self.id, self.attempt)
        self.hold_expires_at = None
        self.status = Status.ACCEPTED
        self.accepted_at = now
        return Change(
            events=["accepted"],
            commands=[
                PlaceHold(
                    transfer_id=self.transfer_id,
                    payer=self.buyer.member_id,
                    payee=self.seller.member_id,
                    amount=self.parts.unit_part,
                    reference=self.reference,
                )
            ],
        )

    def _await_saga(self, now: datetime) -> Change:
        """A cross-network invoice holds nothing before validation: the ledger's saga holds
        both sides at once when the seller's animator validates. Accepted, it waits for them."""
        self.attempt += 1
        self.transfer_id = ids.federated_transfer_id(self.id, self.attempt)
        self.hold_expires_at = None
        self.status = Status.AWAITING_VALIDATION
        self.accepted_at = now
        self.awaiting_since = now
        return Change(events=["accepted", "awaiting_validation"])

    def dispute(self, reason: str, now: datetime) -> Change:
        """The buyer contests the invoice (until the animator decides); any hold is voided."""
        if self.status is Status.DISPUTED:
            return Change(replayed=True)
        self._require(Status.ISSUED, Status.ACCEPTED, Status.AWAITING_VALIDATION, action="dispute")
        change = self._release_hold(f"disputed by the buyer: {reason}")
        self.status = Status.DISPUTED
        self.dispute_reason = reason
        self.closed_at = now
        change.events.append("disputed")
        return change

    # -- the animator ----------------------------------------------------------------------------
    def validate(self, by: str, now: datetime) -> Change:
        """The seller's animator validates: the ledger posts the hold."""
        if self.status in (Status.VALIDATED, Status.SETTLED):
            return Change(replayed=True)
        if self.status is Status.ACCEPTED:
            raise InvalidTransition(
                "the ledger has not confirmed the hold of the buyer's "
                "unit part yet: validate once it is awaiting validation"
            )
        self._require(Status.AWAITING_VALIDATION, action="validate")
        assert self.transfer_id is not None
        self.status = Status.VALIDATED
        self.validated_at = now
        self.validated_by = by
        if self.federation is not None:
            return Change(events=["validated"], commands=[self._saga_command()])
        return Change(events=["validated"], commands=[PostHold(self.transfer_id)])

    def _saga_command(self) -> StartSaga:
        assert self.federation is not None and self.transfer_id is not None
        return StartSaga(
            saga_id=self.transfer_id,
            link_id=self.federation.link_id,
            payer_network=self.federation.buyer_network,
            payer=self.buyer.member_id,
            payee=self.seller.member_id,
            amount=self.federation.buyer_unit_part,
            rate=self.federation.link_rate,
            converted_amount=self.parts.unit_part,
            reference=self.reference,
        )

    def reject(self, reason: str, now: datetime) -> Change:
        """The seller's animator refuses the invoice; any hold is voided."""
        if self.status is Status.REJECTED:
            return Change(replayed=True)
        self._require(
            Status.ISSUED,
            Status.ACCEPTED,
            Status.AWAITING_VALIDATION,
            Status.DISPUTED,
            action="reject",
        )
        change = self._release_hold(f"rejected by the animator: {reason}")
        self.status = Status.REJECTED
        self.rejection_reason = reason
        self.closed_at = now
        change.events.append("rejected")
        return change

    def _release_hold(self, reason: str) -> Change:
        if self.federation is not None:
            return Change()  # nothing is held before the saga starts (at validation)
        if self.status in HOLD_STATES and self.transfer_id is not None:
            return Change(commands=[VoidHold(self.transfer_id, reason[:300])])
        return Change()

    # -- the seller: euro part and cancellation --------------------------------------------------
    def record_euro_payment(self, paid: bool, paid_on: date) -> None:
        if self.kind is not Kind.INVOICE or self.status is Status.DRAFT:
            raise NotIssued("the euro part of an invoice is tracked once it is issued")
        if self.parts.euro_part == 0:
            raise InvalidTransition(
                f"this invoice has no euro part: it is paid in full in {self.unit_name}"
            )
        if self.status is Status.CANCELLED:
            raise InvalidTransition("the invoice is cancelled")
        self.euro_status = "paid" if paid else "unpaid"
        self.euro_paid_on = paid_on if paid else None

    def cancel(self, reason: str, now: datetime) -> Change:
        """Cancel a draft outright; an issued invoice is cancelled by a credit note only."""
        if self.kind is not Kind.INVOICE:
            raise InvalidTransition("a credit note cannot be cancelled")
        if self.status is Status.CANCELLED:
            return Change(replayed=True)
        if self.status is Status.VALIDATED:
            raise InvalidTransition(
                "the ledger is posting this invoice: cancel it with a "
                "credit note once it is settled"
            )
        if self.federation is not None and self.status is Status.SETTLED:
            raise InvalidTransition(
                "a settled invoice between two networks is not reversed by a credit note: "
                "the seller invoices the other way round"
            )
        change = Change()
        if self.status is not Status.DRAFT:
            change = self._release_hold(f"cancelled by a credit note: {reason}")
            self.credit_note_id = ids.credit_note_id(self.id)
            change.events.append("credit_note_issued")
        self.status = Status.CANCELLED
        self.cancel_reason = reason
        self.closed_at = now
        change.events.append("cancelled")
        return change

    def credit_note(self, *, number: str, issue_date: date, now: datetime) -> Invoice:
        """The credit note (avoir) that cancels this invoice: same parties, lines and amounts,
        its own number in the seller's ``A`` series, referring to the invoice."""
        assert self.credit_note_id is not None and self.number is not None
        note = replace(
            self,
            id=self.credit_note_id,
            kind=Kind.CREDIT_NOTE,
            status=Status.ISSUED,
            number=number,
            issue_date=issue_date,
            created_at=now,
            issued_at=now,
            credited_invoice_id=self.id,
            credited_invoice_number=self.number,
            credited_invoice_date=self.issue_date,
            credit_note_id=None,
            attempt=0,
            transfer_id=None,
            hold_expires_at=None,
            refusal=None,
            dispute_reason="",
            rejection_reason="",
            cancel_reason=self.cancel_reason,
            accepted_at=None,
            awaiting_since=None,
            validated_at=None,
            validated_by=None,
            settled_at=None,
            closed_at=None,
            euro_status="none",
            euro_paid_on=None,
            version=0,
        )
        return note

    def reverse(self, note: Invoice) -> Change:
        """Pay the settled unit part back (seller to buyer) under the credit note ``note``.

        A posted transfer of kind ``reversal`` linked to the settled one (the ledger checks that
        it mirrors it and refuses a second reversal), its id derived from the credit note.
        """
        if note.reversal_transfer_id is not None or self.parts.unit_part <= 0:
            return Change(replayed=True)
        note.reversal_transfer_id = ids.reversal_transfer_id(note.id)
        note.reversal_status = "pending"
        return Change(
            commands=[
                MoveUnits(
                    transfer_id=note.reversal_transfer_id,
                    payer=self.seller.member_id,
                    payee=self.buyer.member_id,
                    amount=self.parts.unit_part,
                    kind="reversal",
                    reverses=self.transfer_id,
                    reference=f"Avoir {note.number} annulant la facture {self.number} "
                    f"(transfert {self.transfer_id})"[:200],
                )
            ]
        )

    # -- the ledger's answers --------------------------------------------------------------------
    def on_hold_confirmed(self, transfer_id: UUID, expires_at: datetime, now: datetime) -> Change:
        """``transfer_held``: the buyer's unit part is reserved; the animator can decide."""
        if transfer_id != self.transfer_id or self.status in UNWANTED_HOLD_STATES:
            # A stale attempt, or a hold the invoice gave up meanwhile: release it.
            return Change(commands=[VoidHold(transfer_id, "the invoice no longer needs it")])
        if self.status is not Status.ACCEPTED:
            return Change(replayed=True)
        self.status = Status.AWAITING_VALIDATION
        self.hold_expires_at = expires_at
        self.awaiting_since = now
        self.refusal = None
        return Change(events=["awaiting_validation"])

    def on_hold_refused(self, transfer_id: UUID, code: str, reason: str, now: datetime) -> Change:
        """``transfer_refused`` of the hold: back to the seller (status issued) with the reason;
        of the post (the hold is gone meanwhile): the invoice expires."""
        if transfer_id != self.transfer_id:
            return Change(replayed=True)
        if self.status is Status.ACCEPTED:
            self.status = Status.ISSUED
            self.refusal = Refusal(code, reason, now)
            self.hold_expires_at = None
            return Change(events=["hold_refused"])
        if self.status is Status.VALIDATED and code in ("hold_expired", "invalid_transfer_state"):
            self.status = Status.EXPIRED
            self.closed_at = now
            return Change(events=["expired"])
        return Change(replayed=True)

    def on_hold_voided(self, transfer_id: UUID, reason: str, now: datetime) -> Change:
        """``transfer_voided``: by expiry -> expired; by someone at the ledger -> rejected."""
        if transfer_id != self.transfer_id or self.status not in HOLD_STATES:
            return Change(replayed=True)  # our own void (dispute, reject, cancel), or stale
        self.closed_at = now
        if reason == "expired":
            self.status = Status.EXPIRED
            return Change(events=["expired"])
        self.status = Status.REJECTED
        self.rejection_reason = f"the hold was voided at the ledger: {reason}"[:300]
        return Change(events=["rejected"])

    def on_posted(self, transfer_id: UUID, now: datetime) -> Change:
        """``transfer_posted`` of the hold: the unit part moved; the invoice is settled."""
        if transfer_id != self.transfer_id or self.status is Status.SETTLED:
            return Change(replayed=True)
        if self.status is Status.CANCELLED:
            # Posted at the ledger before our void reached it: the credit note pays it back.
            self.settled_at = now
            return Change(events=["settled_after_cancellation"])
        # The ledger is the truth about money: posted means settled, whatever was asked since
        # (an animator may post a hold with the ledger's own API).
        self.status = Status.SETTLED
        self.settled_at = now
        return Change(events=["settled"])

    def on_federated_completed(
        self, saga_id: UUID, outcome: str, code: str, reason: str, now: datetime
    ) -> Change:
        """The ledger's saga ended: posted -> settled; voided or refused -> back to the seller
        (status issued, with the code and reason), as a refused hold does."""
        if self.federation is None or saga_id != self.transfer_id:
            return Change(replayed=True)
        if outcome == "posted":
            return self.on_posted(saga_id, now)
        if self.status is not Status.VALIDATED:
            return Change(replayed=True)
        self.status = Status.ISSUED
        self.refusal = Refusal(code or outcome, reason or outcome, now)
        self.awaiting_since = None
        return Change(events=["hold_refused"])

    def buyer_commission(self) -> Commission | None:
        """The buyer network's commission on a cross-network trade, paid by the buyer: its own
        rate on the invoiced amount excl. VAT converted to its unit at the frozen rate."""
        cross = self.federation
        if self.kind is not Kind.INVOICE or cross is None or cross.buyer_commission_rate <= 0:
            return None
        base = cross.to_buyer(self.totals.total_excl_vat)
        amount = commission_of(base, cross.buyer_commission_rate)
        if amount <= 0:
            return None
        return Commission(
            cross.buyer_commission_rate, base, amount, cross.buyer_commission_charged_in
        )

    def commission(self) -> Commission | None:
        """The network's commission on this trade, paid by the seller (like France Barter):
        its rate applied to the whole invoiced amount excl. VAT (both parts; VAT is the State's)."""
        if self.kind is not Kind.INVOICE or self.commission_rate <= 0:
            return None
        base = self.totals.total_excl_vat
        amount = commission_of(base, self.commission_rate)
        if amount <= 0:
            return None
        return Commission(self.commission_rate, base, amount, self.commission_charged_in)

    # -- helpers ---------------------------------------------------------------------------------
    def _require(self, *statuses: Status, action: str) -> None:
        require_status(self.status, statuses, action=action, what="an invoice")

    def summary(self) -> dict[str, str]:
        """Amounts as the API writes them (for logs and exports)."""
        return {
            "total_excl_vat": format_cents(self.totals.total_excl_vat),
            "total_vat": format_cents(self.totals.total_vat),
            "total_incl_vat": format_cents(self.totals.total_incl_vat),
            "unit_part": format_cents(self.parts.unit_part),
            "euro_part": format_cents(self.parts.euro_part),
        }


def _with_address(party: Party, override: Address | None) -> Party:
    """The directory's party, with the address the draft gave (if any) taking precedence."""
    return replace(party, address=override or party.address)


def waiting_days(since: datetime | None, now: datetime) -> int | None:
    if since is None:
        return None
    return max(0, (now - since).days)


def parties_of(invoice: Invoice) -> Iterable[Party]:
    return (invoice.seller, invoice.buyer)
