from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AuditActor")



@_attrs_define
class AuditActor:
    """ 
        Attributes:
            role (str):
            user_id (str): A user id, or system
            email (None | str | Unset):
     """

    role: str
    user_id: str
    email: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        role = self.role

        user_id = self.user_id

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "role": role,
            "user_id": user_id,
        })
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = d.pop("role")

        user_id = d.pop("user_id")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        audit_actor = cls(
            role=role,
            user_id=user_id,
            email=email,
        )

        return audit_actor

