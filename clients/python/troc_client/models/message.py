from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Message")



@_attrs_define
class Message:
    """ 
        Attributes:
            body (str):
            created_at (datetime.datetime):
            id (UUID):
            sender_member_id (UUID):
            thread_id (UUID):
     """

    body: str
    created_at: datetime.datetime
    id: UUID
    sender_member_id: UUID
    thread_id: UUID





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at.isoformat()

        id = str(self.id)

        sender_member_id = str(self.sender_member_id)

        thread_id = str(self.thread_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "body": body,
            "created_at": created_at,
            "id": id,
            "sender_member_id": sender_member_id,
            "thread_id": thread_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        sender_member_id = UUID(d.pop("sender_member_id"))




        thread_id = UUID(d.pop("thread_id"))




        message = cls(
            body=body,
            created_at=created_at,
            id=id,
            sender_member_id=sender_member_id,
            thread_id=thread_id,
        )

        return message

