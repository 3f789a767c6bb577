from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.preferences_in_validation_emails import PreferencesInValidationEmails
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.preferences_in_email import PreferencesInEmail





T = TypeVar("T", bound="PreferencesIn")



@_attrs_define
class PreferencesIn:
    """ 
        Attributes:
            email (PreferencesInEmail | Unset): Kind -> whether to send it by e-mail (a member company's) Example:
                {'match_found': False}.
            member_id (None | Unset | UUID): Animators: the member company to change
            validation_emails (PreferencesInValidationEmails | Unset): Animators: how the invoices awaiting your validation
                come by e-mail: `each` (one e-mail each time), `digest` (one daily digest of what is waiting, at `digest_hour`
                Paris time) or `none`. A reminder two days before a hold expires goes to `each` and `digest`. Example: digest.
     """

    email: PreferencesInEmail | Unset = UNSET
    member_id: None | Unset | UUID = UNSET
    validation_emails: PreferencesInValidationEmails | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.preferences_in_email import PreferencesInEmail # noqa: PLC0415
        email: dict[str, Any] | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email.to_dict()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id

        validation_emails: str | Unset = UNSET
        if not isinstance(self.validation_emails, Unset):
            validation_emails = self.validation_emails.value



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
        from ..models.preferences_in_email import PreferencesInEmail # noqa: PLC0415
        d = dict(src_dict)
        _email = d.pop("email", UNSET)
        email: PreferencesInEmail | Unset
        if isinstance(_email,  Unset):
            email = UNSET
        else:
            email = PreferencesInEmail.from_dict(_email)




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


        _validation_emails = d.pop("validation_emails", UNSET)
        validation_emails: PreferencesInValidationEmails | Unset
        if isinstance(_validation_emails,  Unset):
            validation_emails = UNSET
        else:
            validation_emails = PreferencesInValidationEmails(_validation_emails)




        preferences_in = cls(
            email=email,
            member_id=member_id,
            validation_emails=validation_emails,
        )

        return preferences_in

