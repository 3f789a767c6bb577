from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AccountMoveIn")



@_attrs_define
class AccountMoveIn:
    """ 
        Attributes:
            from_tenant (str):
            tenant (str):
     """

    from_tenant: str
    tenant: str





    def to_dict(self) -> dict[str, Any]:
        from_tenant = self.from_tenant

        tenant = self.tenant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from_tenant": from_tenant,
            "tenant": tenant,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_tenant = d.pop("from_tenant")

        tenant = d.pop("tenant")

        account_move_in = cls(
            from_tenant=from_tenant,
            tenant=tenant,
        )

        return account_move_in

