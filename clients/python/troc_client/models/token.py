from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Token")



@_attrs_define
class Token:
    """ 
        Attributes:
            access_token (str):
            expires_in (int):
            token_type (str):
            refresh_token (None | str | Unset):
            scope (None | str | Unset):
            totp_enrolment_required (bool | Unset): True: the network requires a second factor this staff account has not
                set up; the token only reaches POST /auth/totp and /auth/totp/confirm.
     """

    access_token: str
    expires_in: int
    token_type: str
    refresh_token: None | str | Unset = UNSET
    scope: None | str | Unset = UNSET
    totp_enrolment_required: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        token_type = self.token_type

        refresh_token: None | str | Unset
        if isinstance(self.refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = self.refresh_token

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        totp_enrolment_required = self.totp_enrolment_required


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "access_token": access_token,
            "expires_in": expires_in,
            "token_type": token_type,
        })
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if scope is not UNSET:
            field_dict["scope"] = scope
        if totp_enrolment_required is not UNSET:
            field_dict["totp_enrolment_required"] = totp_enrolment_required

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        expires_in = d.pop("expires_in")

        token_type = d.pop("token_type")

        def _parse_refresh_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refresh_token = _parse_refresh_token(d.pop("refresh_token", UNSET))


        def _parse_scope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))


        totp_enrolment_required = d.pop("totp_enrolment_required", UNSET)

        token = cls(
            access_token=access_token,
            expires_in=expires_in,
            token_type=token_type,
            refresh_token=refresh_token,
            scope=scope,
            totp_enrolment_required=totp_enrolment_required,
        )

        return token

