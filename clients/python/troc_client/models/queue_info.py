from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="QueueInfo")



@_attrs_define
class QueueInfo:
    """ 
        Attributes:
            buyer_available (None | str | Unset): The buyer's available credit, from the ledger's events, in the buyer's
                unit (``buyer_unit`` of a cross-network invoice: compare ``buyer_unit_part``) Example: 1250.00.
            waiting_days (int | None | Unset):
            waiting_since (datetime.datetime | None | Unset):
     """

    buyer_available: None | str | Unset = UNSET
    waiting_days: int | None | Unset = UNSET
    waiting_since: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        buyer_available: None | str | Unset
        if isinstance(self.buyer_available, Unset):
            buyer_available = UNSET
        else:
            buyer_available = self.buyer_available

        waiting_days: int | None | Unset
        if isinstance(self.waiting_days, Unset):
            waiting_days = UNSET
        else:
            waiting_days = self.waiting_days

        waiting_since: None | str | Unset
        if isinstance(self.waiting_since, Unset):
            waiting_since = UNSET
        elif isinstance(self.waiting_since, datetime.datetime):
            waiting_since = self.waiting_since.isoformat()
        else:
            waiting_since = self.waiting_since


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if buyer_available is not UNSET:
            field_dict["buyer_available"] = buyer_available
        if waiting_days is not UNSET:
            field_dict["waiting_days"] = waiting_days
        if waiting_since is not UNSET:
            field_dict["waiting_since"] = waiting_since

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_buyer_available(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        buyer_available = _parse_buyer_available(d.pop("buyer_available", UNSET))


        def _parse_waiting_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        waiting_days = _parse_waiting_days(d.pop("waiting_days", UNSET))


        def _parse_waiting_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                waiting_since_type_0 = datetime.datetime.fromisoformat(data)



                return waiting_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        waiting_since = _parse_waiting_since(d.pop("waiting_since", UNSET))


        queue_info = cls(
            buyer_available=buyer_available,
            waiting_days=waiting_days,
            waiting_since=waiting_since,
        )

        return queue_info

