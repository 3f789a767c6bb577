from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.audit_entry import AuditEntry
  from ..models.audit_page_sources import AuditPageSources





T = TypeVar("T", bound="AuditPage")



@_attrs_define
class AuditPage:
    """ 
        Attributes:
            items (list[AuditEntry]):
            page (int):
            per_page (int):
            total (int):
            sources (AuditPageSources | Unset): Each source of the log: ok, or unavailable (its entries are missing)
     """

    items: list[AuditEntry]
    page: int
    per_page: int
    total: int
    sources: AuditPageSources | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_entry import AuditEntry # noqa: PLC0415
        from ..models.audit_page_sources import AuditPageSources # noqa: PLC0415
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        page = self.page

        per_page = self.per_page

        total = self.total

        sources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = self.sources.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
        })
        if sources is not UNSET:
            field_dict["sources"] = sources

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry import AuditEntry # noqa: PLC0415
        from ..models.audit_page_sources import AuditPageSources # noqa: PLC0415
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = AuditEntry.from_dict(items_item_data)



            items.append(items_item)


        page = d.pop("page")

        per_page = d.pop("per_page")

        total = d.pop("total")

        _sources = d.pop("sources", UNSET)
        sources: AuditPageSources | Unset
        if isinstance(_sources,  Unset):
            sources = UNSET
        else:
            sources = AuditPageSources.from_dict(_sources)




        audit_page = cls(
            items=items,
            page=page,
            per_page=per_page,
            total=total,
            sources=sources,
        )

        return audit_page

