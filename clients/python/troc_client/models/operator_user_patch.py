from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.operator_user_patch_status import OperatorUserPatchStatus
from ..types import UNSET, Unset






T = TypeVar("T", bound="OperatorUserPatch")



@_attrs_define
class OperatorUserPatch:
    """ 
        Attributes:
            status (OperatorUserPatchStatus | Unset):
     """

    status: OperatorUserPatchStatus | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: OperatorUserPatchStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = OperatorUserPatchStatus(_status)




        operator_user_patch = cls(
            status=status,
        )

        return operator_user_patch

