from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.address import Address





T = TypeVar("T", bound="Member")



@_attrs_define
class Member:
    """ 
        Attributes:
            department (str):
            email (str):
            id (UUID):
            name (str):
            network (str):
            siret (str):
            status (str):  Example: active.
            tenant (str):
            address (Address | Unset):
            admitted_at (datetime.datetime | Unset):
            category (None | str | Unset):
            naf (None | str | Unset):
            phone (None | str | Unset):
            siren (str | Unset):
            status_changed_at (datetime.datetime | None | Unset):
            updated_at (datetime.datetime | None | Unset):
            vat_number (None | str | Unset):
     """

    department: str
    email: str
    id: UUID
    name: str
    network: str
    siret: str
    status: str
    tenant: str
    address: Address | Unset = UNSET
    admitted_at: datetime.datetime | Unset = UNSET
    category: None | str | Unset = UNSET
    naf: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    siren: str | Unset = UNSET
    status_changed_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    vat_number: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        department = self.department

        email = self.email

        id = str(self.id)

        name = self.name

        network = self.network

        siret = self.siret

        status = self.status

        tenant = self.tenant

        address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.address, Unset):
            address = self.address.to_dict()

        admitted_at: str | Unset = UNSET
        if not isinstance(self.admitted_at, Unset):
            admitted_at = self.admitted_at.isoformat()

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        naf: None | str | Unset
        if isinstance(self.naf, Unset):
            naf = UNSET
        else:
            naf = self.naf

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        siren = self.siren

        status_changed_at: None | str | Unset
        if isinstance(self.status_changed_at, Unset):
            status_changed_at = UNSET
        elif isinstance(self.status_changed_at, datetime.datetime):
            status_changed_at = self.status_changed_at.isoformat()
        else:
            status_changed_at = self.status_changed_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        vat_number: None | str | Unset
        if isinstance(self.vat_number, Unset):
            vat_number = UNSET
        else:
            vat_number = self.vat_number


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "department": department,
            "email": email,
            "id": id,
            "name": name,
            "network": network,
            "siret": siret,
            "status": status,
            "tenant": tenant,
        })
        if address is not UNSET:
            field_dict["address"] = address
        if admitted_at is not UNSET:
            field_dict["admitted_at"] = admitted_at
        if category is not UNSET:
            field_dict["category"] = category
        if naf is not UNSET:
            field_dict["naf"] = naf
        if phone is not UNSET:
            field_dict["phone"] = phone
        if siren is not UNSET:
            field_dict["siren"] = siren
        if status_changed_at is not UNSET:
            field_dict["status_changed_at"] = status_changed_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if vat_number is not UNSET:
            field_dict["vat_number"] = vat_number

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        d = dict(src_dict)
        department = d.pop("department")

        email = d.pop("email")

        id = UUID(d.pop("id"))




        name = d.pop("name")

        network = d.pop("network")

        siret = d.pop("siret")

        status = d.pop("status")

        tenant = d.pop("tenant")

        _address = d.pop("address", UNSET)
        address: Address | Unset
        if isinstance(_address,  Unset):
            address = UNSET
        else:
            address = Address.from_dict(_address)




        _admitted_at = d.pop("admitted_at", UNSET)
        admitted_at: datetime.datetime | Unset
        if isinstance(_admitted_at,  Unset):
            admitted_at = UNSET
        else:
            admitted_at = datetime.datetime.fromisoformat(_admitted_at)




        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        def _parse_naf(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        naf = _parse_naf(d.pop("naf", UNSET))


        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        siren = d.pop("siren", UNSET)

        def _parse_status_changed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_changed_at_type_0 = datetime.datetime.fromisoformat(data)



                return status_changed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        status_changed_at = _parse_status_changed_at(d.pop("status_changed_at", UNSET))


        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)



                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))


        def _parse_vat_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vat_number = _parse_vat_number(d.pop("vat_number", UNSET))


        member = cls(
            department=department,
            email=email,
            id=id,
            name=name,
            network=network,
            siret=siret,
            status=status,
            tenant=tenant,
            address=address,
            admitted_at=admitted_at,
            category=category,
            naf=naf,
            phone=phone,
            siren=siren,
            status_changed_at=status_changed_at,
            updated_at=updated_at,
            vat_number=vat_number,
        )

        return member

