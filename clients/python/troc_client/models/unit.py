from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Unit")



@_attrs_define
class Unit:
    """ 
        Attributes:
            code (str):
            name (str):
            symbol (str):
     """

    code: str
    name: str
    symbol: str





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        symbol = self.symbol


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
            "name": name,
            "symbol": symbol,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        symbol = d.pop("symbol")

        unit = cls(
            code=code,
            name=name,
            symbol=symbol,
        )

        return unit

