from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="RedeliverRangeIn")



@_attrs_define
class RedeliverRangeIn:
    """ 
        Attributes:
            after (int): Send again every delivery whose event sequence is above this one Example: 41.
            limit (int | Unset):  Default: 1000.
     """

    after: int
    limit: int | Unset = 1000





    def to_dict(self) -> dict[str, Any]:
        after = self.after

        limit = self.limit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "after": after,
        })
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        after = d.pop("after")

        limit = d.pop("limit", UNSET)

        redeliver_range_in = cls(
            after=after,
            limit=limit,
        )

        return redeliver_range_in

