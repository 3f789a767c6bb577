from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Line")



@_attrs_define
class Line:
    """ 
        Attributes:
            description (str):
            quantity (str):
            total_excl_vat (str):  Example: 1250.00.
            unit_price (str):  Example: 1250.00.
            vat (str):  Example: 1250.00.
            vat_rate (str):
     """

    description: str
    quantity: str
    total_excl_vat: str
    unit_price: str
    vat: str
    vat_rate: str





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        quantity = self.quantity

        total_excl_vat = self.total_excl_vat

        unit_price = self.unit_price

        vat = self.vat

        vat_rate = self.vat_rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "description": description,
            "quantity": quantity,
            "total_excl_vat": total_excl_vat,
            "unit_price": unit_price,
            "vat": vat,
            "vat_rate": vat_rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        quantity = d.pop("quantity")

        total_excl_vat = d.pop("total_excl_vat")

        unit_price = d.pop("unit_price")

        vat = d.pop("vat")

        vat_rate = d.pop("vat_rate")

        line = cls(
            description=description,
            quantity=quantity,
            total_excl_vat=total_excl_vat,
            unit_price=unit_price,
            vat=vat,
            vat_rate=vat_rate,
        )

        return line

