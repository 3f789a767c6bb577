from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tenant_status_in_status import TenantStatusInStatus
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TenantStatusIn")



@_attrs_define
class TenantStatusIn:
    """ 
        Attributes:
            status (TenantStatusInStatus):
            network (None | str | Unset):
     """

    status: TenantStatusInStatus
    network: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        network: None | str | Unset
        if isinstance(self.network, Unset):
            network = UNSET
        else:
            network = self.network


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "status": status,
        })
        if network is not UNSET:
            field_dict["network"] = network

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = TenantStatusInStatus(d.pop("status"))




        def _parse_network(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        network = _parse_network(d.pop("network", UNSET))


        tenant_status_in = cls(
            status=status,
            network=network,
        )

        return tenant_status_in

