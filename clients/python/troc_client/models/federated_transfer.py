from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.federated_transfer_status import FederatedTransferStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.federated_transfer_refusal_type_0 import FederatedTransferRefusalType0





T = TypeVar("T", bound="FederatedTransfer")



@_attrs_define
class FederatedTransfer:
    """ 
        Attributes:
            amount (str): In the payer's unit Example: 1250.00.
            converted_amount (str): In the payee's unit, at the frozen rate Example: 1250.00.
            created_at (datetime.datetime):
            deadline (datetime.datetime):
            id (UUID):
            link_id (UUID):
            payee (UUID):
            payee_network (str):  Example: agri-echange.
            payee_transfer_id (UUID):
            payer (UUID):
            payer_network (str):  Example: troc-actif.
            payer_transfer_id (UUID):
            rate (str): Units of the link's network_b for one unit of its network_a Example: 1.
            status (FederatedTransferStatus):  Example: posted.
            updated_at (datetime.datetime):
            reference (str | Unset):
            refusal (FederatedTransferRefusalType0 | None | Unset):
     """

    amount: str
    converted_amount: str
    created_at: datetime.datetime
    deadline: datetime.datetime
    id: UUID
    link_id: UUID
    payee: UUID
    payee_network: str
    payee_transfer_id: UUID
    payer: UUID
    payer_network: str
    payer_transfer_id: UUID
    rate: str
    status: FederatedTransferStatus
    updated_at: datetime.datetime
    reference: str | Unset = UNSET
    refusal: FederatedTransferRefusalType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.federated_transfer_refusal_type_0 import FederatedTransferRefusalType0 # noqa: PLC0415
        amount = self.amount

        converted_amount = self.converted_amount

        created_at = self.created_at.isoformat()

        deadline = self.deadline.isoformat()

        id = str(self.id)

        link_id = str(self.link_id)

        payee = str(self.payee)

        payee_network = self.payee_network

        payee_transfer_id = str(self.payee_transfer_id)

        payer = str(self.payer)

        payer_network = self.payer_network

        payer_transfer_id = str(self.payer_transfer_id)

        rate = self.rate

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        reference = self.reference

        refusal: dict[str, Any] | None | Unset
        if isinstance(self.refusal, Unset):
            refusal = UNSET
        elif isinstance(self.refusal, FederatedTransferRefusalType0):
            refusal = self.refusal.to_dict()
        else:
            refusal = self.refusal


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "converted_amount": converted_amount,
            "created_at": created_at,
            "deadline": deadline,
            "id": id,
            "link_id": link_id,
            "payee": payee,
            "payee_network": payee_network,
            "payee_transfer_id": payee_transfer_id,
            "payer": payer,
            "payer_network": payer_network,
            "payer_transfer_id": payer_transfer_id,
            "rate": rate,
            "status": status,
            "updated_at": updated_at,
        })
        if reference is not UNSET:
            field_dict["reference"] = reference
        if refusal is not UNSET:
            field_dict["refusal"] = refusal

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.federated_transfer_refusal_type_0 import FederatedTransferRefusalType0 # noqa: PLC0415
        d = dict(src_dict)
        amount = d.pop("amount")

        converted_amount = d.pop("converted_amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        deadline = datetime.datetime.fromisoformat(d.pop("deadline"))




        id = UUID(d.pop("id"))




        link_id = UUID(d.pop("link_id"))




        payee = UUID(d.pop("payee"))




        payee_network = d.pop("payee_network")

        payee_transfer_id = UUID(d.pop("payee_transfer_id"))




        payer = UUID(d.pop("payer"))




        payer_network = d.pop("payer_network")

        payer_transfer_id = UUID(d.pop("payer_transfer_id"))




        rate = d.pop("rate")

        status = FederatedTransferStatus(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        reference = d.pop("reference", UNSET)

        def _parse_refusal(data: object) -> FederatedTransferRefusalType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                refusal_type_0 = FederatedTransferRefusalType0.from_dict(data)



                return refusal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FederatedTransferRefusalType0 | None | Unset, data)

        refusal = _parse_refusal(d.pop("refusal", UNSET))


        federated_transfer = cls(
            amount=amount,
            converted_amount=converted_amount,
            created_at=created_at,
            deadline=deadline,
            id=id,
            link_id=link_id,
            payee=payee,
            payee_network=payee_network,
            payee_transfer_id=payee_transfer_id,
            payer=payer,
            payer_network=payer_network,
            payer_transfer_id=payer_transfer_id,
            rate=rate,
            status=status,
            updated_at=updated_at,
            reference=reference,
            refusal=refusal,
        )

        return federated_transfer

