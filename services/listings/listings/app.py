"""The listings' table of contents: which handler answers which message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import gateway as gw
from contracts import ledger as lg
from listings import handlers

Handler = Callable[[Any, handlers.Meta, handlers.Context], object]

EVENT_HANDLERS: dict[type, Handler] = {
    gw.NetworkCreated: handlers.on_network_created,
    gw.NetworkUpdated: handlers.on_network_created,
    gw.TenantCreated: handlers.on_tenant_created,
    gw.TenantUpdated: handlers.on_tenant_created,
    gw.MemberAdmitted: handlers.on_member_admitted,
    gw.MemberUpdated: handlers.on_member_updated,
    gw.MemberSuspended: handlers.on_member_suspended,
    gw.MemberReinstated: handlers.on_member_reinstated,
    gw.MemberLeft: handlers.on_member_left,
    lg.AccountOpened: handlers.on_account_opened,
    lg.TransferPosted: handlers.on_transfer_posted,
    gw.FederationLinkCreated: handlers.on_federation_link,
    gw.FederationLinkUpdated: handlers.on_federation_link,
}

HANDLERS: dict[type, Handler] = dict(EVENT_HANDLERS)
