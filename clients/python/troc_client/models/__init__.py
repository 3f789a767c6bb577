""" Contains all the data models used in inputs/outputs """

from .accepted import Accepted
from .account import Account
from .account_page import AccountPage
from .activity import Activity
from .address import Address
from .api_key import ApiKey
from .api_key_in import ApiKeyIn
from .api_key_page import ApiKeyPage
from .attempt import Attempt
from .audit_actor import AuditActor
from .audit_entry import AuditEntry
from .audit_entry_details import AuditEntryDetails
from .audit_page import AuditPage
from .audit_page_sources import AuditPageSources
from .audit_target import AuditTarget
from .bulk_result import BulkResult
from .bulk_validate_in import BulkValidateIn
from .bulk_validate_out import BulkValidateOut
from .category import Category
from .category_page import CategoryPage
from .cloud_event import CloudEvent
from .cloud_event_data import CloudEventData
from .commission import Commission
from .commission_charged_in import CommissionChargedIn
from .commission_month import CommissionMonth
from .commissions import Commissions
from .contact import Contact
from .contact_in import ContactIn
from .converted_price import ConvertedPrice
from .credit_limit_change import CreditLimitChange
from .credit_limit_change_page import CreditLimitChangePage
from .credit_limit_in import CreditLimitIn
from .credit_line_due import CreditLineDue
from .credit_line_due_kind import CreditLineDueKind
from .credit_line_due_page import CreditLineDuePage
from .delivery import Delivery
from .delivery_page import DeliveryPage
from .direct_payment_in import DirectPaymentIn
from .directory_get_members_scope import DirectoryGetMembersScope
from .directory_get_members_status_type_1 import DirectoryGetMembersStatusType1
from .directory_get_members_status_type_2_type_1 import DirectoryGetMembersStatusType2Type1
from .directory_get_members_status_type_3_type_1 import DirectoryGetMembersStatusType3Type1
from .directory_post_members_import_files_body import DirectoryPostMembersImportFilesBody
from .draft_in import DraftIn
from .draft_in_buyer_address_type_1_type_0 import DraftInBuyerAddressType1Type0
from .draft_in_seller_address_type_1_type_0 import DraftInSellerAddressType1Type0
from .euro_payment import EuroPayment
from .euro_payment_in import EuroPaymentIn
from .event_page import EventPage
from .federated_transfer import FederatedTransfer
from .federated_transfer_in import FederatedTransferIn
from .federated_transfer_refusal_type_0 import FederatedTransferRefusalType0
from .federated_transfer_status import FederatedTransferStatus
from .federation_link import FederationLink
from .federation_link_in import FederationLinkIn
from .federation_link_page import FederationLinkPage
from .federation_link_patch import FederationLinkPatch
from .federation_link_patch_status import FederationLinkPatchStatus
from .federation_link_status import FederationLinkStatus
from .fee import Fee
from .fee_account import FeeAccount
from .fee_charged_in import FeeChargedIn
from .fee_page import FeePage
from .fee_paid_in import FeePaidIn
from .fee_status import FeeStatus
from .fee_transfer_in import FeeTransferIn
from .fees_get_fees_status_item import FeesGetFeesStatusItem
from .import_result import ImportResult
from .invoice import Invoice
from .invoice_buyer_commission_type_1_type_0 import InvoiceBuyerCommissionType1Type0
from .invoice_buyer_unit_type_1_type_0 import InvoiceBuyerUnitType1Type0
from .invoice_commission_type_0_type_0 import InvoiceCommissionType0Type0
from .invoice_last_refusal_type_0_type_0 import InvoiceLastRefusalType0Type0
from .invoice_page import InvoicePage
from .invoice_queue_type_0_type_0 import InvoiceQueueType0Type0
from .invoice_status import InvoiceStatus
from .invoices_address import InvoicesAddress
from .invoices_commission import InvoicesCommission
from .invoices_get_invoices_kind_type_1 import InvoicesGetInvoicesKindType1
from .invoices_get_invoices_kind_type_2_type_1 import InvoicesGetInvoicesKindType2Type1
from .invoices_get_invoices_kind_type_3_type_1 import InvoicesGetInvoicesKindType3Type1
from .invoices_get_invoices_role_type_1 import InvoicesGetInvoicesRoleType1
from .invoices_get_invoices_role_type_2_type_1 import InvoicesGetInvoicesRoleType2Type1
from .invoices_get_invoices_role_type_3_type_1 import InvoicesGetInvoicesRoleType3Type1
from .invoices_get_invoices_status_item import InvoicesGetInvoicesStatusItem
from .jwks import Jwks
from .jwks_keys_item import JwksKeysItem
from .ledger_get_accounts_troc_list_shape import LedgerGetAccountsTrocListShape
from .ledger_get_events_source import LedgerGetEventsSource
from .ledger_get_events_troc_list_shape import LedgerGetEventsTrocListShape
from .ledger_get_statement_status_type_0_item import LedgerGetStatementStatusType0Item
from .ledger_get_statement_troc_list_shape import LedgerGetStatementTrocListShape
from .line import Line
from .line_in import LineIn
from .listing import Listing
from .listing_in import ListingIn
from .listing_in_category import ListingInCategory
from .listing_in_kind import ListingInKind
from .listing_in_payment_modes_type_0_item import ListingInPaymentModesType0Item
from .listing_in_price_type_1_type_0 import ListingInPriceType1Type0
from .listing_in_visibility import ListingInVisibility
from .listing_page import ListingPage
from .listing_patch import ListingPatch
from .listing_patch_category import ListingPatchCategory
from .listing_patch_payment_modes_type_0_item import ListingPatchPaymentModesType0Item
from .listing_patch_status import ListingPatchStatus
from .listing_patch_visibility import ListingPatchVisibility
from .listings_get_categories_troc_list_shape import ListingsGetCategoriesTrocListShape
from .listings_get_listing_matches_troc_list_shape import ListingsGetListingMatchesTrocListShape
from .listings_get_listings_category_type_1 import ListingsGetListingsCategoryType1
from .listings_get_listings_category_type_2_type_1 import ListingsGetListingsCategoryType2Type1
from .listings_get_listings_category_type_3_type_1 import ListingsGetListingsCategoryType3Type1
from .listings_get_listings_kind_type_1 import ListingsGetListingsKindType1
from .listings_get_listings_kind_type_2_type_1 import ListingsGetListingsKindType2Type1
from .listings_get_listings_kind_type_3_type_1 import ListingsGetListingsKindType3Type1
from .listings_get_listings_payment_mode_type_1 import ListingsGetListingsPaymentModeType1
from .listings_get_listings_payment_mode_type_2_type_1 import ListingsGetListingsPaymentModeType2Type1
from .listings_get_listings_payment_mode_type_3_type_1 import ListingsGetListingsPaymentModeType3Type1
from .listings_get_listings_scope import ListingsGetListingsScope
from .listings_get_listings_status_type_1 import ListingsGetListingsStatusType1
from .listings_get_listings_status_type_2_type_1 import ListingsGetListingsStatusType2Type1
from .listings_get_listings_status_type_3_type_1 import ListingsGetListingsStatusType3Type1
from .match import Match
from .match_page import MatchPage
from .max_balance_in import MaxBalanceIn
from .me import Me
from .me_user_type_0_type_0 import MeUserType0Type0
from .member import Member
from .member_category import MemberCategory
from .member_in import MemberIn
from .member_move import MemberMove
from .member_page import MemberPage
from .member_patch import MemberPatch
from .message import Message
from .message_page import MessagePage
from .month_activity import MonthActivity
from .network import Network
from .network_api_key import NetworkApiKey
from .network_api_key_in import NetworkApiKeyIn
from .network_api_key_page import NetworkApiKeyPage
from .network_direct_payments import NetworkDirectPayments
from .network_in import NetworkIn
from .network_in_commission_type_0 import NetworkInCommissionType0
from .network_in_commission_type_0_charged_in import NetworkInCommissionType0ChargedIn
from .network_in_direct_payments import NetworkInDirectPayments
from .network_in_membership_fee_type_0 import NetworkInMembershipFeeType0
from .network_in_payment_modes_item import NetworkInPaymentModesItem
from .network_in_unit import NetworkInUnit
from .network_link import NetworkLink
from .network_link_status import NetworkLinkStatus
from .network_links import NetworkLinks
from .network_membership_fee_type_0 import NetworkMembershipFeeType0
from .network_page import NetworkPage
from .network_patch import NetworkPatch
from .network_patch_commission import NetworkPatchCommission
from .network_patch_commission_charged_in import NetworkPatchCommissionChargedIn
from .network_patch_direct_payments import NetworkPatchDirectPayments
from .network_patch_membership_fee_type_0 import NetworkPatchMembershipFeeType0
from .network_patch_payment_modes_item import NetworkPatchPaymentModesItem
from .network_patch_unit import NetworkPatchUnit
from .network_vat_settlement import NetworkVatSettlement
from .new_api_key import NewApiKey
from .new_network_api_key import NewNetworkApiKey
from .notification import Notification
from .notification_data import NotificationData
from .notification_page import NotificationPage
from .operator_user_in import OperatorUserIn
from .operator_user_patch import OperatorUserPatch
from .operator_user_patch_status import OperatorUserPatchStatus
from .optional_reason_in import OptionalReasonIn
from .party import Party
from .party_address_type_0_type_0 import PartyAddressType0Type0
from .password_change import PasswordChange
from .payment import Payment
from .payment_kind import PaymentKind
from .payment_last_refusal_type_0_type_0 import PaymentLastRefusalType0Type0
from .payment_page import PaymentPage
from .payment_request_in import PaymentRequestIn
from .payment_requests_get_payment_requests_status_item import PaymentRequestsGetPaymentRequestsStatusItem
from .payment_status import PaymentStatus
from .payments_get_payments_status_item import PaymentsGetPaymentsStatusItem
from .preference import Preference
from .preferences import Preferences
from .preferences_in import PreferencesIn
from .preferences_in_email import PreferencesInEmail
from .preferences_in_validation_emails import PreferencesInValidationEmails
from .price import Price
from .price_type import PriceType
from .problem import Problem
from .problem_errors import ProblemErrors
from .queue_info import QueueInfo
from .reason_in import ReasonIn
from .redeliver_range_in import RedeliverRangeIn
from .redeliver_range_in_source import RedeliverRangeInSource
from .redelivered import Redelivered
from .refresh_request import RefreshRequest
from .refusal import Refusal
from .reset_confirm import ResetConfirm
from .reset_request import ResetRequest
from .rotate_secret_in import RotateSecretIn
from .suspend import Suspend
from .tenant import Tenant
from .tenant_contact_type_0_type_0 import TenantContactType0Type0
from .tenant_in import TenantIn
from .tenant_in_contact_type_0 import TenantInContactType0
from .tenant_page import TenantPage
from .tenant_patch import TenantPatch
from .tenant_patch_contact_type_0 import TenantPatchContactType0
from .tenant_patch_status import TenantPatchStatus
from .tenant_status import TenantStatus
from .thread import Thread
from .thread_page import ThreadPage
from .token import Token
from .token_request import TokenRequest
from .token_request_grant_type_type_1 import TokenRequestGrantTypeType1
from .token_request_grant_type_type_2_type_1 import TokenRequestGrantTypeType2Type1
from .token_request_grant_type_type_3_type_1 import TokenRequestGrantTypeType3Type1
from .totp_confirm import TotpConfirm
from .totp_enrolment import TotpEnrolment
from .transfer import Transfer
from .transfer_in import TransferIn
from .transfer_in_kind import TransferInKind
from .transfer_page import TransferPage
from .transfer_status import TransferStatus
from .unit import Unit
from .user import User
from .user_in import UserIn
from .user_in_role import UserInRole
from .user_page import UserPage
from .user_patch import UserPatch
from .user_patch_role import UserPatchRole
from .user_patch_status import UserPatchStatus
from .user_status import UserStatus
from .vat_group import VatGroup
from .void_in import VoidIn
from .webhook import Webhook
from .webhook_in import WebhookIn
from .webhook_page import WebhookPage
from .webhook_patch import WebhookPatch

