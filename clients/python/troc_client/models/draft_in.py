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
  from ..models.draft_in_buyer_address_type_1_type_0 import DraftInBuyerAddressType1Type0
  from ..models.draft_in_seller_address_type_1_type_0 import DraftInSellerAddressType1Type0
  from ..models.invoices_address import InvoicesAddress
  from ..models.line_in import LineIn





T = TypeVar("T", bound="DraftIn")



@_attrs_define
class DraftIn:
    """ 
        Attributes:
            buyer_member_id (UUID):
            delivery_date (datetime.date):
            lines (list[LineIn]):
            payment_mode (int): Percent paid in the network's unit: 100 or 50 Example: 100.
            buyer_address (DraftInBuyerAddressType1Type0 | InvoicesAddress | None | Unset): The buyer's billing address
                (default: the directory's)
            buyer_reference (str | Unset):  Default: ''.
            listing_id (None | Unset | UUID): The listing that led to the trade
            note (str | Unset):  Default: ''.
            seller_address (DraftInSellerAddressType1Type0 | InvoicesAddress | None | Unset): The seller's address on the
                invoice (default: the directory's)
            seller_member_id (None | Unset | UUID): Animators drafting on a member's behalf name the seller; a member's
                token is the seller
            vat_exemption_reason (str | Unset):  Default: ''.
     """

    buyer_member_id: UUID
    delivery_date: datetime.date
    lines: list[LineIn]
    payment_mode: int
    buyer_address: DraftInBuyerAddressType1Type0 | InvoicesAddress | None | Unset = UNSET
    buyer_reference: str | Unset = ''
    listing_id: None | Unset | UUID = UNSET
    note: str | Unset = ''
    seller_address: DraftInSellerAddressType1Type0 | InvoicesAddress | None | Unset = UNSET
    seller_member_id: None | Unset | UUID = UNSET
    vat_exemption_reason: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        from ..models.draft_in_buyer_address_type_1_type_0 import DraftInBuyerAddressType1Type0 # noqa: PLC0415
        from ..models.draft_in_seller_address_type_1_type_0 import DraftInSellerAddressType1Type0 # noqa: PLC0415
        from ..models.invoices_address import InvoicesAddress # noqa: PLC0415
        from ..models.line_in import LineIn # noqa: PLC0415
        buyer_member_id = str(self.buyer_member_id)

        delivery_date = self.delivery_date.isoformat()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        payment_mode = self.payment_mode

        buyer_address: dict[str, Any] | None | Unset
        if isinstance(self.buyer_address, Unset):
            buyer_address = UNSET
        elif isinstance(self.buyer_address, InvoicesAddress):
            buyer_address = self.buyer_address.to_dict()
        elif isinstance(self.buyer_address, DraftInBuyerAddressType1Type0):
            buyer_address = self.buyer_address.to_dict()
        else:
            buyer_address = self.buyer_address

        buyer_reference = self.buyer_reference

        listing_id: None | str | Unset
        if isinstance(self.listing_id, Unset):
            listing_id = UNSET
        elif isinstance(self.listing_id, UUID):
            listing_id = str(self.listing_id)
        else:
            listing_id = self.listing_id

        note = self.note

        seller_address: dict[str, Any] | None | Unset
        if isinstance(self.seller_address, Unset):
            seller_address = UNSET
        elif isinstance(self.seller_address, InvoicesAddress):
            seller_address = self.seller_address.to_dict()
        elif isinstance(self.seller_address, DraftInSellerAddressType1Type0):
            seller_address = self.seller_address.to_dict()
        else:
            seller_address = self.seller_address

        seller_member_id: None | str | Unset
        if isinstance(self.seller_member_id, Unset):
            seller_member_id = UNSET
        elif isinstance(self.seller_member_id, UUID):
            seller_member_id = str(self.seller_member_id)
        else:
            seller_member_id = self.seller_member_id

        vat_exemption_reason = self.vat_exemption_reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "buyer_member_id": buyer_member_id,
            "delivery_date": delivery_date,
            "lines": lines,
            "payment_mode": payment_mode,
        })
        if buyer_address is not UNSET:
            field_dict["buyer_address"] = buyer_address
        if buyer_reference is not UNSET:
            field_dict["buyer_reference"] = buyer_reference
        if listing_id is not UNSET:
            field_dict["listing_id"] = listing_id
        if note is not UNSET:
            field_dict["note"] = note
        if seller_address is not UNSET:
            field_dict["seller_address"] = seller_address
        if seller_member_id is not UNSET:
            field_dict["seller_member_id"] = seller_member_id
        if vat_exemption_reason is not UNSET:
            field_dict["vat_exemption_reason"] = vat_exemption_reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.draft_in_buyer_address_type_1_type_0 import DraftInBuyerAddressType1Type0 # noqa: PLC0415
        from ..models.draft_in_seller_address_type_1_type_0 import DraftInSellerAddressType1Type0 # noqa: PLC0415
        from ..models.invoices_address import InvoicesAddress # noqa: PLC0415
        from ..models.line_in import LineIn # noqa: PLC0415
        d = dict(src_dict)
        buyer_member_id = UUID(d.pop("buyer_member_id"))




        delivery_date = datetime.date.fromisoformat(d.pop("delivery_date"))




        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = LineIn.from_dict(lines_item_data)



            lines.append(lines_item)


        payment_mode = d.pop("payment_mode")

        def _parse_buyer_address(data: object) -> DraftInBuyerAddressType1Type0 | InvoicesAddress | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_address_type_0 = InvoicesAddress.from_dict(data)



                return buyer_address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                buyer_address_type_1_type_0 = DraftInBuyerAddressType1Type0.from_dict(data)



                return buyer_address_type_1_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftInBuyerAddressType1Type0 | InvoicesAddress | None | Unset, data)

        buyer_address = _parse_buyer_address(d.pop("buyer_address", UNSET))


        buyer_reference = d.pop("buyer_reference", UNSET)

        def _parse_listing_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                listing_id_type_0 = UUID(data)



                return listing_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        listing_id = _parse_listing_id(d.pop("listing_id", UNSET))


        note = d.pop("note", UNSET)

        def _parse_seller_address(data: object) -> DraftInSellerAddressType1Type0 | InvoicesAddress | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                seller_address_type_0 = InvoicesAddress.from_dict(data)



                return seller_address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                seller_address_type_1_type_0 = DraftInSellerAddressType1Type0.from_dict(data)



                return seller_address_type_1_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DraftInSellerAddressType1Type0 | InvoicesAddress | None | Unset, data)

        seller_address = _parse_seller_address(d.pop("seller_address", UNSET))


        def _parse_seller_member_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                seller_member_id_type_0 = UUID(data)



                return seller_member_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        seller_member_id = _parse_seller_member_id(d.pop("seller_member_id", UNSET))


        vat_exemption_reason = d.pop("vat_exemption_reason", UNSET)

        draft_in = cls(
            buyer_member_id=buyer_member_id,
            delivery_date=delivery_date,
            lines=lines,
            payment_mode=payment_mode,
            buyer_address=buyer_address,
            buyer_reference=buyer_reference,
            listing_id=listing_id,
            note=note,
            seller_address=seller_address,
            seller_member_id=seller_member_id,
            vat_exemption_reason=vat_exemption_reason,
        )

        return draft_in

