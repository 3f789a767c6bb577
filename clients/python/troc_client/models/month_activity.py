from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MonthActivity")



@_attrs_define
class MonthActivity:
    """ 
        Attributes:
            active_members (int):
            month (str):  Example: 2026-11.
            transfers (int):
            volume (str): Posted trades touching the tenant, less their reversals Example: 1250.00.
     """

    active_members: int
    month: str
    transfers: int
    volume: str





    def to_dict(self) -> dict[str, Any]:
        active_members = self.active_members

        month = self.month

        transfers = self.transfers

        volume = self.volume


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "active_members": active_members,
            "month": month,
            "transfers": transfers,
            "volume": volume,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_members = d.pop("active_members")

        month = d.pop("month")

        transfers = d.pop("transfers")

        volume = d.pop("volume")

        month_activity = cls(
            active_members=active_members,
            month=month,
            transfers=transfers,
            volume=volume,
        )

        return month_activity

