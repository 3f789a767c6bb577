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
  from ..models.me_user_type_0_type_0 import MeUserType0Type0
  from ..models.user import User





T = TypeVar("T", bound="Me")



@_attrs_define
class Me:
    """ 
        Attributes:
            roles (list[str]):
            subject (str):
            member_id (None | Unset | UUID):
            network (None | str | Unset):
            scopes (list[str] | Unset):
            tenant (None | str | Unset):
            user (MeUserType0Type0 | None | Unset | User):
     """

    roles: list[str]
    subject: str
    member_id: None | Unset | UUID = UNSET
    network: None | str | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    tenant: None | str | Unset = UNSET
    user: MeUserType0Type0 | None | Unset | User = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.me_user_type_0_type_0 import MeUserType0Type0 # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        roles = self.roles



        subject = self.subject

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        elif isinstance(self.member_id, UUID):
            member_id = str(self.member_id)
        else:
            member_id = self.member_id

        network: None | str | Unset
        if isinstance(self.network, Unset):
            network = UNSET
        else:
            network = self.network

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        tenant: None | str | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant

        user: dict[str, Any] | None | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        elif isinstance(self.user, MeUserType0Type0):
            user = self.user.to_dict()
        elif isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "roles": roles,
            "subject": subject,
        })
        if member_id is not UNSET:
            field_dict["member_id"] = member_id
        if network is not UNSET:
            field_dict["network"] = network
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if tenant is not UNSET:
            field_dict["tenant"] = tenant
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.me_user_type_0_type_0 import MeUserType0Type0 # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        d = dict(src_dict)
        roles = cast(list[str], d.pop("roles"))


        subject = d.pop("subject")

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


        def _parse_network(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        network = _parse_network(d.pop("network", UNSET))


        scopes = cast(list[str], d.pop("scopes", UNSET))


        def _parse_tenant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))


        def _parse_user(data: object) -> MeUserType0Type0 | None | Unset | User:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0_type_0 = MeUserType0Type0.from_dict(data)



                return user_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_1 = User.from_dict(data)



                return user_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeUserType0Type0 | None | Unset | User, data)

        user = _parse_user(d.pop("user", UNSET))


        me = cls(
            roles=roles,
            subject=subject,
            member_id=member_id,
            network=network,
            scopes=scopes,
            tenant=tenant,
            user=user,
        )

        return me

