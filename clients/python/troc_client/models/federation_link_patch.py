from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.federation_link_patch_status import FederationLinkPatchStatus
from ..types import UNSET, Unset






T = TypeVar("T", bound="FederationLinkPatch")



@_attrs_define
class FederationLinkPatch:
    """ 
        Attributes:
            limit_a (str | Unset):  Example: 1250.00.
            limit_b (str | Unset):  Example: 1250.00.
            rate (str | Unset): For future trades Example: 1.
            status (FederationLinkPatchStatus | Unset):  Example: suspended.
     """

    limit_a: str | Unset = UNSET
    limit_b: str | Unset = UNSET
    rate: str | Unset = UNSET
    status: FederationLinkPatchStatus | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        limit_a = self.limit_a

        limit_b = self.limit_b

        rate = self.rate

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if limit_a is not UNSET:
            field_dict["limit_a"] = limit_a
        if limit_b is not UNSET:
            field_dict["limit_b"] = limit_b
        if rate is not UNSET:
            field_dict["rate"] = rate
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit_a = d.pop("limit_a", UNSET)

        limit_b = d.pop("limit_b", UNSET)

        rate = d.pop("rate", UNSET)

        _status = d.pop("status", UNSET)
        status: FederationLinkPatchStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = FederationLinkPatchStatus(_status)




        federation_link_patch = cls(
            limit_a=limit_a,
            limit_b=limit_b,
            rate=rate,
            status=status,
        )

        return federation_link_patch

