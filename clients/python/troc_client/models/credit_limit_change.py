from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="CreditLimitChange")



@_attrs_define
class CreditLimitChange:
    """ 
        Attributes:
            account_id (UUID):
            changed_at (datetime.datetime):
            changed_by (None | str): Token subject (user id) of who changed it
            changed_by_role (None | str):
            credit_limit (str):  Example: 1250.00.
            old_credit_limit (None | str): null: the limit the account opened with Example: 1250.00.
            reason (str):
     """

    account_id: UUID
    changed_at: datetime.datetime
    changed_by: None | str
    changed_by_role: None | str
    credit_limit: str
    old_credit_limit: None | str
    reason: str





    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        changed_at = self.changed_at.isoformat()

        changed_by: None | str
        changed_by = self.changed_by

        changed_by_role: None | str
        changed_by_role = self.changed_by_role

        credit_limit = self.credit_limit

        old_credit_limit: None | str
        old_credit_limit = self.old_credit_limit

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "account_id": account_id,
            "changed_at": changed_at,
            "changed_by": changed_by,
            "changed_by_role": changed_by_role,
            "credit_limit": credit_limit,
            "old_credit_limit": old_credit_limit,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))




        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))




        def _parse_changed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        changed_by = _parse_changed_by(d.pop("changed_by"))


        def _parse_changed_by_role(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        changed_by_role = _parse_changed_by_role(d.pop("changed_by_role"))


        credit_limit = d.pop("credit_limit")

        def _parse_old_credit_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        old_credit_limit = _parse_old_credit_limit(d.pop("old_credit_limit"))


        reason = d.pop("reason")

        credit_limit_change = cls(
            account_id=account_id,
            changed_at=changed_at,
            changed_by=changed_by,
            changed_by_role=changed_by_role,
            credit_limit=credit_limit,
            old_credit_limit=old_credit_limit,
            reason=reason,
        )

        return credit_limit_change

