from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CommissionMonth")



@_attrs_define
class CommissionMonth:
    """ 
        Attributes:
            amount (str): Commissions received, less those reversed Example: 1250.00.
            month (str):  Example: 2026-11.
            tenant (str):  Example: pie.
            transfers (int):
     """

    amount: str
    month: str
    tenant: str
    transfers: int





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        month = self.month

        tenant = self.tenant

        transfers = self.transfers


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "month": month,
            "tenant": tenant,
            "transfers": transfers,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        month = d.pop("month")

        tenant = d.pop("tenant")

        transfers = d.pop("transfers")

        commission_month = cls(
            amount=amount,
            month=month,
            tenant=tenant,
            transfers=transfers,
        )

        return commission_month

