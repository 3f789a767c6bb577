from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.listing_patch_category import ListingPatchCategory
from ..models.listing_patch_payment_modes_type_0_item import ListingPatchPaymentModesType0Item
from ..models.listing_patch_status import ListingPatchStatus
from ..models.listing_patch_visibility import ListingPatchVisibility
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.price import Price





T = TypeVar("T", bound="ListingPatch")



@_attrs_define
class ListingPatch:
    """ 
        Attributes:
            category (ListingPatchCategory | Unset): A slug of GET /t/<tenant>/categories
            departments (list[str] | None | Unset): Departments served (e.g. ["92", "93"]); [] for all of France; default:
                the member's department
            description (str | Unset):
            expires_at (datetime.datetime | None | Unset): Default: needs expire after the network's number of days
            payment_modes (list[ListingPatchPaymentModesType0Item] | None | Unset): Accepted shares paid in the unit (100
                and/or 50); default: every mode of the network
            price (Price | Unset):
            status (ListingPatchStatus | Unset): paused, active again, or archived
            title (str | Unset):
            visibility (ListingPatchVisibility | Unset): tenant (own association only), network (default), or federation
                (the network and the networks linked to it by an active link)
     """

    category: ListingPatchCategory | Unset = UNSET
    departments: list[str] | None | Unset = UNSET
    description: str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    payment_modes: list[ListingPatchPaymentModesType0Item] | None | Unset = UNSET
    price: Price | Unset = UNSET
    status: ListingPatchStatus | Unset = UNSET
    title: str | Unset = UNSET
    visibility: ListingPatchVisibility | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.price import Price # noqa: PLC0415
        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value


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

        price: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price, Unset):
            price = self.price.to_dict()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        title = self.title

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if category is not UNSET:
            field_dict["category"] = category
        if departments is not UNSET:
            field_dict["departments"] = departments
        if description is not UNSET:
            field_dict["description"] = description
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if payment_modes is not UNSET:
            field_dict["payment_modes"] = payment_modes
        if price is not UNSET:
            field_dict["price"] = price
        if status is not UNSET:
            field_dict["status"] = status
        if title is not UNSET:
            field_dict["title"] = title
        if visibility is not UNSET:
            field_dict["visibility"] = visibility

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.price import Price # noqa: PLC0415
        d = dict(src_dict)
        _category = d.pop("category", UNSET)
        category: ListingPatchCategory | Unset
        if isinstance(_category,  Unset):
            category = UNSET
        else:
            category = ListingPatchCategory(_category)




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


        def _parse_payment_modes(data: object) -> list[ListingPatchPaymentModesType0Item] | None | Unset:
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
                    payment_modes_type_0_item = ListingPatchPaymentModesType0Item(payment_modes_type_0_item_data)



                    payment_modes_type_0.append(payment_modes_type_0_item)

                return payment_modes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ListingPatchPaymentModesType0Item] | None | Unset, data)

        payment_modes = _parse_payment_modes(d.pop("payment_modes", UNSET))


        _price = d.pop("price", UNSET)
        price: Price | Unset
        if isinstance(_price,  Unset):
            price = UNSET
        else:
            price = Price.from_dict(_price)




        _status = d.pop("status", UNSET)
        status: ListingPatchStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = ListingPatchStatus(_status)




        title = d.pop("title", UNSET)

        _visibility = d.pop("visibility", UNSET)
        visibility: ListingPatchVisibility | Unset
        if isinstance(_visibility,  Unset):
            visibility = UNSET
        else:
            visibility = ListingPatchVisibility(_visibility)




        listing_patch = cls(
            category=category,
            departments=departments,
            description=description,
            expires_at=expires_at,
            payment_modes=payment_modes,
            price=price,
            status=status,
            title=title,
            visibility=visibility,
        )

        return listing_patch

