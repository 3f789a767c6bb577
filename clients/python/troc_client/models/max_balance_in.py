from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="MaxBalanceIn")



@_attrs_define
class MaxBalanceIn:
    """ 
        Attributes:
            max_balance (None | str): null: no maximum Example: 20000.00.
     """

    max_balance: None | str





    def to_dict(self) -> dict[str, Any]:
        max_balance: None | str
        max_balance = self.max_balance


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "max_balance": max_balance,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_max_balance(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        max_balance = _parse_max_balance(d.pop("max_balance"))


        max_balance_in = cls(
            max_balance=max_balance,
        )

        return max_balance_in

