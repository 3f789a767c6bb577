from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="FederationLinkIn")



@_attrs_define
class FederationLinkIn:
    """ 
        Attributes:
            limit_a (str): How far network_a's clearing account may go below zero Example: 1250.00.
            limit_b (str): How far network_b's clearing account may go below zero Example: 1250.00.
            network_a (str):  Example: troc-actif.
            network_b (str):  Example: agri-echange.
            rate (str): Units of network_b for one unit of network_a (a decimal string) Example: 1.
     """

    limit_a: str
    limit_b: str
    network_a: str
    network_b: str
    rate: str





    def to_dict(self) -> dict[str, Any]:
        limit_a = self.limit_a

        limit_b = self.limit_b

        network_a = self.network_a

        network_b = self.network_b

        rate = self.rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "limit_a": limit_a,
            "limit_b": limit_b,
            "network_a": network_a,
            "network_b": network_b,
            "rate": rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit_a = d.pop("limit_a")

        limit_b = d.pop("limit_b")

        network_a = d.pop("network_a")

        network_b = d.pop("network_b")

        rate = d.pop("rate")

        federation_link_in = cls(
            limit_a=limit_a,
            limit_b=limit_b,
            network_a=network_a,
            network_b=network_b,
            rate=rate,
        )

        return federation_link_in

