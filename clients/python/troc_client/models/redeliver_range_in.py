from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.redeliver_range_in_source import RedeliverRangeInSource
from ..types import UNSET, Unset






T = TypeVar("T", bound="RedeliverRangeIn")



@_attrs_define
class RedeliverRangeIn:
    """ 
        Attributes:
            after (int): Send again every delivery whose event sequence is above this one Example: 41.
            limit (int | Unset):  Default: 1000.
            source (RedeliverRangeInSource | Unset): Whose log `after` is a position in (each producer numbers its own)
                Default: RedeliverRangeInSource.LEDGER. Example: ledger.
     """

    after: int
    limit: int | Unset = 1000
    source: RedeliverRangeInSource | Unset = RedeliverRangeInSource.LEDGER





    def to_dict(self) -> dict[str, Any]:
        after = self.after

        limit = self.limit

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "after": after,
        })
        if limit is not UNSET:
            field_dict["limit"] = limit
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        after = d.pop("after")

        limit = d.pop("limit", UNSET)

        _source = d.pop("source", UNSET)
        source: RedeliverRangeInSource | Unset
        if isinstance(_source,  Unset):
            source = UNSET
        else:
            source = RedeliverRangeInSource(_source)




        redeliver_range_in = cls(
            after=after,
            limit=limit,
            source=source,
        )

        return redeliver_range_in

