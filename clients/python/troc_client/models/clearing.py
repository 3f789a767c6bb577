from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Clearing")



@_attrs_define
class Clearing:
    """ 
        Attributes:
            network_a (str):
            network_b (str):
            clearing_balance_a (None | str | Unset):  Example: 1250.00.
            clearing_balance_b (None | str | Unset):  Example: 1250.00.
     """

    network_a: str
    network_b: str
    clearing_balance_a: None | str | Unset = UNSET
    clearing_balance_b: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        network_a = self.network_a

        network_b = self.network_b

        clearing_balance_a: None | str | Unset
        if isinstance(self.clearing_balance_a, Unset):
            clearing_balance_a = UNSET
        else:
            clearing_balance_a = self.clearing_balance_a

        clearing_balance_b: None | str | Unset
        if isinstance(self.clearing_balance_b, Unset):
            clearing_balance_b = UNSET
        else:
            clearing_balance_b = self.clearing_balance_b


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "network_a": network_a,
            "network_b": network_b,
        })
        if clearing_balance_a is not UNSET:
            field_dict["clearing_balance_a"] = clearing_balance_a
        if clearing_balance_b is not UNSET:
            field_dict["clearing_balance_b"] = clearing_balance_b

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        network_a = d.pop("network_a")

        network_b = d.pop("network_b")

        def _parse_clearing_balance_a(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clearing_balance_a = _parse_clearing_balance_a(d.pop("clearing_balance_a", UNSET))


        def _parse_clearing_balance_b(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clearing_balance_b = _parse_clearing_balance_b(d.pop("clearing_balance_b", UNSET))


        clearing = cls(
            network_a=network_a,
            network_b=network_b,
            clearing_balance_a=clearing_balance_a,
            clearing_balance_b=clearing_balance_b,
        )

        return clearing

