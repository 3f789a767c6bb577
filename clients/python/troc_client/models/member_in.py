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





T = TypeVar("T", bound="MemberIn")



@_attrs_define
class MemberIn:
    """ 
        Attributes:
            address (Address | str): One line ("12 rue de la Paix, 75002 Paris") or {street, postal_code, city}.
            department (str):  Example: 92.
            email (str):
            name (str):
            siret (str):  Example: 73282932000074.
            category (None | str | Unset): One of the network's member categories (slug)
            credit_limit (None | str | Unset): Opening credit limit; default: the category's, else the network's. Example:
                1250.00.
            naf (None | str | Unset):
            phone (None | str | Unset):
            vat_number (None | str | Unset):
     """

    address: Address | str
    department: str
    email: str
    name: str
    siret: str
    category: None | str | Unset = UNSET
    credit_limit: None | str | Unset = UNSET
    naf: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    vat_number: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        address: dict[str, Any] | str
        if isinstance(self.address, Address):
            address = self.address.to_dict()
        else:
            address = self.address

        department = self.department

        email = self.email

        name = self.name

        siret = self.siret

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        credit_limit: None | str | Unset
        if isinstance(self.credit_limit, Unset):
            credit_limit = UNSET
        else:
            credit_limit = self.credit_limit

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

        vat_number: None | str | Unset
        if isinstance(self.vat_number, Unset):
            vat_number = UNSET
        else:
            vat_number = self.vat_number


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "address": address,
            "department": department,
            "email": email,
            "name": name,
            "siret": siret,
        })
        if category is not UNSET:
            field_dict["category"] = category
        if credit_limit is not UNSET:
            field_dict["credit_limit"] = credit_limit
        if naf is not UNSET:
            field_dict["naf"] = naf
        if phone is not UNSET:
            field_dict["phone"] = phone
        if vat_number is not UNSET:
            field_dict["vat_number"] = vat_number

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        d = dict(src_dict)
        def _parse_address(data: object) -> Address | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_1 = Address.from_dict(data)



                return address_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Address | str, data)

        address = _parse_address(d.pop("address"))


        department = d.pop("department")

        email = d.pop("email")

        name = d.pop("name")

        siret = d.pop("siret")

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        def _parse_credit_limit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credit_limit = _parse_credit_limit(d.pop("credit_limit", UNSET))


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


        def _parse_vat_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vat_number = _parse_vat_number(d.pop("vat_number", UNSET))


        member_in = cls(
            address=address,
            department=department,
            email=email,
            name=name,
            siret=siret,
            category=category,
            credit_limit=credit_limit,
            naf=naf,
            phone=phone,
            vat_number=vat_number,
        )

        return member_in

