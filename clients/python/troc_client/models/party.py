from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.invoices_address import InvoicesAddress
  from ..models.party_address_type_0_type_0 import PartyAddressType0Type0





T = TypeVar("T", bound="Party")



@_attrs_define
class Party:
    """ 
        Attributes:
            member_id (UUID):
            name (str):
            siret (str):
            tenant (str):
            address (InvoicesAddress | None | PartyAddressType0Type0 | Unset):
            vat_number (None | str | Unset):
     """

    member_id: UUID
    name: str
    siret: str
    tenant: str
    address: InvoicesAddress | None | PartyAddressType0Type0 | Unset = UNSET
    vat_number: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.invoices_address import InvoicesAddress # noqa: PLC0415
        from ..models.party_address_type_0_type_0 import PartyAddressType0Type0 # noqa: PLC0415
        member_id = str(self.member_id)

        name = self.name

        siret = self.siret

        tenant = self.tenant

        address: dict[str, Any] | None | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, PartyAddressType0Type0):
            address = self.address.to_dict()
        elif isinstance(self.address, InvoicesAddress):
            address = self.address.to_dict()
        else:
            address = self.address

        vat_number: None | str | Unset
        if isinstance(self.vat_number, Unset):
            vat_number = UNSET
        else:
            vat_number = self.vat_number


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "member_id": member_id,
            "name": name,
            "siret": siret,
            "tenant": tenant,
        })
        if address is not UNSET:
            field_dict["address"] = address
        if vat_number is not UNSET:
            field_dict["vat_number"] = vat_number

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoices_address import InvoicesAddress # noqa: PLC0415
        from ..models.party_address_type_0_type_0 import PartyAddressType0Type0 # noqa: PLC0415
        d = dict(src_dict)
        member_id = UUID(d.pop("member_id"))




        name = d.pop("name")

        siret = d.pop("siret")

        tenant = d.pop("tenant")

        def _parse_address(data: object) -> InvoicesAddress | None | PartyAddressType0Type0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_0_type_0 = PartyAddressType0Type0.from_dict(data)



                return address_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_1 = InvoicesAddress.from_dict(data)



                return address_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoicesAddress | None | PartyAddressType0Type0 | Unset, data)

        address = _parse_address(d.pop("address", UNSET))


        def _parse_vat_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vat_number = _parse_vat_number(d.pop("vat_number", UNSET))


        party = cls(
            member_id=member_id,
            name=name,
            siret=siret,
            tenant=tenant,
            address=address,
            vat_number=vat_number,
        )

        return party

