from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Category")



@_attrs_define
class Category:
    """ 
        Attributes:
            group (str):
            label (str):
            slug (str):
     """

    group: str
    label: str
    slug: str





    def to_dict(self) -> dict[str, Any]:
        group = self.group

        label = self.label

        slug = self.slug


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "group": group,
            "label": label,
            "slug": slug,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        group = d.pop("group")

        label = d.pop("label")

        slug = d.pop("slug")

        category = cls(
            group=group,
            label=label,
            slug=slug,
        )

        return category

