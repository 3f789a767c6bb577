from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="PaymentRequestIn")



@_attrs_define
class PaymentRequestIn:
    """ 
        Attributes:
            amount (str): In the network's unit Example: 1250.00.
            description (str):  Example: Livraison de 2 tonnes de paille.
            payer_member_id (UUID): Who is asked to pay
     """

    amount: str
    description: str
    payer_member_id: UUID





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        description = self.description

        payer_member_id = str(self.payer_member_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "description": description,
            "payer_member_id": payer_member_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        description = d.pop("description")

        payer_member_id = UUID(d.pop("payer_member_id"))




        payment_request_in = cls(
            amount=amount,
            description=description,
            payer_member_id=payer_member_id,
        )

        return payment_request_in

