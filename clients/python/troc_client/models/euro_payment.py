from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EuroPayment")



@_attrs_define
class EuroPayment:
    """ 
        Attributes:
            status (str): none, unpaid or paid
            paid_on (datetime.date | None | Unset):
     """

    status: str
    paid_on: datetime.date | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        status = self.status

        paid_on: None | str | Unset
        if isinstance(self.paid_on, Unset):
            paid_on = UNSET
        elif isinstance(self.paid_on, datetime.date):
            paid_on = self.paid_on.isoformat()
        else:
            paid_on = self.paid_on


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "status": status,
        })
        if paid_on is not UNSET:
            field_dict["paid_on"] = paid_on

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        def _parse_paid_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_on_type_0 = datetime.date.fromisoformat(data)



                return paid_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        paid_on = _parse_paid_on(d.pop("paid_on", UNSET))


        euro_payment = cls(
            status=status,
            paid_on=paid_on,
        )

        return euro_payment

