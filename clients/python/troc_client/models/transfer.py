from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.transfer_status import TransferStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Transfer")



@_attrs_define
class Transfer:
    """ 
        Attributes:
            amount (str):  Example: 1250.00.
            approval_required (bool): Held above the network's four-eyes threshold until another animator approves (posted)
                or rejects (voided) it
            created_at (datetime.datetime):
            id (UUID):
            initiated_by (str): A user id, or system
            kind (str):  Example: direct.
            payee (UUID):
            payer (UUID):
            status (TransferStatus):
            approved_by (None | str | Unset): The animator (user id) who approved it
            expires_at (datetime.datetime | None | Unset):
            network (str | Unset):
            posted_at (datetime.datetime | None | Unset):
            reference (str | Unset):
            refusal_code (None | str | Unset):
            refusal_reason (None | str | Unset):
            rejected_by (None | str | Unset): The animator (user id) who rejected it
            reverses (None | Unset | UUID):
            void_reason (None | str | Unset):
            voided_at (datetime.datetime | None | Unset):
     """

    amount: str
    approval_required: bool
    created_at: datetime.datetime
    id: UUID
    initiated_by: str
    kind: str
    payee: UUID
    payer: UUID
    status: TransferStatus
    approved_by: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    network: str | Unset = UNSET
    posted_at: datetime.datetime | None | Unset = UNSET
    reference: str | Unset = UNSET
    refusal_code: None | str | Unset = UNSET
    refusal_reason: None | str | Unset = UNSET
    rejected_by: None | str | Unset = UNSET
    reverses: None | Unset | UUID = UNSET
    void_reason: None | str | Unset = UNSET
    voided_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        approval_required = self.approval_required

        created_at = self.created_at.isoformat()

        id = str(self.id)

        initiated_by = self.initiated_by

        kind = self.kind

        payee = str(self.payee)

        payer = str(self.payer)

        status = self.status.value

        approved_by: None | str | Unset
        if isinstance(self.approved_by, Unset):
            approved_by = UNSET
        else:
            approved_by = self.approved_by

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        network = self.network

        posted_at: None | str | Unset
        if isinstance(self.posted_at, Unset):
            posted_at = UNSET
        elif isinstance(self.posted_at, datetime.datetime):
            posted_at = self.posted_at.isoformat()
        else:
            posted_at = self.posted_at

        reference = self.reference

        refusal_code: None | str | Unset
        if isinstance(self.refusal_code, Unset):
            refusal_code = UNSET
        else:
            refusal_code = self.refusal_code

        refusal_reason: None | str | Unset
        if isinstance(self.refusal_reason, Unset):
            refusal_reason = UNSET
        else:
            refusal_reason = self.refusal_reason

        rejected_by: None | str | Unset
        if isinstance(self.rejected_by, Unset):
            rejected_by = UNSET
        else:
            rejected_by = self.rejected_by

        reverses: None | str | Unset
        if isinstance(self.reverses, Unset):
            reverses = UNSET
        elif isinstance(self.reverses, UUID):
            reverses = str(self.reverses)
        else:
            reverses = self.reverses

        void_reason: None | str | Unset
        if isinstance(self.void_reason, Unset):
            void_reason = UNSET
        else:
            void_reason = self.void_reason

        voided_at: None | str | Unset
        if isinstance(self.voided_at, Unset):
            voided_at = UNSET
        elif isinstance(self.voided_at, datetime.datetime):
            voided_at = self.voided_at.isoformat()
        else:
            voided_at = self.voided_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "approval_required": approval_required,
            "created_at": created_at,
            "id": id,
            "initiated_by": initiated_by,
            "kind": kind,
            "payee": payee,
            "payer": payer,
            "status": status,
        })
        if approved_by is not UNSET:
            field_dict["approved_by"] = approved_by
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if network is not UNSET:
            field_dict["network"] = network
        if posted_at is not UNSET:
            field_dict["posted_at"] = posted_at
        if reference is not UNSET:
            field_dict["reference"] = reference
        if refusal_code is not UNSET:
            field_dict["refusal_code"] = refusal_code
        if refusal_reason is not UNSET:
            field_dict["refusal_reason"] = refusal_reason
        if rejected_by is not UNSET:
            field_dict["rejected_by"] = rejected_by
        if reverses is not UNSET:
            field_dict["reverses"] = reverses
        if void_reason is not UNSET:
            field_dict["void_reason"] = void_reason
        if voided_at is not UNSET:
            field_dict["voided_at"] = voided_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        approval_required = d.pop("approval_required")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        initiated_by = d.pop("initiated_by")

        kind = d.pop("kind")

        payee = UUID(d.pop("payee"))




        payer = UUID(d.pop("payer"))




        status = TransferStatus(d.pop("status"))




        def _parse_approved_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approved_by = _parse_approved_by(d.pop("approved_by", UNSET))


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


        network = d.pop("network", UNSET)

        def _parse_posted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                posted_at_type_0 = datetime.datetime.fromisoformat(data)



                return posted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        posted_at = _parse_posted_at(d.pop("posted_at", UNSET))


        reference = d.pop("reference", UNSET)

        def _parse_refusal_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refusal_code = _parse_refusal_code(d.pop("refusal_code", UNSET))


        def _parse_refusal_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refusal_reason = _parse_refusal_reason(d.pop("refusal_reason", UNSET))


        def _parse_rejected_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejected_by = _parse_rejected_by(d.pop("rejected_by", UNSET))


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


        def _parse_void_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        void_reason = _parse_void_reason(d.pop("void_reason", UNSET))


        def _parse_voided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_at_type_0 = datetime.datetime.fromisoformat(data)



                return voided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        voided_at = _parse_voided_at(d.pop("voided_at", UNSET))


        transfer = cls(
            amount=amount,
            approval_required=approval_required,
            created_at=created_at,
            id=id,
            initiated_by=initiated_by,
            kind=kind,
            payee=payee,
            payer=payer,
            status=status,
            approved_by=approved_by,
            expires_at=expires_at,
            network=network,
            posted_at=posted_at,
            reference=reference,
            refusal_code=refusal_code,
            refusal_reason=refusal_reason,
            rejected_by=rejected_by,
            reverses=reverses,
            void_reason=void_reason,
            voided_at=voided_at,
        )

        return transfer

