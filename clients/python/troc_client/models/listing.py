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
  from ..models.converted_price import ConvertedPrice
  from ..models.price import Price





T = TypeVar("T", bound="Listing")



@_attrs_define
class Listing:
    """ 
        Attributes:
            category (str):
            created_at (datetime.datetime):
            departments (list[str]): [] means all of France
            description (str):
            id (UUID):
            kind (str):
            member_id (UUID):
            payment_modes (list[int]):
            price (Price):
            published_at (datetime.datetime):
            status (str):
            tenant (str):
            title (str):
            updated_at (datetime.datetime):
            visibility (str):
            category_label (str | Unset):
            expires_at (datetime.datetime | None | Unset):
            member_name (None | str | Unset):
            network (str | Unset): The network the listing belongs to
            network_name (None | str | Unset):
            price_in_your_unit (ConvertedPrice | Unset):
            status_reason (None | str | Unset):
     """

    category: str
    created_at: datetime.datetime
    departments: list[str]
    description: str
    id: UUID
    kind: str
    member_id: UUID
    payment_modes: list[int]
    price: Price
    published_at: datetime.datetime
    status: str
    tenant: str
    title: str
    updated_at: datetime.datetime
    visibility: str
    category_label: str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    member_name: None | str | Unset = UNSET
    network: str | Unset = UNSET
    network_name: None | str | Unset = UNSET
    price_in_your_unit: ConvertedPrice | Unset = UNSET
    status_reason: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.converted_price import ConvertedPrice # noqa: PLC0415
        from ..models.price import Price # noqa: PLC0415
        category = self.category

        created_at = self.created_at.isoformat()

        departments = self.departments



        description = self.description

        id = str(self.id)

        kind = self.kind

        member_id = str(self.member_id)

        payment_modes = self.payment_modes



        price = self.price.to_dict()

        published_at = self.published_at.isoformat()

        status = self.status

        tenant = self.tenant

        title = self.title

        updated_at = self.updated_at.isoformat()

        visibility = self.visibility

        category_label = self.category_label

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        member_name: None | str | Unset
        if isinstance(self.member_name, Unset):
            member_name = UNSET
        else:
            member_name = self.member_name

        network = self.network

        network_name: None | str | Unset
        if isinstance(self.network_name, Unset):
            network_name = UNSET
        else:
            network_name = self.network_name

        price_in_your_unit: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price_in_your_unit, Unset):
            price_in_your_unit = self.price_in_your_unit.to_dict()

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "category": category,
            "created_at": created_at,
            "departments": departments,
            "description": description,
            "id": id,
            "kind": kind,
            "member_id": member_id,
            "payment_modes": payment_modes,
            "price": price,
            "published_at": published_at,
            "status": status,
            "tenant": tenant,
            "title": title,
            "updated_at": updated_at,
            "visibility": visibility,
        })
        if category_label is not UNSET:
            field_dict["category_label"] = category_label
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if member_name is not UNSET:
            field_dict["member_name"] = member_name
        if network is not UNSET:
            field_dict["network"] = network
        if network_name is not UNSET:
            field_dict["network_name"] = network_name
        if price_in_your_unit is not UNSET:
            field_dict["price_in_your_unit"] = price_in_your_unit
        if status_reason is not UNSET:
            field_dict["status_reason"] = status_reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.converted_price import ConvertedPrice # noqa: PLC0415
        from ..models.price import Price # noqa: PLC0415
        d = dict(src_dict)
        category = d.pop("category")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        departments = cast(list[str], d.pop("departments"))


        description = d.pop("description")

        id = UUID(d.pop("id"))




        kind = d.pop("kind")

        member_id = UUID(d.pop("member_id"))




        payment_modes = cast(list[int], d.pop("payment_modes"))


        price = Price.from_dict(d.pop("price"))




        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))




        status = d.pop("status")

        tenant = d.pop("tenant")

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        visibility = d.pop("visibility")

        category_label = d.pop("category_label", UNSET)

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        def _parse_member_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_name = _parse_member_name(d.pop("member_name", UNSET))


        network = d.pop("network", UNSET)

        def _parse_network_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        network_name = _parse_network_name(d.pop("network_name", UNSET))


        _price_in_your_unit = d.pop("price_in_your_unit", UNSET)
        price_in_your_unit: ConvertedPrice | Unset
        if isinstance(_price_in_your_unit,  Unset):
            price_in_your_unit = UNSET
        else:
            price_in_your_unit = ConvertedPrice.from_dict(_price_in_your_unit)




        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("status_reason", UNSET))


        listing = cls(
            category=category,
            created_at=created_at,
            departments=departments,
            description=description,
            id=id,
            kind=kind,
            member_id=member_id,
            payment_modes=payment_modes,
            price=price,
            published_at=published_at,
            status=status,
            tenant=tenant,
            title=title,
            updated_at=updated_at,
            visibility=visibility,
            category_label=category_label,
            expires_at=expires_at,
            member_name=member_name,
            network=network,
            network_name=network_name,
            price_in_your_unit=price_in_your_unit,
            status_reason=status_reason,
        )

        return listing

