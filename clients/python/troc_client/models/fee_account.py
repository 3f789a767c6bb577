from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.transfer import Transfer





T = TypeVar("T", bound="FeeAccount")



@_attrs_define
class FeeAccount:
    """ 
        Attributes:
            account_id (UUID):
            balance (str):  Example: 1250.00.
            items (list[Transfer]): The statement, newest first
            network (str):
            page (int):
            per_page (int):
            total (int):
            unit (str):
     """

    account_id: UUID
    balance: str
    items: list[Transfer]
    network: str
    page: int
    per_page: int
    total: int
    unit: str





    def to_dict(self) -> dict[str, Any]:
        from ..models.transfer import Transfer # noqa: PLC0415
        account_id = str(self.account_id)

        balance = self.balance

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        network = self.network

        page = self.page

        per_page = self.per_page

        total = self.total

        unit = self.unit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "account_id": account_id,
            "balance": balance,
            "items": items,
            "network": network,
            "page": page,
            "per_page": per_page,
            "total": total,
            "unit": unit,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transfer import Transfer # noqa: PLC0415
        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))




        balance = d.pop("balance")

        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = Transfer.from_dict(items_item_data)



            items.append(items_item)


        network = d.pop("network")

        page = d.pop("page")

        per_page = d.pop("per_page")

        total = d.pop("total")

        unit = d.pop("unit")

        fee_account = cls(
            account_id=account_id,
            balance=balance,
            items=items,
            network=network,
            page=page,
            per_page=per_page,
            total=total,
            unit=unit,
        )

        return fee_account

