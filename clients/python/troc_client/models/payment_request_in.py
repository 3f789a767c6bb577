from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PaymentRequestIn")



@_attrs_define
class PaymentRequestIn:
    """ 
        Attributes:
            amount (str): In the payee's network's unit (the caller's) Example: 1250.00.
            description (str):  Example: Livraison de 2 tonnes de paille.
            payer_member_id (UUID): Who is asked to pay: a member of the network or of a linked one
            payee_member_id (None | Unset | UUID): Animators asking on a member's behalf name the payee; a member's token is
                the payee
     """

    amount: str
    description: str
    payer_member_id: UUID
    payee_member_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        description = self.description

        payer_member_id = str(self.payer_member_id)

        payee_member_id: None | str | Unset
        if isinstance(self.payee_member_id, Unset):
            payee_member_id = UNSET
        elif isinstance(self.payee_member_id, UUID):
            payee_member_id = str(self.payee_member_id)
        else:
            payee_member_id = self.payee_member_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "description": description,
            "payer_member_id": payer_member_id,
        })
        if payee_member_id is not UNSET:
            field_dict["payee_member_id"] = payee_member_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        description = d.pop("description")

        payer_member_id = UUID(d.pop("payer_member_id"))




        def _parse_payee_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payee_member_id_type_0 = UUID(data)



                return payee_member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        payee_member_id = _parse_payee_member_id(d.pop("payee_member_id", UNSET))


        payment_request_in = cls(
            amount=amount,
            description=description,
            payer_member_id=payer_member_id,
            payee_member_id=payee_member_id,
        )

        return payment_request_in

