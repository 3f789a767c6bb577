from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.invoice_status import InvoiceStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.euro_payment import EuroPayment
  from ..models.invoice_buyer_commission_type_1_type_0 import InvoiceBuyerCommissionType1Type0
  from ..models.invoice_buyer_unit_type_1_type_0 import InvoiceBuyerUnitType1Type0
  from ..models.invoice_commission_type_0_type_0 import InvoiceCommissionType0Type0
  from ..models.invoice_last_refusal_type_0_type_0 import InvoiceLastRefusalType0Type0
  from ..models.invoice_queue_type_0_type_0 import InvoiceQueueType0Type0
  from ..models.invoices_commission import InvoicesCommission
  from ..models.line import Line
  from ..models.party import Party
  from ..models.queue_info import QueueInfo
  from ..models.refusal import Refusal
  from ..models.unit import Unit
  from ..models.vat_group import VatGroup





T = TypeVar("T", bound="Invoice")



@_attrs_define
class Invoice:
    """ 
        Attributes:
            acceptance_required (bool):
            attempt (int):
            buyer (Party):
            buyer_member_id (UUID):
            buyer_tenant (str):
            created_at (datetime.datetime):
            delivery_date (datetime.date):
            euro_part (str):  Example: 1250.00.
            euro_payment (EuroPayment):
            id (UUID):
            kind (str): invoice or credit_note
            lines (list[Line]):
            network (str):
            payment_mode (int):
            read_only (bool): True where the caller's tenant is only the buyer's (cross-tenant)
            seller (Party):
            seller_member_id (UUID):
            status (InvoiceStatus):
            tenant (str): The seller's tenant
            total_excl_vat (str):  Example: 1250.00.
            total_incl_vat (str):  Example: 1250.00.
            total_vat (str):  Example: 1250.00.
            unit (Unit):
            unit_part (str):  Example: 1250.00.
            vat_breakdown (list[VatGroup]):
            vat_settlement (str):
            accepted_at (datetime.datetime | None | Unset):
            awaiting_since (datetime.datetime | None | Unset):
            buyer_commission (InvoiceBuyerCommissionType1Type0 | InvoicesCommission | None | Unset): Cross-network invoice:
                the buyer network's commission
            buyer_network (str | Unset): The buyer's network (another one when linked to the seller's)
            buyer_reference (str | Unset):
            buyer_unit (InvoiceBuyerUnitType1Type0 | None | Unit | Unset): Cross-network invoice: the buyer network's unit
            buyer_unit_part (None | str | Unset): Cross-network invoice: the unit part in the buyer's unit Example: 1250.00.
            cancel_reason (str | Unset):
            closed_at (datetime.datetime | None | Unset):
            commission (InvoiceCommissionType0Type0 | InvoicesCommission | None | Unset):
            credit_note_id (None | Unset | UUID):
            credited_invoice_id (None | Unset | UUID):
            credited_invoice_number (None | str | Unset):
            dispute_reason (str | Unset):
            exchange_rate (None | str | Unset): Cross-network invoice: the buyer's units for one seller unit, a decimal
                string (the link's current rate on a draft, frozen at issue)
            federation_link_id (None | Unset | UUID):
            hold_expires_at (datetime.datetime | None | Unset):
            issue_date (datetime.date | None | Unset):
            issued_at (datetime.datetime | None | Unset):
            last_refusal (InvoiceLastRefusalType0Type0 | None | Refusal | Unset):
            listing_id (None | Unset | UUID):
            note (str | Unset):
            number (None | str | Unset):
            queue (InvoiceQueueType0Type0 | None | QueueInfo | Unset):
            rate_frozen (bool | None | Unset):
            rejection_reason (str | Unset):
            reversal_status (None | str | Unset):
            reversal_transfer_id (None | Unset | UUID):
            settled_at (datetime.datetime | None | Unset):
            transfer_id (None | Unset | UUID): The ledger hold of the unit part (its current attempt)
            validated_at (datetime.datetime | None | Unset):
     """

    acceptance_required: bool
    attempt: int
    buyer: Party
    buyer_member_id: UUID
    buyer_tenant: str
    created_at: datetime.datetime
    delivery_date: datetime.date
    euro_part: str
    euro_payment: EuroPayment
    id: UUID
    kind: str
    lines: list[Line]
    network: str
    payment_mode: int
    read_only: bool
    seller: Party
    seller_member_id: UUID
    status: InvoiceStatus
    tenant: str
    total_excl_vat: str
    total_incl_vat: str
    total_vat: str
    unit: Unit
    unit_part: str
    vat_breakdown: list[VatGroup]
    vat_settlement: str
    accepted_at: datetime.datetime | None | Unset = UNSET
    awaiting_since: datetime.datetime | None | Unset = UNSET
    buyer_commission: InvoiceBuyerCommissionType1Type0 | InvoicesCommission | None | Unset = UNSET
    buyer_network: str | Unset = UNSET
    buyer_reference: str | Unset = UNSET
    buyer_unit: InvoiceBuyerUnitType1Type0 | None | Unit | Unset = UNSET
    buyer_unit_part: None | str | Unset = UNSET
    cancel_reason: str | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    commission: InvoiceCommissionType0Type0 | InvoicesCommission | None | Unset = UNSET
    credit_note_id: None | Unset | UUID = UNSET
    credited_invoice_id: None | Unset | UUID = UNSET
    credited_invoice_number: None | str | Unset = UNSET
    dispute_reason: str | Unset = UNSET
    exchange_rate: None | str | Unset = UNSET
    federation_link_id: None | Unset | UUID = UNSET
    hold_expires_at: datetime.datetime | None | Unset = UNSET
    issue_date: datetime.date | None | Unset = UNSET
    issued_at: datetime.datetime | None | Unset = UNSET
    last_refusal: InvoiceLastRefusalType0Type0 | None | Refusal | Unset = UNSET
    listing_id: None | Unset | UUID = UNSET
    note: str | Unset = UNSET
    number: None | str | Unset = UNSET
    queue: InvoiceQueueType0Type0 | None | QueueInfo | Unset = UNSET
    rate_frozen: bool | None | Unset = UNSET
    rejection_reason: str | Unset = UNSET
    reversal_status: None | str | Unset = UNSET
    reversal_transfer_id: None | Unset | UUID = UNSET
    settled_at: datetime.datetime | None | Unset = UNSET
    transfer_id: None | Unset | UUID = UNSET
    validated_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.euro_payment import EuroPayment # noqa: PLC0415
        from ..models.invoice_buyer_commission_type_1_type_0 import InvoiceBuyerCommissionType1Type0 # noqa: PLC0415
        from ..models.invoice_buyer_unit_type_1_type_0 import InvoiceBuyerUnitType1Type0 # noqa: PLC0415
        from ..models.invoice_commission_type_0_type_0 import InvoiceCommissionType0Type0 # noqa: PLC0415
        from ..models.invoice_last_refusal_type_0_type_0 import InvoiceLastRefusalType0Type0 # noqa: PLC0415
        from ..models.invoice_queue_type_0_type_0 import InvoiceQueueType0Type0 # noqa: PLC0415
        from ..models.invoices_commission import InvoicesCommission # noqa: PLC0415
        from ..models.line import Line # noqa: PLC0415
        from ..models.party import Party # noqa: PLC0415
        from ..models.queue_info import QueueInfo # noqa: PLC0415
        from ..models.refusal import Refusal # noqa: PLC0415
        from ..models.unit import Unit # noqa: PLC0415
        from ..models.vat_group import VatGroup # noqa: PLC0415
        acceptance_required = self.acceptance_required

        attempt = self.attempt

        buyer = self.buyer.to_dict()

        buyer_member_id = str(self.buyer_member_id)

        buyer_tenant = self.buyer_tenant

        created_at = self.created_at.isoformat()

        delivery_date = self.delivery_date.isoformat()

        euro_part = self.euro_part

        euro_payment = self.euro_payment.to_dict()

        id = str(self.id)

        kind = self.kind

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        network = self.network

        payment_mode = self.payment_mode

        read_only = self.read_only

        seller = self.seller.to_dict()

        seller_member_id = str(self.seller_member_id)

        status = self.status.value

        tenant = self.tenant

        total_excl_vat = self.total_excl_vat

        total_incl_vat = self.total_incl_vat

        total_vat = self.total_vat

        unit = self.unit.to_dict()

        unit_part = self.unit_part

        vat_breakdown = []
        for vat_breakdown_item_data in self.vat_breakdown:
            vat_breakdown_item = vat_breakdown_item_data.to_dict()
            vat_breakdown.append(vat_breakdown_item)



        vat_settlement = self.vat_settlement

        accepted_at: None | str | Unset
        if isinstance(self.accepted_at, Unset):
            accepted_at = UNSET
        elif isinstance(self.accepted_at, datetime.datetime):
            accepted_at = self.accepted_at.isoformat()
        else:
            accepted_at = self.accepted_at

        awaiting_since: None | str | Unset
        if isinstance(self.awaiting_since, Unset):
            awaiting_since = UNSET
        elif isinstance(self.awaiting_since, datetime.datetime):
            awaiting_since = self.awaiting_since.isoformat()
        else:
            awaiting_since = self.awaiting_since

        buyer_commission: dict[str, Any] | None | Unset
        if isinstance(self.buyer_commission, Unset):
            buyer_commission = UNSET
        elif isinstance(self.buyer_commission, InvoicesCommission):
            buyer_commission = self.buyer_commission.to_dict()
        elif isinstance(self.buyer_commission, InvoiceBuyerCommissionType1Type0):
            buyer_commission = self.buyer_commission.to_dict()
        else:
            buyer_commission = self.buyer_commission

        buyer_network = self.buyer_network

        buyer_reference = self.buyer_reference

        buyer_unit: dict[str, Any] | None | Unset
        if isinstance(self.buyer_unit, Unset):
            buyer_unit = UNSET
        elif isinstance(self.buyer_unit, Unit):
            buyer_unit = self.buyer_unit.to_dict()
        elif isinstance(self.buyer_unit, InvoiceBuyerUnitType1Type0):
            buyer_unit = self.buyer_unit.to_dict()
        else:
            buyer_unit = self.buyer_unit

        buyer_unit_part: None | str | Unset
        if isinstance(self.buyer_unit_part, Unset):
            buyer_unit_part = UNSET
        else:
            buyer_unit_part = self.buyer_unit_part

        cancel_reason = self.cancel_reason

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        commission: dict[str, Any] | None | Unset
        if isinstance(self.commission, Unset):
            commission = UNSET
        elif isinstance(self.commission, InvoiceCommissionType0Type0):
            commission = self.commission.to_dict()
        elif isinstance(self.commission, InvoicesCommission):
            commission = self.commission.to_dict()
        else:
            commission = self.commission

        credit_note_id: None | str | Unset
        if isinstance(self.credit_note_id, Unset):
            credit_note_id = UNSET
        elif isinstance(self.credit_note_id, UUID):
            credit_note_id = str(self.credit_note_id)
        else:
            credit_note_id = self.credit_note_id

        credited_invoice_id: None | str | Unset
        if isinstance(self.credited_invoice_id, Unset):
            credited_invoice_id = UNSET
        elif isinstance(self.credited_invoice_id, UUID):
            credited_invoice_id = str(self.credited_invoice_id)
        else:
            credited_invoice_id = self.credited_invoice_id

        credited_invoice_number: None | str | Unset
        if isinstance(self.credited_invoice_number, Unset):
            credited_invoice_number = UNSET
        else:
            credited_invoice_number = self.credited_invoice_number

        dispute_reason = self.dispute_reason

        exchange_rate: None | str | Unset
        if isinstance(self.exchange_rate, Unset):
            exchange_rate = UNSET
        else:
            exchange_rate = self.exchange_rate

        federation_link_id: None | str | Unset
        if isinstance(self.federation_link_id, Unset):
            federation_link_id = UNSET
        elif isinstance(self.federation_link_id, UUID):
            federation_link_id = str(self.federation_link_id)
        else:
            federation_link_id = self.federation_link_id

        hold_expires_at: None | str | Unset
        if isinstance(self.hold_expires_at, Unset):
            hold_expires_at = UNSET
        elif isinstance(self.hold_expires_at, datetime.datetime):
            hold_expires_at = self.hold_expires_at.isoformat()
        else:
            hold_expires_at = self.hold_expires_at

        issue_date: None | str | Unset
        if isinstance(self.issue_date, Unset):
            issue_date = UNSET
        elif isinstance(self.issue_date, datetime.date):
            issue_date = self.issue_date.isoformat()
        else:
            issue_date = self.issue_date

        issued_at: None | str | Unset
        if isinstance(self.issued_at, Unset):
            issued_at = UNSET
        elif isinstance(self.issued_at, datetime.datetime):
            issued_at = self.issued_at.isoformat()
        else:
            issued_at = self.issued_at

        last_refusal: dict[str, Any] | None | Unset
        if isinstance(self.last_refusal, Unset):
            last_refusal = UNSET
        elif isinstance(self.last_refusal, InvoiceLastRefusalType0Type0):
            last_refusal = self.last_refusal.to_dict()
        elif isinstance(self.last_refusal, Refusal):
            last_refusal = self.last_refusal.to_dict()
        else:
            last_refusal = self.last_refusal

        listing_id: None | str | Unset
        if isinstance(self.listing_id, Unset):
            listing_id = UNSET
        elif isinstance(self.listing_id, UUID):
            listing_id = str(self.listing_id)
        else:
            listing_id = self.listing_id

        note = self.note

        number: None | str | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        queue: dict[str, Any] | None | Unset
        if isinstance(self.queue, Unset):
            queue = UNSET
        elif isinstance(self.queue, InvoiceQueueType0Type0):
            queue = self.queue.to_dict()
        elif isinstance(self.queue, QueueInfo):
            queue = self.queue.to_dict()
        else:
            queue = self.queue

        rate_frozen: bool | None | Unset
        if isinstance(self.rate_frozen, Unset):
            rate_frozen = UNSET
        else:
            rate_frozen = self.rate_frozen

        rejection_reason = self.rejection_reason

        reversal_status: None | str | Unset
        if isinstance(self.reversal_status, Unset):
            reversal_status = UNSET
        else:
            reversal_status = self.reversal_status

        reversal_transfer_id: None | str | Unset
        if isinstance(self.reversal_transfer_id, Unset):
            reversal_transfer_id = UNSET
        elif isinstance(self.reversal_transfer_id, UUID):
            reversal_transfer_id = str(self.reversal_transfer_id)
        else:
            reversal_transfer_id = self.reversal_transfer_id

        settled_at: None | str | Unset
        if isinstance(self.settled_at, Unset):
            settled_at = UNSET
        elif isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        transfer_id: None | str | Unset
        if isinstance(self.transfer_id, Unset):
            transfer_id = UNSET
        elif isinstance(self.transfer_id, UUID):
            transfer_id = str(self.transfer_id)
        else:
            transfer_id = self.transfer_id

        validated_at: None | str | Unset
        if isinstance(self.validated_at, Unset):
            validated_at = UNSET
        elif isinstance(self.validated_at, datetime.datetime):
            validated_at = self.validated_at.isoformat()
        else:
            validated_at = self.validated_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "acceptance_required": acceptance_required,
            "attempt": attempt,
            "buyer": buyer,
            "buyer_member_id": buyer_member_id,
            "buyer_tenant": buyer_tenant,
            "created_at": created_at,
            "delivery_date": delivery_date,
            "euro_part": euro_part,
            "euro_payment": euro_payment,
            "id": id,
            "kind": kind,
            "lines": lines,
            "network": network,
            "payment_mode": payment_mode,
            "read_only": read_only,
            "seller": seller,
            "seller_member_id": seller_member_id,
            "status": status,
            "tenant": tenant,
            "total_excl_vat": total_excl_vat,
            "total_incl_vat": total_incl_vat,
            "total_vat": total_vat,
            "unit": unit,
            "unit_part": unit_part,
            "vat_breakdown": vat_breakdown,
            "vat_settlement": vat_settlement,
        })
        if accepted_at is not UNSET:
            field_dict["accepted_at"] = accepted_at
        if awaiting_since is not UNSET:
            field_dict["awaiting_since"] = awaiting_since
        if buyer_commission is not UNSET:
            field_dict["buyer_commission"] = buyer_commission
        if buyer_network is not UNSET:
            field_dict["buyer_network"] = buyer_network
        if buyer_reference is not UNSET:
            field_dict["buyer_reference"] = buyer_reference
        if buyer_unit is not UNSET:
            field_dict["buyer_unit"] = buyer_unit
        if buyer_unit_part is not UNSET:
            field_dict["buyer_unit_part"] = buyer_unit_part
        if cancel_reason is not UNSET:
            field_dict["cancel_reason"] = cancel_reason
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if commission is not UNSET:
            field_dict["commission"] = commission
        if credit_note_id is not UNSET:
            field_dict["credit_note_id"] = credit_note_id
        if credited_invoice_id is not UNSET:
            field_dict["credited_invoice_id"] = credited_invoice_id
        if credited_invoice_number is not UNSET:
            field_dict["credited_invoice_number"] = credited_invoice_number
        if dispute_reason is not UNSET:
            field_dict["dispute_reason"] = dispute_reason
        if exchange_rate is not UNSET:
            field_dict["exchange_rate"] = exchange_rate
        if federation_link_id is not UNSET:
            field_dict["federation_link_id"] = federation_link_id
        if hold_expires_at is not UNSET:
            field_dict["hold_expires_at"] = hold_expires_at
        if issue_date is not UNSET:
            field_dict["issue_date"] = issue_date
        if issued_at is not UNSET:
            field_dict["issued_at"] = issued_at
        if last_refusal is not UNSET:
            field_dict["last_refusal"] = last_refusal
        if listing_id is not UNSET:
            field_dict["listing_id"] = listing_id
        if note is not UNSET:
            field_dict["note"] = note
        if number is not UNSET:
            field_dict["number"] = number
        if queue is not UNSET:
            field_dict["queue"] = queue
        if rate_frozen is not UNSET:
            field_dict["rate_frozen"] = rate_frozen
        if rejection_reason is not UNSET:
            field_dict["rejection_reason"] = rejection_reason
        if reversal_status is not UNSET:
            field_dict["reversal_status"] = reversal_status
        if reversal_transfer_id is not UNSET:
            field_dict["reversal_transfer_id"] = reversal_transfer_id
        if settled_at is not UNSET:
            field_dict["settled_at"] = settled_at
        if transfer_id is not UNSET:
            field_dict["transfer_id"] = transfer_id
        if validated_at is not UNSET:
            field_dict["validated_at"] = validated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.euro_payment import EuroPayment # noqa: PLC0415
        from ..models.invoice_buyer_commission_type_1_type_0 import InvoiceBuyerCommissionType1Type0 # noqa: PLC0415
        from ..models.invoice_buyer_unit_type_1_type_0 import InvoiceBuyerUnitType1Type0 # noqa: PLC0415
        from ..models.invoice_commission_type_0_type_0 import InvoiceCommissionType0Type0 # noqa: PLC0415
        from ..models.invoice_last_refusal_type_0_type_0 import InvoiceLastRefusalType0Type0 # noqa: PLC0415
        from ..models.invoice_queue_type_0_type_0 import InvoiceQueueType0Type0 # noqa: PLC0415
        from ..models.invoices_commission import InvoicesCommission # noqa: PLC0415
        from ..models.line import Line # noqa: PLC0415
        from ..models.party import Party # noqa: PLC0415
        from ..models.queue_info import QueueInfo # noqa: PLC0415
        from ..models.refusal import Refusal # noqa: PLC0415
        from ..models.unit import Unit # noqa: PLC0415
        from ..models.vat_group import VatGroup # noqa: PLC0415
        d = dict(src_dict)
        acceptance_required = d.pop("acceptance_required")

        attempt = d.pop("attempt")

        buyer = Party.from_dict(d.pop("buyer"))




        buyer_member_id = UUID(d.pop("buyer_member_id"))




        buyer_tenant = d.pop("buyer_tenant")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        delivery_date = datetime.date.fromisoformat(d.pop("delivery_date"))




        euro_part = d.pop("euro_part")

        euro_payment = EuroPayment.from_dict(d.pop("euro_payment"))




        id = UUID(d.pop("id"))




        kind = d.pop("kind")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = Line.from_dict(lines_item_data)



            lines.append(lines_item)


        network = d.pop("network")

        payment_mode = d.pop("payment_mode")

        read_only = d.pop("read_only")

        seller = Party.from_dict(d.pop("seller"))




        seller_member_id = UUID(d.pop("seller_member_id"))




        status = InvoiceStatus(d.pop("status"))




        tenant = d.pop("tenant")

        total_excl_vat = d.pop("total_excl_vat")

        total_incl_vat = d.pop("total_incl_vat")

        total_vat = d.pop("total_vat")

        unit = Unit.from_dict(d.pop("unit"))




        unit_part = d.pop("unit_part")

        vat_breakdown = []
        _vat_breakdown = d.pop("vat_breakdown")
        for vat_breakdown_item_data in (_vat_breakdown):
            vat_breakdown_item = VatGroup.from_dict(vat_breakdown_item_data)



            vat_breakdown.append(vat_breakdown_item)


        vat_settlement = d.pop("vat_settlement")

        def _parse_accepted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_at_type_0 = datetime.datetime.fromisoformat(data)



                return accepted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        accepted_at = _parse_accepted_at(d.pop("accepted_at", UNSET))


        def _parse_awaiting_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                awaiting_since_type_0 = datetime.datetime.fromisoformat(data)



                return awaiting_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        awaiting_since = _parse_awaiting_since(d.pop("awaiting_since", UNSET))


        def _parse_buyer_commission(data: object) -> InvoiceBuyerCommissionType1Type0 | InvoicesCommission | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_commission_type_0 = InvoicesCommission.from_dict(data)



                return buyer_commission_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_commission_type_1_type_0 = InvoiceBuyerCommissionType1Type0.from_dict(data)



                return buyer_commission_type_1_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceBuyerCommissionType1Type0 | InvoicesCommission | None | Unset, data)

        buyer_commission = _parse_buyer_commission(d.pop("buyer_commission", UNSET))


        buyer_network = d.pop("buyer_network", UNSET)

        buyer_reference = d.pop("buyer_reference", UNSET)

        def _parse_buyer_unit(data: object) -> InvoiceBuyerUnitType1Type0 | None | Unit | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_unit_type_0 = Unit.from_dict(data)



                return buyer_unit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_unit_type_1_type_0 = InvoiceBuyerUnitType1Type0.from_dict(data)



                return buyer_unit_type_1_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceBuyerUnitType1Type0 | None | Unit | Unset, data)

        buyer_unit = _parse_buyer_unit(d.pop("buyer_unit", UNSET))


        def _parse_buyer_unit_part(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        buyer_unit_part = _parse_buyer_unit_part(d.pop("buyer_unit_part", UNSET))


        cancel_reason = d.pop("cancel_reason", UNSET)

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))


        def _parse_commission(data: object) -> InvoiceCommissionType0Type0 | InvoicesCommission | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                commission_type_0_type_0 = InvoiceCommissionType0Type0.from_dict(data)



                return commission_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                commission_type_1 = InvoicesCommission.from_dict(data)



                return commission_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceCommissionType0Type0 | InvoicesCommission | None | Unset, data)

        commission = _parse_commission(d.pop("commission", UNSET))


        def _parse_credit_note_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_note_id_type_0 = UUID(data)



                return credit_note_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credit_note_id = _parse_credit_note_id(d.pop("credit_note_id", UNSET))


        def _parse_credited_invoice_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credited_invoice_id_type_0 = UUID(data)



                return credited_invoice_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credited_invoice_id = _parse_credited_invoice_id(d.pop("credited_invoice_id", UNSET))


        def _parse_credited_invoice_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credited_invoice_number = _parse_credited_invoice_number(d.pop("credited_invoice_number", UNSET))


        dispute_reason = d.pop("dispute_reason", UNSET)

        def _parse_exchange_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        exchange_rate = _parse_exchange_rate(d.pop("exchange_rate", UNSET))


        def _parse_federation_link_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                federation_link_id_type_0 = UUID(data)



                return federation_link_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        federation_link_id = _parse_federation_link_id(d.pop("federation_link_id", UNSET))


        def _parse_hold_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hold_expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return hold_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        hold_expires_at = _parse_hold_expires_at(d.pop("hold_expires_at", UNSET))


        def _parse_issue_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issue_date_type_0 = datetime.date.fromisoformat(data)



                return issue_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        issue_date = _parse_issue_date(d.pop("issue_date", UNSET))


        def _parse_issued_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issued_at_type_0 = datetime.datetime.fromisoformat(data)



                return issued_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        issued_at = _parse_issued_at(d.pop("issued_at", UNSET))


        def _parse_last_refusal(data: object) -> InvoiceLastRefusalType0Type0 | None | Refusal | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_refusal_type_0_type_0 = InvoiceLastRefusalType0Type0.from_dict(data)



                return last_refusal_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_refusal_type_1 = Refusal.from_dict(data)



                return last_refusal_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceLastRefusalType0Type0 | None | Refusal | Unset, data)

        last_refusal = _parse_last_refusal(d.pop("last_refusal", UNSET))


        def _parse_listing_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                listing_id_type_0 = UUID(data)



                return listing_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        listing_id = _parse_listing_id(d.pop("listing_id", UNSET))


        note = d.pop("note", UNSET)

        def _parse_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        number = _parse_number(d.pop("number", UNSET))


        def _parse_queue(data: object) -> InvoiceQueueType0Type0 | None | QueueInfo | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                queue_type_0_type_0 = InvoiceQueueType0Type0.from_dict(data)



                return queue_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                queue_type_1 = QueueInfo.from_dict(data)



                return queue_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceQueueType0Type0 | None | QueueInfo | Unset, data)

        queue = _parse_queue(d.pop("queue", UNSET))


        def _parse_rate_frozen(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        rate_frozen = _parse_rate_frozen(d.pop("rate_frozen", UNSET))


        rejection_reason = d.pop("rejection_reason", UNSET)

        def _parse_reversal_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reversal_status = _parse_reversal_status(d.pop("reversal_status", UNSET))


        def _parse_reversal_transfer_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reversal_transfer_id_type_0 = UUID(data)



                return reversal_transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        reversal_transfer_id = _parse_reversal_transfer_id(d.pop("reversal_transfer_id", UNSET))


        def _parse_settled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)



                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        settled_at = _parse_settled_at(d.pop("settled_at", UNSET))


        def _parse_transfer_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transfer_id_type_0 = UUID(data)



                return transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        transfer_id = _parse_transfer_id(d.pop("transfer_id", UNSET))


        def _parse_validated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                validated_at_type_0 = datetime.datetime.fromisoformat(data)



                return validated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        validated_at = _parse_validated_at(d.pop("validated_at", UNSET))


        invoice = cls(
            acceptance_required=acceptance_required,
            attempt=attempt,
            buyer=buyer,
            buyer_member_id=buyer_member_id,
            buyer_tenant=buyer_tenant,
            created_at=created_at,
            delivery_date=delivery_date,
            euro_part=euro_part,
            euro_payment=euro_payment,
            id=id,
            kind=kind,
            lines=lines,
            network=network,
            payment_mode=payment_mode,
            read_only=read_only,
            seller=seller,
            seller_member_id=seller_member_id,
            status=status,
            tenant=tenant,
            total_excl_vat=total_excl_vat,
            total_incl_vat=total_incl_vat,
            total_vat=total_vat,
            unit=unit,
            unit_part=unit_part,
            vat_breakdown=vat_breakdown,
            vat_settlement=vat_settlement,
            accepted_at=accepted_at,
            awaiting_since=awaiting_since,
            buyer_commission=buyer_commission,
            buyer_network=buyer_network,
            buyer_reference=buyer_reference,
            buyer_unit=buyer_unit,
            buyer_unit_part=buyer_unit_part,
            cancel_reason=cancel_reason,
            closed_at=closed_at,
            commission=commission,
            credit_note_id=credit_note_id,
            credited_invoice_id=credited_invoice_id,
            credited_invoice_number=credited_invoice_number,
            dispute_reason=dispute_reason,
            exchange_rate=exchange_rate,
            federation_link_id=federation_link_id,
            hold_expires_at=hold_expires_at,
            issue_date=issue_date,
            issued_at=issued_at,
            last_refusal=last_refusal,
            listing_id=listing_id,
            note=note,
            number=number,
            queue=queue,
            rate_frozen=rate_frozen,
            rejection_reason=rejection_reason,
            reversal_status=reversal_status,
            reversal_transfer_id=reversal_transfer_id,
            settled_at=settled_at,
            transfer_id=transfer_id,
            validated_at=validated_at,
        )

        return invoice

