from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.listing import Listing





T = TypeVar("T", bound="ListingPage")



@_attrs_define
class ListingPage:
    """ 
        Attributes:
            items (list[Listing]):
            page (int):
            per_page (int):
            total (int):
            total_capped (bool | Unset): True when there are more matches than total (counted up to 1,000 or the page asked
                for)
     """

    items: list[Listing]
    page: int
    per_page: int
    total: int
    total_capped: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.listing import Listing # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        page = self.page

        per_page = self.per_page

        total = self.total

        total_capped = self.total_capped


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
        })
        if total_capped is not UNSET:
            field_dict["total_capped"] = total_capped

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.listing import Listing # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = Listing.from_dict(items_item_data)



            items.append(items_item)


        page = d.pop("page")

        per_page = d.pop("per_page")

        total = d.pop("total")

        total_capped = d.pop("total_capped", UNSET)

        listing_page = cls(
            items=items,
            page=page,
            per_page=per_page,
            total=total,
            total_capped=total_capped,
        )

        return listing_page

