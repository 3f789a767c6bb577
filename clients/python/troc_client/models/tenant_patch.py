from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tenant_patch_status import TenantPatchStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.tenant_patch_contact_type_0 import TenantPatchContactType0





T = TypeVar("T", bound="TenantPatch")



@_attrs_define
class TenantPatch:
    """ 
        Attributes:
            contact (None | TenantPatchContactType0 | Unset): {name, email, phone}
            departments (list[str] | Unset):  Example: ['92', '93', '94'].
            name (str | Unset):
            status (TenantPatchStatus | Unset): closed: logins, refreshes and API keys refused, member accounts frozen in
                the ledger, nothing deleted; active reopens it Example: closed.
     """

    contact: None | TenantPatchContactType0 | Unset = UNSET
    departments: list[str] | Unset = UNSET
    name: str | Unset = UNSET
    status: TenantPatchStatus | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant_patch_contact_type_0 import TenantPatchContactType0 # noqa: PLC0415
        contact: dict[str, Any] | None | Unset
        if isinstance(self.contact, Unset):
            contact = UNSET
        elif isinstance(self.contact, TenantPatchContactType0):
            contact = self.contact.to_dict()
        else:
            contact = self.contact

        departments: list[str] | Unset = UNSET
        if not isinstance(self.departments, Unset):
            departments = self.departments



        name = self.name

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if contact is not UNSET:
            field_dict["contact"] = contact
        if departments is not UNSET:
            field_dict["departments"] = departments
        if name is not UNSET:
            field_dict["name"] = name
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_patch_contact_type_0 import TenantPatchContactType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_contact(data: object) -> None | TenantPatchContactType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0 = TenantPatchContactType0.from_dict(data)



                return contact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantPatchContactType0 | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))


        departments = cast(list[str], d.pop("departments", UNSET))


        name = d.pop("name", UNSET)

        _status = d.pop("status", UNSET)
        status: TenantPatchStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = TenantPatchStatus(_status)




        tenant_patch = cls(
            contact=contact,
            departments=departments,
            name=name,
            status=status,
        )

        return tenant_patch

