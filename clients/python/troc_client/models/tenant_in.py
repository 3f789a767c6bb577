from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.tenant_in_contact_type_0 import TenantInContactType0





T = TypeVar("T", bound="TenantIn")



@_attrs_define
class TenantIn:
    """ 
        Attributes:
            departments (list[str]):  Example: ['92', '93', '94'].
            name (str):
            slug (str):
            contact (None | TenantInContactType0 | Unset): {name, email, phone}
     """

    departments: list[str]
    name: str
    slug: str
    contact: None | TenantInContactType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant_in_contact_type_0 import TenantInContactType0 # noqa: PLC0415
        departments = self.departments



        name = self.name

        slug = self.slug

        contact: dict[str, Any] | None | Unset
        if isinstance(self.contact, Unset):
            contact = UNSET
        elif isinstance(self.contact, TenantInContactType0):
            contact = self.contact.to_dict()
        else:
            contact = self.contact


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "departments": departments,
            "name": name,
            "slug": slug,
        })
        if contact is not UNSET:
            field_dict["contact"] = contact

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_in_contact_type_0 import TenantInContactType0 # noqa: PLC0415
        d = dict(src_dict)
        departments = cast(list[str], d.pop("departments"))


        name = d.pop("name")

        slug = d.pop("slug")

        def _parse_contact(data: object) -> None | TenantInContactType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0 = TenantInContactType0.from_dict(data)



                return contact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantInContactType0 | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))


        tenant_in = cls(
            departments=departments,
            name=name,
            slug=slug,
            contact=contact,
        )

        return tenant_in

