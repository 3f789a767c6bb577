"""HTTP API of trade between networks: start and follow a cross-network transfer, read the
clearing balances (the gateway's link resource shows them).

The link itself is the gateway's (``/federation/links``); the ledger keeps a copy from its events.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from chassis.auth import ANIMATOR, OPERATOR, Forbidden, Identity, NotFound
from chassis.tenancy import require_identity, require_role
from ledger import federation
from ledger.bootstrap import LedgerApp
from ledger.federation import Link, Saga, saga_id_for
from ledger.sagas import FederationSagas, TransferOrder
from ledger.schemas import (
    ClearingQuery,
    ClearingSchema,
    FederatedTransferInSchema,
    FederatedTransferSchema,
)

federation_blp = Blueprint(
    "ledger_federation",
    __name__,
    url_prefix="/federation",
    description="Transfers between members of two linked networks",
)

#: The federation's errors and their HTTP answers.
ERRORS: dict[type[Exception], tuple[int, str]] = {
    federation.LinkNotFound: (404, "link_not_found"),
    federation.SagaNotFound: (404, "federated_transfer_not_found"),
    federation.LinkSuspended: (409, "link_suspended"),
    federation.NotLinked: (422, "not_linked"),
    federation.AmountTooSmall: (422, "amount_too_small"),
    federation.InvalidConversion: (422, "invalid_conversion"),
    federation.InvalidRate: (422, "invalid_rate"),
}


def _sagas() -> FederationSagas:
    app: LedgerApp = current_app.extensions["ledger"]
    found: FederationSagas | None = current_app.extensions.get("ledger_federation")
    if found is None:
        found = current_app.extensions["ledger_federation"] = FederationSagas(app)
    return found


def _payer_network(sagas: FederationSagas, link: Link, payer: UUID, identity: Identity) -> str:
    """The side of the link whose books hold the payer; an animator's payer is of its tenant."""
    for network in (link.network_a, link.network_b):
        engine = sagas.app.engine_for(network)
        with engine.connect() as conn:
            account = sagas.app.store_for_engine(engine).get_account(conn, payer)
        if account is None or account.network != network or account.kind != "member":
            continue
        if not identity.is_operator and account.tenant != identity.tenant:
            break
        return network
    raise NotFound(message="No such payer account in the networks of this link.")


def _may_see(sagas: FederationSagas, saga: Saga, identity: Identity) -> bool:
    if identity.is_operator:
        return True
    for network, member in ((saga.payer_network, saga.payer), (saga.payee_network, saga.payee)):
        engine = sagas.app.engine_for(network)
        with engine.connect() as conn:
            account = sagas.app.store_for_engine(engine).get_account(conn, member)
        if account is not None and account.tenant == identity.tenant:
            return True
    return False


def _staff() -> Identity:
    identity = require_identity()
    if not identity.has_role(ANIMATOR, OPERATOR):
        raise Forbidden()
    return identity


@federation_blp.route("/links/<uuid:link_id>/transfers")
class FederatedTransfers(MethodView):
    @federation_blp.arguments(FederatedTransferInSchema())
    @federation_blp.response(202, FederatedTransferSchema())
    @federation_blp.doc(
        parameters=[
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": True,
                "schema": {"type": "string", "maxLength": 200},
                "description": "Chosen by the caller; a replay returns the first transfer.",
            }
        ],
    )
    def post(self, body: dict[str, Any], link_id: UUID) -> Any:
        """Pay a member of the partner network: holds on both sides, then posts (a saga)"""
        identity = _staff()
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 200:
            abort(
                400,
                code="idempotency_key_required",
                message="Send an Idempotency-Key header (1 to 200 characters).",
            )
        sagas = _sagas()
        link = sagas.link(link_id)
        requester = identity.tenant or f"operator:{identity.subject}"
        saga, created = sagas.start(
            TransferOrder(
                saga_id=saga_id_for(requester, key),
                link_id=link.id,
                payer_network=_payer_network(sagas, link, body["payer"], identity),
                payer=body["payer"],
                payee=body["payee"],
                amount=body["amount"],
                reference=body["reference"],
                requested_by=identity.subject,
            )
        )
        headers = {} if created else {"Idempotent-Replayed": "true"}
        return saga, 202, headers


@federation_blp.route("/links/<uuid:link_id>/transfers/<uuid:transfer_id>")
class FederatedTransfer(MethodView):
    @federation_blp.response(200, FederatedTransferSchema())
    def get(self, link_id: UUID, transfer_id: UUID) -> Any:
        """A cross-network transfer and where its saga stands"""
        identity = _staff()
        sagas = _sagas()
        saga = sagas.get(transfer_id)
        if saga.link_id != link_id or not _may_see(sagas, saga, identity):
            raise NotFound(message="No such transfer on this link.")
        return saga


@federation_blp.route("/clearing")
class Clearing(MethodView):
    @federation_blp.arguments(ClearingQuery(), location="query")
    @federation_blp.response(200, ClearingSchema())
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Each network's clearing balance for the other (the operator, and the animators of
        either network: the gateway's links)"""
        identity = require_role(OPERATOR, ANIMATOR)
        sides = (query["network_a"], query["network_b"])
        if not identity.has_role(OPERATOR) and identity.network not in sides:
            raise Forbidden(message="Only the animators of a linked network may see its clearing.")
        balance_a, balance_b = _sagas().clearing_balances(query["network_a"], query["network_b"])
        return {**query, "clearing_balance_a": balance_a, "clearing_balance_b": balance_b}
