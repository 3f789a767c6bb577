from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="DirectPaymentIn")



@_attrs_define
class DirectPaymentIn:
    """ 
        Attributes:
            amount (str): In the network's unit Example: 1250.00.
            description (str):  Example: Location d'une moissonneuse, 1 journée.
            payee_member_id (UUID): Who is paid
     """

    amount: str
    description: str
    payee_member_id: UUID





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        description = self.description

        payee_member_id = str(self.payee_member_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "description": description,
            "payee_member_id": payee_member_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        description = d.pop("description")

        payee_member_id = UUID(d.pop("payee_member_id"))




        direct_payment_in = cls(
            amount=amount,
            description=description,
            payee_member_id=payee_member_id,
        )

        return direct_payment_in

