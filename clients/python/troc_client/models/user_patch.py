from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.user_patch_role import UserPatchRole
from ..models.user_patch_status import UserPatchStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="UserPatch")



@_attrs_define
class UserPatch:
    """ 
        Attributes:
            member_id (None | Unset | UUID):
            role (UserPatchRole | Unset): A tenant user's role; becoming a member needs `member_id`.
            status (UserPatchStatus | Unset): A disabled user cannot log in; their sessions end at once.
     """

    member_id: None | Unset | UUID = UNSET
    role: UserPatchRole | Unset = UNSET
    status: UserPatchStatus | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value


        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if role is not UNSET:
            field_dict["role"] = role
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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


        _role = d.pop("role", UNSET)
        role: UserPatchRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = UserPatchRole(_role)




        _status = d.pop("status", UNSET)
        status: UserPatchStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = UserPatchStatus(_status)




        user_patch = cls(
            member_id=member_id,
            role=role,
            status=status,
        )

        return user_patch

