from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.month_activity import MonthActivity





T = TypeVar("T", bound="Activity")



@_attrs_define
class Activity:
    """ 
        Attributes:
            credit_limits (str):  Example: 1250.00.
            members (int): Accounts not closed
            members_in_debit (int):
            months (list[MonthActivity]): Oldest first
            outstanding_credit (str): Sum of the negative balances, as a positive amount Example: 1250.00.
            tenant (str):
            unit (str):
     """

    credit_limits: str
    members: int
    members_in_debit: int
    months: list[MonthActivity]
    outstanding_credit: str
    tenant: str
    unit: str





    def to_dict(self) -> dict[str, Any]:
        from ..models.month_activity import MonthActivity # noqa: PLC0415
        credit_limits = self.credit_limits

        members = self.members

        members_in_debit = self.members_in_debit

        months = []
        for months_item_data in self.months:
            months_item = months_item_data.to_dict()
            months.append(months_item)



        outstanding_credit = self.outstanding_credit

        tenant = self.tenant

        unit = self.unit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "credit_limits": credit_limits,
            "members": members,
            "members_in_debit": members_in_debit,
            "months": months,
            "outstanding_credit": outstanding_credit,
            "tenant": tenant,
            "unit": unit,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.month_activity import MonthActivity # noqa: PLC0415
        d = dict(src_dict)
        credit_limits = d.pop("credit_limits")

        members = d.pop("members")

        members_in_debit = d.pop("members_in_debit")

        months = []
        _months = d.pop("months")
        for months_item_data in (_months):
            months_item = MonthActivity.from_dict(months_item_data)



            months.append(months_item)


        outstanding_credit = d.pop("outstanding_credit")

        tenant = d.pop("tenant")

        unit = d.pop("unit")

        activity = cls(
            credit_limits=credit_limits,
            members=members,
            members_in_debit=members_in_debit,
            months=months,
            outstanding_credit=outstanding_credit,
            tenant=tenant,
            unit=unit,
        )

        return activity

