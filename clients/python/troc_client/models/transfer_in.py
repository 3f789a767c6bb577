from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.transfer_in_kind import TransferInKind
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="TransferIn")



@_attrs_define
class TransferIn:
    """ 
        Attributes:
            amount (str):  Example: 1250.00.
            payee (UUID):
            payer (UUID):
            expires_at (datetime.datetime | None | Unset): End of a hold; default: the network's hold expiry.
            hold (bool | Unset): Place a pending transfer (two-phase). Default: False.
            kind (TransferInKind | Unset):  Default: TransferInKind.DIRECT.
            reference (str | Unset):  Default: ''.
            reverses (None | Unset | UUID):
     """

    amount: str
    payee: UUID
    payer: UUID
    expires_at: datetime.datetime | None | Unset = UNSET
    hold: bool | Unset = False
    kind: TransferInKind | Unset = TransferInKind.DIRECT
    reference: str | Unset = ''
    reverses: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        payee = str(self.payee)

        payer = str(self.payer)

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        hold = self.hold

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value


        reference = self.reference

        reverses: None | str | Unset
        if isinstance(self.reverses, Unset):
            reverses = UNSET
        elif isinstance(self.reverses, UUID):
            reverses = str(self.reverses)
        else:
            reverses = self.reverses


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "payee": payee,
            "payer": payer,
        })
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if hold is not UNSET:
            field_dict["hold"] = hold
        if kind is not UNSET:
            field_dict["kind"] = kind
        if reference is not UNSET:
            field_dict["reference"] = reference
        if reverses is not UNSET:
            field_dict["reverses"] = reverses

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        payee = UUID(d.pop("payee"))




        payer = UUID(d.pop("payer"))




        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        hold = d.pop("hold", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: TransferInKind | Unset
        if isinstance(_kind,  Unset):
            kind = UNSET
        else:
            kind = TransferInKind(_kind)




        reference = d.pop("reference", UNSET)

        def _parse_reverses(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reverses_type_0 = UUID(data)



                return reverses_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        reverses = _parse_reverses(d.pop("reverses", UNSET))


        transfer_in = cls(
            amount=amount,
            payee=payee,
            payer=payer,
            expires_at=expires_at,
            hold=hold,
            kind=kind,
            reference=reference,
            reverses=reverses,
        )

        return transfer_in

