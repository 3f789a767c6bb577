from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.invoices_audit_entry_actor import InvoicesAuditEntryActor
  from ..models.invoices_audit_entry_details import InvoicesAuditEntryDetails
  from ..models.invoices_audit_entry_target import InvoicesAuditEntryTarget





T = TypeVar("T", bound="InvoicesAuditEntry")



@_attrs_define
class InvoicesAuditEntry:
    """ 
        Attributes:
            action (str):
            actor (InvoicesAuditEntryActor):
            at (datetime.datetime):
            details (InvoicesAuditEntryDetails):
            id (UUID):
            target (InvoicesAuditEntryTarget):
            network (None | str | Unset):
            tenant (None | str | Unset):
     """

    action: str
    actor: InvoicesAuditEntryActor
    at: datetime.datetime
    details: InvoicesAuditEntryDetails
    id: UUID
    target: InvoicesAuditEntryTarget
    network: None | str | Unset = UNSET
    tenant: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.invoices_audit_entry_actor import InvoicesAuditEntryActor # noqa: PLC0415
        from ..models.invoices_audit_entry_details import InvoicesAuditEntryDetails # noqa: PLC0415
        from ..models.invoices_audit_entry_target import InvoicesAuditEntryTarget # noqa: PLC0415
        action = self.action

        actor = self.actor.to_dict()

        at = self.at.isoformat()

        details = self.details.to_dict()

        id = str(self.id)

        target = self.target.to_dict()

        network: None | str | Unset
        if isinstance(self.network, Unset):
            network = UNSET
        else:
            network = self.network

        tenant: None | str | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "action": action,
            "actor": actor,
            "at": at,
            "details": details,
            "id": id,
            "target": target,
        })
        if network is not UNSET:
            field_dict["network"] = network
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoices_audit_entry_actor import InvoicesAuditEntryActor # noqa: PLC0415
        from ..models.invoices_audit_entry_details import InvoicesAuditEntryDetails # noqa: PLC0415
        from ..models.invoices_audit_entry_target import InvoicesAuditEntryTarget # noqa: PLC0415
        d = dict(src_dict)
        action = d.pop("action")

        actor = InvoicesAuditEntryActor.from_dict(d.pop("actor"))




        at = datetime.datetime.fromisoformat(d.pop("at"))




        details = InvoicesAuditEntryDetails.from_dict(d.pop("details"))




        id = UUID(d.pop("id"))




        target = InvoicesAuditEntryTarget.from_dict(d.pop("target"))




        def _parse_network(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        network = _parse_network(d.pop("network", UNSET))


        def _parse_tenant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))


        invoices_audit_entry = cls(
            action=action,
            actor=actor,
            at=at,
            details=details,
            id=id,
            target=target,
            network=network,
            tenant=tenant,
        )

        return invoices_audit_entry

