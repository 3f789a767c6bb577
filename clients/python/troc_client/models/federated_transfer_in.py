from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="FederatedTransferIn")



@_attrs_define
class FederatedTransferIn:
    """ 
        Attributes:
            amount (str): In the payer's unit Example: 1250.00.
            payee (UUID): A member of the partner network
            payer (UUID): A member of one of the networks
            reference (str | Unset):  Default: ''.
     """

    amount: str
    payee: UUID
    payer: UUID
    reference: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        payee = str(self.payee)

        payer = str(self.payer)

        reference = self.reference


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "payee": payee,
            "payer": payer,
        })
        if reference is not UNSET:
            field_dict["reference"] = reference

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        payee = UUID(d.pop("payee"))




        payer = UUID(d.pop("payer"))




        reference = d.pop("reference", UNSET)

        federated_transfer_in = cls(
            amount=amount,
            payee=payee,
            payer=payer,
            reference=reference,
        )

        return federated_transfer_in

