from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.listing_in_category import ListingInCategory
from ..models.listing_in_kind import ListingInKind
from ..models.listing_in_payment_modes_type_0_item import ListingInPaymentModesType0Item
from ..models.listing_in_visibility import ListingInVisibility
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.listing_in_price_type_1_type_0 import ListingInPriceType1Type0
  from ..models.price import Price





T = TypeVar("T", bound="ListingIn")



@_attrs_define
class ListingIn:
    """ 
        Attributes:
            category (ListingInCategory):
            kind (ListingInKind):
            title (str):
            departments (list[str] | None | Unset): Departments served (e.g. ["92", "93"]); [] for all of France; default:
                the member's department
            description (str | Unset):  Default: ''.
            expires_at (datetime.datetime | None | Unset): Default: needs expire after the network's number of days
            member_id (None | Unset | UUID): Animators only: the member the listing is published for (a member's own
                listings always belong to the member of its token)
            payment_modes (list[ListingInPaymentModesType0Item] | None | Unset): Accepted shares paid in the unit (100
                and/or 50); default: every mode of the network
            price (ListingInPriceType1Type0 | None | Price | Unset):
            visibility (ListingInVisibility | Unset):  Default: ListingInVisibility.NETWORK.
     """

    category: ListingInCategory
    kind: ListingInKind
    title: str
    departments: list[str] | None | Unset = UNSET
    description: str | Unset = ''
    expires_at: datetime.datetime | None | Unset = UNSET
    member_id: None | Unset | UUID = UNSET
    payment_modes: list[ListingInPaymentModesType0Item] | None | Unset = UNSET
    price: ListingInPriceType1Type0 | None | Price | Unset = UNSET
    visibility: ListingInVisibility | Unset = ListingInVisibility.NETWORK





    def to_dict(self) -> dict[str, Any]:
        from ..models.listing_in_price_type_1_type_0 import ListingInPriceType1Type0 # noqa: PLC0415
        from ..models.price import Price # noqa: PLC0415
        category = self.category.value

        kind = self.kind.value

        title = self.title

        departments: list[str] | None | Unset
        if isinstance(self.departments, Unset):
            departments = UNSET
        elif isinstance(self.departments, list):
            departments = self.departments


        else:
            departments = self.departments

        description = self.description

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id

        payment_modes: list[int] | None | Unset
        if isinstance(self.payment_modes, Unset):
            payment_modes = UNSET
        elif isinstance(self.payment_modes, list):
            payment_modes = []
            for payment_modes_type_0_item_data in self.payment_modes:
                payment_modes_type_0_item = payment_modes_type_0_item_data.value
                payment_modes.append(payment_modes_type_0_item)


        else:
            payment_modes = self.payment_modes

        price: dict[str, Any] | None | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        elif isinstance(self.price, Price):
            price = self.price.to_dict()
        elif isinstance(self.price, ListingInPriceType1Type0):
            price = self.price.to_dict()
        else:
            price = self.price

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "category": category,
            "kind": kind,
            "title": title,
        })
        if departments is not UNSET:
            field_dict["departments"] = departments
        if description is not UNSET:
            field_dict["description"] = description
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if payment_modes is not UNSET:
            field_dict["payment_modes"] = payment_modes
        if price is not UNSET:
            field_dict["price"] = price
        if visibility is not UNSET:
            field_dict["visibility"] = visibility

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.listing_in_price_type_1_type_0 import ListingInPriceType1Type0 # noqa: PLC0415
        from ..models.price import Price # noqa: PLC0415
        d = dict(src_dict)
        category = ListingInCategory(d.pop("category"))




        kind = ListingInKind(d.pop("kind"))




        title = d.pop("title")

        def _parse_departments(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                departments_type_0 = cast(list[str], data)

                return departments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        departments = _parse_departments(d.pop("departments", UNSET))


        description = d.pop("description", UNSET)

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


        def _parse_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                member_id_type_0 = UUID(data)



                return member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))


        def _parse_payment_modes(data: object) -> list[ListingInPaymentModesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                payment_modes_type_0 = []
                _payment_modes_type_0 = data
                for payment_modes_type_0_item_data in (_payment_modes_type_0):
                    payment_modes_type_0_item = ListingInPaymentModesType0Item(payment_modes_type_0_item_data)



                    payment_modes_type_0.append(payment_modes_type_0_item)

                return payment_modes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ListingInPaymentModesType0Item] | None | Unset, data)

        payment_modes = _parse_payment_modes(d.pop("payment_modes", UNSET))


        def _parse_price(data: object) -> ListingInPriceType1Type0 | None | Price | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                price_type_0 = Price.from_dict(data)



                return price_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                price_type_1_type_0 = ListingInPriceType1Type0.from_dict(data)



                return price_type_1_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ListingInPriceType1Type0 | None | Price | Unset, data)

        price = _parse_price(d.pop("price", UNSET))


        _visibility = d.pop("visibility", UNSET)
        visibility: ListingInVisibility | Unset
        if isinstance(_visibility,  Unset):
            visibility = UNSET
        else:
            visibility = ListingInVisibility(_visibility)




        listing_in = cls(
            category=category,
            kind=kind,
            title=title,
            departments=departments,
            description=description,
            expires_at=expires_at,
            member_id=member_id,
            payment_modes=payment_modes,
            price=price,
            visibility=visibility,
        )

        return listing_in

