from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_kind import PaymentKind
from ..models.payment_status import PaymentStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.party import Party
  from ..models.payment_last_refusal_type_0_type_0 import PaymentLastRefusalType0Type0
  from ..models.refusal import Refusal





T = TypeVar("T", bound="Payment")



@_attrs_define
class Payment:
    """ 
        Attributes:
            amount (str): In the unit of the member who wrote it: the payee's for a request, the payer's for a direct
                payment (``network``) Example: 1250.00.
            attempt (int):
            created_at (datetime.datetime):
            decline_reason (str):
            description (str):
            id (UUID):
            kind (PaymentKind):
            network (str): The network of the member who wrote it (``amount``'s unit)
            payee (Party):
            payee_member_id (UUID):
            payee_network (str): Another network than the payer's when linked to it
            payer (Party):
            payer_member_id (UUID):
            payer_network (str):
            payer_tenant (str):
            rejection_reason (str):
            status (PaymentStatus):
            tenant (str): The payee's tenant
            unit (str):  Example: GRN.
            validation_required (bool): False: below the network's threshold, posted once held
            accepted_at (datetime.datetime | None | Unset):
            awaiting_since (datetime.datetime | None | Unset):
            closed_at (datetime.datetime | None | Unset):
            converted_amount (None | str | Unset): Between two networks: the amount in ``converted_unit`` Example: 1250.00.
            converted_unit (None | str | Unset): Between two networks: the counterpart network's unit
            exchange_rate (None | str | Unset): Between two networks: the counterpart's units for one ``unit``, a decimal
                string frozen at creation
            federation_link_id (None | Unset | UUID):
            hold_expires_at (datetime.datetime | None | Unset):
            last_refusal (None | PaymentLastRefusalType0Type0 | Refusal | Unset):
            rate_frozen (bool | None | Unset):
            settled_at (datetime.datetime | None | Unset):
            transfer_id (None | Unset | UUID):
            validated_at (datetime.datetime | None | Unset):
     """

    amount: str
    attempt: int
    created_at: datetime.datetime
    decline_reason: str
    description: str
    id: UUID
    kind: PaymentKind
    network: str
    payee: Party
    payee_member_id: UUID
    payee_network: str
    payer: Party
    payer_member_id: UUID
    payer_network: str
    payer_tenant: str
    rejection_reason: str
    status: PaymentStatus
    tenant: str
    unit: str
    validation_required: bool
    accepted_at: datetime.datetime | None | Unset = UNSET
    awaiting_since: datetime.datetime | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    converted_amount: None | str | Unset = UNSET
    converted_unit: None | str | Unset = UNSET
    exchange_rate: None | str | Unset = UNSET
    federation_link_id: None | Unset | UUID = UNSET
    hold_expires_at: datetime.datetime | None | Unset = UNSET
    last_refusal: None | PaymentLastRefusalType0Type0 | Refusal | Unset = UNSET
    rate_frozen: bool | None | Unset = UNSET
    settled_at: datetime.datetime | None | Unset = UNSET
    transfer_id: None | Unset | UUID = UNSET
    validated_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.party import Party # noqa: PLC0415
        from ..models.payment_last_refusal_type_0_type_0 import PaymentLastRefusalType0Type0 # noqa: PLC0415
        from ..models.refusal import Refusal # noqa: PLC0415
        amount = self.amount

        attempt = self.attempt

        created_at = self.created_at.isoformat()

        decline_reason = self.decline_reason

        description = self.description

        id = str(self.id)

        kind = self.kind.value

        network = self.network

        payee = self.payee.to_dict()

        payee_member_id = str(self.payee_member_id)

        payee_network = self.payee_network

        payer = self.payer.to_dict()

        payer_member_id = str(self.payer_member_id)

        payer_network = self.payer_network

        payer_tenant = self.payer_tenant

        rejection_reason = self.rejection_reason

        status = self.status.value

        tenant = self.tenant

        unit = self.unit

        validation_required = self.validation_required

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

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        converted_amount: None | str | Unset
        if isinstance(self.converted_amount, Unset):
            converted_amount = UNSET
        else:
            converted_amount = self.converted_amount

        converted_unit: None | str | Unset
        if isinstance(self.converted_unit, Unset):
            converted_unit = UNSET
        else:
            converted_unit = self.converted_unit

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

        last_refusal: dict[str, Any] | None | Unset
        if isinstance(self.last_refusal, Unset):
            last_refusal = UNSET
        elif isinstance(self.last_refusal, PaymentLastRefusalType0Type0):
            last_refusal = self.last_refusal.to_dict()
        elif isinstance(self.last_refusal, Refusal):
            last_refusal = self.last_refusal.to_dict()
        else:
            last_refusal = self.last_refusal

        rate_frozen: bool | None | Unset
        if isinstance(self.rate_frozen, Unset):
            rate_frozen = UNSET
        else:
            rate_frozen = self.rate_frozen

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
            "amount": amount,
            "attempt": attempt,
            "created_at": created_at,
            "decline_reason": decline_reason,
            "description": description,
            "id": id,
            "kind": kind,
            "network": network,
            "payee": payee,
            "payee_member_id": payee_member_id,
            "payee_network": payee_network,
            "payer": payer,
            "payer_member_id": payer_member_id,
            "payer_network": payer_network,
            "payer_tenant": payer_tenant,
            "rejection_reason": rejection_reason,
            "status": status,
            "tenant": tenant,
            "unit": unit,
            "validation_required": validation_required,
        })
        if accepted_at is not UNSET:
            field_dict["accepted_at"] = accepted_at
        if awaiting_since is not UNSET:
            field_dict["awaiting_since"] = awaiting_since
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if converted_amount is not UNSET:
            field_dict["converted_amount"] = converted_amount
        if converted_unit is not UNSET:
            field_dict["converted_unit"] = converted_unit
        if exchange_rate is not UNSET:
            field_dict["exchange_rate"] = exchange_rate
        if federation_link_id is not UNSET:
            field_dict["federation_link_id"] = federation_link_id
        if hold_expires_at is not UNSET:
            field_dict["hold_expires_at"] = hold_expires_at
        if last_refusal is not UNSET:
            field_dict["last_refusal"] = last_refusal
        if rate_frozen is not UNSET:
            field_dict["rate_frozen"] = rate_frozen
        if settled_at is not UNSET:
            field_dict["settled_at"] = settled_at
        if transfer_id is not UNSET:
            field_dict["transfer_id"] = transfer_id
        if validated_at is not UNSET:
            field_dict["validated_at"] = validated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party # noqa: PLC0415
        from ..models.payment_last_refusal_type_0_type_0 import PaymentLastRefusalType0Type0 # noqa: PLC0415
        from ..models.refusal import Refusal # noqa: PLC0415
        d = dict(src_dict)
        amount = d.pop("amount")

        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        decline_reason = d.pop("decline_reason")

        description = d.pop("description")

        id = UUID(d.pop("id"))




        kind = PaymentKind(d.pop("kind"))




        network = d.pop("network")

        payee = Party.from_dict(d.pop("payee"))




        payee_member_id = UUID(d.pop("payee_member_id"))




        payee_network = d.pop("payee_network")

        payer = Party.from_dict(d.pop("payer"))




        payer_member_id = UUID(d.pop("payer_member_id"))




        payer_network = d.pop("payer_network")

        payer_tenant = d.pop("payer_tenant")

        rejection_reason = d.pop("rejection_reason")

        status = PaymentStatus(d.pop("status"))




        tenant = d.pop("tenant")

        unit = d.pop("unit")

        validation_required = d.pop("validation_required")

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


        def _parse_converted_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        converted_amount = _parse_converted_amount(d.pop("converted_amount", UNSET))


        def _parse_converted_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        converted_unit = _parse_converted_unit(d.pop("converted_unit", UNSET))


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


        def _parse_last_refusal(data: object) -> None | PaymentLastRefusalType0Type0 | Refusal | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_refusal_type_0_type_0 = PaymentLastRefusalType0Type0.from_dict(data)



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
            return cast(None | PaymentLastRefusalType0Type0 | Refusal | Unset, data)

        last_refusal = _parse_last_refusal(d.pop("last_refusal", UNSET))


        def _parse_rate_frozen(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        rate_frozen = _parse_rate_frozen(d.pop("rate_frozen", UNSET))


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


        payment = cls(
            amount=amount,
            attempt=attempt,
            created_at=created_at,
            decline_reason=decline_reason,
            description=description,
            id=id,
            kind=kind,
            network=network,
            payee=payee,
            payee_member_id=payee_member_id,
            payee_network=payee_network,
            payer=payer,
            payer_member_id=payer_member_id,
            payer_network=payer_network,
            payer_tenant=payer_tenant,
            rejection_reason=rejection_reason,
            status=status,
            tenant=tenant,
            unit=unit,
            validation_required=validation_required,
            accepted_at=accepted_at,
            awaiting_since=awaiting_since,
            closed_at=closed_at,
            converted_amount=converted_amount,
            converted_unit=converted_unit,
            exchange_rate=exchange_rate,
            federation_link_id=federation_link_id,
            hold_expires_at=hold_expires_at,
            last_refusal=last_refusal,
            rate_frozen=rate_frozen,
            settled_at=settled_at,
            transfer_id=transfer_id,
            validated_at=validated_at,
        )

        return payment

