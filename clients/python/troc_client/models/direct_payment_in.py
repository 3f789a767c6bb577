from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="DirectPaymentIn")



@_attrs_define
class DirectPaymentIn:
    """ 
        Attributes:
            amount (str): In the payer's network's unit (the caller's) Example: 1250.00.
            description (str):  Example: Location d'une moissonneuse, 1 journée.
            payee_member_id (UUID): Who is paid: a member of the network or of a linked one
            payer_member_id (None | Unset | UUID): Animators paying on a member's behalf name the payer; a member's token is
                the payer
     """

    amount: str
    description: str
    payee_member_id: UUID
    payer_member_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        description = self.description

        payee_member_id = str(self.payee_member_id)

        payer_member_id: None | str | Unset
        if isinstance(self.payer_member_id, Unset):
            payer_member_id = UNSET
        elif isinstance(self.payer_member_id, UUID):
            payer_member_id = str(self.payer_member_id)
        else:
            payer_member_id = self.payer_member_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "description": description,
            "payee_member_id": payee_member_id,
        })
        if payer_member_id is not UNSET:
            field_dict["payer_member_id"] = payer_member_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        description = d.pop("description")

        payee_member_id = UUID(d.pop("payee_member_id"))




        def _parse_payer_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payer_member_id_type_0 = UUID(data)



                return payer_member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        payer_member_id = _parse_payer_member_id(d.pop("payer_member_id", UNSET))


        direct_payment_in = cls(
            amount=amount,
            description=description,
            payee_member_id=payee_member_id,
            payer_member_id=payer_member_id,
        )

        return direct_payment_in

