from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.cloud_event_data import CloudEventData





T = TypeVar("T", bound="CloudEvent")



@_attrs_define
class CloudEvent:
    """ 
        Attributes:
            data (CloudEventData): The event's contract. Deprecated, for one version: `data.sequence` repeats the position
                as an integer Example: {'sequence': 42, 'transfer_id': '9b2f4c1e-0d7a-4c36-9d0e-5a1f3e2b7c88'}.
            id (str):  Example: 9b2f4c1e-0d7a-4c36-9d0e-5a1f3e2b7c88.
            sequence (str): CloudEvents Sequence extension: the position in the tenant's log, zero-padded to 20 digits
                (ordered as strings within one `source`) Example: 00000000000000000042.
            source (str): Per tenant: /t/<tenant>/<service> Example: /t/pie/ledger.
            specversion (str):  Example: 1.0.
            tenant (str):  Example: pie.
            time (datetime.datetime):  Example: 2026-12-06T11:50:00Z.
            type_ (str):  Example: org.trocactif.ledger.transfer_posted.v1.
            causationid (None | str | Unset):  Example: req-5b0e8f3c.
            correlationid (None | str | Unset):  Example: req-5b0e8f3c.
            datacontenttype (str | Unset):  Example: application/json.
            network (None | str | Unset):  Example: troc-actif.
            subject (None | str | Unset):  Example: transfer/9b2f4c1e.
     """

    data: CloudEventData
    id: str
    sequence: str
    source: str
    specversion: str
    tenant: str
    time: datetime.datetime
    type_: str
    causationid: None | str | Unset = UNSET
    correlationid: None | str | Unset = UNSET
    datacontenttype: str | Unset = UNSET
    network: None | str | Unset = UNSET
    subject: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_event_data import CloudEventData # noqa: PLC0415
        data = self.data.to_dict()

        id = self.id

        sequence = self.sequence

        source = self.source

        specversion = self.specversion

        tenant = self.tenant

        time = self.time.isoformat()

        type_ = self.type_

        causationid: None | str | Unset
        if isinstance(self.causationid, Unset):
            causationid = UNSET
        else:
            causationid = self.causationid

        correlationid: None | str | Unset
        if isinstance(self.correlationid, Unset):
            correlationid = UNSET
        else:
            correlationid = self.correlationid

        datacontenttype = self.datacontenttype

        network: None | str | Unset
        if isinstance(self.network, Unset):
            network = UNSET
        else:
            network = self.network

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "data": data,
            "id": id,
            "sequence": sequence,
            "source": source,
            "specversion": specversion,
            "tenant": tenant,
            "time": time,
            "type": type_,
        })
        if causationid is not UNSET:
            field_dict["causationid"] = causationid
        if correlationid is not UNSET:
            field_dict["correlationid"] = correlationid
        if datacontenttype is not UNSET:
            field_dict["datacontenttype"] = datacontenttype
        if network is not UNSET:
            field_dict["network"] = network
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_event_data import CloudEventData # noqa: PLC0415
        d = dict(src_dict)
        data = CloudEventData.from_dict(d.pop("data"))




        id = d.pop("id")

        sequence = d.pop("sequence")

        source = d.pop("source")

        specversion = d.pop("specversion")

        tenant = d.pop("tenant")

        time = datetime.datetime.fromisoformat(d.pop("time"))




        type_ = d.pop("type")

        def _parse_causationid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        causationid = _parse_causationid(d.pop("causationid", UNSET))


        def _parse_correlationid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        correlationid = _parse_correlationid(d.pop("correlationid", UNSET))


        datacontenttype = d.pop("datacontenttype", UNSET)

        def _parse_network(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        network = _parse_network(d.pop("network", UNSET))


        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))


        cloud_event = cls(
            data=data,
            id=id,
            sequence=sequence,
            source=source,
            specversion=specversion,
            tenant=tenant,
            time=time,
            type_=type_,
            causationid=causationid,
            correlationid=correlationid,
            datacontenttype=datacontenttype,
            network=network,
            subject=subject,
        )

        return cloud_event

