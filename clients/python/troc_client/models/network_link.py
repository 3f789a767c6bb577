from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.network_link_status import NetworkLinkStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="NetworkLink")



@_attrs_define
class NetworkLink:
    """ 
        Attributes:
            clearing_account (UUID): The network's clearing account for the partner (statements)
            link_id (UUID):
            network (str):  Example: troc-actif.
            partner_network (str):  Example: agri-echange.
            partner_network_name (str):  Example: Agri-échange.
            partner_unit (str): The partner's unit name Example: Grain.
            rate (str): Units of the partner for one unit of network Example: 2.
            status (NetworkLinkStatus):  Example: active.
            available (None | str | Unset): Room left: balance plus limit (own unit); null: unknown Example: 1250.00.
            clearing_balance (None | str | Unset): The clearing account's balance (own unit); null: unknown Example:
                1250.00.
            limit (None | str | Unset): How far the clearing account may go below zero (own unit) Example: 1250.00.
     """

    clearing_account: UUID
    link_id: UUID
    network: str
    partner_network: str
    partner_network_name: str
    partner_unit: str
    rate: str
    status: NetworkLinkStatus
    available: None | str | Unset = UNSET
    clearing_balance: None | str | Unset = UNSET
    limit: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        clearing_account = str(self.clearing_account)

        link_id = str(self.link_id)

        network = self.network

        partner_network = self.partner_network

        partner_network_name = self.partner_network_name

        partner_unit = self.partner_unit

        rate = self.rate

        status = self.status.value

        available: None | str | Unset
        if isinstance(self.available, Unset):
            available = UNSET
        else:
            available = self.available

        clearing_balance: None | str | Unset
        if isinstance(self.clearing_balance, Unset):
            clearing_balance = UNSET
        else:
            clearing_balance = self.clearing_balance

        limit: None | str | Unset
        if isinstance(self.limit, Unset):
            limit = UNSET
        else:
            limit = self.limit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "clearing_account": clearing_account,
            "link_id": link_id,
            "network": network,
            "partner_network": partner_network,
            "partner_network_name": partner_network_name,
            "partner_unit": partner_unit,
            "rate": rate,
            "status": status,
        })
        if available is not UNSET:
            field_dict["available"] = available
        if clearing_balance is not UNSET:
            field_dict["clearing_balance"] = clearing_balance
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        clearing_account = UUID(d.pop("clearing_account"))




        link_id = UUID(d.pop("link_id"))




        network = d.pop("network")

        partner_network = d.pop("partner_network")

        partner_network_name = d.pop("partner_network_name")

        partner_unit = d.pop("partner_unit")

        rate = d.pop("rate")

        status = NetworkLinkStatus(d.pop("status"))




        def _parse_available(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        available = _parse_available(d.pop("available", UNSET))


        def _parse_clearing_balance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clearing_balance = _parse_clearing_balance(d.pop("clearing_balance", UNSET))


        def _parse_limit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        limit = _parse_limit(d.pop("limit", UNSET))


        network_link = cls(
            clearing_account=clearing_account,
            link_id=link_id,
            network=network,
            partner_network=partner_network,
            partner_network_name=partner_network_name,
            partner_unit=partner_unit,
            rate=rate,
            status=status,
            available=available,
            clearing_balance=clearing_balance,
            limit=limit,
        )

        return network_link

