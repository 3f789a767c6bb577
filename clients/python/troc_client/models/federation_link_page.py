from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
  from ..models.federation_link import FederationLink
========
  from ..models.tenant import Tenant
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py





<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
T = TypeVar("T", bound="FederationLinkPage")
========
T = TypeVar("T", bound="TenantPage")
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py



@_attrs_define
<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
class FederationLinkPage:
    """ 
        Attributes:
            items (list[FederationLink]):
========
class TenantPage:
    """ 
        Attributes:
            items (list[Tenant]):
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py
            page (int):
            per_page (int):
            total (int):
     """

<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
    items: list[FederationLink]
========
    items: list[Tenant]
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py
    page: int
    per_page: int
    total: int





    def to_dict(self) -> dict[str, Any]:
<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
        from ..models.federation_link import FederationLink # noqa: PLC0415
========
        from ..models.tenant import Tenant # noqa: PLC0415
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        page = self.page

        per_page = self.per_page

        total = self.total


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
        from ..models.federation_link import FederationLink # noqa: PLC0415
========
        from ..models.tenant import Tenant # noqa: PLC0415
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py
        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
            items_item = FederationLink.from_dict(items_item_data)
========
            items_item = Tenant.from_dict(items_item_data)
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py



            items.append(items_item)


        page = d.pop("page")

        per_page = d.pop("per_page")

        total = d.pop("total")

<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
        federation_link_page = cls(
========
        tenant_page = cls(
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py
            items=items,
            page=page,
            per_page=per_page,
            total=total,
        )

<<<<<<<< HEAD:clients/python/troc_client/models/federation_link_page.py
        return federation_link_page
========
        return tenant_page
>>>>>>>> cebb7e7:clients/python/troc_client/models/tenant_page.py

