from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.token_request_grant_type_type_1 import TokenRequestGrantTypeType1
from ..models.token_request_grant_type_type_2_type_1 import TokenRequestGrantTypeType2Type1
from ..models.token_request_grant_type_type_3_type_1 import TokenRequestGrantTypeType3Type1
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TokenRequest")



@_attrs_define
class TokenRequest:
    """ 
        Attributes:
            api_key (None | str | Unset):
            client_secret (None | str | Unset): The API key (client credentials).
            email (None | str | Unset):
            grant_type (None | TokenRequestGrantTypeType1 | TokenRequestGrantTypeType2Type1 |
                TokenRequestGrantTypeType3Type1 | Unset):
            password (None | str | Unset):
            totp (None | str | Unset): The current code of the authenticator app, or an unused recovery code (accounts with
                two-factor login).
     """

    api_key: None | str | Unset = UNSET
    client_secret: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    grant_type: None | TokenRequestGrantTypeType1 | TokenRequestGrantTypeType2Type1 | TokenRequestGrantTypeType3Type1 | Unset = UNSET
    password: None | str | Unset = UNSET
    totp: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        client_secret: None | str | Unset
        if isinstance(self.client_secret, Unset):
            client_secret = UNSET
        else:
            client_secret = self.client_secret

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        grant_type: None | str | Unset
        if isinstance(self.grant_type, Unset):
            grant_type = UNSET
        elif isinstance(self.grant_type, TokenRequestGrantTypeType1):
            grant_type = self.grant_type.value
        elif isinstance(self.grant_type, TokenRequestGrantTypeType2Type1):
            grant_type = self.grant_type.value
        elif isinstance(self.grant_type, TokenRequestGrantTypeType3Type1):
            grant_type = self.grant_type.value
        else:
            grant_type = self.grant_type

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        totp: None | str | Unset
        if isinstance(self.totp, Unset):
            totp = UNSET
        else:
            totp = self.totp


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if email is not UNSET:
            field_dict["email"] = email
        if grant_type is not UNSET:
            field_dict["grant_type"] = grant_type
        if password is not UNSET:
            field_dict["password"] = password
        if totp is not UNSET:
            field_dict["totp"] = totp

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))


        def _parse_client_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_secret = _parse_client_secret(d.pop("client_secret", UNSET))


        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_grant_type(data: object) -> None | TokenRequestGrantTypeType1 | TokenRequestGrantTypeType2Type1 | TokenRequestGrantTypeType3Type1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grant_type_type_1 = TokenRequestGrantTypeType1(data)



                return grant_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grant_type_type_2_type_1 = TokenRequestGrantTypeType2Type1(data)



                return grant_type_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grant_type_type_3_type_1 = TokenRequestGrantTypeType3Type1(data)



                return grant_type_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenRequestGrantTypeType1 | TokenRequestGrantTypeType2Type1 | TokenRequestGrantTypeType3Type1 | Unset, data)

        grant_type = _parse_grant_type(d.pop("grant_type", UNSET))


        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))


        def _parse_totp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        totp = _parse_totp(d.pop("totp", UNSET))


        token_request = cls(
            api_key=api_key,
            client_secret=client_secret,
            email=email,
            grant_type=grant_type,
            password=password,
            totp=totp,
        )

        return token_request