__all__ = (
    "Accepted",
    "Account",
    "AccountPage",
    "Activity",
    "Address",
    "ApiKey",
    "ApiKeyIn",
    "ApiKeyPage",
    "Attempt",
    "AuditActor",
    "AuditEntry",
    "AuditEntryDetails",
    "AuditPage",
    "AuditPageSources",
    "AuditTarget",
    "BulkResult",
    "BulkValidateIn",
    "BulkValidateOut",
    "Category",
    "CategoryPage",
    "CloudEvent",
    "CloudEventData",
    "Commission",
    "CommissionChargedIn",
    "CommissionMonth",
    "Commissions",
    "Contact",
    "ContactIn",
    "ConvertedPrice",
    "CreditLimitChange",
    "CreditLimitChangePage",
    "CreditLimitIn",
    "CreditLineDue",
    "CreditLineDueKind",
    "CreditLineDuePage",
    "Delivery",
    "DeliveryPage",
    "DirectoryGetMembersScope",
    "DirectoryGetMembersStatusType1",
    "DirectoryGetMembersStatusType2Type1",
    "DirectoryGetMembersStatusType3Type1",
    "DirectoryPostMembersImportFilesBody",
    "DirectPaymentIn",
    "DraftIn",
    "DraftInBuyerAddressType1Type0",
    "DraftInSellerAddressType1Type0",
    "EuroPayment",
    "EuroPaymentIn",
    "EventPage",
    "FederatedTransfer",
    "FederatedTransferIn",
    "FederatedTransferRefusalType0",
    "FederatedTransferStatus",
    "FederationLink",
    "FederationLinkIn",
    "FederationLinkPage",
    "FederationLinkPatch",
    "FederationLinkPatchStatus",
    "FederationLinkStatus",
    "Fee",
    "FeeAccount",
    "FeeChargedIn",
    "FeePage",
    "FeePaidIn",
    "FeesGetFeesStatusItem",
    "FeeStatus",
    "FeeTransferIn",
    "ImportResult",
    "Invoice",
    "InvoiceBuyerCommissionType1Type0",
    "InvoiceBuyerUnitType1Type0",
    "InvoiceCommissionType0Type0",
    "InvoiceLastRefusalType0Type0",
    "InvoicePage",
    "InvoiceQueueType0Type0",
    "InvoicesAddress",
    "InvoicesCommission",
    "InvoicesGetInvoicesKindType1",
    "InvoicesGetInvoicesKindType2Type1",
    "InvoicesGetInvoicesKindType3Type1",
    "InvoicesGetInvoicesRoleType1",
    "InvoicesGetInvoicesRoleType2Type1",
    "InvoicesGetInvoicesRoleType3Type1",
    "InvoicesGetInvoicesStatusItem",
    "InvoiceStatus",
    "Jwks",
    "JwksKeysItem",
    "LedgerGetAccountsTrocListShape",
    "LedgerGetEventsSource",
    "LedgerGetEventsTrocListShape",
    "LedgerGetStatementStatusType0Item",
    "LedgerGetStatementTrocListShape",
    "Line",
    "LineIn",
    "Listing",
    "ListingIn",
    "ListingInCategory",
    "ListingInKind",
    "ListingInPaymentModesType0Item",
    "ListingInPriceType1Type0",
    "ListingInVisibility",
    "ListingPage",
    "ListingPatch",
    "ListingPatchCategory",
    "ListingPatchPaymentModesType0Item",
    "ListingPatchStatus",
    "ListingPatchVisibility",
    "ListingsGetCategoriesTrocListShape",
    "ListingsGetListingMatchesTrocListShape",
    "ListingsGetListingsCategoryType1",
    "ListingsGetListingsCategoryType2Type1",
    "ListingsGetListingsCategoryType3Type1",
    "ListingsGetListingsKindType1",
    "ListingsGetListingsKindType2Type1",
    "ListingsGetListingsKindType3Type1",
    "ListingsGetListingsPaymentModeType1",
    "ListingsGetListingsPaymentModeType2Type1",
    "ListingsGetListingsPaymentModeType3Type1",
    "ListingsGetListingsScope",
    "ListingsGetListingsStatusType1",
    "ListingsGetListingsStatusType2Type1",
    "ListingsGetListingsStatusType3Type1",
    "Match",
    "MatchPage",
    "MaxBalanceIn",
    "Me",
    "Member",
    "MemberCategory",
    "MemberIn",
    "MemberMove",
    "MemberPage",
    "MemberPatch",
    "Message",
    "MessagePage",
    "MeUserType0Type0",
    "MonthActivity",
    "Network",
    "NetworkApiKey",
    "NetworkApiKeyIn",
    "NetworkApiKeyPage",
    "NetworkDirectPayments",
    "NetworkIn",
    "NetworkInCommissionType0",
    "NetworkInCommissionType0ChargedIn",
    "NetworkInDirectPayments",
    "NetworkInMembershipFeeType0",
    "NetworkInPaymentModesItem",
    "NetworkInUnit",
    "NetworkLink",
    "NetworkLinks",
    "NetworkLinkStatus",
    "NetworkMembershipFeeType0",
    "NetworkPage",
    "NetworkPatch",
    "NetworkPatchCommission",
    "NetworkPatchCommissionChargedIn",
    "NetworkPatchDirectPayments",
    "NetworkPatchMembershipFeeType0",
    "NetworkPatchPaymentModesItem",
    "NetworkPatchUnit",
    "NetworkVatSettlement",
    "NewApiKey",
    "NewNetworkApiKey",
    "Notification",
    "NotificationData",
    "NotificationPage",
    "OperatorUserIn",
    "OperatorUserPatch",
    "OperatorUserPatchStatus",
    "OptionalReasonIn",
    "Party",
    "PartyAddressType0Type0",
    "PasswordChange",
    "Payment",
    "PaymentKind",
    "PaymentLastRefusalType0Type0",
    "PaymentPage",
    "PaymentRequestIn",
    "PaymentRequestsGetPaymentRequestsStatusItem",
    "PaymentsGetPaymentsStatusItem",
    "PaymentStatus",
    "Preference",
    "Preferences",
    "PreferencesIn",
    "PreferencesInEmail",
    "PreferencesInValidationEmails",
    "Price",
    "PriceType",
    "Problem",
    "ProblemErrors",
    "QueueInfo",
    "ReasonIn",
    "Redelivered",
    "RedeliverRangeIn",
    "RedeliverRangeInSource",
    "RefreshRequest",
    "Refusal",
    "ResetConfirm",
    "ResetRequest",
    "RotateSecretIn",
    "Suspend",
    "Tenant",
    "TenantContactType0Type0",
    "TenantIn",
    "TenantInContactType0",
    "TenantPage",
    "TenantPatch",
    "TenantPatchContactType0",
    "TenantPatchStatus",
    "TenantStatus",
    "Thread",
    "ThreadPage",
    "Token",
    "TokenRequest",
    "TokenRequestGrantTypeType1",
    "TokenRequestGrantTypeType2Type1",
    "TokenRequestGrantTypeType3Type1",
    "TotpConfirm",
    "TotpEnrolment",
    "Transfer",
    "TransferIn",
    "TransferInKind",
    "TransferPage",
    "TransferStatus",
    "Unit",
    "User",
    "UserIn",
    "UserInRole",
    "UserPage",
    "UserPatch",
    "UserPatchRole",
    "UserPatchStatus",
    "UserStatus",
    "VatGroup",
    "VoidIn",
    "Webhook",
    "WebhookIn",
    "WebhookPage",
    "WebhookPatch",
)
