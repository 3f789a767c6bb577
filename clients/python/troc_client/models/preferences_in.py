from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
            email (PreferencesInEmail): Kind -> whether to send it by e-mail
            member_id (None | Unset | UUID): Animators: the member company to change
     """

    email: PreferencesInEmail
    member_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.preferences_in_email import PreferencesInEmail # noqa: PLC0415
        email = self.email.to_dict()

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
        })
        if member_id is not UNSET:
            field_dict["member_id"] = member_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preferences_in_email import PreferencesInEmail # noqa: PLC0415
        d = dict(src_dict)
        email = PreferencesInEmail.from_dict(d.pop("email"))




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


        preferences_in = cls(
            email=email,
            member_id=member_id,
        )

        return preferences_in

