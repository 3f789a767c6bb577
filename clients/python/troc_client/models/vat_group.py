from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="VatGroup")



@_attrs_define
class VatGroup:
    """ 
        Attributes:
            base (str):  Example: 1250.00.
            vat (str):  Example: 1250.00.
            vat_rate (str):
     """

    base: str
    vat: str
    vat_rate: str





    def to_dict(self) -> dict[str, Any]:
        base = self.base

        vat = self.vat

        vat_rate = self.vat_rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "base": base,
            "vat": vat,
            "vat_rate": vat_rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base = d.pop("base")

        vat = d.pop("vat")

        vat_rate = d.pop("vat_rate")

        vat_group = cls(
            base=base,
            vat=vat,
            vat_rate=vat_rate,
        )

        return vat_group

