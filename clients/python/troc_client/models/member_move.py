from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MemberMove")



@_attrs_define
class MemberMove:
    """ 
        Attributes:
            tenant (str): The slug of the tenant to move to Example: fa-mgp.
     """

    tenant: str





    def to_dict(self) -> dict[str, Any]:
        tenant = self.tenant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "tenant": tenant,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tenant = d.pop("tenant")

        member_move = cls(
            tenant=tenant,
        )

        return member_move

