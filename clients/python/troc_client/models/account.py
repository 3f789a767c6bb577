from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="Account")



@_attrs_define
class Account:
    """ 
        Attributes:
            available (str):  Example: 1250.00.
            balance (str):  Example: 1250.00.
            credit_limit (str):  Example: 1250.00.
            member_id (UUID):
            network (str):
            pending_credits (str):  Example: 1250.00.
            pending_debits (str):  Example: 1250.00.
            status (str):
            unit (str):
            kind (str | Unset):
            max_balance (None | str | Unset):  Example: 1250.00.
            tenant (None | str | Unset):
     """

    available: str
    balance: str
    credit_limit: str
    member_id: UUID
    network: str
    pending_credits: str
    pending_debits: str
    status: str
    unit: str
    kind: str | Unset = UNSET
    max_balance: None | str | Unset = UNSET
    tenant: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        available = self.available

        balance = self.balance

        credit_limit = self.credit_limit

        member_id = str(self.member_id)

        network = self.network

        pending_credits = self.pending_credits

        pending_debits = self.pending_debits

        status = self.status

        unit = self.unit

        kind = self.kind

        max_balance: None | str | Unset
        if isinstance(self.max_balance, Unset):
            max_balance = UNSET
        else:
            max_balance = self.max_balance

        tenant: None | str | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "available": available,
            "balance": balance,
            "credit_limit": credit_limit,
            "member_id": member_id,
            "network": network,
            "pending_credits": pending_credits,
            "pending_debits": pending_debits,
            "status": status,
            "unit": unit,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind
        if max_balance is not UNSET:
            field_dict["max_balance"] = max_balance
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        balance = d.pop("balance")

        credit_limit = d.pop("credit_limit")

        member_id = UUID(d.pop("member_id"))




        network = d.pop("network")

        pending_credits = d.pop("pending_credits")

        pending_debits = d.pop("pending_debits")

        status = d.pop("status")

        unit = d.pop("unit")

        kind = d.pop("kind", UNSET)

        def _parse_max_balance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_balance = _parse_max_balance(d.pop("max_balance", UNSET))


        def _parse_tenant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))


        account = cls(
            available=available,
            balance=balance,
            credit_limit=credit_limit,
            member_id=member_id,
            network=network,
            pending_credits=pending_credits,
            pending_debits=pending_debits,
            status=status,
            unit=unit,
            kind=kind,
            max_balance=max_balance,
            tenant=tenant,
        )

        return account

