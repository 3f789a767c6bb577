from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="BulkValidateIn")



@_attrs_define
class BulkValidateIn:
    """ 
        Attributes:
            invoice_ids (list[UUID]):
     """

    invoice_ids: list[UUID]





    def to_dict(self) -> dict[str, Any]:
        invoice_ids = []
        for invoice_ids_item_data in self.invoice_ids:
            invoice_ids_item = str(invoice_ids_item_data)
            invoice_ids.append(invoice_ids_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "invoice_ids": invoice_ids,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invoice_ids = []
        _invoice_ids = d.pop("invoice_ids")
        for invoice_ids_item_data in (_invoice_ids):
            invoice_ids_item = UUID(invoice_ids_item_data)



            invoice_ids.append(invoice_ids_item)


        bulk_validate_in = cls(
            invoice_ids=invoice_ids,
        )

        return bulk_validate_in

