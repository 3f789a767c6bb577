from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.commission_charged_in import CommissionChargedIn






T = TypeVar("T", bound="Commission")



@_attrs_define
class Commission:
    """ 
        Attributes:
            charged_in (CommissionChargedIn):
            rate (str): Percent of the invoiced amount, e.g. "5". Example: 5.
     """

    charged_in: CommissionChargedIn
    rate: str





    def to_dict(self) -> dict[str, Any]:
        charged_in = self.charged_in.value

        rate = self.rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "charged_in": charged_in,
            "rate": rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        charged_in = CommissionChargedIn(d.pop("charged_in"))




        rate = d.pop("rate")

        commission = cls(
            charged_in=charged_in,
            rate=rate,
        )

        return commission

