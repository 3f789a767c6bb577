from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tenant_status import TenantStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.contact import Contact
  from ..models.tenant_contact_type_0_type_0 import TenantContactType0Type0





T = TypeVar("T", bound="Tenant")



@_attrs_define
class Tenant:
    """ 
        Attributes:
            departments (list[str]):
            id (UUID):
            name (str):
            network (str):
            slug (str):
            status (TenantStatus):
            closed_at (datetime.datetime | None | Unset):
            contact (Contact | None | TenantContactType0Type0 | Unset):
     """

    departments: list[str]
    id: UUID
    name: str
    network: str
    slug: str
    status: TenantStatus
    closed_at: datetime.datetime | None | Unset = UNSET
    contact: Contact | None | TenantContactType0Type0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.contact import Contact # noqa: PLC0415
        from ..models.tenant_contact_type_0_type_0 import TenantContactType0Type0 # noqa: PLC0415
        departments = self.departments



        id = str(self.id)

        name = self.name

        network = self.network

        slug = self.slug

        status = self.status.value

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        contact: dict[str, Any] | None | Unset
        if isinstance(self.contact, Unset):
            contact = UNSET
        elif isinstance(self.contact, TenantContactType0Type0):
            contact = self.contact.to_dict()
        elif isinstance(self.contact, Contact):
            contact = self.contact.to_dict()
        else:
            contact = self.contact


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "departments": departments,
            "id": id,
            "name": name,
            "network": network,
            "slug": slug,
            "status": status,
        })
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if contact is not UNSET:
            field_dict["contact"] = contact

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact import Contact # noqa: PLC0415
        from ..models.tenant_contact_type_0_type_0 import TenantContactType0Type0 # noqa: PLC0415
        d = dict(src_dict)
        departments = cast(list[str], d.pop("departments"))


        id = UUID(d.pop("id"))




        name = d.pop("name")

        network = d.pop("network")

        slug = d.pop("slug")

        status = TenantStatus(d.pop("status"))




        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))


        def _parse_contact(data: object) -> Contact | None | TenantContactType0Type0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0_type_0 = TenantContactType0Type0.from_dict(data)



                return contact_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_1 = Contact.from_dict(data)



                return contact_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Contact | None | TenantContactType0Type0 | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))


        tenant = cls(
            departments=departments,
            id=id,
            name=name,
            network=network,
            slug=slug,
            status=status,
            closed_at=closed_at,
            contact=contact,
        )

        return tenant

