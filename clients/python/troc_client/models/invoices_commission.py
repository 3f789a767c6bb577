from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="InvoicesCommission")



@_attrs_define
class InvoicesCommission:
    """ 
        Attributes:
            amount (str):  Example: 1250.00.
            base (str):  Example: 1250.00.
            charged_in (str):
            rate (str):
     """

    amount: str
    base: str
    charged_in: str
    rate: str





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        base = self.base

        charged_in = self.charged_in

        rate = self.rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "base": base,
            "charged_in": charged_in,
            "rate": rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        base = d.pop("base")

        charged_in = d.pop("charged_in")

        rate = d.pop("rate")

        invoices_commission = cls(
            amount=amount,
            base=base,
            charged_in=charged_in,
            rate=rate,
        )

        return invoices_commission

