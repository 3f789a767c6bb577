from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.federation_link_status import FederationLinkStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="FederationLink")



@_attrs_define
class FederationLink:
    """ 
        Attributes:
            created_at (datetime.datetime):
            id (UUID):
            limit_a (str):  Example: 1250.00.
            limit_b (str):  Example: 1250.00.
            network_a (str):  Example: troc-actif.
            network_b (str):  Example: agri-echange.
            rate (str):  Example: 1.
            status (FederationLinkStatus):  Example: active.
            updated_at (datetime.datetime):
            clearing_balance_a (None | str | Unset): network_a's clearing account (its unit); null: not opened yet Example:
                1250.00.
            clearing_balance_b (None | str | Unset): network_b's clearing account (its unit); null: not opened yet Example:
                1250.00.
     """

    created_at: datetime.datetime
    id: UUID
    limit_a: str
    limit_b: str
    network_a: str
    network_b: str
    rate: str
    status: FederationLinkStatus
    updated_at: datetime.datetime
    clearing_balance_a: None | str | Unset = UNSET
    clearing_balance_b: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = str(self.id)

        limit_a = self.limit_a

        limit_b = self.limit_b

        network_a = self.network_a

        network_b = self.network_b

        rate = self.rate

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        clearing_balance_a: None | str | Unset
        if isinstance(self.clearing_balance_a, Unset):
            clearing_balance_a = UNSET
        else:
            clearing_balance_a = self.clearing_balance_a

        clearing_balance_b: None | str | Unset
        if isinstance(self.clearing_balance_b, Unset):
            clearing_balance_b = UNSET
        else:
            clearing_balance_b = self.clearing_balance_b


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "created_at": created_at,
            "id": id,
            "limit_a": limit_a,
            "limit_b": limit_b,
            "network_a": network_a,
            "network_b": network_b,
            "rate": rate,
            "status": status,
            "updated_at": updated_at,
        })
        if clearing_balance_a is not UNSET:
            field_dict["clearing_balance_a"] = clearing_balance_a
        if clearing_balance_b is not UNSET:
            field_dict["clearing_balance_b"] = clearing_balance_b

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        limit_a = d.pop("limit_a")

        limit_b = d.pop("limit_b")

        network_a = d.pop("network_a")

        network_b = d.pop("network_b")

        rate = d.pop("rate")

        status = FederationLinkStatus(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_clearing_balance_a(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clearing_balance_a = _parse_clearing_balance_a(d.pop("clearing_balance_a", UNSET))


        def _parse_clearing_balance_b(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clearing_balance_b = _parse_clearing_balance_b(d.pop("clearing_balance_b", UNSET))


        federation_link = cls(
            created_at=created_at,
            id=id,
            limit_a=limit_a,
            limit_b=limit_b,
            network_a=network_a,
            network_b=network_b,
            rate=rate,
            status=status,
            updated_at=updated_at,
            clearing_balance_a=clearing_balance_a,
            clearing_balance_b=clearing_balance_b,
        )

        return federation_link

