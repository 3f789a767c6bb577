from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.credit_line_due_kind import CreditLineDueKind
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="CreditLineDue")



@_attrs_define
class CreditLineDue:
    """ 
        Attributes:
            available (str):  Example: 1250.00.
            balance (str):  Example: 1250.00.
            category (None | str):
            credit_limit (str):  Example: 1250.00.
            credit_limit_expires_on (datetime.date | None):
            credit_limit_review_on (datetime.date | None):
            due_on (datetime.date):
            kind (CreditLineDueKind):
            member_id (UUID):
            name (str):  Example: Atelier Dupont.
            standing_credit_limit (str): The limit it gets back at expiry (category, else network) Example: 1250.00.
     """

    available: str
    balance: str
    category: None | str
    credit_limit: str
    credit_limit_expires_on: datetime.date | None
    credit_limit_review_on: datetime.date | None
    due_on: datetime.date
    kind: CreditLineDueKind
    member_id: UUID
    name: str
    standing_credit_limit: str





    def to_dict(self) -> dict[str, Any]:
        available = self.available

        balance = self.balance

        category: None | str
        category = self.category

        credit_limit = self.credit_limit

        credit_limit_expires_on: None | str
        if isinstance(self.credit_limit_expires_on, datetime.date):
            credit_limit_expires_on = self.credit_limit_expires_on.isoformat()
        else:
            credit_limit_expires_on = self.credit_limit_expires_on

        credit_limit_review_on: None | str
        if isinstance(self.credit_limit_review_on, datetime.date):
            credit_limit_review_on = self.credit_limit_review_on.isoformat()
        else:
            credit_limit_review_on = self.credit_limit_review_on

        due_on = self.due_on.isoformat()

        kind = self.kind.value

        member_id = str(self.member_id)

        name = self.name

        standing_credit_limit = self.standing_credit_limit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "available": available,
            "balance": balance,
            "category": category,
            "credit_limit": credit_limit,
            "credit_limit_expires_on": credit_limit_expires_on,
            "credit_limit_review_on": credit_limit_review_on,
            "due_on": due_on,
            "kind": kind,
            "member_id": member_id,
            "name": name,
            "standing_credit_limit": standing_credit_limit,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        balance = d.pop("balance")

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        credit_limit = d.pop("credit_limit")

        def _parse_credit_limit_expires_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_limit_expires_on_type_0 = datetime.date.fromisoformat(data)



                return credit_limit_expires_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        credit_limit_expires_on = _parse_credit_limit_expires_on(d.pop("credit_limit_expires_on"))


        def _parse_credit_limit_review_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_limit_review_on_type_0 = datetime.date.fromisoformat(data)



                return credit_limit_review_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        credit_limit_review_on = _parse_credit_limit_review_on(d.pop("credit_limit_review_on"))


        due_on = datetime.date.fromisoformat(d.pop("due_on"))




        kind = CreditLineDueKind(d.pop("kind"))




        member_id = UUID(d.pop("member_id"))




        name = d.pop("name")

        standing_credit_limit = d.pop("standing_credit_limit")

        credit_line_due = cls(
            available=available,
            balance=balance,
            category=category,
            credit_limit=credit_limit,
            credit_limit_expires_on=credit_limit_expires_on,
            credit_limit_review_on=credit_limit_review_on,
            due_on=due_on,
            kind=kind,
            member_id=member_id,
            name=name,
            standing_credit_limit=standing_credit_limit,
        )

        return credit_line_due

