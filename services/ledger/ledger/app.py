"""The ledger's table of contents: which handler answers which message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import gateway as gw
from contracts import ledger as cmd
from ledger import federation_handlers, handlers

Handler = Callable[[Any, handlers.Meta, Any], object]

COMMAND_HANDLERS: dict[type, Handler] = {
    cmd.OpenAccount: handlers.open_account,
    cmd.Transfer: handlers.transfer,
    cmd.HoldTransfer: handlers.hold_transfer,
    cmd.PostTransfer: handlers.post_transfer,
    cmd.VoidTransfer: handlers.void_transfer,
}

EVENT_HANDLERS: dict[type, Handler] = {
    gw.NetworkCreated: handlers.on_network_created,
    gw.NetworkUpdated: handlers.on_network_created,
    gw.MemberAdmitted: handlers.on_member_admitted,
    gw.MemberUpdated: handlers.on_member_updated,
    gw.MemberSuspended: handlers.on_member_suspended,
    gw.MemberReinstated: handlers.on_member_reinstated,
    gw.MemberLeft: handlers.on_member_left,
}

#: Trade between networks: run outside the batch's transaction, each over the books of one
#: network at a time (``ledger.sagas``); they take the ``federation`` coordinator.
FEDERATION_HANDLERS: dict[type, Handler] = {
    gw.FederationLinkCreated: federation_handlers.on_link_changed,
    gw.FederationLinkUpdated: federation_handlers.on_link_changed,
    cmd.StartFederatedTransfer: federation_handlers.start_federated_transfer,
    cmd.AdvanceFederatedTransfer: federation_handlers.advance_federated_transfer,
}

HANDLERS: dict[type, Handler] = {**COMMAND_HANDLERS, **EVENT_HANDLERS, **FEDERATION_HANDLERS}
