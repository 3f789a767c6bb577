from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="FeeTransferIn")



@_attrs_define
class FeeTransferIn:
    """ 
        Attributes:
            amount (str):  Example: 1250.00.
            payee_member_id (UUID):
            tenant (str):  Example: pie.
            reference (str | Unset):  Default: ''.
     """

    amount: str
    payee_member_id: UUID
    tenant: str
    reference: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        payee_member_id = str(self.payee_member_id)

        tenant = self.tenant

        reference = self.reference


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "payee_member_id": payee_member_id,
            "tenant": tenant,
        })
        if reference is not UNSET:
            field_dict["reference"] = reference

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        payee_member_id = UUID(d.pop("payee_member_id"))




        tenant = d.pop("tenant")

        reference = d.pop("reference", UNSET)

        fee_transfer_in = cls(
            amount=amount,
            payee_member_id=payee_member_id,
            tenant=tenant,
            reference=reference,
        )

        return fee_transfer_in

