from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.tenant import Tenant





T = TypeVar("T", bound="TenantPage")



@_attrs_define
class TenantPage:
    """ 
        Attributes:
            items (list[Tenant]):
            page (int):
            per_page (int):
            total (int):
     """

    items: list[Tenant]
    page: int
    per_page: int
    total: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant import Tenant # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        page = self.page

        per_page = self.per_page

        total = self.total


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant import Tenant # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = Tenant.from_dict(items_item_data)



            items.append(items_item)


        page = d.pop("page")

        per_page = d.pop("per_page")

        total = d.pop("total")

        tenant_page = cls(
            items=items,
            page=page,
            per_page=per_page,
            total=total,
        )

        return tenant_page

