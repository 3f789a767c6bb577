from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.price_type import PriceType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Price")



@_attrs_define
class Price:
    """ 
        Attributes:
            amount (None | str | Unset): In the network's unit; none on quote Example: 1250.00.
            type_ (PriceType | Unset): fixed, from (at least) or on_quote Default: PriceType.ON_QUOTE.
            unit (None | str | Unset): The network's unit code (e.g. ACT)
     """

    amount: None | str | Unset = UNSET
    type_: PriceType | Unset = PriceType.ON_QUOTE
    unit: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value


        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if amount is not UNSET:
            field_dict["amount"] = amount
        if type_ is not UNSET:
            field_dict["type"] = type_
        if unit is not UNSET:
            field_dict["unit"] = unit

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))


        _type_ = d.pop("type", UNSET)
        type_: PriceType | Unset
        if isinstance(_type_,  Unset):
            type_ = UNSET
        else:
            type_ = PriceType(_type_)




        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))


        price = cls(
            amount=amount,
            type_=type_,
            unit=unit,
        )

        return price

