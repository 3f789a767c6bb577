from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="LineIn")



@_attrs_define
class LineIn:
    """ 
        Attributes:
            description (str):
            quantity (str): A positive decimal string, at most 3 decimals Example: 1.5.
            unit_price (str): Unit price excl. VAT, in euros Example: 120.00.
            vat_rate (str): French VAT rate in percent: 0, 2.1, 5.5, 10 or 20 Example: 20.
     """

    description: str
    quantity: str
    unit_price: str
    vat_rate: str





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        quantity = self.quantity

        unit_price = self.unit_price

        vat_rate = self.vat_rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "description": description,
            "quantity": quantity,
            "unit_price": unit_price,
            "vat_rate": vat_rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        quantity = d.pop("quantity")

        unit_price = d.pop("unit_price")

        vat_rate = d.pop("vat_rate")

        line_in = cls(
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            vat_rate=vat_rate,
        )

        return line_in

