from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.fee_charged_in import FeeChargedIn
from ..models.fee_status import FeeStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Fee")



@_attrs_define
class Fee:
    """ 
        Attributes:
            amount (str):  Example: 1250.00.
            charged_in (FeeChargedIn):
            created_at (datetime.datetime):
            due_on (datetime.date):
            id (UUID):
            key (str):  Example: fee:<member>:2026.
            member_id (UUID):
            member_name (str):
            network (str):
            overdue (bool): Unpaid past the grace period (animators told)
            period (str):  Example: 2026.
            refusal_reason (str):
            status (FeeStatus):
            tenant (str):
            unit (str): EUR for a fee in euros
            paid_on (datetime.date | None | Unset):
            transfer_id (None | Unset | UUID):
     """

    amount: str
    charged_in: FeeChargedIn
    created_at: datetime.datetime
    due_on: datetime.date
    id: UUID
    key: str
    member_id: UUID
    member_name: str
    network: str
    overdue: bool
    period: str
    refusal_reason: str
    status: FeeStatus
    tenant: str
    unit: str
    paid_on: datetime.date | None | Unset = UNSET
    transfer_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        charged_in = self.charged_in.value

        created_at = self.created_at.isoformat()

        due_on = self.due_on.isoformat()

        id = str(self.id)

        key = self.key

        member_id = str(self.member_id)

        member_name = self.member_name

        network = self.network

        overdue = self.overdue

        period = self.period

        refusal_reason = self.refusal_reason

        status = self.status.value

        tenant = self.tenant

        unit = self.unit

        paid_on: None | str | Unset
        if isinstance(self.paid_on, Unset):
            paid_on = UNSET
        elif isinstance(self.paid_on, datetime.date):
            paid_on = self.paid_on.isoformat()
        else:
            paid_on = self.paid_on

        transfer_id: None | str | Unset
        if isinstance(self.transfer_id, Unset):
            transfer_id = UNSET
        elif isinstance(self.transfer_id, UUID):
            transfer_id = str(self.transfer_id)
        else:
            transfer_id = self.transfer_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "charged_in": charged_in,
            "created_at": created_at,
            "due_on": due_on,
            "id": id,
            "key": key,
            "member_id": member_id,
            "member_name": member_name,
            "network": network,
            "overdue": overdue,
            "period": period,
            "refusal_reason": refusal_reason,
            "status": status,
            "tenant": tenant,
            "unit": unit,
        })
        if paid_on is not UNSET:
            field_dict["paid_on"] = paid_on
        if transfer_id is not UNSET:
            field_dict["transfer_id"] = transfer_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        charged_in = FeeChargedIn(d.pop("charged_in"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        due_on = datetime.date.fromisoformat(d.pop("due_on"))




        id = UUID(d.pop("id"))




        key = d.pop("key")

        member_id = UUID(d.pop("member_id"))




        member_name = d.pop("member_name")

        network = d.pop("network")

        overdue = d.pop("overdue")

        period = d.pop("period")

        refusal_reason = d.pop("refusal_reason")

        status = FeeStatus(d.pop("status"))




        tenant = d.pop("tenant")

        unit = d.pop("unit")

        def _parse_paid_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_on_type_0 = datetime.date.fromisoformat(data)



                return paid_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        paid_on = _parse_paid_on(d.pop("paid_on", UNSET))


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


        fee = cls(
            amount=amount,
            charged_in=charged_in,
            created_at=created_at,
            due_on=due_on,
            id=id,
            key=key,
            member_id=member_id,
            member_name=member_name,
            network=network,
            overdue=overdue,
            period=period,
            refusal_reason=refusal_reason,
            status=status,
            tenant=tenant,
            unit=unit,
            paid_on=paid_on,
            transfer_id=transfer_id,
        )

        return fee

