from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Address")



@_attrs_define
class Address:
    """ 
        Attributes:
            city (str):
            postal_code (str):
            street (str):
     """

    city: str
    postal_code: str
    street: str





    def to_dict(self) -> dict[str, Any]:
        city = self.city

        postal_code = self.postal_code

        street = self.street


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "city": city,
            "postal_code": postal_code,
            "street": street,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        city = d.pop("city")

        postal_code = d.pop("postal_code")

        street = d.pop("street")

        address = cls(
            city=city,
            postal_code=postal_code,
            street=street,
        )

        return address

