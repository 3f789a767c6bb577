from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.events_page_events_item import EventsPageEventsItem





T = TypeVar("T", bound="EventsPage")



@_attrs_define
class EventsPage:
    """ 
        Attributes:
            events (list[EventsPageEventsItem]): CloudEvents 1.0 (structured JSON), by sequence
            next_after (int): Pass as `after` to read on.
     """

    events: list[EventsPageEventsItem]
    next_after: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.events_page_events_item import EventsPageEventsItem # noqa: PLC0415
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)



        next_after = self.next_after


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "events": events,
            "next_after": next_after,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.events_page_events_item import EventsPageEventsItem # noqa: PLC0415
        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = EventsPageEventsItem.from_dict(events_item_data)



            events.append(events_item)


        next_after = d.pop("next_after")

        events_page = cls(
            events=events,
            next_after=next_after,
        )

        return events_page

