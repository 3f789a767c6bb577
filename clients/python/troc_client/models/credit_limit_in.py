from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CreditLimitIn")



@_attrs_define
class CreditLimitIn:
    """ 
        Attributes:
            credit_limit (str):  Example: 1250.00.
            expires_on (datetime.date | None | Unset): The limit ends when this day starts (00:00 Europe/Paris) and the
                category's default (else the network's) comes back; null: a standing limit Example: 2027-06-30.
            reason (str | Unset): Why the limit changes (kept in its history). Default: ''.
            review_on (datetime.date | None | Unset): When animators review the line Example: 2027-06-01.
     """

    credit_limit: str
    expires_on: datetime.date | None | Unset = UNSET
    reason: str | Unset = ''
    review_on: datetime.date | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        credit_limit = self.credit_limit

        expires_on: None | str | Unset
        if isinstance(self.expires_on, Unset):
            expires_on = UNSET
        elif isinstance(self.expires_on, datetime.date):
            expires_on = self.expires_on.isoformat()
        else:
            expires_on = self.expires_on

        reason = self.reason

        review_on: None | str | Unset
        if isinstance(self.review_on, Unset):
            review_on = UNSET
        elif isinstance(self.review_on, datetime.date):
            review_on = self.review_on.isoformat()
        else:
            review_on = self.review_on


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "credit_limit": credit_limit,
        })
        if expires_on is not UNSET:
            field_dict["expires_on"] = expires_on
        if reason is not UNSET:
            field_dict["reason"] = reason
        if review_on is not UNSET:
            field_dict["review_on"] = review_on

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        credit_limit = d.pop("credit_limit")

        def _parse_expires_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_on_type_0 = datetime.date.fromisoformat(data)



                return expires_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        expires_on = _parse_expires_on(d.pop("expires_on", UNSET))


        reason = d.pop("reason", UNSET)

        def _parse_review_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                review_on_type_0 = datetime.date.fromisoformat(data)



                return review_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        review_on = _parse_review_on(d.pop("review_on", UNSET))


        credit_limit_in = cls(
            credit_limit=credit_limit,
            expires_on=expires_on,
            reason=reason,
            review_on=review_on,
        )

        return credit_limit_in

