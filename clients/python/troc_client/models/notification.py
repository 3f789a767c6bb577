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

if TYPE_CHECKING:
  from ..models.notification_data import NotificationData





T = TypeVar("T", bound="Notification")



@_attrs_define
class Notification:
    """ 
        Attributes:
            audience (str): member or animators
            body (str):
            created_at (datetime.datetime):
            id (UUID):
            kind (str):
            read (bool):
            subject_id (str):
            title (str):
            data (NotificationData | Unset):
            member_id (None | Unset | UUID):
            read_at (datetime.datetime | None | Unset):
     """

    audience: str
    body: str
    created_at: datetime.datetime
    id: UUID
    kind: str
    read: bool
    subject_id: str
    title: str
    data: NotificationData | Unset = UNSET
    member_id: None | Unset | UUID = UNSET
    read_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.notification_data import NotificationData # noqa: PLC0415
        audience = self.audience

        body = self.body

        created_at = self.created_at.isoformat()

        id = str(self.id)

        kind = self.kind

        read = self.read

        subject_id = self.subject_id

        title = self.title

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id

        read_at: None | str | Unset
        if isinstance(self.read_at, Unset):
            read_at = UNSET
        elif isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "audience": audience,
            "body": body,
            "created_at": created_at,
            "id": id,
            "kind": kind,
            "read": read,
            "subject_id": subject_id,
            "title": title,
        })
        if data is not UNSET:
            field_dict["data"] = data
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if read_at is not UNSET:
            field_dict["read_at"] = read_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.notification_data import NotificationData # noqa: PLC0415
        d = dict(src_dict)
        audience = d.pop("audience")

        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        kind = d.pop("kind")

        read = d.pop("read")

        subject_id = d.pop("subject_id")

        title = d.pop("title")

        _data = d.pop("data", UNSET)
        data: NotificationData | Unset
        if isinstance(_data,  Unset):
            data = UNSET
        else:
            data = NotificationData.from_dict(_data)




        def _parse_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                member_id_type_0 = UUID(data)



                return member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))


        def _parse_read_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)



                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        read_at = _parse_read_at(d.pop("read_at", UNSET))


        notification = cls(
            audience=audience,
            body=body,
            created_at=created_at,
            id=id,
            kind=kind,
            read=read,
            subject_id=subject_id,
            title=title,
            data=data,
            member_id=member_id,
            read_at=read_at,
        )

        return notification

