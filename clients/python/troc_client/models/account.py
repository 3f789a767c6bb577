from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






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
            category (None | str | Unset):  Example: association.
            credit_limit_expires_on (datetime.date | None | Unset): The limit ends when this day starts (00:00 Europe/Paris)
            credit_limit_review_on (datetime.date | None | Unset):
            kind (str | Unset):
            max_balance (None | str | Unset):  Example: 1250.00.
            over_limit (bool | Unset): Below its credit limit (left there by an expiry): it may receive, not spend
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
    category: None | str | Unset = UNSET
    credit_limit_expires_on: datetime.date | None | Unset = UNSET
    credit_limit_review_on: datetime.date | None | Unset = UNSET
    kind: str | Unset = UNSET
    max_balance: None | str | Unset = UNSET
    over_limit: bool | Unset = UNSET
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

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        credit_limit_expires_on: None | str | Unset
        if isinstance(self.credit_limit_expires_on, Unset):
            credit_limit_expires_on = UNSET
        elif isinstance(self.credit_limit_expires_on, datetime.date):
            credit_limit_expires_on = self.credit_limit_expires_on.isoformat()
        else:
            credit_limit_expires_on = self.credit_limit_expires_on

        credit_limit_review_on: None | str | Unset
        if isinstance(self.credit_limit_review_on, Unset):
            credit_limit_review_on = UNSET
        elif isinstance(self.credit_limit_review_on, datetime.date):
            credit_limit_review_on = self.credit_limit_review_on.isoformat()
        else:
            credit_limit_review_on = self.credit_limit_review_on

        kind = self.kind

        max_balance: None | str | Unset
        if isinstance(self.max_balance, Unset):
            max_balance = UNSET
        else:
            max_balance = self.max_balance

        over_limit = self.over_limit

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
        if category is not UNSET:
            field_dict["category"] = category
        if credit_limit_expires_on is not UNSET:
            field_dict["credit_limit_expires_on"] = credit_limit_expires_on
        if credit_limit_review_on is not UNSET:
            field_dict["credit_limit_review_on"] = credit_limit_review_on
        if kind is not UNSET:
            field_dict["kind"] = kind
        if max_balance is not UNSET:
            field_dict["max_balance"] = max_balance
        if over_limit is not UNSET:
            field_dict["over_limit"] = over_limit
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

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        def _parse_credit_limit_expires_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_limit_expires_on_type_0 = datetime.date.fromisoformat(data)



                return credit_limit_expires_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        credit_limit_expires_on = _parse_credit_limit_expires_on(d.pop("credit_limit_expires_on", UNSET))


        def _parse_credit_limit_review_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_limit_review_on_type_0 = datetime.date.fromisoformat(data)



                return credit_limit_review_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        credit_limit_review_on = _parse_credit_limit_review_on(d.pop("credit_limit_review_on", UNSET))


        kind = d.pop("kind", UNSET)

        def _parse_max_balance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_balance = _parse_max_balance(d.pop("max_balance", UNSET))


        over_limit = d.pop("over_limit", UNSET)

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
            category=category,
            credit_limit_expires_on=credit_limit_expires_on,
            credit_limit_review_on=credit_limit_review_on,
            kind=kind,
            max_balance=max_balance,
            over_limit=over_limit,
            tenant=tenant,
        )

        return account

