from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.network_patch_direct_payments import NetworkPatchDirectPayments
from ..models.network_patch_payment_modes_item import NetworkPatchPaymentModesItem
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.member_category import MemberCategory
  from ..models.network_patch_commission import NetworkPatchCommission
  from ..models.network_patch_membership_fee_type_0 import NetworkPatchMembershipFeeType0
  from ..models.network_patch_unit import NetworkPatchUnit





T = TypeVar("T", bound="NetworkPatch")



@_attrs_define
class NetworkPatch:
    """ 
        Attributes:
            buyer_acceptance_required (bool | Unset):
            commission (NetworkPatchCommission | Unset): The network's commission on settled invoices.
            default_credit_limit (str | Unset):  Example: 1250.00.
            direct_payments (NetworkPatchDirectPayments | Unset):  Example: both.
            direct_payments_validation_threshold (str | Unset):  Example: 1250.00.
            hold_expiry_days (int | Unset):  Example: 30.
            manual_transfer_approval_threshold (None | str | Unset):  Example: 5000.00.
            member_categories (list[MemberCategory] | Unset): The whole new list (members keep a category it still has)
            membership_fee (NetworkPatchMembershipFeeType0 | None | Unset): {amount, period: year, charged_in: unit|euro,
                due: admission|MM-DD, grace_days}; null: no membership fee Example: {'amount': '120.00', 'charged_in': 'unit',
                'due': '01-31', 'grace_days': 30, 'period': 'year'}.
            name (str | Unset):
            need_expiry_days (int | Unset):  Example: 90.
            payment_modes (list[NetworkPatchPaymentModesItem] | Unset):
            staff_2fa_required (bool | Unset):
            unit (NetworkPatchUnit | Unset): The network's unit of account.
            vat_settlement (str | Unset):
     """

    buyer_acceptance_required: bool | Unset = UNSET
    commission: NetworkPatchCommission | Unset = UNSET
    default_credit_limit: str | Unset = UNSET
    direct_payments: NetworkPatchDirectPayments | Unset = UNSET
    direct_payments_validation_threshold: str | Unset = UNSET
    hold_expiry_days: int | Unset = UNSET
    manual_transfer_approval_threshold: None | str | Unset = UNSET
    member_categories: list[MemberCategory] | Unset = UNSET
    membership_fee: NetworkPatchMembershipFeeType0 | None | Unset = UNSET
    name: str | Unset = UNSET
    need_expiry_days: int | Unset = UNSET
    payment_modes: list[NetworkPatchPaymentModesItem] | Unset = UNSET
    staff_2fa_required: bool | Unset = UNSET
    unit: NetworkPatchUnit | Unset = UNSET
    vat_settlement: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.member_category import MemberCategory # noqa: PLC0415
        from ..models.network_patch_commission import NetworkPatchCommission # noqa: PLC0415
        from ..models.network_patch_membership_fee_type_0 import NetworkPatchMembershipFeeType0 # noqa: PLC0415
        from ..models.network_patch_unit import NetworkPatchUnit # noqa: PLC0415
        buyer_acceptance_required = self.buyer_acceptance_required

        commission: dict[str, Any] | Unset = UNSET
        if not isinstance(self.commission, Unset):
            commission = self.commission.to_dict()

        default_credit_limit = self.default_credit_limit

        direct_payments: str | Unset = UNSET
        if not isinstance(self.direct_payments, Unset):
            direct_payments = self.direct_payments.value


        direct_payments_validation_threshold = self.direct_payments_validation_threshold

        hold_expiry_days = self.hold_expiry_days

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
        elif isinstance(self.membership_fee, NetworkPatchMembershipFeeType0):
            membership_fee = self.membership_fee.to_dict()
        else:
            membership_fee = self.membership_fee

        name = self.name

        need_expiry_days = self.need_expiry_days

        payment_modes: list[int] | Unset = UNSET
        if not isinstance(self.payment_modes, Unset):
            payment_modes = []
            for payment_modes_item_data in self.payment_modes:
                payment_modes_item = payment_modes_item_data.value
                payment_modes.append(payment_modes_item)



        staff_2fa_required = self.staff_2fa_required

        unit: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unit, Unset):
            unit = self.unit.to_dict()

        vat_settlement = self.vat_settlement


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if buyer_acceptance_required is not UNSET:
            field_dict["buyer_acceptance_required"] = buyer_acceptance_required
        if commission is not UNSET:
            field_dict["commission"] = commission
        if default_credit_limit is not UNSET:
            field_dict["default_credit_limit"] = default_credit_limit
        if direct_payments is not UNSET:
            field_dict["direct_payments"] = direct_payments
        if direct_payments_validation_threshold is not UNSET:
            field_dict["direct_payments_validation_threshold"] = direct_payments_validation_threshold
        if hold_expiry_days is not UNSET:
            field_dict["hold_expiry_days"] = hold_expiry_days
        if manual_transfer_approval_threshold is not UNSET:
            field_dict["manual_transfer_approval_threshold"] = manual_transfer_approval_threshold
        if member_categories is not UNSET:
            field_dict["member_categories"] = member_categories
        if membership_fee is not UNSET:
            field_dict["membership_fee"] = membership_fee
        if name is not UNSET:
            field_dict["name"] = name
        if need_expiry_days is not UNSET:
            field_dict["need_expiry_days"] = need_expiry_days
        if payment_modes is not UNSET:
            field_dict["payment_modes"] = payment_modes
        if staff_2fa_required is not UNSET:
            field_dict["staff_2fa_required"] = staff_2fa_required
        if unit is not UNSET:
            field_dict["unit"] = unit
        if vat_settlement is not UNSET:
            field_dict["vat_settlement"] = vat_settlement

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_category import MemberCategory # noqa: PLC0415
        from ..models.network_patch_commission import NetworkPatchCommission # noqa: PLC0415
        from ..models.network_patch_membership_fee_type_0 import NetworkPatchMembershipFeeType0 # noqa: PLC0415
        from ..models.network_patch_unit import NetworkPatchUnit # noqa: PLC0415
        d = dict(src_dict)
        buyer_acceptance_required = d.pop("buyer_acceptance_required", UNSET)

        _commission = d.pop("commission", UNSET)
        commission: NetworkPatchCommission | Unset
        if isinstance(_commission,  Unset):
            commission = UNSET
        else:
            commission = NetworkPatchCommission.from_dict(_commission)




        default_credit_limit = d.pop("default_credit_limit", UNSET)

        _direct_payments = d.pop("direct_payments", UNSET)
        direct_payments: NetworkPatchDirectPayments | Unset
        if isinstance(_direct_payments,  Unset):
            direct_payments = UNSET
        else:
            direct_payments = NetworkPatchDirectPayments(_direct_payments)




        direct_payments_validation_threshold = d.pop("direct_payments_validation_threshold", UNSET)

        hold_expiry_days = d.pop("hold_expiry_days", UNSET)

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


        def _parse_membership_fee(data: object) -> NetworkPatchMembershipFeeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                membership_fee_type_0 = NetworkPatchMembershipFeeType0.from_dict(data)



                return membership_fee_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NetworkPatchMembershipFeeType0 | None | Unset, data)

        membership_fee = _parse_membership_fee(d.pop("membership_fee", UNSET))


        name = d.pop("name", UNSET)

        need_expiry_days = d.pop("need_expiry_days", UNSET)

        _payment_modes = d.pop("payment_modes", UNSET)
        payment_modes: list[NetworkPatchPaymentModesItem] | Unset = UNSET
        if _payment_modes is not UNSET:
            payment_modes = []
            for payment_modes_item_data in _payment_modes:
                payment_modes_item = NetworkPatchPaymentModesItem(payment_modes_item_data)



                payment_modes.append(payment_modes_item)


        staff_2fa_required = d.pop("staff_2fa_required", UNSET)

        _unit = d.pop("unit", UNSET)
        unit: NetworkPatchUnit | Unset
        if isinstance(_unit,  Unset):
            unit = UNSET
        else:
            unit = NetworkPatchUnit.from_dict(_unit)




        vat_settlement = d.pop("vat_settlement", UNSET)

        network_patch = cls(
            buyer_acceptance_required=buyer_acceptance_required,
            commission=commission,
            default_credit_limit=default_credit_limit,
            direct_payments=direct_payments,
            direct_payments_validation_threshold=direct_payments_validation_threshold,
            hold_expiry_days=hold_expiry_days,
            manual_transfer_approval_threshold=manual_transfer_approval_threshold,
            member_categories=member_categories,
            membership_fee=membership_fee,
            name=name,
            need_expiry_days=need_expiry_days,
            payment_modes=payment_modes,
            staff_2fa_required=staff_2fa_required,
            unit=unit,
            vat_settlement=vat_settlement,
        )

        return network_patch

