from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="NetworkApiKeyIn")



@_attrs_define
class NetworkApiKeyIn:
    """ 
        Attributes:
            name (str):  Example: Tableau de bord régional.
            scopes (list[str]): Read scopes only: ledger:read, events:read, invoices:read, listings:read. Example:
                ['ledger:read', 'events:read'].
     """

    name: str
    scopes: list[str]





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes = self.scopes




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "scopes": scopes,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes"))


        network_api_key_in = cls(
            name=name,
            scopes=scopes,
        )

        return network_api_key_in

