from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Thread")



@_attrs_define
class Thread:
    """ 
        Attributes:
            author_member_id (UUID):
            created_at (datetime.datetime):
            id (UUID):
            last_message_at (datetime.datetime):
            listing_id (UUID):
            message_count (int):
            requester_member_id (UUID):
            counterpart_member_id (None | Unset | UUID):
            counterpart_name (None | str | Unset):
            listing_kind (None | str | Unset):
            listing_title (None | str | Unset):
            message_id (UUID | Unset): The message just written (on creation)
     """

    author_member_id: UUID
    created_at: datetime.datetime
    id: UUID
    last_message_at: datetime.datetime
    listing_id: UUID
    message_count: int
    requester_member_id: UUID
    counterpart_member_id: None | Unset | UUID = UNSET
    counterpart_name: None | str | Unset = UNSET
    listing_kind: None | str | Unset = UNSET
    listing_title: None | str | Unset = UNSET
    message_id: UUID | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        author_member_id = str(self.author_member_id)

        created_at = self.created_at.isoformat()

        id = str(self.id)

        last_message_at = self.last_message_at.isoformat()

        listing_id = str(self.listing_id)

        message_count = self.message_count

        requester_member_id = str(self.requester_member_id)

        counterpart_member_id: None | str | Unset
        if isinstance(self.counterpart_member_id, Unset):
            counterpart_member_id = UNSET
        elif isinstance(self.counterpart_member_id, UUID):
            counterpart_member_id = str(self.counterpart_member_id)
        else:
            counterpart_member_id = self.counterpart_member_id

        counterpart_name: None | str | Unset
        if isinstance(self.counterpart_name, Unset):
            counterpart_name = UNSET
        else:
            counterpart_name = self.counterpart_name

        listing_kind: None | str | Unset
        if isinstance(self.listing_kind, Unset):
            listing_kind = UNSET
        else:
            listing_kind = self.listing_kind

        listing_title: None | str | Unset
        if isinstance(self.listing_title, Unset):
            listing_title = UNSET
        else:
            listing_title = self.listing_title

        message_id: str | Unset = UNSET
        if not isinstance(self.message_id, Unset):
            message_id = str(self.message_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "author_member_id": author_member_id,
            "created_at": created_at,
            "id": id,
            "last_message_at": last_message_at,
            "listing_id": listing_id,
            "message_count": message_count,
            "requester_member_id": requester_member_id,
        })
        if counterpart_member_id is not UNSET:
            field_dict["counterpart_member_id"] = counterpart_member_id
        if counterpart_name is not UNSET:
            field_dict["counterpart_name"] = counterpart_name
        if listing_kind is not UNSET:
            field_dict["listing_kind"] = listing_kind
        if listing_title is not UNSET:
            field_dict["listing_title"] = listing_title
        if message_id is not UNSET:
            field_dict["message_id"] = message_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        author_member_id = UUID(d.pop("author_member_id"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        last_message_at = datetime.datetime.fromisoformat(d.pop("last_message_at"))




        listing_id = UUID(d.pop("listing_id"))




        message_count = d.pop("message_count")

        requester_member_id = UUID(d.pop("requester_member_id"))




        def _parse_counterpart_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                counterpart_member_id_type_0 = UUID(data)



                return counterpart_member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        counterpart_member_id = _parse_counterpart_member_id(d.pop("counterpart_member_id", UNSET))


        def _parse_counterpart_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        counterpart_name = _parse_counterpart_name(d.pop("counterpart_name", UNSET))


        def _parse_listing_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        listing_kind = _parse_listing_kind(d.pop("listing_kind", UNSET))


        def _parse_listing_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        listing_title = _parse_listing_title(d.pop("listing_title", UNSET))


        _message_id = d.pop("message_id", UNSET)
        message_id: UUID | Unset
        if isinstance(_message_id,  Unset):
            message_id = UNSET
        else:
            message_id = UUID(_message_id)




        thread = cls(
            author_member_id=author_member_id,
            created_at=created_at,
            id=id,
            last_message_at=last_message_at,
            listing_id=listing_id,
            message_count=message_count,
            requester_member_id=requester_member_id,
            counterpart_member_id=counterpart_member_id,
            counterpart_name=counterpart_name,
            listing_kind=listing_kind,
            listing_title=listing_title,
            message_id=message_id,
        )

        return thread

