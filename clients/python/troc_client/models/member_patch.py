from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.address import Address





T = TypeVar("T", bound="MemberPatch")



@_attrs_define
class MemberPatch:
    """ 
        Attributes:
            address (Address | str | Unset): One line ("12 rue de la Paix, 75002 Paris") or {street, postal_code, city}.
            category (None | str | Unset): One of the network's member categories (slug); null: none
            department (str | Unset):  Example: 92.
            email (str | Unset):
            naf (None | str | Unset):
            name (str | Unset):
            phone (None | str | Unset):
            vat_number (None | str | Unset):
     """

    address: Address | str | Unset = UNSET
    category: None | str | Unset = UNSET
    department: str | Unset = UNSET
    email: str | Unset = UNSET
    naf: None | str | Unset = UNSET
    name: str | Unset = UNSET
    phone: None | str | Unset = UNSET
    vat_number: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        address: dict[str, Any] | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, Address):
            address = self.address.to_dict()
        else:
            address = self.address

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        department = self.department

        email = self.email

        naf: None | str | Unset
        if isinstance(self.naf, Unset):
            naf = UNSET
        else:
            naf = self.naf

        name = self.name

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        vat_number: None | str | Unset
        if isinstance(self.vat_number, Unset):
            vat_number = UNSET
        else:
            vat_number = self.vat_number


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if address is not UNSET:
            field_dict["address"] = address
        if category is not UNSET:
            field_dict["category"] = category
        if department is not UNSET:
            field_dict["department"] = department
        if email is not UNSET:
            field_dict["email"] = email
        if naf is not UNSET:
            field_dict["naf"] = naf
        if name is not UNSET:
            field_dict["name"] = name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if vat_number is not UNSET:
            field_dict["vat_number"] = vat_number

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        d = dict(src_dict)
        def _parse_address(data: object) -> Address | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_1 = Address.from_dict(data)



                return address_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Address | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))


        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        department = d.pop("department", UNSET)

        email = d.pop("email", UNSET)

        def _parse_naf(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        naf = _parse_naf(d.pop("naf", UNSET))


        name = d.pop("name", UNSET)

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        def _parse_vat_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vat_number = _parse_vat_number(d.pop("vat_number", UNSET))


        member_patch = cls(
            address=address,
            category=category,
            department=department,
            email=email,
            naf=naf,
            name=name,
            phone=phone,
            vat_number=vat_number,
        )

        return member_patch

