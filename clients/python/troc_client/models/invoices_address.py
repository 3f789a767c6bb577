from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="InvoicesAddress")



@_attrs_define
class InvoicesAddress:
    """ 
        Attributes:
            city (str):
            postal_code (str):  Example: 75011.
            street (str):
            country (str | Unset):  Example: FR.
     """

    city: str
    postal_code: str
    street: str
    country: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        city = self.city

        postal_code = self.postal_code

        street = self.street

        country = self.country


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "city": city,
            "postal_code": postal_code,
            "street": street,
        })
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        city = d.pop("city")

        postal_code = d.pop("postal_code")

        street = d.pop("street")

        country = d.pop("country", UNSET)

        invoices_address = cls(
            city=city,
            postal_code=postal_code,
            street=street,
            country=country,
        )

        return invoices_address

