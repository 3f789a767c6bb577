from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.cloud_event import CloudEvent





T = TypeVar("T", bound="EventPage")



@_attrs_define
class EventPage:
    """ 
        Attributes:
            items (list[CloudEvent]): The events after `after`, in order of position
            next_after (int): Pass as `after` to read on (the last event's position, or `after` when there is nothing new)
                Example: 42.
     """

    items: list[CloudEvent]
    next_after: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_event import CloudEvent # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        next_after = self.next_after


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "items": items,
            "next_after": next_after,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_event import CloudEvent # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = CloudEvent.from_dict(items_item_data)



            items.append(items_item)


        next_after = d.pop("next_after")

        event_page = cls(
            items=items,
            next_after=next_after,
        )

        return event_page

