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
  from ..models.preference import Preference





T = TypeVar("T", bound="Preferences")



@_attrs_define
class Preferences:
    """ 
        Attributes:
            digest_hour (str): Time of the daily digest, Paris time Example: 08:00.
            items (list[Preference]):
            member_id (None | Unset | UUID): None: the defaults
            validation_emails (None | str | Unset): Animators: how the invoices awaiting your validation come by e-mail:
                `each` (one e-mail each time), `digest` (one daily digest of what is waiting, at `digest_hour` Paris time) or
                `none`. A reminder two days before a hold expires goes to `each` and `digest`. None for members. Example:
                digest.
     """

    digest_hour: str
    items: list[Preference]
    member_id: None | Unset | UUID = UNSET
    validation_emails: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.preference import Preference # noqa: PLC0415
        digest_hour = self.digest_hour

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



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
        else:
            validation_emails = self.validation_emails


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "digest_hour": digest_hour,
            "items": items,
        })
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if validation_emails is not UNSET:
            field_dict["validation_emails"] = validation_emails

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preference import Preference # noqa: PLC0415
        d = dict(src_dict)
        digest_hour = d.pop("digest_hour")

        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = Preference.from_dict(items_item_data)



            items.append(items_item)


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


        def _parse_validation_emails(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        validation_emails = _parse_validation_emails(d.pop("validation_emails", UNSET))


        preferences = cls(
            digest_hour=digest_hour,
            items=items,
            member_id=member_id,
            validation_emails=validation_emails,
        )

        return preferences

