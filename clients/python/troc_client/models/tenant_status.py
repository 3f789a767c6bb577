from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tenant_status_status import TenantStatusStatus






T = TypeVar("T", bound="TenantStatus")



@_attrs_define
class TenantStatus:
    """ 
        Attributes:
            accounts_changed (int): Accounts frozen or unfrozen by this call
            status (TenantStatusStatus):
            tenant (str):
     """

    accounts_changed: int
    status: TenantStatusStatus
    tenant: str





    def to_dict(self) -> dict[str, Any]:
        accounts_changed = self.accounts_changed

        status = self.status.value

        tenant = self.tenant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "accounts_changed": accounts_changed,
            "status": status,
            "tenant": tenant,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accounts_changed = d.pop("accounts_changed")

        status = TenantStatusStatus(d.pop("status"))




        tenant = d.pop("tenant")

        tenant_status = cls(
            accounts_changed=accounts_changed,
            status=status,
            tenant=tenant,
        )

        return tenant_status

