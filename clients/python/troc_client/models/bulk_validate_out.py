from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.bulk_result import BulkResult





T = TypeVar("T", bound="BulkValidateOut")



@_attrs_define
class BulkValidateOut:
    """ 
        Attributes:
            results (list[BulkResult]):
            validated (int):
     """

    results: list[BulkResult]
    validated: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.bulk_result import BulkResult # noqa: PLC0415
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)



        validated = self.validated


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "results": results,
            "validated": validated,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bulk_result import BulkResult # noqa: PLC0415
        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in (_results):
            results_item = BulkResult.from_dict(results_item_data)



            results.append(results_item)


        validated = d.pop("validated")

        bulk_validate_out = cls(
            results=results,
            validated=validated,
        )

        return bulk_validate_out

