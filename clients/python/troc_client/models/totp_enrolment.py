from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="TotpEnrolment")



@_attrs_define
class TotpEnrolment:
    """ 
        Attributes:
            otpauth_uri (str):
            recovery_codes (list[str]): Ten codes usable once each instead of a TOTP code; shown this once.
            secret (str):
     """

    otpauth_uri: str
    recovery_codes: list[str]
    secret: str





    def to_dict(self) -> dict[str, Any]:
        otpauth_uri = self.otpauth_uri

        recovery_codes = self.recovery_codes



        secret = self.secret


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "otpauth_uri": otpauth_uri,
            "recovery_codes": recovery_codes,
            "secret": secret,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        otpauth_uri = d.pop("otpauth_uri")

        recovery_codes = cast(list[str], d.pop("recovery_codes"))


        secret = d.pop("secret")

        totp_enrolment = cls(
            otpauth_uri=otpauth_uri,
            recovery_codes=recovery_codes,
            secret=secret,
        )

        return totp_enrolment

