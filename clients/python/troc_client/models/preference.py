from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Preference")



@_attrs_define
class Preference:
    """ 
        Attributes:
            email (bool): Sent by e-mail too
            kind (str):
     """

    email: bool
    kind: str





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "kind": kind,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        kind = d.pop("kind")

        preference = cls(
            email=email,
            kind=kind,
        )

        return preference

