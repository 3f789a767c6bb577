from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MemberCategory")



@_attrs_define
class MemberCategory:
    """ 
        Attributes:
            default_credit_limit (str): The limit its members open with and get back at expiry Example: 1250.00.
            name (str):  Example: Associations.
            slug (str):  Example: association.
            max_balance (None | str | Unset):  Example: 20000.00.
     """

    default_credit_limit: str
    name: str
    slug: str
    max_balance: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        default_credit_limit = self.default_credit_limit

        name = self.name

        slug = self.slug

        max_balance: None | str | Unset
        if isinstance(self.max_balance, Unset):
            max_balance = UNSET
        else:
            max_balance = self.max_balance


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "default_credit_limit": default_credit_limit,
            "name": name,
            "slug": slug,
        })
        if max_balance is not UNSET:
            field_dict["max_balance"] = max_balance

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default_credit_limit = d.pop("default_credit_limit")

        name = d.pop("name")

        slug = d.pop("slug")

        def _parse_max_balance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_balance = _parse_max_balance(d.pop("max_balance", UNSET))


        member_category = cls(
            default_credit_limit=default_credit_limit,
            name=name,
            slug=slug,
            max_balance=max_balance,
        )

        return member_category

