from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.network_in_direct_payments import NetworkInDirectPayments
from ..models.network_in_payment_modes_item import NetworkInPaymentModesItem
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.member_category import MemberCategory
  from ..models.network_in_commission_type_0 import NetworkInCommissionType0
  from ..models.network_in_membership_fee_type_0 import NetworkInMembershipFeeType0
  from ..models.network_in_unit import NetworkInUnit





T = TypeVar("T", bound="NetworkIn")



@_attrs_define
class NetworkIn:
    """ 
        Attributes:
            default_credit_limit (str):  Example: 1250.00.
            hold_expiry_days (int):  Example: 30.
            name (str):
            payment_modes (list[NetworkInPaymentModesItem]):  Example: [100, 50].
            slug (str):
            unit (NetworkInUnit): The network's unit of account.
            vat_settlement (str):  Example: unit.
            buyer_acceptance_required (bool | Unset):  Default: True.
            commission (NetworkInCommissionType0 | None | Unset): The network's commission on settled invoices.
            direct_payments (NetworkInDirectPayments | Unset):  Default: NetworkInDirectPayments.OFF. Example: both.
            direct_payments_validation_threshold (str | Unset):  Default: '0.00'. Example: 1250.00.
            manual_transfer_approval_threshold (None | str | Unset): Manual transfers above it wait for a second animator;
                null: never Example: 5000.00.
            member_categories (list[MemberCategory] | Unset): Categories of members, each with its default credit limit
            membership_fee (NetworkInMembershipFeeType0 | None | Unset): {amount, period: year, charged_in: unit|euro, due:
                admission|MM-DD, grace_days}; null: no membership fee Example: {'amount': '120.00', 'charged_in': 'unit', 'due':
                '01-31', 'grace_days': 30, 'period': 'year'}.
            need_expiry_days (int | Unset):  Default: 90. Example: 90.
            staff_2fa_required (bool | Unset): Animators and the operator must log in with a TOTP code Default: False.
     """

    default_credit_limit: str
    hold_expiry_days: int
    name: str
    payment_modes: list[NetworkInPaymentModesItem]
    slug: str
    unit: NetworkInUnit
    vat_settlement: str
    buyer_acceptance_required: bool | Unset = True
    commission: NetworkInCommissionType0 | None | Unset = UNSET
    direct_payments: NetworkInDirectPayments | Unset = NetworkInDirectPayments.OFF
    direct_payments_validation_threshold: str | Unset = '0.00'
    manual_transfer_approval_threshold: None | str | Unset = UNSET
    member_categories: list[MemberCategory] | Unset = UNSET
    membership_fee: NetworkInMembershipFeeType0 | None | Unset = UNSET
    need_expiry_days: int | Unset = 90
    staff_2fa_required: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.member_category import MemberCategory # noqa: PLC0415
        from ..models.network_in_commission_type_0 import NetworkInCommissionType0 # noqa: PLC0415
        from ..models.network_in_membership_fee_type_0 import NetworkInMembershipFeeType0 # noqa: PLC0415
        from ..models.network_in_unit import NetworkInUnit # noqa: PLC0415
        default_credit_limit = self.default_credit_limit

        hold_expiry_days = self.hold_expiry_days

        name = self.name

        payment_modes = []
        for payment_modes_item_data in self.payment_modes:
            payment_modes_item = payment_modes_item_data.value
            payment_modes.append(payment_modes_item)



        slug = self.slug

        unit = self.unit.to_dict()

        vat_settlement = self.vat_settlement

        buyer_acceptance_required = self.buyer_acceptance_required

        commission: dict[str, Any] | None | Unset
        if isinstance(self.commission, Unset):
            commission = UNSET
        elif isinstance(self.commission, NetworkInCommissionType0):
            commission = self.commission.to_dict()
        else:
            commission = self.commission

        direct_payments: str | Unset = UNSET
        if not isinstance(self.direct_payments, Unset):
            direct_payments = self.direct_payments.value


        direct_payments_validation_threshold = self.direct_payments_validation_threshold

        manual_transfer_approval_threshold: None | str | Unset
        if isinstance(self.manual_transfer_approval_threshold, Unset):
            manual_transfer_approval_threshold = UNSET
        else:
            manual_transfer_approval_threshold = self.manual_transfer_approval_threshold

        member_categories: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.member_categories, Unset):
            member_categories = []
            for member_categories_item_data in self.member_categories:
                member_categories_item = member_categories_item_data.to_dict()
                member_categories.append(member_categories_item)



        membership_fee: dict[str, Any] | None | Unset
        if isinstance(self.membership_fee, Unset):
            membership_fee = UNSET
        elif isinstance(self.membership_fee, NetworkInMembershipFeeType0):
            membership_fee = self.membership_fee.to_dict()
        else:
            membership_fee = self.membership_fee

        need_expiry_days = self.need_expiry_days

        staff_2fa_required = self.staff_2fa_required


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "default_credit_limit": default_credit_limit,
            "hold_expiry_days": hold_expiry_days,
            "name": name,
            "payment_modes": payment_modes,
            "slug": slug,
            "unit": unit,
            "vat_settlement": vat_settlement,
        })
        if buyer_acceptance_required is not UNSET:
            field_dict["buyer_acceptance_required"] = buyer_acceptance_required
        if commission is not UNSET:
            field_dict["commission"] = commission
        if direct_payments is not UNSET:
            field_dict["direct_payments"] = direct_payments
        if direct_payments_validation_threshold is not UNSET:
            field_dict["direct_payments_validation_threshold"] = direct_payments_validation_threshold
        if manual_transfer_approval_threshold is not UNSET:
            field_dict["manual_transfer_approval_threshold"] = manual_transfer_approval_threshold
        if member_categories is not UNSET:
            field_dict["member_categories"] = member_categories
        if membership_fee is not UNSET:
            field_dict["membership_fee"] = membership_fee
        if need_expiry_days is not UNSET:
            field_dict["need_expiry_days"] = need_expiry_days
        if staff_2fa_required is not UNSET:
            field_dict["staff_2fa_required"] = staff_2fa_required

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_category import MemberCategory # noqa: PLC0415
        from ..models.network_in_commission_type_0 import NetworkInCommissionType0 # noqa: PLC0415
        from ..models.network_in_membership_fee_type_0 import NetworkInMembershipFeeType0 # noqa: PLC0415
        from ..models.network_in_unit import NetworkInUnit # noqa: PLC0415
        d = dict(src_dict)
        default_credit_limit = d.pop("default_credit_limit")

        hold_expiry_days = d.pop("hold_expiry_days")

        name = d.pop("name")

        payment_modes = []
        _payment_modes = d.pop("payment_modes")
        for payment_modes_item_data in (_payment_modes):
            payment_modes_item = NetworkInPaymentModesItem(payment_modes_item_data)



            payment_modes.append(payment_modes_item)


        slug = d.pop("slug")

        unit = NetworkInUnit.from_dict(d.pop("unit"))




        vat_settlement = d.pop("vat_settlement")

        buyer_acceptance_required = d.pop("buyer_acceptance_required", UNSET)

        def _parse_commission(data: object) -> NetworkInCommissionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                commission_type_0 = NetworkInCommissionType0.from_dict(data)



                return commission_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NetworkInCommissionType0 | None | Unset, data)

        commission = _parse_commission(d.pop("commission", UNSET))


        _direct_payments = d.pop("direct_payments", UNSET)
        direct_payments: NetworkInDirectPayments | Unset
        if isinstance(_direct_payments,  Unset):
            direct_payments = UNSET
        else:
            direct_payments = NetworkInDirectPayments(_direct_payments)




        direct_payments_validation_threshold = d.pop("direct_payments_validation_threshold", UNSET)

        def _parse_manual_transfer_approval_threshold(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manual_transfer_approval_threshold = _parse_manual_transfer_approval_threshold(d.pop("manual_transfer_approval_threshold", UNSET))


        _member_categories = d.pop("member_categories", UNSET)
        member_categories: list[MemberCategory] | Unset = UNSET
        if _member_categories is not UNSET:
            member_categories = []
            for member_categories_item_data in _member_categories:
                member_categories_item = MemberCategory.from_dict(member_categories_item_data)



                member_categories.append(member_categories_item)


        def _parse_membership_fee(data: object) -> NetworkInMembershipFeeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                membership_fee_type_0 = NetworkInMembershipFeeType0.from_dict(data)



                return membership_fee_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NetworkInMembershipFeeType0 | None | Unset, data)

        membership_fee = _parse_membership_fee(d.pop("membership_fee", UNSET))


        need_expiry_days = d.pop("need_expiry_days", UNSET)

        staff_2fa_required = d.pop("staff_2fa_required", UNSET)

        network_in = cls(
            default_credit_limit=default_credit_limit,
            hold_expiry_days=hold_expiry_days,
            name=name,
            payment_modes=payment_modes,
            slug=slug,
            unit=unit,
            vat_settlement=vat_settlement,
            buyer_acceptance_required=buyer_acceptance_required,
            commission=commission,
            direct_payments=direct_payments,
            direct_payments_validation_threshold=direct_payments_validation_threshold,
            manual_transfer_approval_threshold=manual_transfer_approval_threshold,
            member_categories=member_categories,
            membership_fee=membership_fee,
            need_expiry_days=need_expiry_days,
            staff_2fa_required=staff_2fa_required,
        )

        return network_in

