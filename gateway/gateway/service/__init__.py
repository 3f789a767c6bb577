"""The gateway's use cases: networks, tenants, members, users, logins, tokens and API keys.

Each function runs one unit of work: load, apply the domain's rules, save, stage the contract
events (``uow.emit``) and commit, so an event leaves if and only if its change is stored.
Imports the domain, the contracts and the chassis' identity types; never Flask or SQLAlchemy
(``gateway.db`` hides the tables behind repositories).

One module per part of the directory: ``directory`` (networks and tenants), ``members``,
``users``, ``sessions`` (logins, second factor, refresh tokens, password resets) and
``apikeys``, over ``audit`` (the audit entries they append, the log's reading) and ``common``
(the views they answer with, the loading helpers and the events they build)."""

from __future__ import annotations

from gateway.service.apikeys import (
    ApiKeyView,
    NetworkApiKeyView,
    authenticate_api_key,
    create_api_key,
    create_network_api_key,
    list_api_keys,
    list_network_api_keys,
    network_of_tenant,
    revoke_api_key,
    revoke_network_api_key,
    token_for_api_key,
)
from gateway.service.audit import actor_key, audit_log, user_emails
from gateway.service.common import (
    LAST_USE_RESOLUTION,
    MemberView,
    Page,
    TokenPair,
    UserView,
    identity_of,
)
from gateway.service.directory import (
    create_network,
    create_tenant,
    get_network,
    get_tenant,
    list_networks,
    list_tenants,
    network_tenant,
    update_network,
    update_tenant,
)
from gateway.service.federation import (
    create_link,
    get_link,
    list_links,
    network_links,
    update_link,
)
from gateway.service.members import (
    MEMBER_STATUS_ACTIONS,
    admit_member,
    change_member_status,
    find_member,
    get_member,
    import_members,
    list_members,
    update_member,
)
from gateway.service.sessions import (
    confirm_password_reset,
    confirm_totp_enrolment,
    login,
    refresh,
    request_password_reset,
    start_totp_enrolment,
)
from gateway.service.tenancy import LedgerTenancy, move_member, set_tenant_status
from gateway.service.users import (
    change_password,
    create_user,
    get_operator_user,
    get_user,
    list_operator_users,
    list_users,
    me,
    update_user,
)

__all__ = [
    "ApiKeyView",
    "NetworkApiKeyView",
    "LAST_USE_RESOLUTION",
    "LedgerTenancy",
    "MEMBER_STATUS_ACTIONS",
    "MemberView",
    "Page",
    "TokenPair",
    "UserView",
    "actor_key",
    "admit_member",
    "audit_log",
    "authenticate_api_key",
    "change_member_status",
    "change_password",
    "confirm_password_reset",
    "confirm_totp_enrolment",
    "create_api_key",
    "create_network_api_key",
    "create_link",
    "create_network",
    "create_tenant",
    "create_user",
    "get_link",
    "list_links",
    "network_links",
    "update_link",
    "find_member",
    "get_member",
    "get_network",
    "get_operator_user",
    "get_tenant",
    "get_user",
    "identity_of",
    "import_members",
    "list_api_keys",
    "list_network_api_keys",
    "network_of_tenant",
    "list_members",
    "list_networks",
    "list_operator_users",
    "list_tenants",
    "list_users",
    "login",
    "me",
    "move_member",
    "network_tenant",
    "refresh",
    "request_password_reset",
    "revoke_api_key",
    "revoke_network_api_key",
    "set_tenant_status",
    "start_totp_enrolment",
    "token_for_api_key",
    "update_member",
    "update_network",
    "update_tenant",
    "update_user",
    "user_emails",
]
