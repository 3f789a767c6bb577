from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Refusal")



@_attrs_define
class Refusal:
    """ 
        Attributes:
            at (datetime.datetime):
            code (str):
            reason (str):
     """

    at: datetime.datetime
    code: str
    reason: str





    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        code = self.code

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "at": at,
            "code": code,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        code = d.pop("code")

        reason = d.pop("reason")

        refusal = cls(
            at=at,
            code=code,
            reason=reason,
        )

        return refusal

