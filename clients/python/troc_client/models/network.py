from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.network_direct_payments import NetworkDirectPayments
from ..models.network_vat_settlement import NetworkVatSettlement
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.commission import Commission
  from ..models.member_category import MemberCategory
  from ..models.network_membership_fee_type_0 import NetworkMembershipFeeType0
  from ..models.unit import Unit





T = TypeVar("T", bound="Network")



@_attrs_define
class Network:
    """ 
        Attributes:
            buyer_acceptance_required (bool):
            commission (Commission):
            default_credit_limit (str):  Example: 1250.00.
            direct_payments (NetworkDirectPayments):
            direct_payments_validation_threshold (str):  Example: 1250.00.
            hold_expiry_days (int):
            id (UUID):
            member_categories (list[MemberCategory]):
            name (str):
            need_expiry_days (int):
            payment_modes (list[int]):
            slug (str):
            staff_2fa_required (bool):
            unit (Unit):
            vat_settlement (NetworkVatSettlement):
            manual_transfer_approval_threshold (None | str | Unset):  Example: 1250.00.
            membership_fee (NetworkMembershipFeeType0 | None | Unset):
     """

    buyer_acceptance_required: bool
    commission: Commission
    default_credit_limit: str
    direct_payments: NetworkDirectPayments
    direct_payments_validation_threshold: str
    hold_expiry_days: int
    id: UUID
    member_categories: list[MemberCategory]
    name: str
    need_expiry_days: int
    payment_modes: list[int]
    slug: str
    staff_2fa_required: bool
    unit: Unit
    vat_settlement: NetworkVatSettlement
    manual_transfer_approval_threshold: None | str | Unset = UNSET
    membership_fee: NetworkMembershipFeeType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.commission import Commission # noqa: PLC0415
        from ..models.member_category import MemberCategory # noqa: PLC0415
        from ..models.network_membership_fee_type_0 import NetworkMembershipFeeType0 # noqa: PLC0415
        from ..models.unit import Unit # noqa: PLC0415
        buyer_acceptance_required = self.buyer_acceptance_required

        commission = self.commission.to_dict()

        default_credit_limit = self.default_credit_limit

        direct_payments = self.direct_payments.value

        direct_payments_validation_threshold = self.direct_payments_validation_threshold

        hold_expiry_days = self.hold_expiry_days

        id = str(self.id)

        member_categories = []
        for member_categories_item_data in self.member_categories:
            member_categories_item = member_categories_item_data.to_dict()
            member_categories.append(member_categories_item)



        name = self.name

        need_expiry_days = self.need_expiry_days

        payment_modes = self.payment_modes



        slug = self.slug

        staff_2fa_required = self.staff_2fa_required

        unit = self.unit.to_dict()

        vat_settlement = self.vat_settlement.value

        manual_transfer_approval_threshold: None | str | Unset
        if isinstance(self.manual_transfer_approval_threshold, Unset):
            manual_transfer_approval_threshold = UNSET
        else:
            manual_transfer_approval_threshold = self.manual_transfer_approval_threshold

        membership_fee: dict[str, Any] | None | Unset
        if isinstance(self.membership_fee, Unset):
            membership_fee = UNSET
        elif isinstance(self.membership_fee, NetworkMembershipFeeType0):
            membership_fee = self.membership_fee.to_dict()
        else:
            membership_fee = self.membership_fee


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "buyer_acceptance_required": buyer_acceptance_required,
            "commission": commission,
            "default_credit_limit": default_credit_limit,
            "direct_payments": direct_payments,
            "direct_payments_validation_threshold": direct_payments_validation_threshold,
            "hold_expiry_days": hold_expiry_days,
            "id": id,
            "member_categories": member_categories,
            "name": name,
            "need_expiry_days": need_expiry_days,
            "payment_modes": payment_modes,
            "slug": slug,
            "staff_2fa_required": staff_2fa_required,
            "unit": unit,
            "vat_settlement": vat_settlement,
        })
        if manual_transfer_approval_threshold is not UNSET:
            field_dict["manual_transfer_approval_threshold"] = manual_transfer_approval_threshold
        if membership_fee is not UNSET:
            field_dict["membership_fee"] = membership_fee

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.commission import Commission # noqa: PLC0415
        from ..models.member_category import MemberCategory # noqa: PLC0415
        from ..models.network_membership_fee_type_0 import NetworkMembershipFeeType0 # noqa: PLC0415
        from ..models.unit import Unit # noqa: PLC0415
        d = dict(src_dict)
        buyer_acceptance_required = d.pop("buyer_acceptance_required")

        commission = Commission.from_dict(d.pop("commission"))




        default_credit_limit = d.pop("default_credit_limit")

        direct_payments = NetworkDirectPayments(d.pop("direct_payments"))




        direct_payments_validation_threshold = d.pop("direct_payments_validation_threshold")

        hold_expiry_days = d.pop("hold_expiry_days")

        id = UUID(d.pop("id"))




        member_categories = []
        _member_categories = d.pop("member_categories")
        for member_categories_item_data in (_member_categories):
            member_categories_item = MemberCategory.from_dict(member_categories_item_data)



            member_categories.append(member_categories_item)


        name = d.pop("name")

        need_expiry_days = d.pop("need_expiry_days")

        payment_modes = cast(list[int], d.pop("payment_modes"))


        slug = d.pop("slug")

        staff_2fa_required = d.pop("staff_2fa_required")

        unit = Unit.from_dict(d.pop("unit"))




        vat_settlement = NetworkVatSettlement(d.pop("vat_settlement"))




        def _parse_manual_transfer_approval_threshold(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manual_transfer_approval_threshold = _parse_manual_transfer_approval_threshold(d.pop("manual_transfer_approval_threshold", UNSET))


        def _parse_membership_fee(data: object) -> NetworkMembershipFeeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                membership_fee_type_0 = NetworkMembershipFeeType0.from_dict(data)



                return membership_fee_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NetworkMembershipFeeType0 | None | Unset, data)

        membership_fee = _parse_membership_fee(d.pop("membership_fee", UNSET))


        network = cls(
            buyer_acceptance_required=buyer_acceptance_required,
            commission=commission,
            default_credit_limit=default_credit_limit,
            direct_payments=direct_payments,
            direct_payments_validation_threshold=direct_payments_validation_threshold,
            hold_expiry_days=hold_expiry_days,
            id=id,
            member_categories=member_categories,
            name=name,
            need_expiry_days=need_expiry_days,
            payment_modes=payment_modes,
            slug=slug,
            staff_2fa_required=staff_2fa_required,
            unit=unit,
            vat_settlement=vat_settlement,
            manual_transfer_approval_threshold=manual_transfer_approval_threshold,
            membership_fee=membership_fee,
        )

        return network

