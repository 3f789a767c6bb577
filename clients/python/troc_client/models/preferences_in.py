from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.preferences_in_validation_emails_type_1 import PreferencesInValidationEmailsType1
from ..models.preferences_in_validation_emails_type_2_type_1 import PreferencesInValidationEmailsType2Type1
from ..models.preferences_in_validation_emails_type_3_type_1 import PreferencesInValidationEmailsType3Type1
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.preferences_in_email_type_0 import PreferencesInEmailType0





T = TypeVar("T", bound="PreferencesIn")



@_attrs_define
class PreferencesIn:
    """ 
        Attributes:
            email (None | PreferencesInEmailType0 | Unset): Kind -> whether to send it by e-mail (a member company's)
                Example: {'match_found': False}.
            member_id (None | Unset | UUID): Animators: the member company to change
            validation_emails (None | PreferencesInValidationEmailsType1 | PreferencesInValidationEmailsType2Type1 |
                PreferencesInValidationEmailsType3Type1 | Unset): Animators: how the invoices awaiting your validation come by
                e-mail: `each` (one e-mail each time), `digest` (one daily digest of what is waiting, at `digest_hour` Paris
                time) or `none`. A reminder two days before a hold expires goes to `each` and `digest`. Example: digest.
     """

    email: None | PreferencesInEmailType0 | Unset = UNSET
    member_id: None | Unset | UUID = UNSET
    validation_emails: None | PreferencesInValidationEmailsType1 | PreferencesInValidationEmailsType2Type1 | PreferencesInValidationEmailsType3Type1 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.preferences_in_email_type_0 import PreferencesInEmailType0 # noqa: PLC0415
        email: dict[str, Any] | None | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        elif isinstance(self.email, PreferencesInEmailType0):
            email = self.email.to_dict()
        else:
            email = self.email

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id

        validation_emails: None | str | Unset
        if isinstance(self.validation_emails, Unset):
            validation_emails = UNSET
        elif isinstance(self.validation_emails, PreferencesInValidationEmailsType1):
            validation_emails = self.validation_emails.value
        elif isinstance(self.validation_emails, PreferencesInValidationEmailsType2Type1):
            validation_emails = self.validation_emails.value
        elif isinstance(self.validation_emails, PreferencesInValidationEmailsType3Type1):
            validation_emails = self.validation_emails.value
        else:
            validation_emails = self.validation_emails


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if email is not UNSET:
            field_dict["email"] = email
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if validation_emails is not UNSET:
            field_dict["validation_emails"] = validation_emails

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preferences_in_email_type_0 import PreferencesInEmailType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_email(data: object) -> None | PreferencesInEmailType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                email_type_0 = PreferencesInEmailType0.from_dict(data)



                return email_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreferencesInEmailType0 | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                member_id_type_0 = UUID(data)



                return member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        member_id = _parse_member_id(d.pop("member_id", UNSET))


        def _parse_validation_emails(data: object) -> None | PreferencesInValidationEmailsType1 | PreferencesInValidationEmailsType2Type1 | PreferencesInValidationEmailsType3Type1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                validation_emails_type_1 = PreferencesInValidationEmailsType1(data)



                return validation_emails_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                validation_emails_type_2_type_1 = PreferencesInValidationEmailsType2Type1(data)



                return validation_emails_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                validation_emails_type_3_type_1 = PreferencesInValidationEmailsType3Type1(data)



                return validation_emails_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PreferencesInValidationEmailsType1 | PreferencesInValidationEmailsType2Type1 | PreferencesInValidationEmailsType3Type1 | Unset, data)

        validation_emails = _parse_validation_emails(d.pop("validation_emails", UNSET))


        preferences_in = cls(
            email=email,
            member_id=member_id,
            validation_emails=validation_emails,
        )

        return preferences_in

