from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.commission_month import CommissionMonth





T = TypeVar("T", bound="Commissions")



@_attrs_define
class Commissions:
    """ 
        Attributes:
            items (list[CommissionMonth]): By month (UTC, newest first) and tenant
            network (str):
            total (str):  Example: 1250.00.
            unit (str):
     """

    items: list[CommissionMonth]
    network: str
    total: str
    unit: str





    def to_dict(self) -> dict[str, Any]:
        from ..models.commission_month import CommissionMonth # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        network = self.network

        total = self.total

        unit = self.unit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "items": items,
            "network": network,
            "total": total,
            "unit": unit,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.commission_month import CommissionMonth # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = CommissionMonth.from_dict(items_item_data)



            items.append(items_item)


        network = d.pop("network")

        total = d.pop("total")

        unit = d.pop("unit")

        commissions = cls(
            items=items,
            network=network,
            total=total,
            unit=unit,
        )

        return commissions

