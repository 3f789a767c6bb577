from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="CreditLimitIn")



@_attrs_define
class CreditLimitIn:
    """ 
        Attributes:
            credit_limit (str):  Example: 1250.00.
            reason (str | Unset): Why the limit changes (kept in its history). Default: ''.
     """

    credit_limit: str
    reason: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        credit_limit = self.credit_limit

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "credit_limit": credit_limit,
        })
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        credit_limit = d.pop("credit_limit")

        reason = d.pop("reason", UNSET)

        credit_limit_in = cls(
            credit_limit=credit_limit,
            reason=reason,
        )

        return credit_limit_in

